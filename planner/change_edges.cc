#include "planner/change_edges.h"

#include <algorithm>
#include <set>

namespace nest::plan {
namespace {

const AttributeValue* Attribute(const ResourceState& state, const char* name) {
  auto it = state.attributes.find(name);
  return it == state.attributes.end() ? nullptr : &it->second;
}

std::string Field(const AttributeValue& map, const char* name) {
  auto it = map.map.find(name);
  return it == map.map.end() ? "" : it->second.scalar;
}

// Lists of maps naming an object in `source`: secrets, configs, mounts.
void Sources(const AttributeValue* list, ResourceKind kind, std::vector<ObjectReference>& out) {
  if (list == nullptr) return;
  for (const auto& item : list->list) {
    std::string source = Field(item, "source");
    if (source.empty()) continue;
    // A bind mount's source is a host path, a tmpfs has none; only volumes
    // are objects (an absent type means volume, as in the Engine API).
    if (kind == ResourceKind::kVolume) {
      std::string type = Field(item, "type");
      if (!type.empty() && type != "volume") continue;
    }
    out.push_back(ObjectReference{kind, std::move(source)});
  }
}

}  // namespace

std::vector<ObjectReference> ServiceReferences(const ResourceState& service) {
  std::vector<ObjectReference> out;
  if (service.kind != ResourceKind::kService) return out;
  if (const AttributeValue* networks = Attribute(service, "networks")) {
    for (const auto& [name, attachment] : networks->map) out.push_back(ObjectReference{ResourceKind::kNetwork, name});
  }
  Sources(Attribute(service, "secrets"), ResourceKind::kSecret, out);
  Sources(Attribute(service, "configs"), ResourceKind::kConfig, out);
  Sources(Attribute(service, "mounts"), ResourceKind::kVolume, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void SetConfigDependencies(ResourceChange& change, const ResourceState& resource, const StackState& desired,
                           const std::map<std::string, std::vector<std::string>>& graph_edges) {
  std::set<std::string> edges(resource.depends_on.begin(), resource.depends_on.end());
  if (auto it = graph_edges.find(resource.address); it != graph_edges.end()) {
    for (const auto& address : it->second) {
      if (address != resource.address && desired.Find(address) != nullptr) edges.insert(address);
    }
  }
  change.depends_on.assign(edges.begin(), edges.end());
  if (change.after) change.after->depends_on = change.depends_on;
}

void AddDeleteEdges(std::vector<ResourceChange>& changes) {
  // Every deleted network, secret, config and volume, and the old object of
  // every create-before-destroy replacement, by what a service may call it:
  // its Docker name and its ID.
  std::map<ObjectReference, ResourceChange*> removed;
  for (auto& change : changes) {
    bool deleted = change.action == Action::kDelete && change.kind != ResourceKind::kService;
    bool old_object = change.action == Action::kReplace && change.create_before_destroy;
    if ((!deleted && !old_object) || !change.before) continue;
    removed.emplace(ObjectReference{change.kind, change.before->docker_name}, &change);
    if (change.before->version && !change.before->version->id.empty()) {
      removed.emplace(ObjectReference{change.kind, change.before->version->id}, &change);
    }
  }
  if (removed.empty()) return;
  std::map<ResourceChange*, std::set<std::string>> edges;
  for (const auto& change : changes) {
    bool touched = change.action == Action::kDelete || change.action == Action::kUpdate ||
                   change.action == Action::kReplace;
    if (change.kind != ResourceKind::kService || !touched || !change.before) continue;
    for (const auto& reference : ServiceReferences(*change.before)) {
      auto it = removed.find(reference);
      if (it == removed.end()) continue;
      // A replacement's consumers in the config move to the new object
      // (the walk orders them through their own edges); only services
      // deleted here still hold the old one.
      if (it->second->action == Action::kReplace && change.action != Action::kDelete) continue;
      edges[it->second].insert(change.address);
    }
  }
  for (auto& [change, services] : edges) {
    services.insert(change->depends_on.begin(), change->depends_on.end());
    change->depends_on.assign(services.begin(), services.end());
  }
}

}  // namespace nest::plan
