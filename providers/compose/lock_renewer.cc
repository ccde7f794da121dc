#include "providers/compose/lock_renewer.h"

namespace nest::compose {

ProjectLockRenewer::ProjectLockRenewer(engine::Endpoint endpoint, engine::ClientOptions options, HeldProjectLock lock)
    : lock_(std::move(lock)) {
  thread_ = std::thread(&ProjectLockRenewer::Run, this, std::move(endpoint), options);
}

ProjectLockRenewer::~ProjectLockRenewer() { Stop(); }

HeldProjectLock ProjectLockRenewer::Stop() {
  {
    std::lock_guard<std::mutex> guard(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> guard(mu_);
  return lock_;
}

void ProjectLockRenewer::Run(engine::Endpoint endpoint, engine::ClientOptions options) {
  engine::EngineClient client(std::move(endpoint), options);
  std::unique_lock<std::mutex> guard(mu_);
  const auto tick = std::max(lock_.holder.lease / 3, std::chrono::milliseconds(1));
  while (!stopping_) {
    if (wake_.wait_for(guard, tick, [&] { return stopping_; })) return;
    // Renew a copy without the mutex held, so Stop() never waits on the Engine.
    HeldProjectLock copy = lock_;
    guard.unlock();
    RenewOutcome outcome = RenewProjectLock(client, copy);
    guard.lock();
    lock_.renewals = copy.renewals;
    if (outcome == RenewOutcome::kLost) {
      lost_ = true;
      return;
    }
  }
}

}  // namespace nest::compose
