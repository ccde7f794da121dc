// Where a stack runs: Docker Swarm services (what `docker stack deploy`
// makes) or plain containers carrying Compose's labels. One enum for the
// whole pipeline: it is the target `nest compile` writes for, the document
// the desired state is built from, and the provider that reads and changes
// the live stack. The command line parses it once.
#pragma once

#include <optional>
#include <string_view>

namespace nest {

enum class Platform { kSwarm, kCompose };

// "swarm", "compose": as written on the command line and in saved plans.
const char* PlatformName(Platform platform);
// nullopt for anything but "swarm" and "compose".
std::optional<Platform> ParsePlatform(std::string_view name);

}  // namespace nest
