#include "planner/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <deque>
#include <map>
#include <set>

#include "planner/change_edges.h"

namespace nest::plan {
namespace {

// ---------------------------------------------------------------------------
// --target: the targets, then everything they depend on.

bool Covers(const std::string& target, const std::string& address) {
  return address == target ||
         (address.size() > target.size() && address.compare(0, target.size(), target) == 0 &&
          address[target.size()] == '.');
}

std::set<std::string> TargetClosure(const StackState& desired, const StackState& live,
                                    const DiffOptions& options, std::vector<std::string>& warnings) {
  std::set<std::string> all;
  for (const auto& r : desired.resources) all.insert(r.address);
  for (const auto& r : live.resources) all.insert(r.address);

  std::set<std::string> closure;
  std::deque<std::string> pending;
  for (const auto& target : options.targets) {
    bool matched = false;
    for (const auto& address : all) {
      if (!Covers(target, address)) continue;
      matched = true;
      if (closure.insert(address).second) pending.push_back(address);
    }
    if (!matched) {
      warnings.push_back(fmt::format(
          "`--target {}` matches nothing in the configuration or the live stack", target));
    }
  }
  while (!pending.empty()) {
    std::string address = std::move(pending.front());
    pending.pop_front();
    auto it = options.depends_on.find(address);
    if (it == options.depends_on.end()) continue;
    for (const auto& dependency : it->second) {
      if (closure.insert(dependency).second) pending.push_back(dependency);
    }
  }
  warnings.push_back(fmt::format(
      "resource targeting is in effect: this plan covers {} of {} resources (the targets and what "
      "they depend on); the rest of the stack may still differ from the configuration",
      closure.size(), all.size()));
  return closure;
}

// ---------------------------------------------------------------------------
// Sensitivity: the live side cannot know that an env value came from a
// secret, so it borrows the desired side's marks, path by path.

void MarkAll(AttributeValue& value) {
  value.sensitive = true;
  for (auto& item : value.list) MarkAll(item);
  for (auto& [key, item] : value.map) MarkAll(item);
}

void MarkSensitiveLike(AttributeValue& live, const AttributeValue& desired) {
  if (desired.sensitive) {
    MarkAll(live);
    return;
  }
  if (!desired.ContainsSensitive()) return;
  if (live.kind != desired.kind) {
    MarkAll(live);
  } else if (live.kind == AttributeValue::Kind::kMap) {
    for (auto& [key, item] : live.map) {
      auto it = desired.map.find(key);
      if (it != desired.map.end()) MarkSensitiveLike(item, it->second);
    }
  } else if (live.kind == AttributeValue::Kind::kList) {
    if (live.list.size() != desired.list.size()) {
      MarkAll(live);  // elements may have moved: mask them all rather than guess
      return;
    }
    for (std::size_t i = 0; i < live.list.size(); ++i) MarkSensitiveLike(live.list[i], desired.list[i]);
  }
}

void MarkSensitiveLike(ResourceState& live, const ResourceState& desired) {
  for (auto& [name, value] : live.attributes) {
    auto it = desired.attributes.find(name);
    if (it != desired.attributes.end()) MarkSensitiveLike(value, it->second);
  }
}

// ---------------------------------------------------------------------------
// Comparing one resource.

bool ForcesNew(const ResourceState& desired, const std::string& name) {
  return std::find(desired.force_new.begin(), desired.force_new.end(), name) != desired.force_new.end();
}

std::vector<AttributeChange> CompareAttributes(const ResourceState& live, const ResourceState& desired) {
  std::set<std::string> names;
  for (const auto& [name, value] : live.attributes) names.insert(name);
  for (const auto& [name, value] : desired.attributes) names.insert(name);
  std::vector<AttributeChange> changes;
  for (const auto& name : names) {
    auto before = live.attributes.find(name);
    auto after = desired.attributes.find(name);
    bool has_before = before != live.attributes.end();
    bool has_after = after != desired.attributes.end();
    if (has_before && has_after && before->second == after->second) continue;
    AttributeChange change;
    change.name = name;
    if (has_before) change.before = before->second;
    if (has_after) change.after = after->second;
    change.forces_replacement = ForcesNew(desired, name);
    changes.push_back(std::move(change));
  }
  return changes;
}

std::string QuotedNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += "`" + name + "`";
  }
  return out;
}

