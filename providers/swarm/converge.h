// Has a swarm service converged? A pure function of what the Engine says.
//
// The rule is docker/cli's (cli/command/service/progress/progress.go), with
// the two fixes `nest apply` needs (docker-engine-facts §5, apply-peers §1):
//
// - Only up-to-date tasks count: tasks whose spec is the service's current
//   one. That is Swarm's own test (orchestrator.IsTaskDirty: same spec
//   version, or the same TaskSpec and EndpointSpec), which the Engine applies
//   for the hidden filter `_up-to-date` of GET /tasks. A client-side
//   comparison cannot reproduce it: a task's Spec comes back without the
//   service's RestartPolicy and Runtime (seen on 20.10).
// - Replicated: one task per slot (the lowest desired state wins, then the
//   lowest observed state: start-first has two per slot), tasks on down nodes
//   skipped; converged when exactly `Replicas` of them are running with a
//   running desired state. Global: one per node that has up-to-date tasks.
//   Jobs: completed tasks of the current iteration reach the completions.
// - Health: with a health check Swarm keeps a task in `starting` until its
//   container is healthy and fails it when it turns unhealthy ("dockerexec:
//   unhealthy container"), so `running` already means healthy: API 1.41 puts
//   no health in a task's status. A container's own State.Health, when the
//   caller read it (only containers on the node nest talks to), is checked
//   as well.
// - Failures (never "converged", unlike docker/cli#6752): UpdateStatus.State
//   paused, rollback_started, rollback_paused or rollback_completed; or the
//   same slot (node) failing `max_task_failures` times since the update
//   began, since Swarm retries a missing image or a crashing command of a
//   new service forever (there is no updater, hence no UpdateStatus, on create).
//
// Stability over the monitor window and deadlines are the waiting loop's
// (converge_wait.h); this function sees one moment.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace nest::swarm {

enum class Convergence { kInProgress, kConverged, kFailed };

// "in progress", "converged", "failed".
const char* ConvergenceName(Convergence convergence);

// A task that failed, in Swarm's words.
struct TaskFailure {
  std::string task_id;
  std::string where;  // "slot 2", or "node 9a4prybims0w" for global services
  std::string state;  // failed, rejected, complete (a service task that exited 0)
  std::string error;  // Status.Err, else Status.Message: "task: non-zero exit (1)"
};

struct ConvergenceStatus {
  Convergence state = Convergence::kInProgress;
  std::string service_id;
  std::string service_name;
  std::string mode;            // replicated, global, replicated-job, global-job
  std::string update_state;    // UpdateStatus.State; "" when the service has none
  std::string update_message;  // UpdateStatus.Message
  int ready = 0;               // up-to-date tasks running (healthy); jobs: completed
  int desired = 0;             // replicas; global: nodes with tasks; jobs: completions
  // What is not ready yet, one entry per slot or node: "slot 2: starting",
  // "slot 1: rejected: No such image: x:1", "1 task not created yet".
  std::vector<std::string> pending;
  // Failed tasks of this update (or of the current spec): the reasons a
  // failure is reported with; also filled while in progress.
  std::vector<TaskFailure> failures;
  std::string reason;            // kFailed: why, in one phrase
  bool swarm_completed = false;  // UpdateStatus completed: Swarm already watched its monitor window
  bool rolling_back = false;     // kFailed while Swarm is still putting the previous spec back
  bool job = false;              // a job converges once complete: no monitor window

  // "2/3 running; pending: slot 3: starting" (jobs: "completed").
  std::string Summary() const;
  // "service shop_web: rollback_completed: rollback completed; task kd7fg2ugeowo
  // (slot 1) failed: task: non-zero exit (143): dockerexec: unhealthy container"
  std::string FailureMessage() const;
  // The failures alone, one phrase per distinct error: "task kd7fg2ugeowo
  // (slot 1) failed: task: non-zero exit (1) (and 2 more tasks)"; "" when none.
  std::string TaskErrors() const;
};

// What the caller knows beyond the service and its current tasks.
struct ConvergenceContext {
  // GET /tasks?filters={"service":[id]}: every task of the service, for the
  // errors of tasks that are no longer current (after a rollback the failed
  // tasks belong to the spec that was rolled back). Null when not read.
  const nlohmann::json* all_tasks = nullptr;
  // Node IDs that are down: their tasks are not counted (as docker/cli).
  std::set<std::string> down_nodes;
  // Container ID -> State.Health.Status ("starting", "healthy",
  // "unhealthy"); containers not listed are trusted to Swarm's gating.
  std::map<std::string, std::string> container_health;
  // Failed attempts of one slot (node) after which the service has failed.
  // Only tasks created since the update began count (UpdateStatus.StartedAt,
  // else the service's UpdatedAt: both, like a task's CreatedAt, are the
  // manager's clock), so a long-lived service's old crashes do not.
  int max_task_failures = 3;
};

// `service`: GET /services/{id}. `current_tasks`: GET /tasks with filters
// {"service":[id],"_up-to-date":["true"]}. Shapes it does not expect (a
// missing Spec, a task without Status) count as "not ready", never crash.
ConvergenceStatus CheckConvergence(const nlohmann::json& service, const nlohmann::json& current_tasks,
                                   const ConvergenceContext& context = {});

// True for the task states after running (complete, shutdown, failed,
// rejected, remove, orphaned).
bool IsTerminalTaskState(const std::string& state);

}  // namespace nest::swarm
