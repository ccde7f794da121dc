// Waiting for one swarm service to converge: polls the Engine and applies
// CheckConvergence (converge.h) until the service is converged and has
// stayed so for its monitor window, has failed, the deadline passes, or the
// caller cancels.
//
// Each poll is two requests: GET /services/{id} and GET /tasks with
// {"service":[id],"_up-to-date":["true"]}. Rarely more: GET /nodes at the
// start and every ~10 s (tasks on down nodes do not count), GET
// /containers/{id}/json once per new running container (its health, when it
// lives on this node), and every task of the service once at a failure (the
// failed tasks of a rolled-back spec are no longer current).
//
// Stability: converged must hold for `monitor` (the service's
// UpdateConfig.Monitor, else Swarm's 5 s), re-checked at every poll; a task
// dropping out resets the window, as docker/cli does. Two shortcuts: an
// UpdateStatus of `completed` means Swarm's updater has already watched that
// window, and a job is done once complete.
//
// The EngineClient is not thread-safe: wait for several services in
// parallel with one client per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "providers/engine/client.h"
#include "providers/swarm/converge.h"
#include "providers/swarm/poll_pacer.h"

namespace nest::swarm {

enum class WaitOutcome { kConverged, kFailed, kTimedOut, kCancelled, kEngineError };

// "converged", "failed", "timed out", "cancelled", "engine error".
const char* WaitOutcomeName(WaitOutcome outcome);

// What the progress callback is told.
struct WaitProgress {
  const ConvergenceStatus& status;
  std::chrono::milliseconds elapsed;
  // Set while converged and waiting out the monitor window.
  std::optional<std::chrono::milliseconds> stable_for;
  std::chrono::milliseconds monitor;
  // "" or "task failure detected" (convergence was lost inside the window)
  // or "rolling back" (failed; waiting for Swarm to restore the previous spec).
  std::string event;
};

struct WaitOptions {
  std::chrono::milliseconds poll_interval{300};
  // Shared by the waits of one apply, so that many at once poll the Engine
  // no more often, together, than its rate (poll_pacer.h). May be null.
  PollPacer* pacer = nullptr;
  // How long convergence must hold; default: the service's UpdateConfig.Monitor, else 5 s.
  std::optional<std::chrono::milliseconds> monitor;
  // Measured from the call; the wait stops with kTimedOut, naming what was pending.
  std::chrono::milliseconds timeout = std::chrono::minutes(10);
  // Checked at least every 50 ms; when it turns true the wait stops with kCancelled.
  const std::atomic<bool>* cancel = nullptr;
  // After rollback_started, keep polling until Swarm reports the rollback
  // completed or paused (or the deadline), so a failure means "the previous
  // spec is back" and its message names the final state.
  bool wait_for_rollback = true;
  // Read State.Health of running tasks' containers on this node (one GET per
  // container until it is seen healthy or without a health check).
  bool read_container_health = true;
  int max_task_failures = 3;
  // Called after a poll whose summary, stability or event differs from the
  // previous call's. Runs on the waiting thread.
  std::function<void(const WaitProgress&)> on_progress;
};

struct WaitResult {
  WaitOutcome outcome = WaitOutcome::kEngineError;
  ConvergenceStatus status;  // the last status seen (empty when no poll succeeded)
  // One line: "service shop_web converged (2/2 running)", the failure
  // message, "service shop_web: not converged after 10m: 1/2 running;
  // pending: slot 2: starting", "service shop_web: wait cancelled ...", or
  // the engine error's Describe().
  std::string message;
  std::optional<engine::EngineError> engine_error;  // kEngineError only
  std::chrono::milliseconds elapsed{0};
  int polls = 0;
};

// `service` is an ID or a name (the Engine accepts both in /services/{id}).
WaitResult WaitForConvergence(engine::EngineClient& client, const std::string& service,
                              const WaitOptions& options = {});

}  // namespace nest::swarm
