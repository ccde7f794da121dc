// Compose's string form of `command`, `entrypoint` and `healthcheck.test`
// as words, split like a shell would but without running one: no
// variables, globs, pipes or redirections.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/compose_syntax/parsed.h"

namespace nest::compose_syntax {

// "sh -c 'echo hi'" -> ["sh", "-c", "echo hi"]. Words are separated by
// spaces, tabs, CR and LF. A backslash outside quotes takes the next
// character as it is; single quotes keep everything up to the next single
// quote; double quotes keep everything up to the next double quote, where a
// backslash escapes only `"`, `\`, `$` and a backtick (POSIX). `''` and `""`
// are empty words. An unterminated quote or a trailing backslash is an error.
Parsed<std::vector<std::string>> SplitShellWords(std::string_view text);

}  // namespace nest::compose_syntax
