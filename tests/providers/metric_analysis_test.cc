// The metric checks of an analysis, with the queries answered by the test:
// passes, failures naming the measured value, inconclusive results and
// endpoint errors tolerated up to their limits, and a failure one after.
#include "providers/metric_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <map>

namespace nest::providers {
namespace {

using std::chrono::milliseconds;

QueryResult Value(double v) { return QueryAnswer{{v}}; }
QueryResult Nothing() { return QueryAnswer{}; }
QueryResult Down() { return QueryFailure{true, "cannot query http://prom:9090: connection refused"}; }

// Answers each query from its own script, in order; the last answer repeats.
// Records every query asked.
struct ScriptedPrometheus {
  std::map<std::string, std::deque<QueryResult>> answers;  // by the start of the query
  std::vector<std::string> asked;

  QueryFunction Function() {
    return [this](const std::string& query) -> QueryResult {
      asked.push_back(query);
      for (auto& [start, script] : answers) {
        if (query.rfind(start, 0) != 0) continue;
        QueryResult next = script.front();
        if (script.size() > 1) script.pop_front();
        return next;
      }
      return QueryFailure{false, "no answer scripted for " + query};
    };
  }
};

AnalysisSettings Settings() {
  AnalysisSettings settings;
  settings.prometheus = "http://prom:9090";
  settings.window = milliseconds(10'000);
  return settings;
}

TEST(MetricAnalysisTest, NoMetricChecksAlwaysPassAndNeverQuery) {
  ScriptedPrometheus prometheus;
  AnalysisSettings settings = Settings();
  settings.min_healthy = 100;  // the strategy's own check, not a metric one
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_TRUE(analysis.Sample().ok());
  EXPECT_TRUE(analysis.Conclude().ok());
  EXPECT_TRUE(prometheus.asked.empty());
  EXPECT_TRUE(analysis.Queries().empty());
}

TEST(MetricAnalysisTest, AQueryThatReturnsOnePasses) {
  ScriptedPrometheus prometheus;
  prometheus.answers["up"] = {QueryAnswer{{1, 1}}};
  AnalysisSettings settings = Settings();
  settings.query = "up{job=\"app\"} == bool 1";
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_TRUE(analysis.Sample().ok());
  EXPECT_TRUE(analysis.Sample().ok());
  EXPECT_TRUE(analysis.Conclude().ok());
  EXPECT_EQ(prometheus.asked, (std::vector<std::string>{settings.query, settings.query}));
}

TEST(MetricAnalysisTest, AQueryThatReturnsAnythingElseFailsNamingTheValue) {
  ScriptedPrometheus prometheus;
  prometheus.answers["errors_total"] = {Value(1), Value(0)};
  AnalysisSettings settings = Settings();
  settings.query = "errors_total == bool 0";
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_TRUE(analysis.Sample().ok());
  Status failed = analysis.Sample();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "query `errors_total == bool 0` returned 0");
}

TEST(MetricAnalysisTest, OneSeriesOfAVectorNotOneFails) {
  ScriptedPrometheus prometheus;
  prometheus.answers["up"] = {QueryAnswer{{1, 0.5, 1}}};
  AnalysisSettings settings = Settings();
  settings.query = "up";
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_EQ(analysis.Sample().error().message, "query `up` returned 0.5");
}

TEST(MetricAnalysisTest, ErrorRateAndLatencyQueriesSelectTheNewSetOverTheWindow) {
  AnalysisSettings settings = Settings();
  settings.max_error_rate = 1;
  settings.max_latency = milliseconds(500);
  settings.window = milliseconds(2500);  // a PromQL range is whole seconds: 3s
  MetricAnalysis analysis(settings, "shop_app-canary", [](const std::string&) { return Value(0); });
  EXPECT_EQ(analysis.Queries(),
            (std::vector<std::string>{
                "(sum(increase(http_requests_total{service=\"shop_app-canary\",code=~\"5..\"}[3s])) or vector(0))"
                " / sum(increase(http_requests_total{service=\"shop_app-canary\"}[3s]))",
                "histogram_quantile(0.99, sum by (le) "
                "(rate(http_request_duration_seconds_bucket{service=\"shop_app-canary\"}[3s])))"}));
}

TEST(MetricAnalysisTest, AnErrorRateAboveTheLimitFailsWithBothPercentages) {
  ScriptedPrometheus prometheus;
  prometheus.answers["(sum(increase(http_requests_total"] = {Value(0.004), Value(0.075)};
  AnalysisSettings settings = Settings();
  settings.max_error_rate = 1;
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_TRUE(analysis.Sample().ok());  // 0.4% <= 1%
  EXPECT_EQ(analysis.Sample().error().message, "max_error_rate: 7.5% > 1%");
}

TEST(MetricAnalysisTest, AP99LatencyAboveTheLimitFailsInMilliseconds) {
  ScriptedPrometheus prometheus;
  prometheus.answers["histogram_quantile"] = {Value(0.5), Value(0.75)};
  AnalysisSettings settings = Settings();
  settings.max_latency = milliseconds(500);
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_TRUE(analysis.Sample().ok());  // exactly the limit passes
  EXPECT_EQ(analysis.Sample().error().message, "max_latency: p99 750ms > 500ms");
}

TEST(MetricAnalysisTest, InconclusiveResultsAreToleratedUpToTheLimitThenFail) {
  ScriptedPrometheus prometheus;
  prometheus.answers["up"] = {Nothing(), Value(NAN), Value(1), Nothing(), Nothing(), Nothing()};
  AnalysisSettings settings = Settings();
  settings.query = "up";
  settings.inconclusive_limit = 2;
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_TRUE(analysis.Sample().ok());  // nothing: 1 in a row
  EXPECT_TRUE(analysis.Sample().ok());  // NaN: 2 in a row
  EXPECT_TRUE(analysis.Sample().ok());  // 1: a pass resets the count
  EXPECT_TRUE(analysis.Sample().ok());  // 1 in a row
  EXPECT_TRUE(analysis.Sample().ok());  // 2 in a row
  Status failed = analysis.Sample();    // 3 > inconclusive_limit 2
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message,
            "query `up`: inconclusive 3 times in a row (inconclusive_limit 2): the query returned nothing");
}

TEST(MetricAnalysisTest, AnInconclusiveLimitOfZeroFailsAtTheFirstNaN) {
  ScriptedPrometheus prometheus;
  prometheus.answers["(sum"] = {Value(NAN)};  // no requests: 0/0
  AnalysisSettings settings = Settings();
  settings.max_error_rate = 1;
  settings.inconclusive_limit = 0;
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_EQ(analysis.Sample().error().message,
            "max_error_rate: inconclusive 1 times in a row (inconclusive_limit 0): the query returned NaN");
}

TEST(MetricAnalysisTest, EndpointErrorsAreCountedApartFromInconclusiveResults) {
  ScriptedPrometheus prometheus;
  prometheus.answers["up"] = {Down(), Down(), Nothing(), Down(), Down(), Value(1), Down(), Down(), Down()};
  AnalysisSettings settings = Settings();
  settings.query = "up";
  settings.error_limit = 2;
  settings.inconclusive_limit = 1;
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(analysis.Sample().ok()) << "sample " << i;
  // Any answer (even an empty one) resets the errors in a row, and errors
  // are no inconclusive results: with inconclusive_limit 1, the empty answer
  // and the two errors after it are still tolerated.
  Status failed = analysis.Sample();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message,
            "query `up`: Prometheus failed 3 times in a row (error_limit 2): "
            "cannot query http://prom:9090: connection refused");
}

