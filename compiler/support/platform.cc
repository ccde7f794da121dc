#include "compiler/support/platform.h"

namespace nest {

const char* PlatformName(Platform platform) { return platform == Platform::kSwarm ? "swarm" : "compose"; }

std::optional<Platform> ParsePlatform(std::string_view name) {
  if (name == "swarm") return Platform::kSwarm;
  if (name == "compose") return Platform::kCompose;
  return std::nullopt;
}

}  // namespace nest
