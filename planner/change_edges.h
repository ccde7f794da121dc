// The dependency edges of a plan's changes (ResourceChange::depends_on), so a
// saved plan can be applied in parallel: which changes must finish before
// which. Two sources: the config's edges for what the config holds, and the
// live objects' references for what is deleted (nothing in the config names
// a deleted object any more, but a live service still uses it until it is
// deleted or updated).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "planner/plan.h"
#include "planner/state/state.h"

namespace nest::plan {

// Sets change.depends_on (and change.after->depends_on) to the desired
// resource's dependencies joined with `graph_edges` for its address, keeping
// only addresses `desired` holds, sorted and unique.
void SetConfigDependencies(ResourceChange& change, const ResourceState& resource, const StackState& desired,
                           const std::map<std::string, std::vector<std::string>>& graph_edges);

// A network, secret, config or volume a service's state names: by Docker
// name, or for a network by ID when the provider could not name it.
struct ObjectReference {
  ResourceKind kind = ResourceKind::kNetwork;
  std::string name;
  bool operator==(const ObjectReference&) const = default;
  auto operator<=>(const ObjectReference&) const = default;
};

// What `service` uses, read from the attribute shapes
// providers/swarm/normalize.cc writes (for both sides): `networks` (a map by
// network), `secrets` and `configs` (lists of maps by `source`), `mounts` of
// type volume (by `source`). Sorted, unique.
std::vector<ObjectReference> ServiceReferences(const ResourceState& service);

// For every delete of a network, secret, config or volume: depends_on gets
// the services whose live objects use it and that this plan deletes, updates
// or replaces (Docker refuses to remove an object a service still uses). For
// a create-before-destroy replacement: the deleted services that use the old
// object (its consumers in the config follow their own edges).
void AddDeleteEdges(std::vector<ResourceChange>& changes);

}  // namespace nest::plan
