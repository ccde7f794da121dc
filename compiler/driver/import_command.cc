// `nest import`: a compose file as nest source.
#include <fmt/format.h>

#include "compiler/driver/compile_commands.h"

namespace nest {

int RunImport(const ImportArgs& args) {
  fmt::print(stderr, "error: nest import is not implemented yet ({})\n", args.input);
  return 1;
}

}  // namespace nest
