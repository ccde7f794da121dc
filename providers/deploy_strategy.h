// How a service's new version replaces the running one, as `nest apply`
// reads it back from the service's own `nest.deploy.*` labels (the compiler
// writes them from the deploy block: compiler/emit/compose_service.cc).
// Reading them from the spec, not the config, means a plan file, a revision
// and a rollback carry the strategy with the spec. Shared by both
// platforms' providers; pure.
//
//   deploy "canary" { steps = [10%, 50%, 100%]  pause = 30s  analysis { ... } }
//     -> nest.deploy.strategy=canary, nest.deploy.steps=10%,50%,100%,
//        nest.deploy.pause=30s, nest.deploy.analysis.window=1m, ...
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "compiler/support/result.h"

namespace nest::providers {

enum class StrategyKind { kRolling, kCanary, kBlueGreen };
const char* StrategyName(StrategyKind kind);  // "rolling", "canary", "blue-green"

// The analysis block: what a canary step (or a blue-green verify) must
// meet. Unset fields are not checked.
struct AnalysisSettings {
  std::optional<std::chrono::milliseconds> window;  // how long each step is observed
  std::optional<double> min_healthy;                // percent of the new set's tasks healthy
  std::optional<double> max_error_rate;             // percent of requests that failed
  std::optional<std::chrono::milliseconds> max_latency;  // p99
  std::string query;       // a Prometheus query that must return 1; empty: none
  std::string prometheus;  // the Prometheus HTTP API's base URL; empty: none given
  // Any other nest.deploy.analysis.* label, kept so a newer nest's setting
  // is not silently dropped: "name=value".
  std::vector<std::string> unknown;

  bool HasMetricChecks() const { return !query.empty() || max_error_rate || max_latency; }
};

struct DeployStrategy {
  StrategyKind kind = StrategyKind::kRolling;
  std::vector<double> steps;                       // canary: percent of replicas at each step, ascending
  std::optional<std::chrono::milliseconds> pause;  // canary: each step held this long; unset: a manual gate
  std::optional<std::chrono::milliseconds> verify;         // blue-green
  std::optional<std::chrono::milliseconds> keep_previous;  // blue-green
  std::optional<AnalysisSettings> analysis;
};

// The strategy the labels (an object of strings: a Swarm service spec's
// `Labels`, or a container's) ask for; rolling when there is no
// nest.deploy.strategy label. An error names the label and its value
// ("nest.deploy.steps: `10%,x` is not a list of percentages").
Result<DeployStrategy> StrategyFromLabels(const nlohmann::json& labels);

// The canary's replicas at a step of `percent` (< 100) beside `stable`
// replicas that stay as they are: k = ceil(N*p/(100-p)), at least one, so
// that k/(N+k) is about p (10% beside 9 -> 1, 50% beside 3 -> 3, 10% beside
// 3 -> 1). A step of 100% is the promotion: the whole set, `stable`.
int CanaryReplicas(int stable, double percent);

}  // namespace nest::providers
