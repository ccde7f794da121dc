// A compose service's `restart:` ("no", "always", "unless-stopped",
// "on-failure[:N]"): docker's opts.ParseRestartPolicy and the names
// `docker stack deploy` turns into a Swarm restart condition.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "compiler/compose_syntax/parsed.h"

namespace nest::compose_syntax {

enum class RestartCondition { kNo, kAlways, kUnlessStopped, kOnFailure };

struct RestartPolicy {
  RestartCondition condition = RestartCondition::kNo;
  std::optional<std::int64_t> max_retries;  // the N of "on-failure:N", when written
};

// "" is "no". Errors: an unknown name, a count after a name other than
// on-failure, or a count that is not a whole number from 0.
Parsed<RestartPolicy> ParseRestartPolicy(std::string_view text);

}  // namespace nest::compose_syntax
