// Planning as a library call: the config and a provider in, a Plan out. The
// command line (`nest plan`, and `nest apply` before it walks) calls this;
// it holds no Docker and no printing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/graph/graph.h"
#include "compiler/support/result.h"
#include "planner/plan.h"
#include "planner/provider.h"

namespace nest::plan {

struct PlanStackOptions {
  std::string stack;                 // the stack name; empty: the config's
  std::vector<std::string> targets;  // --target addresses; empty: the whole stack
};

struct PlannedStack {
  Plan plan;
  // What the plan was computed towards: apply records it in the revision.
  StackState desired;
};

// The desired state from the provider (user errors of the config go to
// `diags`, with locations), the live state from the provider, and the diff,
// in the graph's dependency order. The Plan's target and engine are the
// provider's.
Result<PlannedStack> PlanStack(const Config& config, const StackGraph& graph, Provider& provider,
                               const PlanStackOptions& options, Diagnostics& diags);

// The same towards the desired state revision `revision` of
// `options.stack` recorded (Provider::RevisionDesiredState), for `nest
// rollback`: the order comes from that state's own edges, no config is read.
Result<PlannedStack> PlanRevision(Provider& provider, std::int64_t revision, const PlanStackOptions& options);

}  // namespace nest::plan
