#include "providers/compose/lock_renewer.h"

namespace nest::compose {

ProjectLockRenewer::ProjectLockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldProjectLock lock)
    : lock_(std::move(lock)),
      renewer_(std::move(endpoint), options, lock_.holder.lease, [this](engine::EngineClient& client) {
        switch (RenewProjectLock(client, lock_)) {
          case RenewOutcome::kRenewed: return providers::Renewal::kRenewed;
          case RenewOutcome::kLost: return providers::Renewal::kLost;
          case RenewOutcome::kFailed: break;
        }
        return providers::Renewal::kRetry;
      }) {}

HeldProjectLock ProjectLockRenewer::Stop() {
  renewer_.Stop();
  return lock_;
}

}  // namespace nest::compose
