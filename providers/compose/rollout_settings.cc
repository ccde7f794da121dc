#include "providers/compose/rollout_settings.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace nest::compose {
namespace {

using nlohmann::ordered_json;

// The host ports a compose service entry publishes at a fixed number.
std::vector<std::uint32_t> FixedHostPorts(const ordered_json& service) {
  std::vector<std::uint32_t> out;
  auto ports = service.find("ports");
  if (ports == service.end() || !ports->is_array()) return out;
  for (const auto& port : *ports) {
    if (port.is_object() && port.contains("published") && port["published"].is_number_unsigned()) {
      auto published = port["published"].get<std::uint32_t>();
      if (published != 0) out.push_back(published);
    }
  }
  return out;
}

std::int64_t Replicas(const ordered_json& service) {
  auto deploy = service.find("deploy");
  if (deploy == service.end() || !deploy->is_object()) return 1;
  auto replicas = deploy->find("replicas");
  return replicas != deploy->end() && replicas->is_number_integer() ? replicas->get<std::int64_t>() : 1;
}

// Where a port is written, for the diagnostic: the first `ports` item or
// `port` block, else the service's header.
Span PortSpan(const Resource& r) {
  if (const Value* list = r.body.Find("ports"); list != nullptr && !list->items.empty()) return list->items.front().span;
  for (const Value* block : r.body.All("port")) return block->span;
  return r.span;
}

}  // namespace

bool ReadRolloutSettings(const Config& config, const ordered_json& document,
                         std::map<std::string, RolloutSettings>& out, Diagnostics& diags) {
  auto services = document.find("services");
  if (services == document.end() || !services->is_object()) return true;
  bool ok = true;
  for (const auto& resource : config.resources) {
    if (resource.kind != ResourceKind::kService) continue;
    auto entry = services->find(resource.name);
    if (entry == services->end()) continue;
    RolloutSettings settings;
    if (const Value* deploy = resource.body.Find("deploy")) {
      if (const Value* v = deploy->Find("parallelism")) settings.parallelism = static_cast<int>(v->number);
      if (const Value* v = deploy->Find("order")) settings.start_first = v->text != "stop-first";
      if (const Value* v = deploy->Find("failure_action")) settings.roll_back_earlier = v->text == "rollback";
      if (const Value* v = deploy->Find("monitor")) {
        settings.monitor = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(v->integer));
      }
    }
    settings.fixed_host_ports = FixedHostPorts(*entry);
    if (!settings.fixed_host_ports.empty()) {
      std::int64_t replicas = Replicas(*entry);
      if (replicas > 1) {
        Diagnostic& d = diags.Error(
            DiagCode::TargetCannotExpress, PortSpan(resource),
            fmt::format("{}: {} containers cannot all publish host port {} on one engine", resource.address,
                        replicas, fmt::join(settings.fixed_host_ports, ", ")));
        d.help.push_back("publish no host port (`published` unset) and reach the containers by service name, "
                         "or run one replica");
        ok = false;
      } else if (settings.start_first) {
        Diagnostic& d = diags.Warning(
            DiagCode::TargetCannotExpress, PortSpan(resource),
            fmt::format("{}: publishes host port {}, so nest apply replaces its container stop-first", resource.address,
                        fmt::join(settings.fixed_host_ports, ", ")));
        d.notes.push_back("one host port is held by one container at a time: the old container stops before "
                          "the new one starts, a short outage");
        settings.start_first = false;
      }
    }
    out.emplace(resource.name, settings);
  }
  return ok;
}

}  // namespace nest::compose
