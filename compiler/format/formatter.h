// `nest fmt`: one canonical layout for .nest source.
#pragma once

#include <string>

#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace nest {

// Reprints a parsed file in the canonical layout, keeping every comment.
// REQUIRES: `file` parsed without syntax errors. Idempotent:
// FormatFile(Parse(FormatFile(x))) == FormatFile(x).
std::string FormatFile(const SourceManager& sources, const ast::File& file);

}  // namespace nest
