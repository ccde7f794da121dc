// Applying one planned change to a compose project through the Engine API,
// as Compose would have made it (container_spec.h, project_objects.h), with
// what Compose never does: services are replaced rolling and health-gated
// (rollout.h), and every step can be re-run after an apply was killed.
//
// Each call opens its own Engine client (the walk runs independent steps
// at once and a client is not thread-safe), at the API version the
// caller's client negotiated.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/support/result.h"
#include "planner/plan.h"
#include "planner/provider.h"
#include "providers/compose/rollout_settings.h"
#include "providers/engine/client.h"

namespace nest::compose {

// What DesiredState keeps for apply: the compiled document and each
// service's rollout settings.
struct ComposeDesired {
  std::string project;
  nlohmann::ordered_json document;
  std::map<std::string, RolloutSettings> rollouts;  // by compose service key
};

class ComposeApplier {
 public:
  // `desired` must outlive the applier.
  ComposeApplier(engine::Endpoint endpoint, engine::ClientOptions options, const ComposeDesired& desired);

  Status Create(const plan::ResourceChange& change, const plan::StepContext& context);
  Status Update(const plan::ResourceChange& change, const plan::StepContext& context);
  // A service's containers are stopped (with their grace period) and
  // removed; a network or volume waits until no container uses it.
  Status Delete(const plan::ResourceChange& change, const plan::StepContext& context);
  // A service: exactly its replicas, all of the current spec, running and
  // healthy. Networks and volumes are ready once created.
  Status WaitConverged(const plan::ResourceChange& change, const plan::StepContext& context);

 private:
  engine::EngineClient Client() const;
  Status RollOut(const plan::ResourceChange& change, const plan::StepContext& context);

  engine::Endpoint endpoint_;
  engine::ClientOptions options_;
  const ComposeDesired& desired_;
};

}  // namespace nest::compose
