// Reading a swarm stack's live state: the Provider for Docker Swarm.
//
// ReadStack makes the same twelve Engine requests whatever the stack's size
// (plus /_ping on a fresh client), the last eleven over three connections at
// once (the caller's client and two more to the same endpoint, at the API
// version the caller's negotiated): GET /swarm (the address pool), services,
// secrets, configs and volumes each by the stack label and by the name
// prefix "<stack>_" (the Engine's name filter is a prefix or substring
// match, so names are checked exactly afterwards), every network (to turn
// IDs into names), the stack's tasks (to spot services that cannot run) and
// the non-task containers carrying the stack label. Never one request per
// object.
//
// Objects found by name but labelled for another stack are left out. Objects
// of this stack without nest's labels are kept, unmanaged, with a problem
// saying so; tasks that keep failing ("No such image") and plain containers
// with the stack label are reported as problems, never as errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/engine/client.h"
#include "providers/engine_provider.h"
#include "providers/swarm/convert.h"
#include "providers/swarm/poll_pacer.h"

namespace nest::swarm {

// The answers of the listing requests, as the Engine sent them.
struct SwarmListing {
  nlohmann::json swarm = nlohmann::json::object();  // GET /swarm
  nlohmann::json services = nlohmann::json::array();  // both service listings, merged by ID
  nlohmann::json networks = nlohmann::json::array();  // every network
  nlohmann::json secrets = nlohmann::json::array();
  nlohmann::json configs = nlohmann::json::array();
  nlohmann::json volumes = nlohmann::json::array();   // Volumes[] of both listings
  nlohmann::json tasks = nlohmann::json::array();
  nlohmann::json containers = nlohmann::json::array();  // non-task containers with the stack label
  // When it was read (this client's clock): a kept blue-green colour
  // expires against it.
  std::chrono::system_clock::time_point read_at = std::chrono::system_clock::now();
};

// Pure: the listings -> the stack's normalised live state, sorted by address.
plan::StackState BuildLiveState(const std::string& stack, const SwarmListing& listing);

class SwarmProvider : public providers::EngineProvider {
 public:
  using EngineProvider::EngineProvider;
  Platform platform() const override { return Platform::kSwarm; }
  // The compiled swarm document, converted as `docker stack deploy` would
  // and normalised like the live side (providers/desired.h).
  std::optional<plan::StackState> DesiredState(const Config& config, const std::string& stack,
                                               Diagnostics& diags) override;
  Result<plan::StackState> ReadStack(const std::string& stack) override;
  // ReadStack with the Engine's structured error.
  engine::Result<plan::StackState> ReadLive(const std::string& stack);
  // The apply side (provider_apply.cc): steps through SwarmApplier
  // (apply.h) from the specs DesiredState built, waits through
  // converge_wait.h, the lock of stack_lock.h, revisions.h.
  Status Apply(const plan::ResourceChange& change, plan::StepOp op, const plan::StepContext& context) override;
  Status WaitConverged(const plan::ResourceChange& change, const plan::StepContext& context) override;
  Result<std::unique_ptr<plan::StackLock>> Lock(const plan::LockRequest& request,
                                                std::vector<std::string>& warnings) override;
  Status ForceUnlock(const std::string& stack, const std::string& lock_id) override;
  Result<int> RecordRevision(const plan::RevisionRecord& record) override;
  // The state and the specs revision `number` recorded (revision_specs.h).
  Result<plan::StackState> RevisionDesiredState(const std::string& stack, std::int64_t number) override;
  // The listing requests alone (what ReadStack normalises).
  engine::Result<SwarmListing> List(const std::string& stack);
  // Engine requests the last ReadStack or List sent, over every connection
  // (a /_ping only when the client had not negotiated yet).
  std::uint64_t last_request_count() const { return last_request_count_; }

 private:
  // An endpoint for a client of another thread: this client's, at the
  // version it negotiated (ReadStack did), so no thread asks /_ping again.
  Result<engine::Endpoint> ThreadEndpoint();

  std::uint64_t last_request_count_ = 0;
  std::optional<StackSpecs> specs_;  // set by DesiredState
  // Every convergence wait of an apply runs at once (the walk bounds only
  // the requests): together they poll at most 20 times a second, what ten
  // waits at the 300 ms interval did, whatever the stack's size.
  PollPacer wait_pacer_{20};
};

}  // namespace nest::swarm
