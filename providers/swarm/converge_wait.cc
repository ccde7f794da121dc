#include "providers/swarm/converge_wait.h"

#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/engine/query.h"

namespace nest::swarm {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using nlohmann::json;

constexpr milliseconds kSwarmDefaultMonitor{5000};
constexpr milliseconds kNodeRefresh{10000};
constexpr milliseconds kCancelCheck{50};

bool Cancelled(const WaitOptions& options) { return options.cancel && options.cancel->load(); }

milliseconds MonitorOf(const json& service, const WaitOptions& options) {
  if (options.monitor) return *options.monitor;
  const json* spec = service.contains("Spec") ? &service["Spec"] : nullptr;
  if (spec && spec->contains("UpdateConfig")) {
    const json& update = (*spec)["UpdateConfig"];
    if (update.is_object() && update.contains("Monitor") && update["Monitor"].is_number_integer())
      return std::chrono::duration_cast<milliseconds>(std::chrono::nanoseconds(update["Monitor"].get<std::int64_t>()));
  }
  return kSwarmDefaultMonitor;
}

std::string Seconds(milliseconds duration) { return fmt::format("{:.1f}s", duration.count() / 1000.0); }

// Sleeps until `until`, waking every kCancelCheck to look at the cancel flag.
void SleepUntil(Clock::time_point until, const WaitOptions& options) {
  while (!Cancelled(options)) {
    auto now = Clock::now();
    if (now >= until) return;
    std::this_thread::sleep_for(std::min<Clock::duration>(until - now, kCancelCheck));
  }
}

// Node IDs whose Status.State is "down".
std::set<std::string> DownNodes(const json& nodes) {
  std::set<std::string> down;
  if (!nodes.is_array()) return down;
  for (const json& node : nodes) {
    const json& status = node.value("Status", json::object());
    if (status.is_object() && status.value("State", "") == "down") down.insert(node.value("ID", ""));
  }
  return down;
}

// Health of the running up-to-date tasks' containers. `trusted` remembers
// containers that need no further look: seen healthy (Swarm fails the task
// if it turns unhealthy), without a health check, or not on this node.
engine::Result<bool> ReadHealth(engine::EngineClient& client, const json& tasks, const std::string& doing,
                                std::set<std::string>* trusted, std::map<std::string, std::string>* health) {
  if (!tasks.is_array()) return true;
  for (const json& task : tasks) {
    if (!task.is_object() || task.value("DesiredState", "") != "running") continue;
    const json& status = task.value("Status", json::object());
    if (!status.is_object() || status.value("State", "") != "running") continue;
    std::string container = status.value("ContainerStatus", json::object()).value("ContainerID", "");
    if (container.empty() || trusted->contains(container)) continue;
    auto inspect = client.Get("/containers/" + engine::UrlEncode(container) + "/json", doing);
    if (!inspect.ok()) {
      if (inspect.error().http_status != 404) return inspect.error();
      trusted->insert(container);  // on another node: Swarm's gating is all there is
      continue;
    }
    const json& state = inspect.value().value("State", json::object());
    std::string value = state.is_object() ? state.value("Health", json::object()).value("Status", "") : "";
    if (value.empty() || value == "healthy") {
      trusted->insert(container);
      health->erase(container);
    } else {
      (*health)[container] = value;
    }
  }
  return true;
}

std::string NameOf(const ConvergenceStatus& status, const std::string& fallback) {
  if (!status.service_name.empty()) return status.service_name;
  return status.service_id.empty() ? fallback : status.service_id;
}

}  // namespace

const char* WaitOutcomeName(WaitOutcome outcome) {
  switch (outcome) {
    case WaitOutcome::kConverged: return "converged";
    case WaitOutcome::kFailed: return "failed";
    case WaitOutcome::kTimedOut: return "timed out";
    case WaitOutcome::kCancelled: return "cancelled";
    case WaitOutcome::kEngineError: return "engine error";
  }
  return "?";
}

