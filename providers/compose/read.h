// The Provider for a stack run by Compose (or by nest as Compose would):
// plain containers, networks and volumes labelled
// com.docker.compose.project=<stack>. Three Engine requests whatever the
// stack's size: the containers (all, stopped ones too: a stopped container
// is drift), the networks and the volumes, each filtered by that label.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "providers/compose/apply.h"
#include "providers/engine/client.h"
#include "providers/engine_provider.h"

namespace nest::compose {

class ComposeProvider : public providers::EngineProvider {
 public:
  using EngineProvider::EngineProvider;
  Platform platform() const override { return Platform::kCompose; }
  // The compiled compose document, normalised like the live side.
  std::optional<plan::StackState> DesiredState(const Config& config, const std::string& stack,
                                               Diagnostics& diags) override;
  Result<plan::StackState> ReadStack(const std::string& stack) override;
  // ReadStack with the Engine's structured error.
  engine::Result<plan::StackState> ReadLive(const std::string& stack);
  // The apply side (provider_apply.cc): steps through ComposeApplier
  // (apply.h) from the document DesiredState kept, the lock of
  // project_lock.h, revisions.h.
  Status Apply(const plan::ResourceChange& change, plan::StepOp op, const plan::StepContext& context) override;
  Status WaitConverged(const plan::ResourceChange& change, const plan::StepContext& context) override;
  Result<std::unique_ptr<plan::StackLock>> Lock(const plan::LockRequest& request,
                                                std::vector<std::string>& warnings) override;
  Status ForceUnlock(const std::string& stack, const std::string& lock_id) override;
  Result<int> RecordRevision(const plan::RevisionRecord& record) override;

 private:
  // An endpoint for a client of another thread, at this client's version.
  Result<engine::Endpoint> ThreadEndpoint();

  std::optional<ComposeDesired> desired_;  // set by DesiredState
};

}  // namespace nest::compose
