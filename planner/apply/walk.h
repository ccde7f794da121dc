// The apply walk: a plan's changes become steps with dependency edges, so
// `nest apply` can run independent steps at once and knows what a failure
// holds back. Pure: no engine, no threads (planner/apply/executor.h runs the
// steps). docs/apply.md describes the rules.
//
// One step per change, two for a replacement:
//   create, update, delete       -> one step of that operation
//   replace, create_before_destroy (secrets and configs: a new name)
//                                -> create the new object; every consumer's
//                                   update (changes that depend on it) waits
//                                   for it; then delete the old object, after
//                                   those updates and after the deletes of
//                                   services in its depends_on
//   replace otherwise            -> delete the old object, then create
//   no-op                        -> no step; a wait step when the engine is
//                                   still rolling the object out
// Edges: a change's create/update step waits for the create/update step of
// every address in its depends_on (networks, secrets, configs and volumes
// before the services using them, as the config's edges say). A delete's
// depends_on names the services that must let go of it first (the diff
// derives them from the live references): it waits for those services'
// last step. Addresses without a step (no-ops, unknown) are already there.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "planner/plan.h"
#include "compiler/support/result.h"

namespace nest::plan::apply {

// kWait changes nothing: a no-op whose live object the engine is still
// rolling out (ResourceChange::engine_in_progress), waited for like an update.
enum class Operation { kCreate, kUpdate, kDelete, kWait };
const char* OperationName(Operation operation);  // "create", "update", "delete", "wait"

// Which half of a replacement a step is.
enum class Half { kNone, kNewObject, kOldObject };

struct Step {
  std::size_t id = 0;            // index in Walk::steps
  std::size_t change = 0;        // index in the plan's changes
  std::string address;
  ResourceKind kind = ResourceKind::kService;
  Operation operation = Operation::kCreate;
  Half half = Half::kNone;
  // Steps that must succeed before this one starts, by id, sorted.
  std::vector<std::size_t> depends_on;
};

// For people and events: "create network.backend", "update service.app",
// "delete secret.db_password (old object)", "create secret.db_password (new object)".
std::string DescribeStep(const Step& step);

struct Walk {
  // In an order that respects every edge (a step's dependencies come before
  // it), following the plan's order where the edges leave a choice.
  std::vector<Step> steps;
};

// The walk of `changes` (a plan's, in plan order). An error when the edges
// form a cycle (a hand-edited plan file; the config's cycles are refused at
// check time), naming the steps on it.
Result<Walk> BuildWalk(const std::vector<ResourceChange>& changes);

}  // namespace nest::plan::apply
