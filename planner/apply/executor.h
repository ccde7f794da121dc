// Runs a walk's steps, a step starting only when every step it depends on
// succeeded. A step has two phases: its request (the engine calls that make
// the change; at most `parallelism` at once, on a pool of threads) and then
// its wait (until the change has taken effect, a service converged; every
// wait runs at once, on a thread of its own, bounded by nothing: waiting is
// polling, and 20 services rolling out at once should take one rollout's
// time, not two). A step's dependents start after its wait. A failed step
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

// Runs one phase of a step; called on several threads at once. An exception
// it throws counts as the step failing with the exception's message.
using StepFunction = std::function<StepOutcome(const Step&)>;

struct StepPhases {
  // The step's engine requests: at most `parallelism` run at once.
  StepFunction request;
  // After a successful request: waits for the change to take effect. Not
  // bounded by `parallelism`. Empty: nothing to wait for.
  StepFunction wait;
};

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
  Clock::duration duration{};  // how long the step ran, request and wait
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
  // The largest number of requests that ran at once (at most `parallelism`).
  int max_running = 0;
  // The largest number of waits that ran at once.
  int max_waiting = 0;
  bool Succeeded() const;  // every step succeeded
};

WalkReport RunWalk(const Walk& walk, const StepPhases& phases, const ExecutorOptions& options = {});
// A walk whose steps have no wait phase: `run` is each step's request.
WalkReport RunWalk(const Walk& walk, const StepFunction& run, const ExecutorOptions& options = {});

}  // namespace nest::plan::apply
