// Finding and reading module folders (and the root folder).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/check/scope.h"

namespace nest::check {

// The *.nest files directly in `dir`, sorted by name (so a stack reads the
// same on every machine).
std::vector<std::string> NestFilesIn(const std::string& dir);

// How diagnostics name a file: as given (the root's files, variable files),
// or as a module's file: "stdlib/NAME/FILE" for a module shipped with nest,
// else relative to the current folder (absolute only outside it), never as
// the canonical path of the machine.
enum class ShownAs { kPath, kModuleFile };

// Reads and parses files into state.sources; syntax errors are reported.
std::vector<ast::File> ParseFiles(CheckState& state, const std::vector<std::string>& paths,
                                  ShownAs shown = ShownAs::kPath);

// Parses one file already in memory.
ast::File ParseText(CheckState& state, std::string path, std::string text, ShownAs shown = ShownAs::kPath);

// A module file's name in diagnostics (ShownAs::kModuleFile).
std::string ShownModuleFile(const std::string& stdlib_dir, const std::string& path);

// `stdlib/NAME` or a folder relative to `base_dir` ("./x", "../x"), as a
// canonical path; reports NEST-E060 at `where` when there is no such module.
std::optional<std::string> ResolveModuleSource(CheckState& state, const std::string& source,
                                               const std::string& base_dir, Span where);

// Reports NEST-E065 when `dir` is already on the chain of modules being expanded.
bool CheckModuleRecursion(CheckState& state, const std::vector<std::string>& chain,
                          const std::string& dir, Span where);

// The parsed files of a module folder (parsed once per run); nullptr when
// the folder could not be read or had syntax errors (already reported).
const std::vector<ast::File>* LoadModuleFiles(CheckState& state, const std::string& dir, Span where);

}  // namespace nest::check
