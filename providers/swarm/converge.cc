#include "providers/swarm/converge.h"

#include <algorithm>
#include <optional>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/swarm/timestamp.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

// swarmkit's TaskState numbers (api/types.proto): the order docker/cli
// compares states in. 0 = a state this code does not know (skipped, as the CLI does).
int StateRank(const std::string& state) {
  static const std::map<std::string, int> ranks = {
      {"new", 1},       {"allocated", 2}, {"pending", 3},  {"assigned", 4},  {"accepted", 5},
      {"preparing", 6}, {"ready", 7},     {"starting", 8}, {"running", 9},   {"complete", 10},
      {"shutdown", 11}, {"failed", 12},   {"rejected", 13}, {"remove", 14}, {"orphaned", 15}};
  auto it = ranks.find(state);
  return it == ranks.end() ? 0 : it->second;
}

std::string Text(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& Child(const json& object, const char* key) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

std::int64_t Number(const json& object, const char* key, std::int64_t fallback) {
  const json& value = Child(object, key);
  return value.is_number_integer() ? value.get<std::int64_t>() : fallback;
}

std::string Status(const json& task) { return Text(Child(task, "Status"), "State"); }
std::string Desired(const json& task) { return Text(task, "DesiredState"); }

bool IsFailureState(const std::string& state, bool completion_is_success) {
  // A service task that completes (exit 0) is replaced like a failed one;
  // a job's task completing is its success, and so is a one-off task's
  // (CompletesForGood).
  return state == "failed" || state == "rejected" || (!completion_is_success && state == "complete");
}

// A replicated or global service whose restart policy is `none` or
// `on-failure` is not restarted after a clean exit: a task that completed
// has done its work (a one-off migration beside the services), and waiting
// for it to be running, as docker/cli's progress does, would never end.
bool CompletesForGood(const json& spec) {
  std::string condition = Text(Child(Child(spec, "TaskTemplate"), "RestartPolicy"), "Condition");
  return condition == "none" || condition == "on-failure";
}

// Status.Err ("No such image: x:1", "task: non-zero exit (1)"), else the
// status message when it says more than the state does.
std::string TaskError(const json& task) {
  const json& status = Child(task, "Status");
  std::string error = Text(status, "Err");
  if (!error.empty()) return error;
  return Text(status, "Message");
}

std::string Where(const json& task, bool global) {
  if (global) return "node " + Text(task, "NodeID").substr(0, 12);
  return fmt::format("slot {}", Number(task, "Slot", 0));
}

TaskFailure FailureOf(const json& task, bool global) {
  return {Text(task, "ID"), Where(task, global), Status(task), TaskError(task)};
}

// docker/cli's choice among several tasks of one slot (node): the lowest
// desired state (a restart's replacement over the task it replaces), then
// the lowest observed state (start-first: the new task over the old).
bool Prefer(const json& candidate, const json& current) {
  int candidate_desired = StateRank(Desired(candidate)), current_desired = StateRank(Desired(current));
  if (candidate_desired != current_desired) return candidate_desired < current_desired;
  return StateRank(Status(candidate)) < StateRank(Status(current));
}

struct Mode {
  std::string name = "replicated";
  std::int64_t replicas = 1;    // replicated
  std::int64_t completions = 1; // replicated-job
  bool global() const { return name == "global" || name == "global-job"; }
  bool job() const { return name == "replicated-job" || name == "global-job"; }
};

Mode ModeOf(const json& spec) {
  const json& mode = Child(spec, "Mode");
  Mode result;
  if (Child(mode, "Global").is_object()) {
    result.name = "global";
  } else if (Child(mode, "GlobalJob").is_object()) {
    result.name = "global-job";
  } else if (const json& job = Child(mode, "ReplicatedJob"); job.is_object()) {
    result.name = "replicated-job";
    std::int64_t concurrent = Number(job, "MaxConcurrent", 0);
    result.completions = Number(job, "TotalCompletions", concurrent > 0 ? concurrent : 1);
  } else {
    result.replicas = Number(Child(mode, "Replicated"), "Replicas", 1);
  }
  return result;
}

bool IsSwarmFailure(const std::string& update_state) {
  return update_state == "paused" || update_state == "rollback_started" || update_state == "rollback_paused" ||
         update_state == "rollback_completed";
}

// When the change being waited for began, on the manager's clock: tasks
// created before it are history.
std::optional<EngineTime> ChangeStarted(const json& service) {
  std::optional<EngineTime> started = ParseEngineTime(Text(Child(service, "UpdateStatus"), "StartedAt"));
  if (started) return started;
  started = ParseEngineTime(Text(service, "UpdatedAt"));
  return started ? started : ParseEngineTime(Text(service, "CreatedAt"));
}

bool CreatedSince(const json& task, const std::optional<EngineTime>& since) {
  if (!since) return true;
  std::optional<EngineTime> created = ParseEngineTime(Text(task, "CreatedAt"));
  return !created || *created >= *since;
}

// Failed tasks worth naming: those created since the change began (current
// or not: after a rollback the failed ones belong to the abandoned spec),
// and the one Swarm's message names ("...early termination of task kd7f...").
std::vector<TaskFailure> CollectFailures(const json& service, const json& current_tasks,
                                         const ConvergenceContext& context, bool global, bool job) {
  std::optional<EngineTime> since = ChangeStarted(service);
  std::string named;
  std::smatch match;
  std::string message = Text(Child(service, "UpdateStatus"), "Message");
  static const std::regex task_id(R"(task ([a-z0-9]{25}))");
  if (std::regex_search(message, match, task_id)) named = match[1];

  std::vector<TaskFailure> failures;
  std::set<std::string> seen;
  auto consider = [&](const json& task) {
    std::string id = Text(task, "ID");
    if (!IsFailureState(Status(task), job) || seen.contains(id)) return;
    if (!CreatedSince(task, since) && id != named) return;
    seen.insert(id);
    failures.push_back(FailureOf(task, global));
  };
  if (current_tasks.is_array())
    for (const json& task : current_tasks) consider(task);
  if (context.all_tasks && context.all_tasks->is_array())
    for (const json& task : *context.all_tasks) consider(task);
  return failures;
}

// The counted tasks: one per slot (replicated) or node (global).
std::map<std::string, const json*> PickTasks(const json& tasks, const ConvergenceContext& context, bool global) {
  std::map<std::string, const json*> picked;
  if (!tasks.is_array()) return picked;
  for (const json& task : tasks) {
    if (StateRank(Desired(task)) == 0 || StateRank(Status(task)) == 0) continue;
    std::string node = Text(task, "NodeID");
    if (!node.empty() && context.down_nodes.contains(node)) continue;
    std::string key = global ? node : std::to_string(Number(task, "Slot", 0));
    if (global && node.empty()) continue;  // not yet placed: the node is the key
    auto [it, inserted] = picked.emplace(key, &task);
    if (!inserted && Prefer(task, *it->second)) it->second = &task;
  }
  return picked;
}

std::string HealthOf(const json& task, const ConvergenceContext& context) {
  std::string container = Text(Child(Child(task, "Status"), "ContainerStatus"), "ContainerID");
  auto it = context.container_health.find(container);
  return it == context.container_health.end() ? "" : it->second;
}

std::string PendingEntry(const json& task, bool global, const std::string& health) {
  std::string entry = Where(task, global) + ": " + Status(task);
  if (!health.empty()) return entry + ", container " + health;
  std::string error = Text(Child(task, "Status"), "Err");
  return error.empty() ? entry : entry + ": " + error;
}

// Most failures of one slot (node) among current tasks created since the change began.
std::pair<int, const json*> WorstSlot(const json& service, const json& tasks, bool global, bool job) {
  std::optional<EngineTime> since = ChangeStarted(service);
  std::map<std::string, std::pair<int, const json*>> by_key;
  if (tasks.is_array()) {
    for (const json& task : tasks) {
      if (!IsFailureState(Status(task), job) || !CreatedSince(task, since)) continue;
      std::string key = global ? Text(task, "NodeID") : std::to_string(Number(task, "Slot", 0));
      auto& [count, latest] = by_key[key];
      ++count;
      if (!latest || ParseEngineTime(Text(*latest, "CreatedAt")) < ParseEngineTime(Text(task, "CreatedAt")))
        latest = &task;
    }
  }
  std::pair<int, const json*> worst{0, nullptr};
  for (const auto& [key, entry] : by_key)
    if (entry.first > worst.first) worst = entry;
  return worst;
}

void CountServiceTasks(const json& tasks, const Mode& mode, const ConvergenceContext& context, bool completes_for_good,
                       ConvergenceStatus* status) {
  auto picked = PickTasks(tasks, context, mode.global());
  int live = 0, nodes = 0;
  // Slots (nodes) whose last task failed and whose replacement is not there yet.
  std::vector<std::string> awaiting_replacement;
  for (const auto& [key, task] : picked) {
    if (IsTerminalTaskState(Desired(*task))) {
      if (completes_for_good && Status(*task) == "complete") {
        // A one-off task that finished: its slot is done, not awaiting a restart.
        ++live;
        ++nodes;
        ++status->ready;
        continue;
      }
      // A retired slot (scaled down, drained node) is nothing to wait for.
      if (!IsFailureState(Status(*task), false)) continue;
      awaiting_replacement.push_back(PendingEntry(*task, mode.global(), ""));
      ++nodes;
      continue;
    }
    ++live;
    ++nodes;
    std::string health = HealthOf(*task, context);
    bool healthy = health.empty() || health == "healthy";
    if (Status(*task) == "running" && healthy) ++status->ready;
    else status->pending.push_back(PendingEntry(*task, mode.global(), healthy ? "" : health));
  }
  if (mode.global()) {
    status->desired = nodes;
    for (std::string& entry : awaiting_replacement) status->pending.push_back(std::move(entry));
    if (nodes == 0) status->pending.push_back("waiting for tasks to be created");
    return;
  }
  status->desired = static_cast<int>(mode.replicas);
  std::int64_t missing = mode.replicas - live;
  for (std::size_t i = 0; missing > 0 && i < awaiting_replacement.size(); ++i, --missing)
    status->pending.push_back(std::move(awaiting_replacement[i]));
  if (missing > 0) {
    status->pending.push_back(fmt::format("{} task{} not created yet", missing, missing == 1 ? "" : "s"));
  } else if (status->ready > mode.replicas) {
    status->pending.push_back(fmt::format("{} extra tasks still running", status->ready - mode.replicas));
  }
}

void CountJobTasks(const json& service, const json& tasks, const Mode& mode, ConvergenceStatus* status) {
  std::int64_t iteration = Number(Child(Child(service, "JobStatus"), "JobIteration"), "Index", -1);
  std::set<std::string> nodes, complete_nodes;
  if (tasks.is_array()) {
    for (const json& task : tasks) {
      if (Number(Child(task, "JobIteration"), "Index", -1) != iteration) continue;
      std::string node = Text(task, "NodeID");
      if (!node.empty()) nodes.insert(node);
      if (Status(task) != "complete") continue;
      ++status->ready;
      complete_nodes.insert(node);
    }
  }
  if (mode.global()) {
    status->ready = static_cast<int>(complete_nodes.size());
    status->desired = static_cast<int>(nodes.size());
    if (nodes.empty()) status->pending.push_back("waiting for tasks to be created");
  } else {
    status->desired = static_cast<int>(mode.completions);
  }
  if (status->ready < status->desired)
    status->pending.push_back(fmt::format("{} of {} completed", status->ready, status->desired));
}

}  // namespace