// Why Docker cannot change these in place, in a few words.
std::string WhyImmutable(ResourceKind kind, const std::vector<std::string>& names) {
  switch (kind) {
    case ResourceKind::kSecret: return "secrets are immutable";
    case ResourceKind::kConfig: return "configs are immutable";
    case ResourceKind::kNetwork: return "Docker cannot update a network";
    case ResourceKind::kVolume: return "Docker cannot update a volume";
    case ResourceKind::kService: break;
  }
  for (const auto& name : names) {
    if (name == "mode" || name == "name") return "Docker answers 501";
  }
  return "";
}

std::string ReplaceDetail(ResourceKind kind, const std::vector<std::string>& names) {
  std::string why = WhyImmutable(kind, names);
  std::string detail = QuotedNames(names) + " cannot change in place";
  if (!why.empty()) detail += " (" + why + ")";
  return detail;
}

bool IsImmutableByName(ResourceKind kind) {
  return kind == ResourceKind::kSecret || kind == ResourceKind::kConfig;
}

ResourceChange BaseChange(const ResourceState& state) {
  ResourceChange change;
  change.address = state.address;
  change.kind = state.kind;
  change.docker_name = state.docker_name;
  return change;
}

ResourceChange PlanCreate(const ResourceState& desired) {
  ResourceChange change = BaseChange(desired);
  change.action = Action::kCreate;
  change.reason = Reason::kNew;
  change.reason_detail = "it does not exist yet";
  change.after = desired;
  for (const auto& [name, value] : desired.attributes) {
    change.changes.push_back(AttributeChange{name, std::nullopt, value, false});
  }
  return change;
}

void CopyLive(ResourceChange& change, const ResourceState& live) {
  change.live_version = live.version;
  change.problems = live.problems;
  change.engine_in_progress = live.in_progress;
}

ResourceChange PlanDelete(const ResourceState& live) {
  ResourceChange change = BaseChange(live);
  change.action = Action::kDelete;
  change.reason = Reason::kNotInConfig;
  change.before = live;
  CopyLive(change, live);
  if (live.managed) {
    change.reason_detail = "it is not in the configuration";
  } else {
    change.reason_detail = "it carries the stack label but is not in the configuration (made outside nest)";
    change.drift = true;
  }
  for (const auto& [name, value] : live.attributes) {
    change.changes.push_back(AttributeChange{name, value, std::nullopt, false});
  }
  return change;
}

ResourceChange PlanLeftAlone(const ResourceState& live, const std::string& problem) {
  ResourceChange change = BaseChange(live);
  change.action = Action::kNoOp;
  change.before = live;
  CopyLive(change, live);
  change.problems.push_back(problem);
  return change;
}

ResourceChange PlanExisting(const ResourceState& desired, const ResourceState& live_in) {
  ResourceState live = live_in;
  MarkSensitiveLike(live, desired);
  ResourceChange change = BaseChange(desired);
  change.before = live;
  change.after = desired;
  CopyLive(change, live);
  change.changes = CompareAttributes(live, desired);

  bool renamed = live.docker_name != desired.docker_name;
  if (renamed && !desired.attributes.contains("name") && !live.attributes.contains("name")) {
    AttributeChange name{"name", AttributeValue::Scalar(live.docker_name),
                         AttributeValue::Scalar(desired.docker_name), true};
    change.changes.insert(change.changes.begin(), std::move(name));
  }
  if (renamed) {
    for (auto& attribute : change.changes) {
      if (attribute.name == "name") attribute.forces_replacement = true;
    }
  }
  if (change.changes.empty()) return change;  // no-op

  change.drift = !live.spec_hash.empty() && live.spec_hash == desired.spec_hash;
  std::vector<std::string> forced, changed;
  for (const auto& attribute : change.changes) {
    changed.push_back(attribute.name);
    if (attribute.forces_replacement) forced.push_back(attribute.name);
  }
  if (!forced.empty()) {
    change.action = Action::kReplace;
    change.reason = Reason::kForcedReplacement;
    if (renamed && IsImmutableByName(desired.kind)) {
      change.create_before_destroy = true;
      change.reason_detail = fmt::format(
          "its content changed: `{}` is created, its users move to it, then `{}` is removed",
          desired.docker_name, live.docker_name);
    } else {
      change.reason_detail = ReplaceDetail(desired.kind, forced);
    }
    return change;
  }
  change.action = Action::kUpdate;
  if (change.drift) {
    change.reason = Reason::kDrift;
    change.reason_detail = "changed outside nest";
  } else {
    change.reason = Reason::kChanged;
    change.reason_detail = QuotedNames(changed) + " changed";
  }
  return change;
}

// ---------------------------------------------------------------------------
// Updates that only move a service to a replaced secret or config.

