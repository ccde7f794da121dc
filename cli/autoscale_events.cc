#include "cli/autoscale_events.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "planner/autoscale/policy.h"

namespace nest {
namespace {

bool HasCounts(const AutoscaleEvent& e) { return e.event != "error" && e.event != "gone" && e.event != "idle"; }

double Rounded(double percent) { return std::round(percent * 10) / 10; }

}  // namespace

std::string AutoscaleEventText(const AutoscaleEvent& e) {
  std::string who = e.service.empty() ? "nest autoscale" : e.service;
  std::string change;
  if (HasCounts(e)) change = e.from == e.to ? fmt::format(" {}", e.from) : fmt::format(" {} -> {}", e.from, e.to);
  std::string text = fmt::format("{} {}: {}{}", e.time, who, e.event, change);
  if (!e.reason.empty()) text += ": " + e.reason;
  if (e.tasks > 0) {
    std::string levels;
    if (e.cpu) levels += "cpu " + plan::autoscale::PercentText(*e.cpu) + ", ";
    if (e.memory) levels += "memory " + plan::autoscale::PercentText(*e.memory) + ", ";
    text += fmt::format(" ({}{} task{})", levels, e.tasks, e.tasks == 1 ? "" : "s");
  }
  return text + "\n";
}

std::string AutoscaleEventJson(const AutoscaleEvent& e) {
  nlohmann::ordered_json j = {{"time", e.time}, {"event", e.event}, {"service", e.service}, {"address", e.address}};
  if (HasCounts(e)) {
    j["from"] = e.from;
    j["to"] = e.to;
    j["cpu"] = e.cpu ? nlohmann::ordered_json(Rounded(*e.cpu)) : nlohmann::ordered_json(nullptr);
    j["memory"] = e.memory ? nlohmann::ordered_json(Rounded(*e.memory)) : nlohmann::ordered_json(nullptr);
    j["tasks"] = e.tasks;
  }
  j["reason"] = e.reason;
  return j.dump() + "\n";
}

}  // namespace nest
