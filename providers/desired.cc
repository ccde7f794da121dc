#include "providers/desired.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "compiler/emit/compose_document.h"
#include "planner/change_edges.h"
#include "providers/compose/normalize.h"
#include "providers/swarm/convert.h"
#include "providers/swarm/normalize.h"

namespace nest::plan {
namespace {

// Every text in `value` that came from something sensitive.
void SensitiveTexts(const Value& value, std::set<std::string>& out) {
  if (value.sensitive && !value.text.empty() && value.kind == ValueKind::kString) out.insert(value.text);
  for (const auto& item : value.items) SensitiveTexts(item, out);
  for (const auto& [key, field] : value.fields) SensitiveTexts(field, out);
}

// Marks every scalar that holds one of `texts` (a sensitive env value, a
// command line built from a sensitive variable): masking too much is safe,
// too little is not.
void Mark(AttributeValue& value, const std::set<std::string>& texts) {
  if (value.kind == AttributeValue::Kind::kScalar) {
    for (const auto& text : texts) {
      if (value.scalar.find(text) != std::string::npos) {
        value.sensitive = true;
        return;
      }
    }
  }
  for (auto& item : value.list) Mark(item, texts);
  for (auto& [key, item] : value.map) Mark(item, texts);
}

void MarkSensitive(const Config& config, StackState& state) {
  for (const auto& resource : config.resources) {
    std::set<std::string> texts;
    SensitiveTexts(resource.body, texts);
    if (texts.empty()) continue;
    for (auto& r : state.resources) {
      if (r.address != resource.address) continue;
      for (auto& [name, value] : r.attributes) Mark(value, texts);
    }
  }
}

// Each resource's dependencies: those of the checked config, limited to the
// resources the state holds (a compose target has no secret objects), and
// the objects its state names that the config does not (the `default`
// network `docker stack deploy` attaches a service without networks to).
// Every edge of a plan thus names a change of that plan.
void CopyDependencies(const Config& config, StackState& state) {
  std::unordered_set<std::string_view> present;
  std::map<ObjectReference, std::string> objects;  // by Docker name
  for (const auto& r : state.resources) {
    present.insert(r.address);
    if (r.kind != ResourceKind::kService) objects.emplace(ObjectReference{r.kind, r.docker_name}, r.address);
  }
  std::unordered_map<std::string_view, const Resource*> by_address;  // Config::Find scans
  for (const auto& resource : config.resources) by_address.emplace(resource.address, &resource);
  for (auto& r : state.resources) {
    std::set<std::string> edges;
    if (auto found = by_address.find(r.address); found != by_address.end()) {
      for (const auto& address : found->second->depends_on) {
        if (present.contains(address)) edges.insert(address);
      }
    }
    for (const auto& reference : ServiceReferences(r)) {
      if (auto it = objects.find(reference); it != objects.end()) edges.insert(it->second);
    }
    edges.erase(r.address);
    r.depends_on.assign(edges.begin(), edges.end());
  }
}

// On compose a service that names no network runs on the project's
// `default` network, which its state does not name (it compares no
// networks): the edge says so, so apply creates the network first.
void DependOnDefaultNetwork(const nlohmann::ordered_json& document, StackState& state) {
  auto has_default = std::any_of(state.resources.begin(), state.resources.end(), [](const ResourceState& r) {
    return r.kind == ResourceKind::kNetwork && r.address == "network.default";
  });
  auto services = document.find("services");
  if (!has_default || services == document.end() || !services->is_object()) return;
  for (auto& r : state.resources) {
    if (r.kind != ResourceKind::kService) continue;
    auto entry = services->find(r.docker_name);
    if (entry == services->end() || entry->contains("networks") || entry->contains("network_mode")) continue;
    if (std::find(r.depends_on.begin(), r.depends_on.end(), "network.default") != r.depends_on.end()) continue;
    r.depends_on.push_back("network.default");
    std::sort(r.depends_on.begin(), r.depends_on.end());
  }
}

}  // namespace

std::optional<StackState> BuildDesiredState(const Config& config, Platform platform, const std::string& stack,
                                            Diagnostics& diags, swarm::StackSpecs* specs,
                                            nlohmann::ordered_json* compose_document) {
  EmitOptions options;
  options.target = platform == Platform::kSwarm ? Platform::kSwarm : Platform::kCompose;
  options.stack_name = stack;
  // Plan and apply talk to the Engine: what it takes beyond the compose
  // format (network gateway and range, inline config content) is kept.
  options.engine_settings = platform == Platform::kSwarm;
  std::optional<nlohmann::ordered_json> document = BuildComposeDocument(config, options, diags);
  if (!document) return std::nullopt;
  const std::string& name = stack.empty() ? config.stack_name : stack;
  StackState state;
  if (platform == Platform::kSwarm) {
    swarm::StackSpecs converted = swarm::ConvertComposeDocument(*document, name);
    state = swarm::StateFromSpecs(converted);
    if (specs != nullptr) *specs = std::move(converted);
  } else {
    state = compose::StateFromDocument(*document, name);
    if (compose_document != nullptr) *compose_document = *document;
  }
  MarkSensitive(config, state);
  CopyDependencies(config, state);
  if (platform == Platform::kCompose) DependOnDefaultNetwork(*document, state);
  return state;
}

}  // namespace nest::plan