WaitResult WaitForConvergence(engine::EngineClient& client, const std::string& service,
                              const WaitOptions& options) {
  const auto start = Clock::now();
  const auto deadline = start + options.timeout;
  const std::string doing = fmt::format("waiting for service {} to converge", service);
  WaitResult result;
  auto finish = [&](WaitOutcome outcome, std::string message) {
    result.outcome = outcome;
    result.message = std::move(message);
    result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    return result;
  };
  auto engine_failure = [&](const engine::EngineError& error) {
    result.engine_error = error;
    return finish(WaitOutcome::kEngineError, error.Describe());
  };

  ConvergenceContext context;
  context.max_task_failures = options.max_task_failures;
  std::set<std::string> trusted_containers;
  // Plain time points with flags: GCC 12 warns (wrongly) on optional<time_point> here.
  bool stable = false, nodes_read = false;
  Clock::time_point stable_since{}, nodes_read_at{};
  std::string first_failure;  // Swarm's first failure message names the failing task; later ones do not
  std::string last_report;

  while (true) {
    if (Cancelled(options)) {
      auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
      return finish(WaitOutcome::kCancelled, fmt::format("service {}: wait cancelled after {} ({})",
                                                         NameOf(result.status, service), Seconds(elapsed),
                                                         result.status.Summary()));
    }
    if (options.pacer != nullptr && result.polls > 0 && !options.pacer->Wait(options.cancel)) continue;
    auto read = client.Get("/services/" + engine::UrlEncode(service), doing);
    if (!read.ok()) {
      if (read.error().http_status == 404)
        return finish(WaitOutcome::kFailed, fmt::format("service {}: removed while nest waited for it", service));
      return engine_failure(read.error());
    }
    const json& service_json = read.value();
    const std::string id = service_json.value("ID", service);
    if (!nodes_read || Clock::now() - nodes_read_at >= kNodeRefresh) {
      auto nodes = client.Get("/nodes", doing);
      if (!nodes.ok()) return engine_failure(nodes.error());
      context.down_nodes = DownNodes(nodes.value());
      nodes_read = true;
      nodes_read_at = Clock::now();
    }
    auto tasks = client.Get("/tasks?" + engine::EncodeFilters({{"_up-to-date", {"true"}}, {"service", {id}}}), doing);
    if (!tasks.ok()) return engine_failure(tasks.error());
    if (options.read_container_health) {
      auto health = ReadHealth(client, tasks.value(), doing, &trusted_containers, &context.container_health);
      if (!health.ok()) return engine_failure(health.error());
    }
    ConvergenceStatus status = CheckConvergence(service_json, tasks.value(), context);
    ++result.polls;
    const auto now = Clock::now();
    const milliseconds monitor = MonitorOf(service_json, options);
    std::string event;

    if (status.state == Convergence::kFailed) {
      if (first_failure.empty()) first_failure = status.update_message;
      if (status.rolling_back && options.wait_for_rollback && now < deadline) {
        event = "rolling back";
      } else {
        // Once, at the end: the failed tasks of a rolled-back spec are no
        // longer current, so only the full listing names their errors.
        auto all = client.Get("/tasks?" + engine::EncodeFilters({{"service", {id}}}), doing);
        if (all.ok()) {
          context.all_tasks = &all.value();
          status = CheckConvergence(service_json, tasks.value(), context);
          context.all_tasks = nullptr;
        }
        if (!first_failure.empty() && first_failure != status.update_message)
          status.reason = status.update_state + ": " + first_failure + "; then: " + status.update_message;
        if (status.rolling_back) status.reason += " (the rollback was still running at the deadline)";
        result.status = status;
        return finish(WaitOutcome::kFailed, status.FailureMessage());
      }
    } else if (status.state == Convergence::kConverged) {
      if (!stable) stable = true, stable_since = now;
      if (status.swarm_completed || status.job || now - stable_since >= monitor) {
        result.status = status;
        return finish(WaitOutcome::kConverged, fmt::format("service {} converged ({})", NameOf(status, service),
                                                           status.Summary()));
      }
    } else if (stable) {
      stable = false;
      event = "task failure detected";
    }
    result.status = status;

    std::optional<milliseconds> stable_for;
    if (stable) stable_for = std::chrono::duration_cast<milliseconds>(now - stable_since);
    std::string report = status.Summary() + (stable_for ? "|stable" : "") + "|" + event;
    if (options.on_progress && report != last_report) {
      last_report = report;
      options.on_progress(WaitProgress{status, std::chrono::duration_cast<milliseconds>(now - start), stable_for,
                                       monitor, event});
    }
    if (now >= deadline) {
      std::string message = fmt::format("service {}: not converged after {}: {}", NameOf(status, service),
                                        Seconds(options.timeout), status.Summary());
      if (!status.failures.empty()) message += "; " + status.TaskErrors();
      return finish(WaitOutcome::kTimedOut, message);
    }
    SleepUntil(std::min(now + options.poll_interval, deadline), options);
  }
}

}  // namespace nest::swarm
