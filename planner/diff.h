// The diff: desired and live StackState in, a Plan out. Pure: no Engine, no
// files, the same inputs always give the same plan.
//
// Rules, per address:
//   desired, not live                  -> create (kNew)
//   both, no attribute differs         -> no-op
//   both, a force_new attribute (of the desired state) differs, or the
//   Docker name differs                -> replace (kForcedReplacement);
//                                         secrets and configs whose name (a
//                                         content hash) changed are created
//                                         before the old one is deleted
//   both, other attributes differ      -> update: kDrift when the live
//                                         `nest.spec-hash` equals the desired
//                                         one (the config did not move, so the
//                                         live object did), else kChanged;
//                                         kDependencyChanged when every change
//                                         is a move to a replaced secret/config
//   live only, managed or stack label  -> delete (kNotInConfig)
//   live only, neither                 -> no-op with a problem and a warning:
//                                         nest leaves other people's objects alone
// Every change records depends_on (planner/change_edges.h): the config's
// edges, and for a delete the services still using the object live.
// Live problems are carried into the change; the live stack's own problems
// (objects that belong to no resource) become plan warnings. Sensitive values may be
// compared, never copied into reason_detail; a live value is marked
// sensitive wherever the desired value at the same path is.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/graph/graph.h"
#include "planner/plan.h"
#include "planner/state/state.h"

namespace nest::plan {

struct DiffOptions {
  // Creation order (dependencies first), as addresses. Creates, updates and
  // replaces follow it; addresses missing from it come after, by address.
  std::vector<std::string> order;
  // address -> the addresses it depends on (direct edges).
  std::map<std::string, std::vector<std::string>> depends_on;
  // --target: limit the plan to these addresses (or modules: "module.db"
  // covers every address under it) and, transitively, what they depend on.
  // Empty: the whole stack.
  std::vector<std::string> targets;
};

// The creation order and dependency edges of a graph.
DiffOptions DiffOptionsFromGraph(const StackGraph& graph);

// The same from a desired state's own edges (ResourceState::depends_on),
// for a state that no config graph describes (a revision's, for `nest
// rollback`): dependencies before dependents, ties by address; a cycle
// (never recorded) leaves its members to the by-address fallback.
DiffOptions DiffOptionsFromState(const StackState& desired);

// The plan bringing `live` to `desired`. Sets stack, config_hash and
// sensitive_hash (of desired), targets, live_versions (every live object, even outside the
// targets), changes and warnings; the caller sets target and engine.
Plan Diff(const StackState& desired, const StackState& live, const DiffOptions& options);

}  // namespace nest::plan
