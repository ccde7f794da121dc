// Rules that look across a whole checked stack, or across several
// attributes of one resource: subnets, host ports, autoscale ranges,
// conflicting settings, files that must exist.
#pragma once

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"

namespace nest {

void CheckStackRules(const Config& config, Diagnostics& diags);

}  // namespace nest
