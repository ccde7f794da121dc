#include "providers/compose/project_objects.h"

#include "providers/compose/labels.h"
#include "providers/compose/normalize.h"
#include "providers/units.h"

namespace nest::compose {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const ordered_json* Entry(const ordered_json& document, const char* section, const std::string& key) {
  auto s = document.find(section);
  if (s == document.end() || !s->is_object()) return nullptr;
  auto e = s->find(key);
  if (e == s->end() || !e->is_object()) return nullptr;
  if (e->contains("external") && (*e)["external"].is_boolean() && (*e)["external"].get<bool>()) return nullptr;
  return &*e;
}

std::string Text(const ordered_json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? std::string() : providers::ScalarText(*it);
}

json StringMap(const ordered_json& object, const char* key) {
  json out = json::object();
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) out[k] = providers::ScalarText(v);
  return out;
}

}  // namespace

std::optional<json> NetworkCreateBody(const ordered_json& document, const std::string& project, const std::string& key) {
  static const ordered_json kDefault = ordered_json::object();
  const ordered_json* entry = Entry(document, "networks", key);
  if (entry == nullptr && key != "default") return std::nullopt;
  const ordered_json& n = entry != nullptr ? *entry : kDefault;
  std::string name = Text(n, "name");
  json body = json::object();
  body["Name"] = name.empty() ? project + "_" + key : name;
  body["CheckDuplicate"] = true;
  std::string driver = Text(n, "driver");
  body["Driver"] = driver.empty() ? "bridge" : driver;
  if (json options = StringMap(n, "driver_opts"); !options.empty()) body["Options"] = std::move(options);
  if (n.contains("internal") && n["internal"].is_boolean()) body["Internal"] = n["internal"].get<bool>();
  if (auto ipam = n.find("ipam"); ipam != n.end() && ipam->is_object() && ipam->contains("config")) {
    json pools = json::array();
    for (const auto& pool : (*ipam)["config"]) {
      json p = json::object();
      if (std::string v = Text(pool, "subnet"); !v.empty()) p["Subnet"] = v;
      if (std::string v = Text(pool, "gateway"); !v.empty()) p["Gateway"] = v;
      if (std::string v = Text(pool, "ip_range"); !v.empty()) p["IPRange"] = v;
      pools.push_back(std::move(p));
    }
    body["IPAM"] = json{{"Driver", "default"}, {"Config", std::move(pools)}};
  }
  json labels = StringMap(n, "labels");
  labels[kProjectLabel] = project;
  labels[kNetworkLabel] = key;
  labels[kComposeVersionLabel] = kComposeVersion;
  body["Labels"] = std::move(labels);
  return body;
}

std::optional<json> VolumeCreateBody(const ordered_json& document, const std::string& project, const std::string& key) {
  const ordered_json* entry = Entry(document, "volumes", key);
  if (entry == nullptr) return std::nullopt;
  std::string name = Text(*entry, "name");
  json body = json::object();
  body["Name"] = name.empty() ? project + "_" + key : name;
  std::string driver = Text(*entry, "driver");
  body["Driver"] = driver.empty() ? "local" : driver;
  if (json options = StringMap(*entry, "driver_opts"); !options.empty()) body["DriverOpts"] = std::move(options);
  json labels = StringMap(*entry, "labels");
  labels[kProjectLabel] = project;
  labels[kVolumeLabel] = key;
  labels[kComposeVersionLabel] = kComposeVersion;
  body["Labels"] = std::move(labels);
  return body;
}

}  // namespace nest::compose
