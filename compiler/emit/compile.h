// `nest compile`: a checked Config as the text of a compose file.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/emit/target.h"

namespace nest {

// The header of every compiled file: the generator, the source folder (as
// `source_path`, already relative to the output's folder), and how to use it.
std::string CompiledHeader(std::string_view source_path, std::string_view stack, Platform target);

// The file's text for a document BuildComposeDocument made: the header,
// then the YAML.
std::string RenderCompiled(const nlohmann::ordered_json& document, const Config& config,
                           const EmitOptions& options, const std::string& source_path);

// The whole file: header, then the YAML of BuildComposeDocument. nullopt
// when the config cannot be compiled (errors in `diags`); warnings in
// `diags` either way. `source_path` is the stack folder or file as given;
// the header shows it relative to options.output_dir.
std::optional<std::string> CompileStack(const Config& config, const EmitOptions& options,
                                        const std::string& source_path, Diagnostics& diags);

// The same file as consecutive pieces (the header, then each part written
// on its own thread), for callers that compare or write them in turn rather
// than join a large file into one string.
std::optional<std::vector<std::string>> CompileStackPieces(const Config& config, const EmitOptions& options,
                                                          const std::string& source_path, Diagnostics& diags);

}  // namespace nest
