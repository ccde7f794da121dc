// Compose's project name: the name a stack's containers, networks and
// volumes are labelled and prefixed with.
#pragma once

#include <string>
#include <string_view>

namespace nest::compose_syntax {

// Lower case, keeping only a-z, 0-9, `_` and `-`: "My App" -> "myapp".
// (compose-go also trims leading `_` and `-`; nest does not, so names it
// already gave keep their meaning.) May be empty.
std::string ProjectName(std::string_view name);

}  // namespace nest::compose_syntax
