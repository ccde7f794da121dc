#include "providers/swarm/poll_pacer.h"

#include <algorithm>
#include <thread>

namespace nest::swarm {

PollPacer::PollPacer(int rate)
    : spacing_(std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1)) / std::max(rate, 1)) {}

bool PollPacer::Wait(const std::atomic<bool>* cancel) {
  Clock::time_point slot;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slot = std::max(next_, Clock::now());
    next_ = slot + spacing_;
  }
  while (true) {
    if (cancel != nullptr && cancel->load()) return false;
    auto now = Clock::now();
    if (now >= slot) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(slot - now, std::chrono::milliseconds(50)));
  }
}

}  // namespace nest::swarm
