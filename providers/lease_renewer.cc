#include "providers/lease_renewer.h"

#include <algorithm>

#include "providers/engine/client.h"

namespace nest::providers {

LeaseRenewer::LeaseRenewer(engine::Endpoint endpoint, engine::ClientOptions options, std::chrono::milliseconds lease,
                           Renew renew)
    : renew_(std::move(renew)) {
  const auto tick = std::max(lease / 3, std::chrono::milliseconds(1));
  thread_ = std::thread(&LeaseRenewer::Run, this, std::move(endpoint), options, tick);
}

LeaseRenewer::~LeaseRenewer() { Stop(); }

void LeaseRenewer::Stop() {
  {
    std::lock_guard<std::mutex> guard(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LeaseRenewer::Run(engine::Endpoint endpoint, engine::ClientOptions options, std::chrono::milliseconds tick) {
  engine::EngineClient client(std::move(endpoint), options);
  std::unique_lock<std::mutex> guard(mu_);
  while (!stopping_) {
    if (wake_.wait_for(guard, tick, [&] { return stopping_; })) return;
    // Renew without the mutex held, so Stop() never waits on the Engine for
    // the mutex, only for the thread.
    guard.unlock();
    Renewal renewal = renew_(client);
    guard.lock();
    if (renewal == Renewal::kRenewed) ++renewals_;
    if (renewal == Renewal::kLost) {
      lost_ = true;
      return;
    }
  }
}

}  // namespace nest::providers
