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

// The limits' defaults when the analysis block does not set them.
inline constexpr int kDefaultInconclusiveLimit = 3;
inline constexpr int kDefaultErrorLimit = 4;

// The analysis block: what a canary step (or a blue-green verify) must
// meet. Unset fields are not checked.
struct AnalysisSettings {
  std::optional<std::chrono::milliseconds> window;  // how long each step is observed
  std::optional<double> min_healthy;                // percent of the new set's tasks healthy
  std::optional<double> max_error_rate;             // percent of requests that failed
  std::optional<std::chrono::milliseconds> max_latency;  // p99
  std::string query;       // a Prometheus query that must return 1; empty: none
  std::string prometheus;  // the Prometheus HTTP API's base URL; empty: none given
  // Inconclusive results (empty or NaN) of one metric check tolerated in a
  // row, and errors of the Prometheus endpoint; one more is a failure
  // (Argo Rollouts' inconclusiveLimit and consecutiveErrorLimit).
  int inconclusive_limit = kDefaultInconclusiveLimit;
  int error_limit = kDefaultErrorLimit;
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

// The canary's replicas at a step of `percent` beside `stable` replicas
// that stay as they are: k = ceil(stable * p / (100 - p)), at least one, so
// that k / (stable + k) ~ p (25% beside 3 -> 1 of 4, 50% beside 3 -> 3 of
// 6). A step of 100% is the promotion: `stable`.
int CanaryReplicas(int stable, double percent);

}  // namespace nest::providers
