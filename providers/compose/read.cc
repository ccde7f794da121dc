#include "providers/compose/read.h"

#include "compiler/compose_syntax/project_name.h"
#include "providers/desired.h"
#include "providers/compose/normalize.h"
#include "providers/engine/query.h"

namespace nest::compose {

std::optional<plan::StackState> ComposeProvider::DesiredState(const Config& config, const std::string& stack,
                                                  Diagnostics& diags) {
  return plan::BuildDesiredState(config, Platform::kCompose, stack, diags);
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

Status ComposeProvider::Apply(const plan::ResourceChange&, plan::StepOp, const plan::StepContext&) {
  return Error{"nest apply does not support the compose platform yet"};
}

Status ComposeProvider::WaitConverged(const plan::ResourceChange&, const plan::StepContext&) {
  return Error{"nest apply does not support the compose platform yet"};
}

Result<std::unique_ptr<plan::StackLock>> ComposeProvider::Lock(const plan::LockRequest&, std::vector<std::string>&) {
  return Error{"nest apply does not support the compose platform yet"};
}

Status ComposeProvider::ForceUnlock(const std::string&, const std::string&) {
  return Error{"nest apply does not support the compose platform yet"};
}

Result<int> ComposeProvider::RecordRevision(const plan::RevisionRecord&) {
  return Error{"nest apply does not support the compose platform yet"};
}

}  // namespace nest::compose