bool Mentions(const AttributeValue& value, const std::string& name) {
  if (value.kind == AttributeValue::Kind::kScalar) return value.scalar.find(name) != std::string::npos;
  for (const auto& item : value.list) {
    if (Mentions(item, name)) return true;
  }
  for (const auto& [key, item] : value.map) {
    if (key.find(name) != std::string::npos || Mentions(item, name)) return true;
  }
  return false;
}

void MarkDependencyMoves(std::vector<ResourceChange>& changes) {
  std::map<std::string, std::string> replaced;  // old Docker name -> address
  for (const auto& change : changes) {
    if (change.action == Action::kReplace && change.create_before_destroy && change.before) {
      replaced[change.before->docker_name] = change.address;
    }
  }
  if (replaced.empty()) return;
  for (auto& change : changes) {
    if (change.action != Action::kUpdate || change.reason != Reason::kChanged) continue;
    std::set<std::string> moved_to;
    bool all = true;
    for (const auto& attribute : change.changes) {
      bool found = false;
      for (const auto& [old_name, address] : replaced) {
        if (attribute.before && Mentions(*attribute.before, old_name)) {
          moved_to.insert(address);
          found = true;
        }
      }
      all = all && found;
    }
    if (!all || moved_to.empty()) continue;
    change.reason = Reason::kDependencyChanged;
    change.reason_detail = "it moves to the new " +
                           fmt::format("{}", fmt::join(moved_to.begin(), moved_to.end(), ", "));
  }
}

// ---------------------------------------------------------------------------
// Services on a replaced network.
//
// A network has no update endpoint, so a change to it is a delete, then a
// create. Docker refuses to remove a network a service is attached to, and
// a service keeps the old network's ID: each live service attached to it is
// removed before it and created again after it, on the new network. The
// plan says so; an update of such a service becomes that replacement.

void ReplaceServicesOnReplacedNetworks(std::vector<ResourceChange>& changes) {
  std::map<std::string, std::string> replaced;  // the live network's name and ID -> its address
  for (const auto& change : changes) {
    if (change.kind != ResourceKind::kNetwork || change.action != Action::kReplace || !change.before) continue;
    replaced[change.before->docker_name] = change.address;
    if (change.before->version && !change.before->version->id.empty()) {
      replaced[change.before->version->id] = change.address;
    }
  }
  if (replaced.empty()) return;
  std::map<std::string, std::set<std::string>> services_of;  // network address -> services
  for (auto& change : changes) {
    bool kept = change.action == Action::kNoOp || change.action == Action::kUpdate;
    if (change.kind != ResourceKind::kService || !kept || !change.before || !change.after) continue;
    std::set<std::string> networks;
    for (const auto& reference : ServiceReferences(*change.before)) {
      if (reference.kind != ResourceKind::kNetwork) continue;
      if (auto it = replaced.find(reference.name); it != replaced.end()) networks.insert(it->second);
    }
    if (networks.empty()) continue;
    std::string names = fmt::format("{}", fmt::join(networks.begin(), networks.end(), ", "));
    change.action = Action::kReplace;
    change.reason = Reason::kForcedReplacement;
    change.reason_detail = fmt::format(
        "it is attached to {}, which is replaced: Docker removes no network a service uses, so the service "
        "is removed first and created again on the new network",
        names);
    for (const auto& network : networks) services_of[network].insert(change.address);
  }
  for (auto& change : changes) {
    auto it = services_of.find(change.address);
    if (it == services_of.end()) continue;
    change.reason_detail += fmt::format("; {} attached to it {} replaced with it",
                                        fmt::join(it->second.begin(), it->second.end(), ", "),
                                        it->second.size() == 1 ? "is" : "are");
  }
}

// ---------------------------------------------------------------------------
// Order: creation order for everything in the config; deletes after, in
// reverse (services before what they use), by address backwards.

int DeleteRank(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kService: return 0;
    case ResourceKind::kConfig: return 1;
    case ResourceKind::kSecret: return 2;
    case ResourceKind::kVolume: return 3;
    case ResourceKind::kNetwork: return 4;
  }
  return 5;
}

void SortChanges(std::vector<ResourceChange>& forward, std::vector<ResourceChange>& backward,
                 const DiffOptions& options) {
  std::map<std::string, int> position;
  for (std::size_t i = 0; i < options.order.size(); ++i) {
    position.emplace(options.order[i], static_cast<int>(i));
  }
  auto pos = [&](const std::string& address) {
    auto it = position.find(address);
    return it == position.end() ? INT_MAX : it->second;
  };
  std::stable_sort(forward.begin(), forward.end(), [&](const ResourceChange& a, const ResourceChange& b) {
    int pa = pos(a.address), pb = pos(b.address);
    return pa != pb ? pa < pb : a.address < b.address;
  });
  std::stable_sort(backward.begin(), backward.end(), [](const ResourceChange& a, const ResourceChange& b) {
    int ra = DeleteRank(a.kind), rb = DeleteRank(b.kind);
    if (ra != rb) return ra < rb;
    return a.address > b.address;
  });
}

}  // namespace

