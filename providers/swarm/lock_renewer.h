// Keeps a stack lock (stack_lock.h) alive while an apply runs: a thread
// that renews it every lease/3, on an Engine client of its own (a client is
// not thread-safe), and stops at once when asked.
//
// A failed renewal is retried at the next tick (an Engine restarting for a
// few seconds costs nothing: the lease is three ticks long). A lost lock
// (taken over after renewals failed for a whole lease, or force-unlocked)
// stops the renewing for good; the apply must then stop starting steps.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "providers/engine/endpoint.h"
#include "providers/engine/options.h"
#include "providers/swarm/stack_lock.h"

namespace nest::swarm {

class LockRenewer {
 public:
  // `on_problem` runs on the renewing thread for each failed renewal: kLost
  // (final) or kEngine / kBusy (retried at the next tick).
  LockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldLock lock,
              std::function<void(const LockError&)> on_problem = {});
  ~LockRenewer();
  LockRenewer(const LockRenewer&) = delete;
  LockRenewer& operator=(const LockRenewer&) = delete;

  // Stops the thread (waking it at once; a renewal in flight finishes) and
  // returns the lock as last renewed, ready for ReleaseStackLock.
  HeldLock Stop();

  bool lost() const { return lost_.load(); }
  // Successful renewals so far.
  int renewals() const { return renewals_.load(); }

 private:
  void Run(engine::Endpoint endpoint, engine::ClientOptions options);

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  HeldLock lock_;
  std::function<void(const LockError&)> on_problem_;
  std::atomic<bool> lost_{false};
  std::atomic<int> renewals_{0};
  std::thread thread_;
};

}  // namespace nest::swarm
