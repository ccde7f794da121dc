#include "providers/compose/normalize.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/compose_syntax/assignment.h"
#include "compiler/compose_syntax/project_name.h"
#include "providers/attributes.h"
#include "providers/compose/labels.h"
#include "providers/image_reference.h"
#include "providers/swarm/normalize.h"
#include "providers/units.h"

namespace nest::compose {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using providers::Put;
using providers::PutFlag;
using providers::PutText;
using providers::Text;

template <typename Json>
std::map<std::string, std::string> Labels(const Json& object) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return out;
  auto it = object.find("labels");
  if (it == object.end()) it = object.find("Labels");
  if (it == object.end()) return out;
  if (it->is_object()) {
    for (const auto& [k, v] : it->items()) out[k] = providers::ScalarText(v);
  } else if (it->is_array()) {
    for (const auto& item : *it) {
      auto entry = compose_syntax::SplitAssignment(providers::ScalarText(item));
      out[entry.key] = entry.value.value_or("");
    }
  }
  return out;
}

template <typename Json>
std::string StringOf(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && !it->is_null() ? providers::ScalarText(*it) : std::string();
}

template <typename Json>
bool FlagOf(const Json& object, const char* key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->template get<bool>();
}

// Address, spec hash and ownership from nest's labels.
void Bookkeeping(const std::map<std::string, std::string>& labels, const std::string& key,
                 plan::ResourceState& state) {
  auto address = labels.find(swarm::kAddressLabel);
  state.managed = address != labels.end() && !address->second.empty();
  state.address = state.managed ? address->second : std::string(ResourceKindName(state.kind)) + "." + key;
  auto hash = labels.find(swarm::kSpecHashLabel);
  if (hash != labels.end()) {
    state.spec_hash = hash->second;
    state.attributes["spec_hash"] = Text(hash->second);
  }
}

plan::ResourceState Network(const std::string& key, const std::string& name, const std::string& driver,
                            bool internal, const std::map<std::string, std::string>& labels) {
  plan::ResourceState state;
  state.kind = ResourceKind::kNetwork;
  state.docker_name = name;
  Bookkeeping(labels, key, state);
  state.attributes["driver"] = Text(driver.empty() ? "bridge" : driver);
  PutFlag(state.attributes, "internal", internal);
  // Docker networks cannot be changed: every difference is a replacement.
  state.force_new = {"driver", "internal", "spec_hash"};
  return state;
}

plan::ResourceState Volume(const std::string& key, const std::string& name, const std::string& driver,
                           const std::map<std::string, std::string>& options,
                           const std::map<std::string, std::string>& labels) {
  plan::ResourceState state;
  state.kind = ResourceKind::kVolume;
  state.docker_name = name;
  Bookkeeping(labels, key, state);
  state.attributes["driver"] = Text(driver.empty() ? "local" : driver);
  Put(state.attributes, "driver_opts", providers::StringMap(options));
  state.force_new = {"driver", "driver_opts"};
  return state;
}

template <typename Json>
std::map<std::string, std::string> StringMapOf(const Json& object, const char* key) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) out[k] = providers::ScalarText(v);
  return out;
}

// The image in the form both sides compare (providers/image_reference.h).
// Compose resolves no tag to a digest, so a digest is always the user's.
std::string ComposeImage(const std::string& image, plan::ResourceState& state) {
  providers::ComparableImage comparable = providers::CompareForm(image, image);
  auto& problems = state.problems;
  if (!comparable.problem.empty() && std::find(problems.begin(), problems.end(), comparable.problem) == problems.end()) {
    problems.push_back(comparable.problem);  // once, however many containers share it
  }
  return comparable.text;
}

void SortByAddress(plan::StackState& state) {
  std::sort(state.resources.begin(), state.resources.end(),
            [](const plan::ResourceState& a, const plan::ResourceState& b) { return a.address < b.address; });
}

}  // namespace

plan::StackState StateFromDocument(const ordered_json& document, const std::string& stack) {
  plan::StackState state;
  state.stack = stack;
  const std::string project = compose_syntax::ProjectName(stack);
  static const ordered_json kEmpty = ordered_json::object();
  auto section = [&](const char* name) -> const ordered_json& {
    auto it = document.find(name);
    return it != document.end() && it->is_object() ? *it : kEmpty;
  };
  bool uses_default = false;
  for (const auto& [key, service] : section("services").items()) {
    plan::ResourceState r;
    r.kind = ResourceKind::kService;
    r.docker_name = key;
    Bookkeeping(Labels(service), key, r);
    PutText(r.attributes, "image", ComposeImage(StringOf(service, "image"), r));
    std::string replicas = "1";
    if (auto deploy = service.find("deploy"); deploy != service.end() && deploy->is_object()) {
      if (std::string n = StringOf(*deploy, "replicas"); !n.empty()) replicas = n;
    }
    if (std::string scale = StringOf(service, "scale"); !scale.empty()) replicas = scale;
    r.attributes["replicas"] = Text(replicas);
    if (replicas != "0") r.attributes["state"] = Text("running");
    if (service.find("networks") == service.end() && service.find("network_mode") == service.end()) uses_default = true;
    state.resources.push_back(std::move(r));
  }
  const ordered_json& networks = section("networks");
  for (const auto& [key, network] : networks.items()) {
    if (FlagOf(network, "external")) continue;
    std::string name = StringOf(network, "name");
    state.resources.push_back(Network(key, name.empty() ? project + "_" + key : name, StringOf(network, "driver"),
                                      FlagOf(network, "internal"), Labels(network)));
  }
  if (uses_default && networks.find("default") == networks.end()) {
    state.resources.push_back(Network("default", project + "_default", "", false, {}));
  }
  for (const auto& [key, volume] : section("volumes").items()) {
    if (FlagOf(volume, "external")) continue;
    std::string name = StringOf(volume, "name");
    state.resources.push_back(Volume(key, name.empty() ? project + "_" + key : name, StringOf(volume, "driver"),
                                     StringMapOf(volume, "driver_opts"), Labels(volume)));
  }
  SortByAddress(state);
  return state;
}

