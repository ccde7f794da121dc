#include "cli/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace nest {
namespace {

std::atomic<bool> stop_flag{false};
std::atomic<int> signals_seen{0};
struct sigaction previous_int, previous_term;
constexpr const char* kApplyStopping =
    "\nnest: stopping: no new steps start; running ones finish (press Ctrl-C again to exit now)\n";
std::atomic<const char*> stopping_text{kApplyStopping};

void OnSignal(int) {
  // Only async-signal-safe calls here: atomics, write, _exit.
  if (signals_seen.fetch_add(1) >= 1) {
    static const char kNow[] = "\nnest: interrupted twice, exiting now (the lock goes stale after its lease)\n";
    (void)!write(STDERR_FILENO, kNow, sizeof kNow - 1);
    _exit(130);
  }
  stop_flag.store(true);
  const char* text = stopping_text.load();
  (void)!write(STDERR_FILENO, text, std::strlen(text));
}

}  // namespace

InterruptGuard::InterruptGuard(const char* stopping) {
  stopping_text.store(stopping != nullptr ? stopping : kApplyStopping);
  stop_flag.store(false);
  signals_seen.store(0);
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

const std::atomic<bool>& InterruptGuard::stop_requested() const { return stop_flag; }

}  // namespace nest
