// Where `nest plan` gets its two states: the one place that ties the command
// to the desired-state builder (planner/desired) and to the providers.
//
// NOT WIRED YET: planner/desired.h and a provider factory were not published
// when the plan command was written. Wiring is two calls:
//   desired: planner::BuildDesiredState(config, platform, stack, diags)
//   live:    resolve the endpoint (engine::ResolveEndpoint(ProcessEnvironment())),
//            set *endpoint = endpoint.Display(), build an engine::EngineClient
//            and return MakeProvider(platform, client)->ReadStack(stack).
// Until then both sources fail with a message saying so (exit 1).
#include <fmt/format.h>

#include "compiler/driver/plan_commands.h"

namespace nest {

PlanSources DefaultPlanSources() {
  PlanSources sources;
  sources.desired = [](const Config&, const std::string& platform, const std::string&,
                       Diagnostics&) -> plan::Result<plan::StackState> {
    return plan::Error{fmt::format(
        "`nest plan --platform {}` cannot build the desired state yet: the planner is not wired to "
        "the compiler in this build (compiler/driver/plan_sources.cc)",
        platform)};
  };
  sources.live = [](const std::string& platform, const std::string&,
                    std::string*) -> engine::Result<plan::StackState> {
    engine::EngineError error;
    error.kind = engine::ErrorKind::kBadEndpoint;
    error.doing = fmt::format("reading the live {} stack", platform);
    error.detail = "no provider is wired into this build (compiler/driver/plan_sources.cc)";
    return error;
  };
  return sources;
}

}  // namespace nest