TEST(MetricAnalysisTest, ARefusedQueryFailsAtOnce) {
  ScriptedPrometheus prometheus;
  prometheus.answers["up =="] = {QueryFailure{false, "Prometheus refused the query: parse error at char 5"}};
  AnalysisSettings settings = Settings();
  settings.query = "up == ";
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_EQ(analysis.Sample().error().message, "query `up == `: Prometheus refused the query: parse error at char 5");
}

TEST(MetricAnalysisTest, EveryCheckIsSampledAndTheFirstFailureIsReported) {
  ScriptedPrometheus prometheus;
  prometheus.answers["ok"] = {Value(1)};
  prometheus.answers["(sum"] = {Value(0)};
  prometheus.answers["histogram_quantile"] = {Value(2)};
  AnalysisSettings settings = Settings();
  settings.query = "ok";
  settings.max_error_rate = 5;
  settings.max_latency = milliseconds(1500);
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_EQ(analysis.Sample().error().message, "max_latency: p99 2s > 1.5s");
  EXPECT_EQ(prometheus.asked.size(), 3u);
}

TEST(MetricAnalysisTest, ConcludeFailsACheckThatNeverHadAConclusiveResult) {
  ScriptedPrometheus prometheus;
  prometheus.answers["up"] = {Nothing(), Value(1), Value(NAN)};
  AnalysisSettings settings = Settings();
  settings.query = "up";
  MetricAnalysis analysis(settings, "app-canary", prometheus.Function());
  EXPECT_TRUE(analysis.Sample().ok());
  EXPECT_EQ(analysis.Conclude().error().message,
            "query `up`: no conclusive result during the window (the query returned nothing)");
  EXPECT_TRUE(analysis.Sample().ok());  // 1
  EXPECT_TRUE(analysis.Sample().ok());  // NaN, once: tolerated
  EXPECT_TRUE(analysis.Conclude().ok());  // this step had a pass
  EXPECT_EQ(analysis.Conclude().error().message, "query `up`: no conclusive result during the window");
}

TEST(MetricAnalysisTest, TheIntervalIsAFifthOfTheWindowWithinBounds) {
  AnalysisSettings settings = Settings();
  auto interval = [&](std::optional<milliseconds> window) {
    settings.window = window;
    return MetricAnalysis(settings, "x", [](const std::string&) { return Value(1); }).interval();
  };
  EXPECT_EQ(interval(milliseconds(60'000)), milliseconds(12'000));
  EXPECT_EQ(interval(milliseconds(2'000)), milliseconds(1'000));
  EXPECT_EQ(interval(milliseconds(600'000)), milliseconds(30'000));
  EXPECT_EQ(interval(std::nullopt), milliseconds(2'000));
}

TEST(MetricAnalysisTest, AnUnusablePrometheusUrlFailsTheFirstSample) {
  AnalysisSettings settings = Settings();
  settings.prometheus = "prom:9090";
  settings.query = "up";
  MetricAnalysis analysis(settings, "app-canary");
  EXPECT_EQ(analysis.Sample().error().message, "query `up`: prometheus `prom:9090`: not an http:// or https:// URL");
}

}  // namespace
}  // namespace nest::providers
