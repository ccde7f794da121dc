#include "planner/apply/events.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "planner/apply/summary.h"

namespace nest::plan::apply {
namespace {

using Json = nlohmann::ordered_json;

std::string Subject(const Step& step) {
  std::string text = step.address;
  if (step.half == Half::kNewObject) text += " (new object)";
  if (step.half == Half::kOldObject) text += " (old object)";
  return text;
}

// Terraform's words: Creating... / Creation complete / Creation failed.
struct Words {
  const char* doing;
  const char* done;
  const char* failed;
};

Words WordsFor(Operation operation) {
  switch (operation) {
    case Operation::kCreate: return {"Creating...", "Creation complete", "Creation failed"};
    case Operation::kUpdate: return {"Modifying...", "Modifications complete", "Modifications failed"};
    case Operation::kDelete: return {"Destroying...", "Destruction complete", "Destruction failed"};
    case Operation::kWait:
      return {"Waiting for the rollout in progress on the engine...", "Rollout complete", "Rollout failed"};
  }
  return {"Creating...", "Creation complete", "Creation failed"};
}

double Seconds(Clock::duration duration) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  return static_cast<double>(ms) / 1000.0;
}

// RFC 3339 in UTC with microseconds: "2026-12-03T14:20:00.123456Z".
std::string Timestamp(std::chrono::system_clock::time_point now) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  long long seconds = micros / 1000000, fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", utc, fraction);
}

Json StepJson(const Step& step) {
  Json json;
  json["id"] = step.id;
  json["address"] = step.address;
  std::string module = AddressModule(step.address);
  if (!module.empty()) json["module_address"] = module;
  json["type"] = ResourceKindName(step.kind);
  json["name"] = AddressName(step.address);
  json["operation"] = OperationName(step.operation);
  if (step.half == Half::kNewObject) json["replacement"] = "new_object";
  if (step.half == Half::kOldObject) json["replacement"] = "old_object";
  return json;
}

const char* Level(WalkEvent::Type type) {
  switch (type) {
    case WalkEvent::Type::kFailed: return "error";
    case WalkEvent::Type::kSkipped:
    case WalkEvent::Type::kNotStarted: return "warn";
    case WalkEvent::Type::kStarted:
    case WalkEvent::Type::kSucceeded: return "info";
  }
  return "info";
}

std::string Dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace

std::string FormatElapsed(Clock::duration duration) {
  auto total = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  if (total < 0) total = 0;
  long long hours = total / 3600, minutes = total / 60 % 60, seconds = total % 60;
  if (hours > 0) return fmt::format("{}h{}m{}s", hours, minutes, seconds);
  if (minutes > 0) return fmt::format("{}m{}s", minutes, seconds);
  return fmt::format("{}s", seconds);
}

std::string EventText(const WalkEvent& event) {
  const Step& step = *event.step;
  Words words = WordsFor(step.operation);
  std::string subject = Subject(step);
  switch (event.type) {
    case WalkEvent::Type::kStarted: return fmt::format("{}: {}", subject, words.doing);
    case WalkEvent::Type::kSucceeded:
      return fmt::format("{}: {} after {}", subject, words.done, FormatElapsed(event.duration));
    case WalkEvent::Type::kFailed:
      return fmt::format("{}: {} after {}: {}", subject, words.failed, FormatElapsed(event.duration), event.error);
    case WalkEvent::Type::kSkipped:
      return fmt::format("{}: Skipped: it waited on {}, which failed", subject,
                         event.waited_on ? DescribeStep(*event.waited_on) : "a step");
    case WalkEvent::Type::kNotStarted: return fmt::format("{}: Not started: the apply was stopped", subject);
  }
  return subject;
}

std::string EventJsonLine(const WalkEvent& event, std::chrono::system_clock::time_point now) {
  Json json;
  json["@level"] = Level(event.type);
  json["@message"] = EventText(event);
  json["@timestamp"] = Timestamp(now);
  json["type"] = EventTypeName(event.type);
  json["step"] = StepJson(*event.step);
  json["elapsed_seconds"] = Seconds(event.elapsed);
  if (event.type == WalkEvent::Type::kSucceeded || event.type == WalkEvent::Type::kFailed) {
    json["duration_seconds"] = Seconds(event.duration);
  }
  if (event.type == WalkEvent::Type::kFailed) json["error"] = event.error;
  if (event.type == WalkEvent::Type::kSkipped && event.waited_on) json["waited_on"] = StepJson(*event.waited_on);
  return Dump(json);
}

std::string SummaryJsonLine(const Walk& walk, const WalkReport& report, std::chrono::system_clock::time_point now) {
  ApplyCounts counts = CountSteps(walk, report);
  std::string outcome = ApplyOutcome(report);
  std::string message = RenderApplySummary(walk, report);
  message = message.substr(0, message.find('\n'));
  Json json;
  json["@level"] = outcome == "complete" ? "info" : "error";
  json["@message"] = message;
  json["@timestamp"] = Timestamp(now);
  json["type"] = "apply_summary";
  json["outcome"] = outcome;
  json["changes"] = Json{{"add", counts.added}, {"change", counts.changed}, {"destroy", counts.destroyed}};
  Json failed = Json::array(), skipped = Json::array(), not_started = Json::array();
  for (const auto& step : walk.steps) {
    const StepResult& result = report.results.at(step.id);
    Json entry = StepJson(step);
    switch (result.status) {
      case StepStatus::kSucceeded: break;
      case StepStatus::kFailed:
        entry["error"] = result.error;
        failed.push_back(std::move(entry));
        break;
      case StepStatus::kSkipped:
        if (result.waited_on) entry["waited_on"] = StepJson(walk.steps.at(*result.waited_on));
        skipped.push_back(std::move(entry));
        break;
      case StepStatus::kNotStarted: not_started.push_back(std::move(entry)); break;
    }
  }
  json["failed"] = failed;
  json["skipped"] = skipped;
  json["not_started"] = not_started;
  json["elapsed_seconds"] = Seconds(report.elapsed);
  return Dump(json);
}

}  // namespace nest::plan::apply
