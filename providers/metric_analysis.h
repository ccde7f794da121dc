// The metric side of a canary step's (or a blue-green verify's) analysis:
// the checks of an analysis block that ask Prometheus (`query`,
// `max_error_rate`, `max_latency`), sampled while the step is observed.
// The health side (`min_healthy`) is the strategy's own: it reads tasks or
// containers, not metrics.
//
// Argo Rollouts' rules for results that say nothing: an empty or NaN result
// is inconclusive (retried; a failure once too many in a row), and an error
// of the metrics endpoint is counted apart from a failed check (a failure
// once too many in a row), so a Prometheus restart does not abort a good
// canary and a check that cannot be evaluated does not pass one.
//
// The queries (docs/strategies.md, "Analysis"), with S the new set's
// service name and W the window in seconds:
//   query           the user's own; every value it returns must be 1
//   max_error_rate  (sum(increase(http_requests_total{service="S",code=~"5.."}[W]))
//                     or vector(0)) / sum(increase(http_requests_total{service="S"}[W]))
//   max_latency     histogram_quantile(0.99, sum by (le)
//                     (rate(http_request_duration_seconds_bucket{service="S"}[W])))
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "compiler/support/result.h"
#include "providers/deploy_strategy.h"
#include "providers/prometheus_client.h"

namespace nest::providers {

class MetricAnalysis {
 public:
  // `service`: the new set's name as the metrics label it (the canary's
  // Docker service name, say), which the error-rate and latency queries
  // select on. `settings.window` should be the window the step is observed
  // for (the runner fills its default in; unset: 10 s). `query`: how
  // queries run; by default against `settings.prometheus` (tests inject
  // their own).
  MetricAnalysis(AnalysisSettings settings, std::string service, QueryFunction query = nullptr);

  // How often Sample should be called while the step is observed: a fifth
  // of the window, between 1 s and 30 s.
  std::chrono::milliseconds interval() const;

  // Evaluates every metric check once. Done: nothing failed so far (passes
  // and tolerated inconclusive results or endpoint errors). An error: the
  // analysis failed, naming the check and its measured value ("query
  // `errors_total == 0` returned 0", "max_error_rate: 7.5% > 1%").
  Status Sample();

  // At the end of a step's window: an error when a check had no conclusive
  // result (a value it could judge) since the last Conclude (or since
  // construction), so a check that could never be evaluated does not pass
  // the step. The next step's count starts anew.
  Status Conclude();

  // The PromQL each metric check runs, in the order Sample runs them (for
  // messages, docs and tests).
  std::vector<std::string> Queries() const;

 private:
  enum class CheckKind { kQuery, kMaxErrorRate, kMaxLatency };
  struct Check {
    CheckKind kind;
    std::string promql;
    int inconclusive_in_a_row = 0;
    int errors_in_a_row = 0;
    bool conclusive_this_step = false;
    std::string last_inconclusive;  // this step's last inconclusive result: "nothing", "NaN"
  };

  Status Evaluate(Check& check);
  std::string Name(const Check& check) const;

  AnalysisSettings settings_;
  std::string service_;
  QueryFunction query_;
  std::vector<Check> checks_;
};

}  // namespace nest::providers