DiffOptions DiffOptionsFromGraph(const StackGraph& graph) {
  DiffOptions options;
  for (std::size_t index : graph.order) options.order.push_back(graph.nodes[index].address);
  for (const auto& edge : graph.edges) {
    options.depends_on[graph.nodes[edge.from].address].push_back(graph.nodes[edge.to].address);
  }
  return options;
}

DiffOptions DiffOptionsFromState(const StackState& desired) {
  DiffOptions options;
  std::map<std::string, std::set<std::string>> waiting;  // address -> dependencies not yet ordered
  for (const auto& resource : desired.resources) {
    auto& edges = waiting[resource.address];
    for (const auto& dependency : resource.depends_on) {
      options.depends_on[resource.address].push_back(dependency);
      edges.insert(dependency);
    }
  }
  // Kahn's algorithm; the map keeps each round's ties in address order.
  for (bool progressed = true; progressed && !waiting.empty();) {
    progressed = false;
    std::vector<std::string> ready;
    for (const auto& [address, edges] : waiting) {
      bool all_ordered = std::all_of(edges.begin(), edges.end(),
                                     [&](const std::string& d) { return !waiting.contains(d); });
      if (all_ordered) ready.push_back(address);
    }
    for (const auto& address : ready) {
      options.order.push_back(address);
      waiting.erase(address);
      progressed = true;
    }
  }
  return options;
}

Plan Diff(const StackState& desired, const StackState& live, const DiffOptions& options) {
  Plan plan;
  plan.stack = desired.stack.empty() ? live.stack : desired.stack;
  plan.config_hash = StateHash(desired);
  plan.sensitive_hash = SensitiveHash(desired);
  plan.targets = options.targets;

  std::set<std::string> closure;
  bool targeted = !options.targets.empty();
  if (targeted) closure = TargetClosure(desired, live, options, plan.warnings);
  auto wanted = [&](const std::string& address) { return !targeted || closure.contains(address); };

  std::map<std::string, const ResourceState*> live_by_address;
  std::vector<const ResourceState*> duplicates;
  for (const auto& resource : live.resources) {
    if (!live_by_address.emplace(resource.address, &resource).second) {
      duplicates.push_back(&resource);
      continue;
    }
    if (resource.version) plan.live_versions.emplace(resource.address, *resource.version);
  }

  std::vector<ResourceChange> forward, backward;
  std::set<std::string> desired_addresses;
  for (const auto& resource : desired.resources) {
    desired_addresses.insert(resource.address);
    if (!wanted(resource.address)) continue;
    auto it = live_by_address.find(resource.address);
    forward.push_back(it == live_by_address.end() ? PlanCreate(resource) : PlanExisting(resource, *it->second));
    SetConfigDependencies(forward.back(), resource, desired, options.depends_on);
  }
  for (const auto& [address, resource] : live_by_address) {
    if (desired_addresses.contains(address) || !wanted(address)) continue;
    if (resource->managed || resource->stack_label) {
      backward.push_back(PlanDelete(*resource));
      continue;
    }
    backward.push_back(PlanLeftAlone(*resource, "not made by nest and not in the configuration: left alone"));
    plan.warnings.push_back(fmt::format(
        "{} (`{}`) uses this stack's name but carries no nest or stack label; nest leaves it alone",
        address, resource->docker_name));
  }
  for (const ResourceState* resource : duplicates) {
    if (!wanted(resource->address)) continue;
    backward.push_back(PlanLeftAlone(*resource, "another live object has the same address: left alone"));
    plan.warnings.push_back(fmt::format(
        "two live objects claim {}: `{}` is left alone; remove one of them by hand", resource->address,
        resource->docker_name));
  }

  for (const auto& problem : live.problems) plan.warnings.push_back(problem);

  SortChanges(forward, backward, options);
  plan.changes = std::move(forward);
  for (auto& change : backward) plan.changes.push_back(std::move(change));
  MarkDependencyMoves(plan.changes);
  ReplaceServicesOnReplacedNetworks(plan.changes);
  AddDeleteEdges(plan.changes);
  return plan;
}

}  // namespace nest::plan
