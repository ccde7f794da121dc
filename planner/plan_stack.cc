#include "planner/plan_stack.h"

#include <fmt/format.h>

#include "planner/autoscaled_replicas.h"
#include "planner/diff.h"

namespace nest::plan {
namespace {

// The live state read, autoscaled replicas adopted, and the diff.
Result<PlannedStack> DiffAgainstLive(StackState desired, DiffOptions diff_options, Provider& provider,
                                     const std::string& stack, const std::vector<std::string>& targets) {
  Result<StackState> live = provider.ReadStack(stack);
  if (!live.ok()) return live.error();

  AdoptAutoscaledReplicas(desired, live.value());

  diff_options.targets = targets;
  Plan plan = Diff(desired, live.value(), diff_options);
  plan.target = PlatformName(provider.platform());
  plan.engine = provider.endpoint();
  return PlannedStack{std::move(plan), std::move(desired)};
}

}  // namespace

Result<PlannedStack> PlanStack(const Config& config, const StackGraph& graph, Provider& provider,
                               const PlanStackOptions& options, Diagnostics& diags) {
  const std::string& stack = options.stack.empty() ? config.stack_name : options.stack;
  std::optional<StackState> desired = provider.DesiredState(config, stack, diags);
  if (!desired || diags.HasErrors()) {
    return Error{fmt::format("nothing was planned: the stack cannot be built for {} (see the errors above)",
                             PlatformName(provider.platform()))};
  }
  return DiffAgainstLive(std::move(*desired), DiffOptionsFromGraph(graph), provider, stack, options.targets);
}

Result<PlannedStack> PlanRevision(Provider& provider, std::int64_t revision, const PlanStackOptions& options) {
  Result<StackState> desired = provider.RevisionDesiredState(options.stack, revision);
  if (!desired.ok()) return desired.error();
  DiffOptions diff_options = DiffOptionsFromState(desired.value());
  return DiffAgainstLive(std::move(desired).value(), std::move(diff_options), provider, options.stack,
                         options.targets);
}

}  // namespace nest::plan
