// A real Prometheus for engine tests, scraping metrics the test writes.
//
// Two plain containers (no Swarm, no network of their own): a busybox httpd
// serving one file, /metrics, from a host folder the test rewrites, and
// Debian's Prometheus (/usr/bin/prometheus, copied with its libc into a
// FROM scratch image) in the httpd's network namespace, scraping it every
// second. Prometheus' port 9090 is published on 127.0.0.1 at a free port:
// base_url() is what an analysis block's `prometheus` gets.
//
//   PrometheusFixture prometheus;
//   ASSERT_TRUE(prometheus.Start(&why)) << why;
//   ASSERT_TRUE(prometheus.SetMetrics(RequestMetrics("shop_app-canary", 100, 0), &why)) << why;
//   ... analysis.prometheus = prometheus.base_url() ...
//   prometheus.StopPrometheus();  // the endpoint is down from here on
//
// The destructor removes both containers and the folder, also when the test
// failed.
#pragma once

#include <string>

namespace nest::test_support {

// "nest-test/prometheus:1", built once per process when missing.
inline constexpr const char* kPrometheusImage = "nest-test/prometheus:1";
bool EnsurePrometheusImage(std::string* why);

// The request metrics an analysis' max_error_rate reads, for the set named
// `service`: http_requests_total{service=...,code="200"} and {code="500"}.
std::string RequestMetrics(const std::string& service, long ok, long errors);

class PrometheusFixture {
 public:
  PrometheusFixture();
  ~PrometheusFixture();
  PrometheusFixture(const PrometheusFixture&) = delete;
  PrometheusFixture& operator=(const PrometheusFixture&) = delete;

  // Starts both containers and returns once Prometheus answers queries and
  // has scraped the (empty) metrics once; false with the reason otherwise.
  bool Start(std::string* why);

  // Serves `text` (Prometheus' text format) from now on and returns once
  // Prometheus has scraped it (within 10 s; false with the reason
  // otherwise), so a query right after sees it. A gauge
  // nest_fixture_generation is added to tell the scrapes apart.
  bool SetMetrics(const std::string& text, std::string* why);

  // "http://127.0.0.1:PORT": the Prometheus HTTP API's base URL.
  const std::string& base_url() const { return base_url_; }

  // Kills Prometheus: from now on its port drops every connection without
  // an answer (the metrics endpoint is down).
  void StopPrometheus();

 private:
  std::string name_;    // the target container's; Prometheus' is name_ + "-prometheus"
  std::string folder_;  // served as /www: holds `metrics`
  std::string base_url_;
  int generation_ = 0;
};

}  // namespace nest::test_support
