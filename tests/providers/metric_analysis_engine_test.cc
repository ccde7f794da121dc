// The metric checks against a real Prometheus (Debian's, in a FROM scratch
// image) scraping counters the test writes, every second
// (tests/support/prometheus_fixture.h).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "providers/metric_analysis.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/prometheus_fixture.h"

namespace nest::providers {
namespace {

using std::chrono::milliseconds;
using test_support::PrometheusFixture;
using test_support::RequestMetrics;

class MetricAnalysisEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test_support::EngineAvailable()) GTEST_SKIP() << "no Docker Engine";
    std::string why;
    ASSERT_TRUE(prometheus_.Start(&why)) << why;
  }

  AnalysisSettings Settings() const {
    AnalysisSettings settings;
    settings.prometheus = prometheus_.base_url();
    settings.window = milliseconds(10'000);
    return settings;
  }

  void Serve(const std::string& metrics) {
    std::string why;
    ASSERT_TRUE(prometheus_.SetMetrics(metrics, &why)) << why;
  }

  PrometheusFixture prometheus_;
};

TEST_F(MetricAnalysisEngineTest, AQueryPassesWhileItReturnsOneAndFailsNamingTheValue) {
  AnalysisSettings settings = Settings();
  settings.query = "checks_ok";
  MetricAnalysis analysis(settings, "shop_app-canary");

  Serve("checks_ok 1\n");
  EXPECT_TRUE(analysis.Sample().ok());
  EXPECT_TRUE(analysis.Conclude().ok());

  Serve("checks_ok 0\n");
  Status failed = analysis.Sample();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "query `checks_ok` returned 0");
}

TEST_F(MetricAnalysisEngineTest, AQueryPrometheusRefusesFailsAtOnce) {
  AnalysisSettings settings = Settings();
  settings.query = "checks_ok ==";
  MetricAnalysis analysis(settings, "shop_app-canary");
  Status failed = analysis.Sample();
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.error().message.starts_with("query `checks_ok ==`: Prometheus refused the query: "))
      << failed.error().message;
}

TEST_F(MetricAnalysisEngineTest, TheErrorRateIsComputedFromTheNewSetsCounters) {
  AnalysisSettings settings = Settings();
  settings.max_error_rate = 1;
  settings.inconclusive_limit = 1;

  // No requests counted yet: 0/0 over the window is NaN, inconclusive.
  Serve(RequestMetrics("shop_app-canary", 100, 5) + RequestMetrics("shop_app", 1000, 900));
  MetricAnalysis analysis(settings, "shop_app-canary");
  EXPECT_TRUE(analysis.Sample().ok());

  // 100 more requests, none failed: 0%, whatever the stable set does.
  Serve(RequestMetrics("shop_app-canary", 200, 5) + RequestMetrics("shop_app", 2000, 1900));
  EXPECT_TRUE(analysis.Sample().ok());
  EXPECT_TRUE(analysis.Conclude().ok());

  // A new set whose counters then say 10 of the next 100 requests failed.
  // The counters exist for longer than the window before they move, so
  // Prometheus' increase() extrapolates both series alike: exactly 10%.
  settings.window = milliseconds(3000);
  MetricAnalysis failing(settings, "shop_web-canary");
  Serve(RequestMetrics("shop_web-canary", 100, 10));
  std::this_thread::sleep_for(std::chrono::seconds(4));
  Serve(RequestMetrics("shop_web-canary", 190, 20));
  Status failed = failing.Sample();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "max_error_rate: 10% > 1%");
}

TEST_F(MetricAnalysisEngineTest, NoSuchSeriesAndNaNAreInconclusiveThenAFailure) {
  AnalysisSettings settings = Settings();
  settings.max_error_rate = 1;
  settings.inconclusive_limit = 2;
  Serve(RequestMetrics("shop_app-canary", 100, 0));
  MetricAnalysis no_series(settings, "shop_other-canary");  // exports nothing
  EXPECT_TRUE(no_series.Sample().ok());
  EXPECT_TRUE(no_series.Sample().ok());
  Status failed = no_series.Sample();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message,
            "max_error_rate: inconclusive 3 times in a row (inconclusive_limit 2): the query returned nothing");

  MetricAnalysis idle(settings, "shop_app-canary");  // counters that do not move: 0/0
  Serve(RequestMetrics("shop_app-canary", 100, 0));
  EXPECT_TRUE(idle.Sample().ok());
  EXPECT_TRUE(idle.Sample().ok());
  EXPECT_EQ(idle.Sample().error().message,
            "max_error_rate: inconclusive 3 times in a row (inconclusive_limit 2): the query returned NaN");
  EXPECT_EQ(idle.Conclude().error().message,
            "max_error_rate: no conclusive result during the window (the query returned NaN)");
}

TEST_F(MetricAnalysisEngineTest, TheP99LatencyComesFromTheHistogram) {
  AnalysisSettings settings = Settings();
  settings.max_latency = milliseconds(500);
  auto buckets = [](long fast, long total) {
    return fmt::format(
        "http_request_duration_seconds_bucket{{service=\"shop_app-canary\",le=\"0.1\"}} {0}\n"
        "http_request_duration_seconds_bucket{{service=\"shop_app-canary\",le=\"0.5\"}} {0}\n"
        "http_request_duration_seconds_bucket{{service=\"shop_app-canary\",le=\"1\"}} {1}\n"
        "http_request_duration_seconds_bucket{{service=\"shop_app-canary\",le=\"+Inf\"}} {1}\n",
        fast, total);
  };
  Serve(buckets(0, 0));
  Serve(buckets(10, 100));  // 90 of 100 requests took 0.5 s to 1 s
  MetricAnalysis analysis(settings, "shop_app-canary");
  Status failed = analysis.Sample();
  ASSERT_FALSE(failed.ok());
  std::smatch m;
  const std::string message = failed.error().message;
  RecordProperty("message", message);
  ASSERT_TRUE(std::regex_match(message, m, std::regex(R"(^max_latency: p99 ([0-9]+)ms > 500ms$)"))) << message;
  EXPECT_GT(std::stoi(m[1].str()), 900) << message;  // p99 within the 0.5-1 s bucket, near its top
}

TEST_F(MetricAnalysisEngineTest, AnEndpointThatIsDownIsCountedThenAFailure) {
  AnalysisSettings settings = Settings();
  settings.query = "checks_ok";
  settings.error_limit = 2;
  Serve("checks_ok 1\n");
  MetricAnalysis analysis(settings, "shop_app-canary");
  EXPECT_TRUE(analysis.Sample().ok());

  prometheus_.StopPrometheus();
  EXPECT_TRUE(analysis.Sample().ok());  // error 1 of 2 tolerated
  EXPECT_TRUE(analysis.Sample().ok());  // error 2
  Status failed = analysis.Sample();
  ASSERT_FALSE(failed.ok());
  const std::string expected_start = "query `checks_ok`: Prometheus failed 3 times in a row (error_limit 2): cannot query " +
                                     prometheus_.base_url() + ": ";
  EXPECT_TRUE(failed.error().message.starts_with(expected_start)) << failed.error().message;
  RecordProperty("message", failed.error().message);
}

}  // namespace
}  // namespace nest::providers
