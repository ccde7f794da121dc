// `nest status`: the live stack at a glance (docs/status.md). Swarm only.
#pragma once

#include <cstdio>
#include <string>

#include "cli/commands.h"

namespace nest {

struct StatusArgs {
  StackArgs stack;
  std::string stack_name;  // --stack NAME; empty: the config's
  bool json = false;       // one JSON document (with --watch: one line per refresh)
  bool watch = false;      // refresh every `interval` until Ctrl-C
  std::string interval = "2s";
};

// Loads the stack, plans it in the background while it reads the services'
// tasks, the last revision and the last scale changes, and prints the
// report. Exit 0 when every service is healthy, every resource present and
// the plan has no changes; 1 otherwise (also for any error). With --watch,
// the exit code of the last report.
int RunStatus(const StatusArgs& args, std::FILE* out = stdout, std::FILE* err = stderr);

}  // namespace nest
