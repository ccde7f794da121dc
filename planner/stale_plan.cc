#include "planner/stale_plan.h"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace nest::plan {

Status CheckSavedPlanStillApplies(const Plan& saved, const Plan& fresh) {
  std::vector<std::string> moved;
  if (saved.stack != fresh.stack) moved.push_back(fmt::format("the stack is `{}`, not `{}`", fresh.stack, saved.stack));
  if (saved.target != fresh.target) {
    moved.push_back(fmt::format("the platform is {}, not {}", fresh.target, saved.target));
  }
  if (saved.config_hash != fresh.config_hash) moved.push_back("the config changed");
  if (saved.sensitive_hash != fresh.sensitive_hash) moved.push_back("a sensitive value of the config changed");
  if (saved.targets != fresh.targets) moved.push_back("the --target addresses differ");
  for (const auto& [address, version] : saved.live_versions) {
    auto it = fresh.live_versions.find(address);
    if (it == fresh.live_versions.end()) {
      moved.push_back(fmt::format("{} is gone from the engine", address));
    } else if (it->second.id != version.id) {
      moved.push_back(fmt::format("{} was replaced on the engine", address));
    } else if (it->second.index != version.index) {
      moved.push_back(fmt::format("{} changed on the engine (version {} -> {})", address, version.index,
                                  it->second.index));
    }
  }
  for (const auto& [address, version] : fresh.live_versions) {
    if (!saved.live_versions.count(address)) moved.push_back(fmt::format("{} appeared on the engine", address));
  }
  if (moved.empty()) return Done{};
  std::string joined;
  for (std::size_t i = 0; i < moved.size(); ++i) joined += (i ? ", " : "") + moved[i];
  return Error{fmt::format("the saved plan is stale: {}; run `nest plan -out FILE` again", joined)};
}

}  // namespace nest::plan
