// `nest autoscale`: runs the `autoscale` policies of a Swarm stack's
// services (docs/autoscale.md).
#pragma once

#include <cstdio>
#include <string>

#include "cli/commands.h"

namespace nest {

struct AutoscaleArgs {
  StackArgs stack;          // only read for the stack name when --stack is not given
  std::string stack_name;   // --stack NAME
  bool once = false;        // one round, then exit
  std::string interval = "10s";
  bool dry_run = false;     // decide and print; never scale
  bool json = false;        // one JSON event per line
};

// Every `interval` (or once): reads the stack's services that carry an
// autoscale policy, measures their running tasks' containers (in parallel),
// decides (planner/autoscale/decide.h) and scales, taking the stack's lock
// for each change. Prints one event per service and round. Runs until
// Ctrl-C (exit 0). --once: exit 0, or 1 when anything failed (the engine
// could not be read, a change was due and not made).
int RunAutoscale(const AutoscaleArgs& args, std::FILE* out = stdout, std::FILE* err = stderr);

}  // namespace nest
