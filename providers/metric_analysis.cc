#include "providers/metric_analysis.h"

namespace nest::providers {

// NOT DONE: the Prometheus client and the checks are being written (helper
// branch analysis). Until then a metric check fails loudly, never passes.
MetricAnalysis::MetricAnalysis(AnalysisSettings settings, std::string service)
    : settings_(std::move(settings)), service_(std::move(service)) {}

std::chrono::milliseconds MetricAnalysis::interval() const { return std::chrono::milliseconds(1000); }

Status MetricAnalysis::Sample() {
  if (!settings_.HasMetricChecks()) return Done{};
  return Error{"metric checks are not implemented yet"};
}

}  // namespace nest::providers
