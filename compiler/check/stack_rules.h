// Rules that look across a whole checked stack, or across several
// attributes of one resource: subnets, host ports, autoscale ranges,
// conflicting settings, files that must exist.
#pragma once

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"

namespace nest {

// Rules across resources: overlapping subnets, host ports published twice.
void CheckStackRules(const Config& config, Diagnostics& diags);

// Rules across the attributes of one checked resource: replicas and
// autoscale, mounts, health checks, the source of a secret or config. The
// checker runs them as each resource is checked, while its values are still
// in the cache (on large stacks, on several threads).
void CheckResourceRules(const Resource& resource, Diagnostics& diags);

}  // namespace nest
