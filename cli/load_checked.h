// The front end every stack command shares (validate, graph, compile, plan):
// turn the command line's --var and --var-file into LoadOptions, load and
// check the stack, and build its dependency graph.
#pragma once

#include <optional>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "cli/commands.h"
#include "compiler/graph/graph.h"
#include "compiler/source/source.h"

namespace nest {

struct CheckedStack {
  std::optional<Config> config;  // empty when there is any error
  StackGraph graph;
};

// Loads, checks and graphs the stack at args.path. A stack is valid only if
// every step succeeds; the diagnostics come back sorted. The syntax trees
// are left for the process exit to free (commands run once and exit).
CheckedStack LoadCheckedStack(const StackArgs& args, SourceManager& sources, Diagnostics& diags);

// The same up to the graph: the config when the stack loads and checks
// without errors. A caller that skips the graph must still refuse a
// dependency cycle with BuildGraph (`nest compile` builds it while it
// writes the file).
std::optional<Config> LoadCheckedConfig(const StackArgs& args, SourceManager& sources, Diagnostics& diags);

}  // namespace nest
