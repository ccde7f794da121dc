#include "providers/compose/read.h"

#include "compiler/compose_syntax/project_name.h"
#include "providers/desired.h"
#include "providers/compose/canary.h"
#include "providers/compose/normalize.h"
#include "providers/engine/query.h"

namespace nest::compose {

std::optional<plan::StackState> ComposeProvider::DesiredState(const Config& config, const std::string& stack,
                                                  Diagnostics& diags) {
  ComposeDesired desired;
  desired.project = compose_syntax::ProjectName(stack.empty() ? config.stack_name : stack);
  std::optional<plan::StackState> state =
      plan::BuildDesiredState(config, Platform::kCompose, stack, diags, nullptr, &desired.document);
  if (!state) return std::nullopt;
  // What apply will do with each service, said (and refused) at plan time.
  if (!ReadRolloutSettings(config, desired.document, desired.rollouts, diags)) return std::nullopt;
  if (!CheckCanaryServices(config, desired.document, desired.rollouts, diags)) return std::nullopt;
  desired_ = std::move(desired);
  return state;
}

Result<plan::StackState> ComposeProvider::ReadStack(const std::string& stack) {
  engine::Result<plan::StackState> live = ReadLive(stack);
  if (!live.ok()) return Error{live.error().Describe()};
  return std::move(live).value();
}

engine::Result<plan::StackState> ComposeProvider::ReadLive(const std::string& stack) {
  const std::string project = compose_syntax::ProjectName(stack);
  const std::string filter = engine::LabelFilter({std::string(kProjectLabel) + "=" + project});
  const std::string of = " of compose project " + project;
  auto containers = client().Get("/containers/json?all=1&" + filter, "listing containers" + of);
  if (!containers.ok()) return containers.error();
  auto networks = client().Get("/networks?" + filter, "listing networks" + of);
  if (!networks.ok()) return networks.error();
  auto volumes = client().Get("/volumes?" + filter, "listing volumes" + of);
  if (!volumes.ok()) return volumes.error();
  auto array = [](const nlohmann::json& value) { return value.is_array() ? value : nlohmann::json::array(); };
  nlohmann::json volume_list = nlohmann::json::array();
  if (auto it = volumes.value().find("Volumes"); it != volumes.value().end() && it->is_array()) volume_list = *it;
  return BuildLiveState(stack, array(containers.value()), array(networks.value()), volume_list);
}

}  // namespace nest::compose
