#include "cli/status_report.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nest {
namespace {

using nlohmann::ordered_json;

int DesiredReplicas(const plan::ResourceState& desired) {
  auto it = desired.attributes.find("replicas");
  if (it == desired.attributes.end() || it->second.kind != plan::AttributeValue::Kind::kScalar) return 0;
  try {
    return std::stoi(it->second.scalar);
  } catch (const std::logic_error&) {  // invalid_argument, out_of_range
    return 0;
  }
}

ServiceReport Service(const plan::ResourceChange& change, const std::map<std::string, const swarm::ServiceRuntime*>& by_name,
                      const std::map<std::string, swarm::ScaleRecord>& records) {
  ServiceReport s;
  s.address = change.address;
  s.name = change.docker_name;
  auto found = by_name.find(change.docker_name);
  if (found != by_name.end() && change.action != plan::Action::kCreate) {
    s.present = true;
    s.runtime = *found->second;
  } else {
    s.runtime.desired = DesiredReplicas(*change.after);
  }
  // The policy as deployed (labels of the live service), else as configured.
  std::map<std::string, std::string> labels = s.runtime.labels;
  if (!s.present) {
    auto it = change.after->attributes.find("labels");
    if (it != change.after->attributes.end() && it->second.kind == plan::AttributeValue::Kind::kMap)
      for (const auto& [key, value] : it->second.map)
        if (value.kind == plan::AttributeValue::Kind::kScalar) labels[key] = value.scalar;
  }
  auto policy = plan::autoscale::PolicyFromLabels(labels);
  if (policy.ok()) s.policy = policy.value();
  else s.policy_error = policy.error().message;
  if (auto record = records.find(s.name); record != records.end()) s.last_scale = record->second;
  return s;
}

std::string UpdateText(const swarm::ServiceRuntime& r) {
  if (r.update_state.empty()) return "-";
  return r.update_message.empty() ? r.update_state : fmt::format("{} ({})", r.update_state, r.update_message);
}

// Columns padded to their widest cell; the last column is not padded.
std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
    }
    text += line + "\n";
  }
  return text;
}

// "4 added, 0 changed, 0 destroyed" from apply's "Resources: 4 added, ... destroyed."
std::string SummaryText(std::string summary) {
  const std::string prefix = "Resources: ";
  if (summary.rfind(prefix, 0) == 0) summary.erase(0, prefix.size());
  if (!summary.empty() && summary.back() == '.') summary.pop_back();
  return summary.empty() ? "no summary" : summary;
}

std::string ScaleText(const swarm::ScaleRecord& record) {
  return fmt::format("{} -> {} at {}: {}", record.from, record.to, record.time, record.reason);
}

std::string HeaderState(const StatusReport& report) {
  int unhealthy = 0;
  for (const auto& s : report.services) unhealthy += s.Healthy() ? 0 : 1;
  int missing = 0;
  for (const auto& r : report.resources) missing += r.present ? 0 : 1;
  std::string health = "healthy";
  if (unhealthy || missing) {
    std::vector<std::string> parts;
    if (unhealthy) parts.push_back(fmt::format("{} service{} not healthy", unhealthy, unhealthy == 1 ? "" : "s"));
    if (missing) parts.push_back(fmt::format("{} resource{} missing", missing, missing == 1 ? "" : "s"));
    health = "unhealthy (" + parts[0] + (parts.size() > 1 ? ", " + parts[1] : "") + ")";
  }
  std::string sync = !report.plan_error.empty() ? "drift unknown"
                     : report.drift.empty()     ? "in sync"
                                                : fmt::format("{} change{}", report.drift.size(), report.drift.size() == 1 ? "" : "s");
  return health + ", " + sync;
}

