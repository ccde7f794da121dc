// Generates large, realistic nest stacks for the benchmarks: N services
// spread over networks, each with env, health check, resources, security,
// a deploy block and references to networks, secrets, volumes and other
// services (so the graph has real edges).
#pragma once

#include <string>

namespace nest::bench {

// One .nest file's text holding the whole stack.
std::string GenerateStack(int services);

}  // namespace nest::bench
