#include "compiler/emit/target.h"

namespace nest {

const char* TargetName(Target target) {
  return target == Target::kSwarm ? "swarm" : "compose";
}

std::optional<Target> ParseTarget(std::string_view name) {
  if (name == "swarm") return Target::kSwarm;
  if (name == "compose") return Target::kCompose;
  return std::nullopt;
}

}  // namespace nest
