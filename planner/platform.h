// Where a stack runs: Docker Swarm services (what `docker stack deploy`
// makes) or plain containers carrying Compose's labels. Chooses the compile
// target the desired state comes from and the provider that reads the live one.
#pragma once

#include <optional>
#include <string_view>

namespace nest::plan {

enum class Platform { kSwarm, kCompose };

inline const char* PlatformName(Platform platform) {
  return platform == Platform::kSwarm ? "swarm" : "compose";
}

inline std::optional<Platform> ParsePlatform(std::string_view name) {
  if (name == "swarm") return Platform::kSwarm;
  if (name == "compose") return Platform::kCompose;
  return std::nullopt;
}

}  // namespace nest::plan
