// The canary strategy of `nest apply` on Swarm (docs/apply-swarm.md,
// "Canary"): a service's new spec first runs as a second service beside the
// stable one, `<docker_name>-canary`, on the same networks with the same
// aliases, so the service's DNS name resolves to both sets and the traffic
// share follows the replica share. The stable service is never touched
// before promotion, not even scaled.
//
// Each step of p% (< 100) runs k = ceil(N*p/(100-p)) canary replicas beside
// the N stable ones (providers::CanaryReplicas), waits until they run
// healthy, then observes them for the analysis window (min_healthy over the
// canary's tasks, and providers::MetricAnalysis) and holds the rest of the
// step's pause. A step of 100% is the promotion: the stable service is rolled
// to the new spec by its own update settings while the canary keeps serving,
// then the canary is removed. Without a pause every step is a manual gate:
// the apply stops there, the canary left running, until
// `nest apply --promote SERVICE` (the next step) or `--abort SERVICE`.
//
// A failed check, an interrupt, the deadline or --abort remove the canary;
// the stable service is left as it was. The step reached is recorded on the
// canary (`nest.canary.step`), so an apply that was stopped or killed
// resumes there.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/support/result.h"
#include "planner/plan.h"
#include "planner/provider.h"
#include "providers/deploy_strategy.h"
#include "providers/engine/client.h"

namespace nest::swarm {

inline constexpr const char* kCanaryOfLabel = "nest.canary.of";      // the stable service's Docker name
inline constexpr const char* kCanaryStepLabel = "nest.canary.step";  // the step reached, from 1

// "<docker_name>-canary".
std::string CanaryName(const std::string& docker_name);

// Whether a planned update changes what the tasks run (image, env, command,
// mounts, networks, ...), not only the replicas, the service's labels or its
// update settings, which Swarm applies without replacing a task.
bool ChangesTasks(const plan::ResourceChange& change);

// The name `nest apply --promote` takes for a service: its short name for a
// root service ("service.web" -> "web"), else its address.
std::string GateName(const std::string& address);

struct CanaryRun {
  const plan::ResourceChange* change = nullptr;  // the stable service's planned update
  nlohmann::json desired;                        // its new spec, references resolved, replicas planned
  providers::DeployStrategy strategy;            // kCanary
  // Sends the stable service's update (the ordinary update of apply.cc):
  // called once, at the promotion.
  std::function<Status()> roll_stable;
};

// Runs the canary of `run` from where the live canary (if any) stands, as
// `context.gate` says: Done once promoted (or, for --abort, once the canary
// is gone); an error names what stopped it: the failing check and its
// measured value ("min_healthy: 1 of 2 canary tasks healthy (50%) < 100%"),
// the manual gate, an interrupt, the deadline.
Status RunCanary(engine::EngineClient& client, const CanaryRun& run, const plan::StepContext& context);

}  // namespace nest::swarm