const char* ConvergenceName(Convergence convergence) {
  switch (convergence) {
    case Convergence::kInProgress: return "in progress";
    case Convergence::kConverged: return "converged";
    case Convergence::kFailed: return "failed";
  }
  return "?";
}

bool IsTerminalTaskState(const std::string& state) { return StateRank(state) > StateRank("running"); }

std::string ConvergenceStatus::Summary() const {
  std::string text = fmt::format("{}/{} {}", ready, desired, job ? "completed" : "running");
  if (!update_state.empty()) text += fmt::format(" ({})", update_state);
  if (!pending.empty()) {
    text += "; pending: ";
    for (std::size_t i = 0; i < pending.size() && i < 5; ++i) text += (i ? ", " : "") + pending[i];
    if (pending.size() > 5) text += fmt::format(" and {} more", pending.size() - 5);
  }
  return text;
}

std::string ConvergenceStatus::TaskErrors() const {
  // One phrase per distinct error, so ten replicas failing alike say it once.
  std::vector<std::pair<std::string, std::vector<const TaskFailure*>>> by_error;
  for (const TaskFailure& failure : failures) {
    auto it = std::find_if(by_error.begin(), by_error.end(), [&](const auto& e) { return e.first == failure.error; });
    if (it == by_error.end()) by_error.push_back({failure.error, {&failure}});
    else it->second.push_back(&failure);
  }
  std::string text;
  for (const auto& [error, tasks] : by_error) {
    const TaskFailure& first = *tasks.front();
    if (!text.empty()) text += "; ";
    text += fmt::format("task {} ({}) {}: {}", first.task_id.substr(0, 12), first.where, first.state, error);
    if (tasks.size() > 1) text += fmt::format(" (and {} more task{})", tasks.size() - 1, tasks.size() == 2 ? "" : "s");
  }
  return text;
}

