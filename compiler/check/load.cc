#include "compiler/check/load.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

#include "compiler/check/instance.h"
#include "compiler/check/modules.h"
#include "compiler/check/stack_rules.h"
#include "compiler/check/variables.h"

namespace nest {

namespace fs = std::filesystem;

namespace {

// The root's files, or nullopt after reporting why there are none.
std::optional<std::vector<std::string>> RootFiles(const std::string& path, Diagnostics& diags) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return std::vector<std::string>{path};
  if (!fs::is_directory(path, ec)) {
    diags.Error(DiagCode::CannotRead, Span{}, fmt::format("cannot read `{}`: no such file or folder", path));
    return std::nullopt;
  }
  auto files = check::NestFilesIn(path);
  if (files.empty()) {
    diags.Error(DiagCode::NoSourceFiles, Span{}, fmt::format("no .nest files in `{}`", path))
        .help.push_back("a stack is every .nest file in one folder; pass that folder");
    return std::nullopt;
  }
  return files;
}

void RequireStackBlock(const check::ModuleInstance& root, check::CheckState& state) {
  if (root.stack_block != nullptr) {
    state.config.stack_name = root.stack_block->labels[0].value;
    state.config.stack_span = root.stack_block->labels[0].span;
    return;
  }
  // A `stack` block with wrong labels was reported already (E025).
  for (const auto& file : *root.files)
    for (const auto& block : file.body.blocks)
      if (block.type == "stack") return;
  Span where = root.files->empty() ? Span{} : Span{root.files->front().id, 0, 0};
  Diagnostic& d = state.diags.Error(DiagCode::StackBlock, where, "the stack has no `stack` block");
  d.help.push_back("name the stack once in the folder: `stack \"medianest\" {}`");
}


// Checks parsed root files: the part of LoadStack after reading.
std::optional<Config> CheckRoot(check::CheckState& state, std::vector<ast::File>& files, const std::string& dir) {
  Diagnostics& diags = state.diags;
  // After a syntax error the tree is partial; checking it would only add
  // errors that are consequences of the first one.
  if (diags.HasErrors()) {
    diags.Sort();
    return std::nullopt;
  }
  check::ModuleInstance root;
  root.files = &files;
  root.release_checked_resources = true;
  root.dir = dir;
  root.source_chain.push_back(dir);
  check::DeclareInstance(state, root, true);
  RequireStackBlock(root, state);
  check::ResolveRootVariables(state, root);
  check::CheckInstanceResources(state, root);
  CheckStackRules(state.config, diags);
  diags.Sort();
  if (diags.HasErrors()) return std::nullopt;
  return std::move(state.config);
}

// Moves every parsed file (root and modules) to options.keep_parsed_files,
// when the caller keeps them (see LoadOptions).
void KeepParsedFiles(check::CheckState& state, std::vector<ast::File>& files) {
  std::vector<ast::File>* keep = state.options.keep_parsed_files;
  if (keep == nullptr) return;
  for (auto& file : files) keep->push_back(std::move(file));
  for (auto& [dir, module_files] : state.module_files)
    for (auto& file : module_files) keep->push_back(std::move(file));
}

}  // namespace

std::optional<Config> LoadStack(const std::string& path, const LoadOptions& options, SourceManager& sources,
                                Diagnostics& diags) {
  Config config;
  check::CheckState state{sources, diags, options, config, {}};
  auto paths = RootFiles(path, diags);
  if (!paths) return std::nullopt;
  std::vector<ast::File> files = check::ParseFiles(state, *paths);
  std::error_code ec;
  fs::path dir = fs::is_directory(path, ec) ? fs::path(path) : fs::path(path).parent_path();
  auto checked = CheckRoot(state, files, fs::weakly_canonical(dir.empty() ? "." : dir, ec).string());
  KeepParsedFiles(state, files);
  return checked;
}

std::optional<Config> CheckSources(const std::vector<std::pair<std::string, std::string>>& inputs,
                                   const LoadOptions& options, SourceManager& sources, Diagnostics& diags) {
  Config config;
  check::CheckState state{sources, diags, options, config, {}};
  std::vector<ast::File> files;
  for (const auto& [path, text] : inputs) files.push_back(check::ParseText(state, path, text));
  std::string dir = inputs.empty() ? "." : fs::path(inputs[0].first).parent_path().string();
  auto checked = CheckRoot(state, files, dir.empty() ? "." : dir);
  KeepParsedFiles(state, files);
  return checked;
}

std::string DefaultStdlibDir() {
  if (const char* env = std::getenv("NEST_STDLIB"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const char* relative : {"../share/nest/stdlib", "../stdlib"}) {
      fs::path candidate = exe.parent_path() / relative;
      if (fs::is_directory(candidate, ec)) return fs::weakly_canonical(candidate, ec).string();
    }
  }
  return std::string(NEST_SOURCE_DIR) + "/stdlib";
}

}  // namespace nest
