// Ctrl-C during `nest apply`, as Terraform does it: the first SIGINT (or
// SIGTERM, which CI runners send) stops starting new steps, lets the running
// ones finish or abandons their waits, releases the lock and exits 1; a
// second one exits at once (130). A lock left by that, or by SIGKILL, goes
// stale after its lease and the next apply takes it over.
#pragma once

#include <atomic>

namespace nest {

class InterruptGuard {
 public:
  // Installs the handlers; the destructor restores the previous ones.
  // `stopping` is what the first signal prints (a string literal; default:
  // apply's words). The commands that loop until Ctrl-C (autoscale, status
  // --watch) pass their own.
  explicit InterruptGuard(const char* stopping = nullptr);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Set by the first signal.
  const std::atomic<bool>& stop_requested() const;
};

}  // namespace nest
