// `nest compile` and `nest import`: the argument structs and the commands,
// in the style of commands.h (each Run* prints its own output and returns
// the exit code: 0 on success, 1 for any problem).
#pragma once

#include <string>

#include "cli/commands.h"
#include "compiler/support/platform.h"

namespace nest {

struct CompileArgs {
  StackArgs stack;
  Platform target = Platform::kSwarm;  // --target swarm|compose
  std::string output;            // -o FILE; empty: stdout
  std::string stack_name;        // --stack NAME; empty: the config's
  bool check = false;            // compare with -o FILE instead of writing it
};

// Validates the stack (errors: exit 1), compiles it for the target and
// writes the file (or stdout). Warnings go to stderr. With --check, writes
// nothing: exits 0 when FILE is up to date, 1 with a short diff when not.
int RunCompile(const CompileArgs& args);

struct ImportArgs {
  std::string input;   // a compose or stack file
  std::string output;  // -o FILE; empty: stdout
  bool no_color = false;
};

// Turns a compose file into nest source, formatted like `nest fmt`. Keys nest
// cannot express are errors naming the key and its line (exit 1); dropped
// `x-` extensions are notes on stderr.
int RunImport(const ImportArgs& args);

// The first differing lines of two texts, unified-diff style ("-old",
// "+new", with @@ line numbers), at most `max_lines` changed lines.
std::string ShortDiff(const std::string& before, const std::string& after, int max_lines = 20);

}  // namespace nest
