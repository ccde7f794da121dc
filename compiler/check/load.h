// The front end in one call: read every .nest file of a folder, parse,
// expand modules, check, and produce the typed Config.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"

namespace nest {

namespace ast {
struct File;
}

struct LoadOptions {
  // In increasing precedence: NEST_VAR_name from the environment, then
  // --var-file files in order, then --var name=value in order.
  std::vector<std::string> var_files;
  std::vector<std::pair<std::string, std::string>> vars;  // from --var k=v
  bool read_environment = true;
  // Where `source = "stdlib/..."` modules are found.
  std::string stdlib_dir;
  // When set, the parsed files are moved here once checked instead of being
  // freed on return. The CLI keeps them until the process exits, which frees
  // them at no cost: freeing a large stack's syntax trees takes about a tenth
  // of `nest validate`.
  std::vector<ast::File>* keep_parsed_files = nullptr;
  // How many threads a large stack may be parsed and checked on; 0: one per
  // core. The Config and the diagnostics are the same for any number.
  unsigned threads = 0;
};

// `path` is a folder (every *.nest file in it, sorted by name) or one file.
// Returns the Config when there were no errors; diagnostics hold every
// problem found, errors and warnings, sorted by file and position.
std::optional<Config> LoadStack(const std::string& path, const LoadOptions& options,
                                SourceManager& sources, Diagnostics& diags);

// The same for files already in memory (path, text): the fuzzer and tests
// use it. Relative `file` and module paths resolve against each path's folder.
std::optional<Config> CheckSources(const std::vector<std::pair<std::string, std::string>>& files,
                                   const LoadOptions& options, SourceManager& sources, Diagnostics& diags);

// The stdlib folder: $NEST_STDLIB if set, else next to the binary
// (../share/nest/stdlib, ../stdlib), else the source tree's stdlib/.
std::string DefaultStdlibDir();

}  // namespace nest