ordered_json PolicyJson(const plan::autoscale::Policy& p) {
  ordered_json j = {{"min", p.min}, {"max", p.max}};
  auto add = [&j](const char* key, const std::optional<double>& v) {
    j[key] = v ? ordered_json(*v) : ordered_json(nullptr);
  };
  add("cpu", p.cpu);
  add("cpu_down", p.cpu_down);
  add("memory", p.memory);
  add("memory_down", p.memory_down);
  j["requests_per_replica"] = p.requests_per_replica ? ordered_json(*p.requests_per_replica) : ordered_json(nullptr);
  j["scale_up_window_seconds"] = std::chrono::duration<double>(p.scale_up_window).count();
  j["cooldown_seconds"] = std::chrono::duration<double>(p.cooldown).count();
  j["description"] = plan::autoscale::DescribePolicy(p);
  return j;
}

}  // namespace

bool StatusReport::Healthy() const {
  return std::all_of(services.begin(), services.end(), [](const ServiceReport& s) { return s.Healthy(); }) &&
         std::all_of(resources.begin(), resources.end(), [](const ResourceReport& r) { return r.present; });
}

StatusReport BuildStatusReport(const plan::Plan* plan, const std::string& stack, const std::string& engine,
                               const std::vector<swarm::ServiceRuntime>& runtimes,
                               const std::vector<swarm::Revision>& revisions,
                               const std::map<std::string, swarm::ScaleRecord>& scale_records) {
  StatusReport report;
  report.stack = stack;
  report.engine = engine;
  if (!revisions.empty()) report.revision = revisions.back();
  if (plan == nullptr) {
    for (const auto& r : runtimes) {
      plan::ResourceChange live;
      live.address = r.address.empty() ? r.name : r.address;
      live.docker_name = r.name;
      live.after = plan::ResourceState{};
      report.services.push_back(Service(live, {{r.name, &r}}, scale_records));
    }
    return report;
  }
  std::map<std::string, const swarm::ServiceRuntime*> by_name;
  for (const auto& r : runtimes) by_name[r.name] = &r;
  for (const auto& change : plan->changes) {
    if (change.action != plan::Action::kNoOp) report.drift.push_back({change.address, change.action, change.reason_detail});
    if (!change.after) continue;  // a delete: not in the config, only drift
    if (change.kind == ResourceKind::kService) {
      report.services.push_back(Service(change, by_name, scale_records));
    } else {
      bool present = change.before.has_value() && change.action != plan::Action::kCreate;
      report.resources.push_back({change.address, change.kind, change.docker_name, present});
    }
  }
  return report;
}

std::string RenderStatusText(const StatusReport& report) {
  std::string text = fmt::format("Stack {} on {}: {}\n", report.stack, report.engine, HeaderState(report));
  if (report.revision) {
    text += fmt::format("Last apply: revision {} at {} ({})\n", report.revision->number, report.revision->time,
                        SummaryText(report.revision->summary));
  } else {
    text += report.revision_error.empty() ? "Last apply: none recorded\n"
                                          : "Last apply: unknown (" + report.revision_error + ")\n";
  }

  if (!report.services.empty()) {
    std::vector<std::vector<std::string>> rows = {{"SERVICE", "DESIRED", "RUNNING", "HEALTHY", "IMAGE", "UPDATE"}};
    for (const auto& s : report.services) {
      if (!s.present) {
        rows.push_back({s.address, std::to_string(s.runtime.desired), "-", "-", "-", "missing"});
        continue;
      }
      const auto& r = s.runtime;
      rows.push_back({s.address, std::to_string(r.desired), std::to_string(r.running), std::to_string(r.healthy),
                      r.image, UpdateText(r)});
    }
    text += "\n" + Table(rows);
    for (const auto& s : report.services) {
      if (!s.policy_error.empty()) text += fmt::format("{}: autoscale policy unreadable: {}\n", s.address, s.policy_error);
      if (!s.policy) continue;
      text += fmt::format("{}: autoscale {}\n", s.address, plan::autoscale::DescribePolicy(*s.policy));
      text += fmt::format("{}: last scale {}\n", s.address,
                          s.last_scale ? ScaleText(*s.last_scale) : std::string("none recorded"));
    }
  }

  if (!report.resources.empty()) {
    std::vector<std::vector<std::string>> rows = {{"RESOURCE", "NAME", "STATE"}};
    for (const auto& r : report.resources) rows.push_back({r.address, r.name, r.present ? "present" : "missing"});
    text += "\n" + Table(rows);
  }

  text += "\n";
  if (!report.plan_error.empty()) {
    text += "Drift: unknown: " + report.plan_error + "\n";
  } else if (report.drift.empty()) {
    text += "Drift: none, the stack matches the configuration.\n";
  } else {
    text += fmt::format("Drift: {} change{} (run `nest plan` for details):\n", report.drift.size(),
                        report.drift.size() == 1 ? "" : "s");
    for (const auto& d : report.drift) {
      text += fmt::format("  {} {}{}\n", plan::ActionName(d.action), d.address, d.detail.empty() ? "" : ": " + d.detail);
    }
  }
  return text;
}

