#include "providers/compose/read.h"

#include "compiler/compose_syntax/project_name.h"
#include "providers/compose/normalize.h"
#include "providers/engine/query.h"

namespace nest::compose {

engine::Result<plan::StackState> ComposeProvider::ReadStack(const std::string& stack) {
  const std::string project = compose_syntax::ProjectName(stack);
  const std::string filter = engine::LabelFilter({std::string(kProjectLabel) + "=" + project});
  const std::string of = " of compose project " + project;
  auto containers = client_.Get("/containers/json?all=1&" + filter, "listing containers" + of);
  if (!containers.ok()) return containers.error();
  auto networks = client_.Get("/networks?" + filter, "listing networks" + of);
  if (!networks.ok()) return networks.error();
  auto volumes = client_.Get("/volumes?" + filter, "listing volumes" + of);
  if (!volumes.ok()) return volumes.error();
  auto array = [](const nlohmann::json& value) { return value.is_array() ? value : nlohmann::json::array(); };
  nlohmann::json volume_list = nlohmann::json::array();
  if (auto it = volumes.value().find("Volumes"); it != volumes.value().end() && it->is_array()) volume_list = *it;
  return BuildLiveState(stack, array(containers.value()), array(networks.value()), volume_list);
}

}  // namespace nest::compose
