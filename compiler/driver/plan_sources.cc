// Where `nest plan` gets its two states: the one place that ties the command
// to the desired-state builder (planner/desired) and to the providers.
#include <fmt/format.h>

#include "compiler/driver/plan_commands.h"
#include "planner/desired.h"
#include "planner/platform.h"
#include "providers/engine/client.h"
#include "providers/engine/endpoint.h"
#include "providers/make_provider.h"

namespace nest {
namespace {

plan::Result<plan::StackState> DesiredState(const Config& config, const std::string& platform_name,
                                            const std::string& stack, Diagnostics& diags) {
  auto platform = plan::ParsePlatform(platform_name);
  if (!platform) return plan::Error{fmt::format("unknown platform `{}`: use swarm or compose", platform_name)};
  auto state = plan::BuildDesiredState(config, *platform, stack, diags);
  // nullopt: the diagnostics already say why, so the error adds nothing.
  if (!state) return plan::Error{""};
  return std::move(*state);
}

engine::Result<plan::StackState> LiveState(const std::string& platform_name, const std::string& stack,
                                           std::string* endpoint_text) {
  auto endpoint = engine::ResolveEndpoint(engine::ProcessEnvironment());
  if (!endpoint.ok()) return endpoint.error();
  *endpoint_text = endpoint.value().Display();
  auto platform = plan::ParsePlatform(platform_name);
  if (!platform) {
    engine::EngineError error;
    error.kind = engine::ErrorKind::kBadEndpoint;
    error.doing = "choosing a provider";
    error.detail = fmt::format("unknown platform `{}`: use swarm or compose", platform_name);
    return error;
  }
  engine::EngineClient client(endpoint.value());
  return plan::MakeProvider(*platform, client)->ReadStack(stack);
}

}  // namespace

PlanSources DefaultPlanSources() {
  PlanSources sources;
  sources.desired = DesiredState;
  sources.live = LiveState;
  return sources;
}

}  // namespace nest
