// Runs a walk's steps: up to `parallelism` at once on a pool of threads, a
// step starting only when every step it depends on succeeded. A failed step
// skips everything that depends on it (transitively); independent branches
// finish. The stop flag (the first SIGINT) stops starting steps: running
// ones finish, the rest are "not started". What a step does is the caller's
// (the provider's apply-one-step), so this is testable with fakes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "planner/apply/walk.h"

namespace nest::plan::apply {

// What running one step gave: ok, or a one-line error for people
// ("task exited (1)", "the engine answered 500: ...").
struct StepOutcome {
  bool ok = true;
  std::string error;
  static StepOutcome Ok() { return {}; }
  static StepOutcome Failed(std::string error) { return {false, std::move(error)}; }
};

// Runs one step; called on a pool thread, several at once. An exception it
// throws counts as the step failing with the exception's message.
using StepFunction = std::function<StepOutcome(const Step&)>;

enum class StepStatus { kSucceeded, kFailed, kSkipped, kNotStarted };
const char* StepStatusName(StepStatus status);  // "succeeded", "failed", "skipped", "not_started"

using Clock = std::chrono::steady_clock;

struct StepResult {
  StepStatus status = StepStatus::kNotStarted;
  std::string error;  // kFailed
  // kSkipped: the failed step it waited on (directly or through other
  // skipped steps), by id.
  std::optional<std::size_t> waited_on;
  Clock::duration started{};   // since the walk began; kSucceeded and kFailed only
  Clock::duration duration{};  // how long the step ran
};

struct WalkEvent {
  enum class Type { kStarted, kSucceeded, kFailed, kSkipped, kNotStarted };
  Type type = Type::kStarted;
  const Step* step = nullptr;
  const Step* waited_on = nullptr;  // kSkipped: the failed step it waited on
  std::string error;                // kFailed
  Clock::duration elapsed{};        // since the walk began
  Clock::duration duration{};       // kSucceeded, kFailed: how long the step ran
};
const char* EventTypeName(WalkEvent::Type type);  // "step_started", "step_succeeded", ...

struct ExecutorOptions {
  int parallelism = 10;  // at least 1
  // Set (from a signal handler, say) to stop starting steps. May be null.
  const std::atomic<bool>* stop = nullptr;
  // Called for every event, one at a time (never two at once), in an order
  // where a step's start follows the success of everything it depends on.
  // Called from pool threads: it must not block for long.
  std::function<void(const WalkEvent&)> on_event;
};

struct WalkReport {
  std::vector<StepResult> results;  // by step id
  bool stopped = false;             // the stop flag held back at least one step
  Clock::duration elapsed{};
  // The largest number of steps that ran at once.
  int max_running = 0;
  bool Succeeded() const;  // every step succeeded
};

WalkReport RunWalk(const Walk& walk, const StepFunction& run, const ExecutorOptions& options = {});

}  // namespace nest::plan::apply
