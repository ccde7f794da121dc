#include "providers/swarm/blue_green_colours.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "providers/swarm/normalize.h"
#include "providers/swarm/timestamp.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

std::string Label(const json& labels, const char* key) {
  if (!labels.is_object()) return "";
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string FormatTime(std::chrono::system_clock::time_point time) {
  return FormatEngineTime(std::chrono::time_point_cast<std::chrono::nanoseconds>(time));
}

// The alias list of every network of the normalised "networks" attribute
// with `from` replaced by `to` (kept sorted, as normalize.cc sorts them).
void ReplaceAliasAttribute(plan::ResourceState& r, const std::string& from, const std::string& to) {
  auto networks = r.attributes.find("networks");
  if (networks == r.attributes.end()) return;
  for (auto& [name, network] : networks->second.map) {
    auto aliases = network.map.find("aliases");
    if (aliases == network.map.end()) continue;
    for (auto& alias : aliases->second.list) {
      if (alias.scalar == from) alias.scalar = to;
    }
    std::sort(aliases->second.list.begin(), aliases->second.list.end(),
              [](const plan::AttributeValue& a, const plan::AttributeValue& b) { return a.scalar < b.scalar; });
  }
}

}  // namespace

const char* ColourRoleName(ColourRole role) {
  switch (role) {
    case ColourRole::kNone: return "";
    case ColourRole::kLive: return "live";
    case ColourRole::kPreview: return "preview";
    case ColourRole::kPrevious: return "previous";
  }
  return "";
}

Colour ColourOf(const json& labels) {
  Colour colour;
  std::string role = Label(labels, kColourRoleLabel);
  if (role == "live") colour.role = ColourRole::kLive;
  else if (role == "preview") colour.role = ColourRole::kPreview;
  else if (role == "previous") colour.role = ColourRole::kPrevious;
  else return colour;
  colour.of = Label(labels, kColourOfLabel);
  if (auto time = ParseEngineTime(Label(labels, kColourExpiresLabel))) {
    colour.expires = std::chrono::time_point_cast<std::chrono::system_clock::duration>(*time);
  }
  return colour;
}

std::string OtherColourName(const std::string& live_name, const std::string& of) {
  return live_name == of ? of + "-green" : of;
}

bool IsRouted(const json& labels) {
  if (!labels.is_object()) return false;
  bool any = false;
  for (const auto& [key, value] : labels.items()) {
    if (key.rfind("traefik.", 0) == 0) any = true;
  }
  return any && Label(labels, "traefik.enable") != "false";
}

std::string ProductionAlias(const json& spec) {
  std::string name = spec.value("Name", "");
  std::string stack = spec.contains("Labels") ? Label(spec["Labels"], kStackLabel) : "";
  if (!stack.empty() && name.rfind(stack + "_", 0) == 0) return name.substr(stack.size() + 1);
  return name;
}

bool ReplaceAlias(json& spec, const std::string& from, const std::string& to) {
  bool found = false;
  if (!spec.contains("TaskTemplate") || !spec["TaskTemplate"].contains("Networks")) return false;
  for (auto& attachment : spec["TaskTemplate"]["Networks"]) {
    if (!attachment.contains("Aliases") || !attachment["Aliases"].is_array()) continue;
    for (auto& alias : attachment["Aliases"]) {
      if (alias.is_string() && alias.get<std::string>() == from) {
        alias = to;
        found = true;
      }
    }
  }
  return found;
}

void SetColourLabels(json& spec, const std::string& of, ColourRole role,
                     std::optional<std::chrono::system_clock::time_point> expires) {
  json& labels = spec["Labels"];
  if (!labels.is_object()) labels = json::object();
  labels[kColourOfLabel] = of;
  labels[kColourRoleLabel] = ColourRoleName(role);
  if (expires) {
    labels[kColourExpiresLabel] = FormatTime(*expires);
  } else {
    labels.erase(kColourExpiresLabel);
  }
}

bool MapColour(const json& spec, std::chrono::system_clock::time_point now, plan::ResourceState& r) {
  const json& labels = spec.contains("Labels") ? spec["Labels"] : json::object();
  Colour colour = ColourOf(labels);
  switch (colour.role) {
    case ColourRole::kNone: return true;
    case ColourRole::kLive: {
      if (colour.of.empty()) return true;
      r.docker_name = colour.of;
      // A routed colour switched by its labels alone keeps the alias it was
      // verified under (moving it would restart its tasks): Traefik, not the
      // alias, is how clients reach it (docs/apply-swarm.md#blue-green).
      std::string short_name = ProductionAlias(json{{"Name", colour.of}, {"Labels", labels}});
      if (IsRouted(labels)) ReplaceAliasAttribute(r, short_name + "-preview", short_name);
      return true;
    }
    case ColourRole::kPrevious: {
      if (colour.expires && *colour.expires > now) return false;
      r.address += "#previous";
      r.problems.push_back(fmt::format("the previous blue-green colour of {}, kept until {}: expired, so removed",
                                       colour.of, colour.expires ? FormatTime(*colour.expires) : "(no time)"));
      return true;
    }
    case ColourRole::kPreview: {
      r.address += "#preview";
      r.problems.push_back(fmt::format(
          "a blue-green preview colour of {} that an apply left behind (interrupted before its switch)", colour.of));
      return true;
    }
  }
  return true;
}

}  // namespace nest::swarm
