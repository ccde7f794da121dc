#include "providers/swarm/revision_specs.h"

#include <fmt/format.h>

namespace nest::swarm {
namespace {

using nlohmann::json;

json ObjectsJson(const std::vector<FileObjectSpec>& objects) {
  json out = json::array();
  for (const auto& object : objects) out.push_back({{"key", object.key}, {"spec", object.spec}});
  return out;
}

bool ReadObjects(const json& in, std::vector<FileObjectSpec>& out) {
  if (!in.is_array()) return false;
  for (const auto& item : in) {
    if (!item.is_object() || !item.contains("key") || !item["key"].is_string() || !item.contains("spec")) return false;
    FileObjectSpec object;
    object.key = item["key"].get<std::string>();
    object.spec = item["spec"];
    out.push_back(std::move(object));
  }
  return true;
}

bool ReadJsonList(const json& in, std::vector<json>& out) {
  if (!in.is_array()) return false;
  for (const auto& item : in) out.push_back(item);
  return true;
}

}  // namespace

std::string WhyNotRestorable(const plan::StackState& state) {
  for (const auto& resource : state.resources)
    for (const auto& [name, value] : resource.attributes)
      if (value.ContainsSensitive()) return fmt::format("{}: `{}` holds a sensitive value", resource.address, name);
  return "";
}

json RevisionSpecsJson(const StackSpecs& specs) {
  return {{"stack", specs.stack},
          {"networks", specs.networks},
          {"external_networks", specs.external_networks},
          {"volumes", specs.volumes},
          {"secrets", ObjectsJson(specs.secrets)},
          {"configs", ObjectsJson(specs.configs)},
          {"services", specs.services}};
}

std::optional<StackSpecs> RevisionSpecsFromJson(const json& in) {
  if (!in.is_object() || !in.contains("stack") || !in["stack"].is_string()) return std::nullopt;
  StackSpecs specs;
  specs.stack = in["stack"].get<std::string>();
  const json& external = in.value("external_networks", json());
  if (!external.is_array()) return std::nullopt;
  for (const auto& name : external) {
    if (!name.is_string()) return std::nullopt;
    specs.external_networks.push_back(name.get<std::string>());
  }
  bool ok = ReadJsonList(in.value("networks", json()), specs.networks) &&
            ReadJsonList(in.value("volumes", json()), specs.volumes) &&
            ReadJsonList(in.value("services", json()), specs.services) &&
            ReadObjects(in.value("secrets", json()), specs.secrets) &&
            ReadObjects(in.value("configs", json()), specs.configs);
  if (!ok) return std::nullopt;
  return specs;
}

}  // namespace nest::swarm