plan::StackState BuildLiveState(const std::string& stack, const json& containers, const json& networks,
                                const json& volumes) {
  plan::StackState state;
  state.stack = stack;
  struct Group {
    std::vector<const json*> containers;
  };
  std::map<std::string, Group> services;
  // Canary containers (canary.h) are not the service's: its stable
  // containers are. They are said on the service, never planned.
  std::map<std::string, std::vector<std::string>> canaries;
  for (const auto& container : containers) {
    auto labels = Labels(container);
    if (labels[kOneoffLabel] == "True") continue;  // `compose run` containers
    if (std::string of = labels[kCanaryOfLabel]; !of.empty()) {
      std::string name = StringOf(container, "Id").substr(0, 12);
      if (auto names = container.find("Names"); names != container.end() && names->is_array() && !names->empty()) {
        name = providers::ScalarText(names->front());
        if (!name.empty() && name.front() == '/') name.erase(0, 1);
      }
      canaries[of].push_back(fmt::format("{} (step {})", name, labels[kCanaryStepLabel]));
      continue;
    }
    std::string service = labels[kServiceLabel];
    if (service.empty()) {
      state.problems.push_back(fmt::format("container {} carries {}={} but no {} label: nest does not manage it",
                                           StringOf(container, "Id").substr(0, 12), kProjectLabel, stack,
                                           kServiceLabel));
      continue;
    }
    services[service].containers.push_back(&container);
  }
  for (const auto& [service, group] : services) {
    plan::ResourceState r;
    r.kind = ResourceKind::kService;
    r.docker_name = service;
    r.stack_label = true;
    auto labels = Labels(*group.containers.front());
    Bookkeeping(labels, service, r);
    std::set<std::string> images, hashes;
    std::vector<std::string> ids;
    int running = 0;
    for (const json* c : group.containers) {
      images.insert(ComposeImage(StringOf(*c, "Image"), r));
      hashes.insert(Labels(*c)[swarm::kSpecHashLabel]);
      ids.push_back(StringOf(*c, "Id"));
      if (StringOf(*c, "State") == "running") ++running;
    }
    auto joined = [](const std::set<std::string>& items) {
      std::string out;
      for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
      return out;
    };
    PutText(r.attributes, "image", joined(images));
    int count = static_cast<int>(group.containers.size());
    r.attributes["replicas"] = Text(std::to_string(count));
    if (count > 0) {
      r.attributes["state"] = Text(running == count ? "running" : fmt::format("{} of {} running", running, count));
    }
    if (hashes.size() > 1) {
      r.attributes["spec_hash"] = Text(joined(hashes));
      r.problems.push_back("its containers were created from different versions of the service");
    }
    if (!r.managed) r.problems.push_back("no nest.address label: not created by nest (its address is derived from its name)");
    if (auto canary = canaries.find(service); canary != canaries.end()) {
      std::sort(canary->second.begin(), canary->second.end());
      r.problems.push_back(fmt::format(
          "a canary is in progress beside it: {} (an apply that was stopped left it; the next apply that changes "
          "the service removes it)",
          fmt::join(canary->second, ", ")));
    }
    std::sort(ids.begin(), ids.end());
    std::string id;
    for (const auto& i : ids) id += (id.empty() ? "" : ",") + i;
    r.version = plan::LiveVersion{id, 0};
    state.resources.push_back(std::move(r));
  }
  for (const auto& network : networks) {
    auto labels = Labels(network);
    std::string key = labels[kNetworkLabel];
    plan::ResourceState r = Network(key.empty() ? StringOf(network, "Name") : key, StringOf(network, "Name"),
                                    StringOf(network, "Driver"), FlagOf(network, "Internal"), labels);
    r.stack_label = true;
    r.version = plan::LiveVersion{StringOf(network, "Id"), 0};
    state.resources.push_back(std::move(r));
  }
  for (const auto& volume : volumes) {
    auto labels = Labels(volume);
    std::string key = labels[kVolumeLabel];
    plan::ResourceState r = Volume(key.empty() ? StringOf(volume, "Name") : key, StringOf(volume, "Name"),
                                   StringOf(volume, "Driver"), StringMapOf(volume, "Options"), labels);
    r.stack_label = true;
    r.version = plan::LiveVersion{StringOf(volume, "Name"), 0};
    state.resources.push_back(std::move(r));
  }
  SortByAddress(state);
  return state;
}

}  // namespace nest::compose
