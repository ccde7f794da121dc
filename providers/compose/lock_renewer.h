// Keeps a project lock (project_lock.h) alive while an apply runs: a thread
// renewing it every lease/3 on an Engine client of its own, stopped at once
// when asked. A failed renewal is retried at the next tick; a lost lock
// stops the renewing for good and `lost()` turns true.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "providers/compose/project_lock.h"
#include "providers/engine/client.h"

namespace nest::compose {

class ProjectLockRenewer {
 public:
  ProjectLockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldProjectLock lock);
  ~ProjectLockRenewer();
  ProjectLockRenewer(const ProjectLockRenewer&) = delete;
  ProjectLockRenewer& operator=(const ProjectLockRenewer&) = delete;

  // Stops the thread and returns the lock as last renewed.
  HeldProjectLock Stop();
  bool lost() const { return lost_.load(); }

 private:
  void Run(engine::Endpoint endpoint, engine::ClientOptions options);

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  HeldProjectLock lock_;
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

}  // namespace nest::compose
