// Engine timestamps ("2026-12-03T14:13:15.334517953Z") as time points.
//
// The apply helpers compare times the swarm manager wrote (a task's
// CreatedAt against an UpdateStatus.StartedAt, a lock's UpdatedAt against
// the manager's SystemTime), never the client's clock. The Engine writes
// them with Go's RFC 3339: fraction trimmed of trailing zeros (so the text
// does not sort as the time does), "Z" or a "+01:00" offset. Pure; never throws.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace nest::swarm {

using EngineTime = std::chrono::sys_time<std::chrono::nanoseconds>;

// nullopt when `text` is not RFC 3339 (Go's zero time "0001-01-01T00:00:00Z"
// parses: callers treat it as "long ago").
std::optional<EngineTime> ParseEngineTime(std::string_view text);

// "2026-12-03T14:13:15.334517953Z": always nine digits, always UTC.
std::string FormatEngineTime(EngineTime time);

}  // namespace nest::swarm
