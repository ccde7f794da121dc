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
#pragma once

#include <chrono>
#include <string>

#include "compiler/support/result.h"
#include "providers/deploy_strategy.h"

namespace nest::providers {

class MetricAnalysis {
 public:
  // `service`: the new set's name as the metrics label it (the canary's
  // Docker service name, say), which the error-rate and latency queries
  // select on.
  MetricAnalysis(AnalysisSettings settings, std::string service);

  // How often Sample should be called while the step is observed.
  std::chrono::milliseconds interval() const;

  // Evaluates every metric check once. Done: nothing failed so far (passes
  // and tolerated inconclusive results or endpoint errors). An error: the
  // analysis failed, naming the check and its measured value ("query
  // `errors_total == 0` returned 0", "max_error_rate: 7.5% > 1%").
  Status Sample();

 private:
  AnalysisSettings settings_;
  std::string service_;
  int inconclusive_in_a_row_ = 0;
  int errors_in_a_row_ = 0;
};

}  // namespace nest::providers
