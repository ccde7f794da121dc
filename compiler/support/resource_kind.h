// The five kinds of Docker object a stack is made of. A vocabulary type of
// the lowest layer: the checked config, the state model, the planner and the
// providers all name kinds with it, and none of them owns it.
#pragma once

#include <cstdint>

namespace nest {

enum class ResourceKind : std::uint8_t { kNetwork, kVolume, kSecret, kConfig, kService };

// "network", "volume", "secret", "config", "service".
const char* ResourceKindName(ResourceKind kind);

}  // namespace nest
