#include "planner/plan_stack.h"

#include <fmt/format.h>

#include "planner/autoscaled_replicas.h"
#include "planner/diff.h"

namespace nest::plan {

Result<PlannedStack> PlanStack(const Config& config, const StackGraph& graph, Provider& provider,
                               const PlanStackOptions& options, Diagnostics& diags) {
  const std::string& stack = options.stack.empty() ? config.stack_name : options.stack;
  std::optional<StackState> desired = provider.DesiredState(config, stack, diags);
  if (!desired || diags.HasErrors()) {
    return Error{fmt::format("nothing was planned: the stack cannot be built for {} (see the errors above)",
                             PlatformName(provider.platform()))};
  }
  Result<StackState> live = provider.ReadStack(stack);
  if (!live.ok()) return live.error();

  AdoptAutoscaledReplicas(*desired, live.value());

  DiffOptions diff_options = DiffOptionsFromGraph(graph);
  diff_options.targets = options.targets;
  Plan plan = Diff(*desired, live.value(), diff_options);
  plan.target = PlatformName(provider.platform());
  plan.engine = provider.endpoint();
  return PlannedStack{std::move(plan), std::move(*desired)};
}

}  // namespace nest::plan