std::string ConvergenceStatus::FailureMessage() const {
  std::string text = fmt::format("service {}: {}", service_name.empty() ? service_id : service_name,
                                 reason.empty() ? ConvergenceName(state) : reason);
  std::string errors = TaskErrors();
  return errors.empty() ? text : text + "; " + errors;
}

ConvergenceStatus CheckConvergence(const json& service, const json& current_tasks,
                                   const ConvergenceContext& context) {
  ConvergenceStatus status;
  const json& spec = Child(service, "Spec");
  Mode mode = ModeOf(spec);
  status.service_id = Text(service, "ID");
  status.service_name = Text(spec, "Name");
  status.mode = mode.name;
  status.job = mode.job();
  const json& update = Child(service, "UpdateStatus");
  status.update_state = Text(update, "State");
  status.update_message = Text(update, "Message");
  status.swarm_completed = status.update_state == "completed";

  const bool completion_is_success = mode.job() || CompletesForGood(spec);
  if (mode.job()) CountJobTasks(service, current_tasks, mode, &status);
  else CountServiceTasks(current_tasks, mode, context, completion_is_success, &status);
  status.failures = CollectFailures(service, current_tasks, context, mode.global(), completion_is_success);

  if (IsSwarmFailure(status.update_state)) {
    status.state = Convergence::kFailed;
    status.rolling_back = status.update_state == "rollback_started";
    status.reason = status.update_state;
    if (!status.update_message.empty()) status.reason += ": " + status.update_message;
    return status;
  }
  auto [count, latest] = WorstSlot(service, current_tasks, mode.global(), completion_is_success);
  if (count >= context.max_task_failures && latest) {
    status.state = Convergence::kFailed;
    status.reason = fmt::format("{} failed {} times, last: {}", Where(*latest, mode.global()), count,
                                TaskError(*latest));
    return status;
  }
  bool counted = mode.global() ? status.desired > 0 : true;
  if (counted && status.ready == status.desired && status.pending.empty()) status.state = Convergence::kConverged;
  return status;
}

}  // namespace nest::swarm
