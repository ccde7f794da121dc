// The `nest` commands, one function each. main.cc parses the command line
// into these option structs; each Run* function prints its own output and
// diagnostics and returns the process exit code: 0 on success, 1 for any
// problem in the user's input (invalid stack, unformatted files, bad flags).
#pragma once

#include <string>
#include <vector>

namespace nest {

// What every command that loads a stack takes.
struct StackArgs {
  std::string path = ".";              // a folder of .nest files, or one file
  std::vector<std::string> vars;       // --var NAME=VALUE, in order
  std::vector<std::string> var_files;  // --var-file FILE, in order
  bool no_color = false;
};

struct ValidateArgs {
  StackArgs stack;
  bool json = false;  // terraform-validate-shaped JSON on stdout
};

struct FmtArgs {
  std::vector<std::string> paths;  // files or folders; empty means "."
  bool check = false;              // list unformatted files, change nothing
  bool no_color = false;
};

struct GraphArgs {
  StackArgs stack;
  std::string format = "dot";  // "dot" or "json"
};

// Loads and checks the stack and builds its graph. Diagnostics go to stderr
// (or, with --json, everything goes to stdout); on success prints
// "Success! The stack `NAME` is valid (N resources)."
int RunValidate(const ValidateArgs& args);

// Reformats every .nest file under the given paths (folders recursively,
// skipping hidden and build folders). Without --check rewrites the files
// that changed and lists them; with --check lists them and exits 1 if any.
// Syntax errors are reported and make the exit code 1.
int RunFmt(const FmtArgs& args);

// Prints the stack's dependency graph as Graphviz dot or JSON on stdout.
int RunGraph(const GraphArgs& args);

}  // namespace nest
