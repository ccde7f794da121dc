// Compose CPU counts: docker's opts.ParseCPUs, a decimal number of CPUs read
// exactly as nano-CPUs (`deploy.resources.*.cpus`, `cpus`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/compose_syntax/parsed.h"

namespace nest::compose_syntax {

// "0.5" -> 500000000, "2" -> 2000000000. An error when the text is not a
// plain decimal number or is finer than 1e-9 CPUs.
Parsed<std::int64_t> ParseNanoCpus(std::string_view text);

// Nano-CPUs as a decimal number of CPUs without trailing zeros: "0.5", "2".
std::string FormatNanoCpus(std::int64_t nanos);

}  // namespace nest::compose_syntax
