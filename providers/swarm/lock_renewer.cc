#include "providers/swarm/lock_renewer.h"

#include "providers/engine/client.h"

namespace nest::swarm {

LockRenewer::LockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldLock lock,
                         std::function<void(const LockError&)> on_problem)
    : lock_(std::move(lock)), on_problem_(std::move(on_problem)) {
  thread_ = std::thread(&LockRenewer::Run, this, std::move(endpoint), options);
}

LockRenewer::~LockRenewer() { Stop(); }

HeldLock LockRenewer::Stop() {
  {
    std::lock_guard<std::mutex> guard(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> guard(mu_);
  return lock_;
}

void LockRenewer::Run(engine::Endpoint endpoint, engine::ClientOptions options) {
  engine::EngineClient client(std::move(endpoint), options);
  std::unique_lock<std::mutex> guard(mu_);
  const auto tick = std::max(lock_.holder.lease / 3, std::chrono::milliseconds(1));
  while (!stopping_) {
    if (wake_.wait_for(guard, tick, [&] { return stopping_; })) return;
    // Renew on a copy without holding the mutex, so Stop() never waits on
    // the Engine for the lock, only for the thread.
    HeldLock copy = lock_;
    guard.unlock();
    LockOutcome outcome = RenewStackLock(client, copy);
    guard.lock();
    lock_.version = copy.version;
    lock_.renewals = copy.renewals;
    if (outcome.ok()) {
      ++renewals_;
      continue;
    }
    if (on_problem_) {
      guard.unlock();
      on_problem_(*outcome.error);
      guard.lock();
    }
    if (outcome.error->kind == LockFailure::kLost) {
      lost_ = true;
      return;
    }
  }
}

}  // namespace nest::swarm