std::string RenderStatusJson(const StatusReport& report, bool pretty) {
  ordered_json j;
  j["format_version"] = "1";
  j["stack"] = report.stack;
  j["platform"] = "swarm";
  j["engine"] = report.engine;
  j["healthy"] = report.Healthy();
  j["in_sync"] = report.InSync();
  if (report.revision) {
    j["last_revision"] = {{"number", report.revision->number},
                          {"time", report.revision->time},
                          {"summary", report.revision->summary},
                          {"config_hash", report.revision->config_hash}};
  } else {
    j["last_revision"] = nullptr;
  }
  if (!report.revision_error.empty()) j["revision_error"] = report.revision_error;
  ordered_json drift = {{"changes", report.drift.size()}, {"resources", ordered_json::array()}};
  if (!report.plan_error.empty()) drift = {{"changes", nullptr}, {"error", report.plan_error}};
  for (const auto& d : report.drift) {
    drift["resources"].push_back({{"address", d.address}, {"action", plan::ActionName(d.action)}, {"detail", d.detail}});
  }
  j["drift"] = drift;
  j["services"] = ordered_json::array();
  for (const auto& s : report.services) {
    const auto& r = s.runtime;
    ordered_json service = {{"address", s.address}, {"name", s.name},        {"present", s.present},
                            {"healthy", s.Healthy()}, {"desired", r.desired}};
    service["running"] = s.present ? ordered_json(r.running) : ordered_json(nullptr);
    service["healthy_tasks"] = s.present ? ordered_json(r.healthy) : ordered_json(nullptr);
    service["image"] = s.present ? ordered_json(r.image) : ordered_json(nullptr);
    service["update_state"] = r.update_state.empty() ? ordered_json(nullptr) : ordered_json(r.update_state);
    service["update_message"] = r.update_message.empty() ? ordered_json(nullptr) : ordered_json(r.update_message);
    if (s.policy) {
      ordered_json autoscale = {{"policy", PolicyJson(*s.policy)}};
      if (s.last_scale) {
        autoscale["last_scale"] = {{"time", s.last_scale->time},
                                   {"from", s.last_scale->from},
                                   {"to", s.last_scale->to},
                                   {"reason", s.last_scale->reason}};
      } else {
        autoscale["last_scale"] = nullptr;
      }
      service["autoscale"] = autoscale;
    } else {
      service["autoscale"] = nullptr;
    }
    if (!s.policy_error.empty()) service["autoscale_error"] = s.policy_error;
    j["services"].push_back(service);
  }
  j["resources"] = ordered_json::array();
  for (const auto& r : report.resources) {
    j["resources"].push_back({{"address", r.address}, {"kind", ResourceKindName(r.kind)}, {"name", r.name}, {"present", r.present}});
  }
  return pretty ? j.dump(2) + "\n" : j.dump() + "\n";
}

}  // namespace nest
