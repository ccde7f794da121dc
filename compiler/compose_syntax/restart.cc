#include "compiler/compose_syntax/restart.h"

#include <fmt/format.h>

namespace nest::compose_syntax {

Parsed<RestartPolicy> ParseRestartPolicy(std::string_view text) {
  auto fail = [&](std::string_view why) {
    return SyntaxError{fmt::format("`{}` is not a restart policy: {}", text, why)};
  };
  std::size_t colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  RestartPolicy out;
  if (name.empty() && colon != std::string_view::npos) return fail("no policy before the colon");
  if (name.empty() || name == "no") out.condition = RestartCondition::kNo;
  else if (name == "always") out.condition = RestartCondition::kAlways;
  else if (name == "unless-stopped") out.condition = RestartCondition::kUnlessStopped;
  else if (name == "on-failure") out.condition = RestartCondition::kOnFailure;
  else return fail("use no, always, unless-stopped or on-failure[:N]");
  if (colon == std::string_view::npos) return out;
  std::string_view count = text.substr(colon + 1);
  if (count.empty()) return out;  // "on-failure:", as docker reads it
  if (out.condition != RestartCondition::kOnFailure) return fail("only on-failure takes a retry count");
  std::int64_t n = 0;
  for (char c : count) {
    if (c < '0' || c > '9' || n > 99999999) return fail(fmt::format("the retry count `{}` is not a whole number from 0", count));
    n = n * 10 + (c - '0');
  }
  out.max_retries = n;
  return out;
}

}  // namespace nest::compose_syntax
