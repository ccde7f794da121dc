// A saved plan is applied only to the world it was computed against: the
// same config (its desired state hashes the same, sensitive values too) and
// the same live objects (every version the plan read, unchanged, and no new
// one). Anything else and the plan may no longer say what apply would do.
#pragma once

#include "compiler/support/result.h"
#include "planner/plan.h"

namespace nest::plan {

// `saved` is the plan file's; `fresh` is planned again now from the same
// config path and the live engine. The error names what moved:
//   the saved plan is stale: service.app changed on the engine (version 12
//   -> 15), network.extra appeared; plan again
Status CheckSavedPlanStillApplies(const Plan& saved, const Plan& fresh);

}  // namespace nest::plan
