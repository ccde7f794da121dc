#include "providers/compose/health_wait.h"

#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nest::compose {
namespace {

using nlohmann::json;

constexpr auto kPoll = std::chrono::milliseconds(250);

enum class Readiness { kReady, kStarting, kFailed };

struct Seen {
  Readiness readiness = Readiness::kStarting;
  std::string why;  // kFailed: the reason; kStarting: what it waits for
};

// The health check's last output, on one line and short.
std::string LastHealthOutput(const json& health) {
  if (!health.contains("Log") || !health["Log"].is_array() || health["Log"].empty()) return "";
  std::string out = health["Log"].back().value("Output", "");
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 200) out = out.substr(0, 200) + "...";
  return out;
}

Seen Judge(const json& inspected) {
  const json& state = inspected.contains("State") ? inspected["State"] : json::object();
  std::string status = state.value("Status", "");
  if (state.value("Restarting", false) || status == "restarting") {
    return {Readiness::kFailed, fmt::format("restarting (exit code {})", state.value("ExitCode", 0))};
  }
  if (status == "exited" || status == "dead") {
    std::string error = state.value("Error", "");
    return {Readiness::kFailed, fmt::format("exited ({}){}", state.value("ExitCode", 0), error.empty() ? "" : ": " + error)};
  }
  if (status != "running") return {Readiness::kStarting, status};
  if (!state.contains("Health") || !state["Health"].is_object()) return {Readiness::kReady, ""};
  std::string health = state["Health"].value("Status", "");
  if (health == "healthy") return {Readiness::kReady, ""};
  if (health == "unhealthy") {
    std::string output = LastHealthOutput(state["Health"]);
    return {Readiness::kFailed, "unhealthy" + (output.empty() ? std::string() : ": health check said `" + output + "`")};
  }
  return {Readiness::kStarting, "health: " + health};
}

}  // namespace

Result<int> CountReady(engine::EngineClient& client, const std::vector<WaitTarget>& containers,
                       std::string* not_ready) {
  int ready = 0;
  for (const auto& c : containers) {
    auto inspected = client.Get("/containers/" + c.id + "/json", "inspecting container " + c.name);
    Seen seen{Readiness::kFailed, "was removed"};
    if (inspected.ok()) {
      seen = Judge(inspected.value());
    } else if (inspected.error().http_status != 404) {
      return Error{inspected.error().Describe()};
    }
    if (seen.readiness == Readiness::kReady) {
      ++ready;
    } else if (not_ready != nullptr && not_ready->empty()) {
      *not_ready = fmt::format("{} {}", c.name, seen.why);
    }
  }
  return ready;
}

Status WaitReady(engine::EngineClient& client, const std::vector<WaitTarget>& containers,
                 std::chrono::milliseconds monitor, const plan::StepContext& context) {
  std::optional<std::chrono::steady_clock::time_point> ready_since;
  std::string last_progress;
  for (;;) {
    int ready = 0;
    std::string waiting;
    for (const auto& c : containers) {
      auto inspected = client.Get("/containers/" + c.id + "/json", "inspecting container " + c.name);
      if (!inspected.ok()) {
        if (inspected.error().http_status == 404) return Error{fmt::format("container {} was removed", c.name)};
        return Error{inspected.error().Describe()};
      }
      Seen seen = Judge(inspected.value());
      if (seen.readiness == Readiness::kFailed) return Error{fmt::format("container {} {}", c.name, seen.why)};
      if (seen.readiness == Readiness::kReady) {
        ++ready;
      } else if (waiting.empty()) {
        waiting = fmt::format("{}: {}", c.name, seen.why);
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (ready == static_cast<int>(containers.size())) {
      if (!ready_since) ready_since = now;
      if (now - *ready_since >= monitor) return Done{};
    } else {
      ready_since.reset();  // one dropping out starts the window again
    }
    std::string progress = fmt::format("{}/{} containers running and healthy{}", ready, containers.size(),
                                       waiting.empty() ? "" : "; waiting for " + waiting);
    if (context.progress && progress != last_progress) context.progress(progress);
    last_progress = progress;
    if (context.cancelled()) return Error{"interrupted while waiting: " + progress};
    if (context.expired()) return Error{"timed out: " + progress};
    std::this_thread::sleep_for(kPoll);
  }
}

}  // namespace nest::compose
