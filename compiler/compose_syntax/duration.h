// Compose durations: Go's time.ParseDuration, the format compose files write
// `interval`, `timeout`, `stop_grace_period`, `delay` ... in.
#pragma once

#include <cstdint>
#include <string_view>

#include "compiler/compose_syntax/parsed.h"

namespace nest::compose_syntax {

// Nanoseconds of "1m30s", "500ms", "1.5h", "10us", "-2s", "0" (the only
// number without a unit). Units: ns, us (µs, μs), ms, s, m, h; a fraction is
// exact to the nanosecond and rounded toward zero below it, like Go.
Parsed<std::int64_t> ParseDuration(std::string_view text);

}  // namespace nest::compose_syntax
