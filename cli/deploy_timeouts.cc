#include "cli/deploy_timeouts.h"

#include <algorithm>

namespace nest {

std::map<std::string, std::chrono::nanoseconds> DeployTimeouts(const Config& config) {
  std::map<std::string, std::chrono::nanoseconds> timeouts;
  for (const auto& resource : config.resources) {
    if (resource.kind != ResourceKind::kService) continue;
    const Value* deploy = resource.body.Find("deploy");
    const Value* timeout = deploy != nullptr ? deploy->Find("timeout") : nullptr;
    if (timeout != nullptr && timeout->kind == ValueKind::kDuration) {
      timeouts.emplace(resource.address, std::chrono::nanoseconds(timeout->integer));
    }
  }
  return timeouts;
}

std::chrono::steady_clock::time_point StepDeadline(std::chrono::steady_clock::time_point apply_deadline,
                                                   const std::map<std::string, std::chrono::nanoseconds>& timeouts,
                                                   const std::string& address,
                                                   std::chrono::steady_clock::time_point now) {
  auto it = timeouts.find(address);
  if (it == timeouts.end()) return apply_deadline;
  // Compared as time left, so a far deadline cannot overflow the sum.
  if (it->second >= apply_deadline - now) return apply_deadline;
  return now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(it->second);
}

}  // namespace nest
