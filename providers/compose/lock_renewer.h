// Keeps a project lock (project_lock.h) alive while an apply runs, through
// the shared lease renewer (providers/lease_renewer.h): RenewProjectLock
// every lease/3 on a thread of its own; a lost lock turns `lost()` true.
#pragma once

#include "providers/compose/project_lock.h"
#include "providers/engine/endpoint.h"
#include "providers/engine/options.h"
#include "providers/lease_renewer.h"

namespace nest::compose {

class ProjectLockRenewer {
 public:
  ProjectLockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldProjectLock lock);

  // Stops the thread and returns the lock as last renewed.
  HeldProjectLock Stop();
  bool lost() const { return renewer_.lost(); }

 private:
  HeldProjectLock lock_;  // the renewing thread's alone until Stop()
  providers::LeaseRenewer renewer_;  // last: its thread starts once lock_ is set
};

}  // namespace nest::compose
