// An entry of a compose mapping in its list form, "KEY=VALUE" or a bare
// "KEY" (`environment`, `labels`, `sysctls`, `driver_opts` ... written as
// lists).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nest::compose_syntax {

struct Assignment {
  std::string key;                   // before the first `=`; may be empty
  std::optional<std::string> value;  // after it; nullopt for a bare "KEY"
};

// Splits at the first `=`: "A=b=c" -> {"A", "b=c"}, "A" -> {"A", nullopt}.
// Every text is an assignment; a caller that needs a key checks it.
Assignment SplitAssignment(std::string_view text, char separator = '=');

}  // namespace nest::compose_syntax
