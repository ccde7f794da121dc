// `nest import`: a compose or stack file (compose spec, the 3.x formats
// `docker stack deploy` reads) as idiomatic nest source: blocks, typed
// literals (`30s`, `512MiB`, `8080:80`), references instead of names, and
// `variable` blocks for `${VAR}` interpolation.
#pragma once

#include <optional>
#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/source/source.h"

namespace nest {

struct ImportOptions {
  // The folder the .nest file will be written to: relative `file` paths are
  // rewritten relative to it. Empty: the current directory.
  std::string output_dir;
  // The stack name; empty: the compose file's top-level `name`, else its
  // folder's name.
  std::string stack_name;
};

// Reads `compose_path`, converts it and returns the formatted nest source.
// Every key nest cannot express is an error (NEST-E091) at its line in the
// YAML file, a value of the wrong shape NEST-E092, malformed YAML NEST-E090;
// dropped `x-` extensions and keys without meaning for nest are warnings
// (NEST-W093). nullopt when there was any error. No input makes it throw:
// yaml-cpp's exceptions become NEST-E090; any other exception is a bug in
// nest and is left to propagate rather than reported as the user's error.
std::optional<std::string> ImportComposeFile(const std::string& compose_path, const ImportOptions& options,
                                             SourceManager& sources, Diagnostics& diags);

// The same for text already in memory (`path` names it in diagnostics and
// anchors relative paths).
std::optional<std::string> ImportComposeText(const std::string& path, std::string text,
                                             const ImportOptions& options, SourceManager& sources,
                                             Diagnostics& diags);

}  // namespace nest
