#include "providers/swarm/lock_renewer.h"

namespace nest::swarm {

LockRenewer::LockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldLock lock,
                         std::function<void(const LockError&)> on_problem)
    : lock_(std::move(lock)),
      on_problem_(std::move(on_problem)),
      renewer_(std::move(endpoint), options, lock_.holder.lease, [this](engine::EngineClient& client) {
        LockOutcome outcome = RenewStackLock(client, lock_);
        if (outcome.ok()) return providers::Renewal::kRenewed;
        if (on_problem_) on_problem_(*outcome.error);
        return outcome.error->kind == LockFailure::kLost ? providers::Renewal::kLost : providers::Renewal::kRetry;
      }) {}

HeldLock LockRenewer::Stop() {
  renewer_.Stop();
  return lock_;
}

}  // namespace nest::swarm
