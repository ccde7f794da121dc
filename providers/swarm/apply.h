// Applying one planned change to a Swarm stack through the Engine API: the
// create, update and delete calls `docker stack deploy` would make, from the
// same specs the plan was computed from (convert.h), plus what the CLI never
// does: an update is sent only against the version the plan saw, retried on
// "update out of sequence", and a delete waits until nothing uses the
// object any more before the next step removes what it used.
//
// Each call opens its own Engine client (the client is not thread-safe, and
// the walk runs independent steps at once), at the API version the caller's
// client negotiated, so no call asks /_ping again.
//
// Secret and config data are read from their files here (a config's inline
// content is its data) and sent base64; they never enter an error message,
// a log or the state. A replaced network's create retries while the old
// network's name lingers on the node.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "compiler/support/result.h"
#include "planner/plan.h"
#include "planner/provider.h"
#include "providers/engine/client.h"
#include "providers/swarm/convert.h"

namespace nest::swarm {

class SwarmApplier {
 public:
  // `endpoint` should carry the negotiated version (pinned_version), and
  // `specs` must outlive the applier.
  SwarmApplier(engine::Endpoint endpoint, engine::ClientOptions options, const StackSpecs& specs);

  Status Create(const plan::ResourceChange& change, const plan::StepContext& context);
  Status Update(const plan::ResourceChange& change, const plan::StepContext& context);
  // Removes the live object and, for a service, waits until its containers
  // are gone, so the networks, secrets and configs it used can go next.
  Status Delete(const plan::ResourceChange& change, const plan::StepContext& context);

 private:
  engine::EngineClient Client() const;

  engine::Endpoint endpoint_;
  engine::ClientOptions options_;
  const StackSpecs& specs_;
};

}  // namespace nest::swarm
