// Spaces the polls of many concurrent convergence waits: however many
// services roll out at once, their waits together poll the Engine at most
// `rate` times a second (each poll being two or three requests). With few
// waits each polls at its own interval; with many, each is slowed to its
// share. Thread-safe: one pacer is shared by every wait of an apply.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>

namespace nest::swarm {

class PollPacer {
 public:
  using Clock = std::chrono::steady_clock;
  // Polls a second, all waits together; at least 1.
  explicit PollPacer(int rate);
  // Reserves the next free poll slot and sleeps until it comes. Returns
  // early (false) when `cancel` turns true; checked every 50 ms.
  bool Wait(const std::atomic<bool>* cancel = nullptr);
  Clock::duration spacing() const { return spacing_; }

 private:
  Clock::duration spacing_;
  std::mutex mutex_;
  Clock::time_point next_{};  // the earliest slot not yet taken
};

}  // namespace nest::swarm
