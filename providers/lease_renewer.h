// Keeps a lock on the engine alive while an apply runs: a thread that calls
// `renew` every lease/3 on an Engine client of its own (a client is not
// thread-safe), and stops at once when asked. The Swarm stack lock
// (swarm/lock_renewer.h) and the Compose project lock (compose/lock_renewer.h)
// each pass their own renewal.
//
// A failed renewal is retried at the next tick (an Engine restarting for a
// few seconds costs nothing: the lease is three ticks long). A lost lock
// (taken over after renewals failed for a whole lease, or force-unlocked)
// stops the renewing for good; the apply must then stop starting steps.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "providers/engine/endpoint.h"
#include "providers/engine/options.h"

namespace nest::engine {
class EngineClient;
}

namespace nest::providers {

enum class Renewal { kRenewed, kRetry, kLost };

class LeaseRenewer {
 public:
  using Renew = std::function<Renewal(engine::EngineClient&)>;

  LeaseRenewer(engine::Endpoint endpoint, engine::ClientOptions options, std::chrono::milliseconds lease,
               Renew renew);
  ~LeaseRenewer();
  LeaseRenewer(const LeaseRenewer&) = delete;
  LeaseRenewer& operator=(const LeaseRenewer&) = delete;

  // Stops the thread, waking it at once (a renewal in flight finishes).
  // Once it returns, `renew` is not called again.
  void Stop();

  bool lost() const { return lost_.load(); }
  // Successful renewals so far.
  int renewals() const { return renewals_.load(); }

 private:
  void Run(engine::Endpoint endpoint, engine::ClientOptions options, std::chrono::milliseconds tick);

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  Renew renew_;
  std::atomic<bool> lost_{false};
  std::atomic<int> renewals_{0};
  std::thread thread_;
};

}  // namespace nest::providers
