// How `nest compile` writes: for which platform (a stack file for `docker
// stack deploy`, or a docker-compose.yml for development), under which stack
// name, relative to which folder, on how many threads.
#pragma once

#include <string>

#include "compiler/support/platform.h"

namespace nest {

struct EmitOptions {
  Platform target = Platform::kSwarm;
  // The stack name Docker objects are named after; empty: the config's.
  std::string stack_name;
  // The folder the compiled file is written to. Every path in the file
  // (secret and config `file:`, the header's source) is relative to it, so
  // the bytes do not depend on where the checkout lives. Empty: the current
  // directory (output to stdout).
  std::string output_dir;
  // How many threads CompileStack may write the file on; 0: one per core.
  // The bytes are the same for any number.
  unsigned threads = 0;
  // The document is for `nest plan` and `nest apply`, which talk to the
  // Engine API directly, not a file for `docker stack deploy`: on swarm it
  // keeps what the Engine API takes but the compose format of docker stack
  // deploy cannot carry (a network's `gateway` and `ip_range` in
  // `ipam.config`, a config's inline `content`) instead of warning about or
  // refusing it. `nest compile` never sets it: such a file is not valid for
  // docker stack deploy.
  bool engine_settings = false;
};

}  // namespace nest
