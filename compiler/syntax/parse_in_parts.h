// Parsing a large file in parts, on a few threads (parse_in_parts.cc).
#pragma once

#include <string_view>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace nest::syntax::parsing {

// Parses `text` in parts into `out` and returns true, when the file is
// large enough to be cut (over 512 KiB, `threads` not 1) and no part has a
// diagnostic. Otherwise returns false and leaves `out` as it was: the
// caller parses the whole file in one pass, so diagnostics are always a
// single pass's.
bool ParseInParts(std::string_view text, FileId file, ast::File& out, unsigned threads);

}  // namespace nest::syntax::parsing
