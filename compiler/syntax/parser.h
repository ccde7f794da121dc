// Parsing one .nest file into an ast::File.
#pragma once

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace nest {

// Parses the whole file. Syntax errors go to `diags` (codes E001-E013) with
// the offending span; parsing recovers at the next top-level block, so one
// run reports one error per broken block and no cascades. The returned File
// holds every block that parsed completely. Never throws for any input:
// running out of memory is one E070 diagnostic (only a bug in nest throws).
//
// A large file (over 512 KiB) is parsed in parts on up to `threads` threads
// (0: one per core); the tree and the diagnostics are the same for any
// number of threads.
ast::File ParseFile(const SourceManager& sources, FileId file, Diagnostics& diags, unsigned threads = 0);

}  // namespace nest
