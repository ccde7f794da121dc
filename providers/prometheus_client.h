// Instant queries against a Prometheus HTTP API (`GET /api/v1/query`), for
// the metric checks of a canary's or a blue-green verify's analysis
// (providers/metric_analysis.h). Over libcurl through the Engine client's
// transport (providers/engine/http.h), which already knows timeouts and
// connection failures; this file adds the API's JSON.
//
// A failed query says whose fault it is: the endpoint's (nothing answered,
// a timeout, a 5xx, an answer that is not the API's JSON), which a canary
// tolerates a few times in a row, or the query's (Prometheus refused it as
// malformed, or it returned a range vector or a string), which no retry
// mends.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/result.h"

namespace nest::engine {
class HttpTransport;
}

namespace nest::providers {

// What an instant query returned: a scalar's one value, or one value per
// series of an instant vector (none when it selected nothing). NaN and
// infinities are kept as they came ("NaN", "+Inf").
struct QueryAnswer {
  std::vector<double> values;
};

struct QueryFailure {
  // true: Prometheus could not be asked or did not answer as its API
  // promises (counted toward an analysis' error_limit); false: Prometheus
  // refused this query (a failure at once).
  bool endpoint_error = true;
  std::string message;  // one line: "connection refused", "parse error at char 5: ..."
};

using QueryResult = Result<QueryAnswer, QueryFailure>;

// Runs one instant query: PrometheusClient::Query, or a test's stand-in.
using QueryFunction = std::function<QueryResult(const std::string& query)>;

// Reads the answer to /api/v1/query, whatever its HTTP status (Prometheus
// answers errors in JSON too: {"status":"error","errorType":"bad_data",...}).
QueryResult ParseQueryResponse(int http_status, std::string_view body);

class PrometheusClient {
 public:
  // `base_url`: the API's base, "http://prometheus:9090" or
  // "https://metrics.example.com/prometheus"; a missing port is the
  // scheme's (80, 443). An error names the URL and what is wrong with it.
  static Result<PrometheusClient> Connect(const std::string& base_url,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5));

  PrometheusClient(PrometheusClient&&) noexcept;
  PrometheusClient& operator=(PrometheusClient&&) noexcept;
  ~PrometheusClient();

  // Evaluates `query` at the current time, within the timeout.
  QueryResult Query(const std::string& query);

  const std::string& base_url() const { return base_url_; }

 private:
  PrometheusClient(std::string base_url, std::unique_ptr<engine::HttpTransport> transport);

  std::string base_url_;
  std::unique_ptr<engine::HttpTransport> transport_;
};

// A QueryFunction over a PrometheusClient for `base_url`; when the URL is
// unusable, every query fails with that reason as a query error (no retry
// mends a bad URL).
QueryFunction PrometheusQueryFunction(const std::string& base_url,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace nest::providers
