// Keeps a stack lock (stack_lock.h) alive while an apply runs, through the
// shared lease renewer (providers/lease_renewer.h): RenewStackLock every
// lease/3 on a thread of its own.
#pragma once

#include <functional>

#include "providers/engine/endpoint.h"
#include "providers/engine/options.h"
#include "providers/lease_renewer.h"
#include "providers/swarm/stack_lock.h"

namespace nest::swarm {

class LockRenewer {
 public:
  // `on_problem` runs on the renewing thread for each failed renewal: kLost
  // (final) or kEngine / kBusy (retried at the next tick).
  LockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldLock lock,
              std::function<void(const LockError&)> on_problem = {});

  // Stops the thread and returns the lock as last renewed, ready for
  // ReleaseStackLock.
  HeldLock Stop();

  bool lost() const { return renewer_.lost(); }
  // Successful renewals so far.
  int renewals() const { return renewer_.renewals(); }

 private:
  HeldLock lock_;  // the renewing thread's alone until Stop()
  std::function<void(const LockError&)> on_problem_;
  providers::LeaseRenewer renewer_;  // last: its thread starts once the rest is set
};

}  // namespace nest::swarm
