#include "compiler/check/modules.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "compiler/support/read_file.h"
#include "compiler/syntax/parser.h"

namespace nest::check {

namespace fs = std::filesystem;

std::vector<std::string> NestFilesIn(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".nest" && entry.is_regular_file(ec))
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<ast::File> ParseFiles(CheckState& state, const std::vector<std::string>& paths, ShownAs shown) {
  std::vector<ast::File> files;
  for (const auto& path : paths) {
    std::string text, error;
    if (!ReadWholeFile(path, text, &error)) {
      state.diags.Error(DiagCode::CannotRead, Span{}, fmt::format("cannot read `{}`: {}", path, error));
      continue;
    }
    files.push_back(ParseText(state, path, std::move(text), shown));
  }
  return files;
}

namespace {
// `path` relative to `dir` when it lies inside it; nullopt otherwise.
std::optional<fs::path> Inside(const fs::path& path, const fs::path& dir) {
  if (dir.empty()) return std::nullopt;
  fs::path relative = path.lexically_relative(dir);
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative;
}
}  // namespace

std::string ShownModuleFile(const std::string& stdlib_dir, const std::string& path) {
  std::error_code ec;
  fs::path file = fs::weakly_canonical(path, ec);
  if (ec) return path;
  fs::path stdlib = stdlib_dir.empty() ? fs::path() : fs::weakly_canonical(stdlib_dir, ec);
  if (auto in_stdlib = Inside(file, ec ? fs::path() : stdlib)) return (fs::path("stdlib") / *in_stdlib).string();
  fs::path here = fs::current_path(ec);
  if (auto in_here = Inside(file, ec ? fs::path() : fs::weakly_canonical(here, ec))) return in_here->string();
  return file.string();
}

ast::File ParseText(CheckState& state, std::string path, std::string text, ShownAs shown) {
  state.config.source_files.push_back(path);
  std::string name = shown == ShownAs::kModuleFile ? ShownModuleFile(state.options.stdlib_dir, path) : "";
  FileId id = state.sources.Add(std::move(path), std::move(text), std::move(name));
  return ParseFile(state.sources, id, state.diags, state.options.threads);
}

namespace {
std::vector<std::string> StdlibModules(const std::string& stdlib_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(stdlib_dir, ec))
    if (entry.is_directory(ec)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

std::optional<std::string> ResolveModuleSource(CheckState& state, const std::string& source,
                                               const std::string& base_dir, Span where) {
  fs::path dir;
  const std::string& stdlib = state.options.stdlib_dir;
  bool from_stdlib = source.rfind("stdlib/", 0) == 0;
  if (from_stdlib) {
    dir = fs::path(stdlib) / source.substr(7);
  } else if (source.rfind("./", 0) == 0 || source.rfind("../", 0) == 0) {
    dir = fs::path(base_dir) / source;
  } else {
    Diagnostic& d = state.diags.Error(DiagCode::UnknownModuleSource, where,
                                      fmt::format("unknown module source \"{}\"", source));
    d.label = "not a stdlib module or a relative folder";
    d.help.push_back("use `stdlib/NAME` for a module shipped with nest, or `./folder` for your own");
    return std::nullopt;
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec) || NestFilesIn(dir.string()).empty()) {
    Diagnostic& d = state.diags.Error(DiagCode::UnknownModuleSource, where,
                                      fmt::format("no module at \"{}\"", source));
    d.label = fs::is_directory(dir, ec) ? "the folder has no .nest files" : "no such folder";
    if (from_stdlib) {
      auto names = StdlibModules(stdlib);
      std::string s = Suggest(source.substr(7), names);
      if (!s.empty()) d.help.push_back(fmt::format("did you mean `stdlib/{}`?", s));
      if (!names.empty()) d.notes.push_back(fmt::format("stdlib modules: {}", fmt::join(names, ", ")));
    } else {
      d.notes.push_back(fmt::format("looked in {}", dir.lexically_normal().string()));
    }
    return std::nullopt;
  }
  return fs::weakly_canonical(dir, ec).string();
}

bool CheckModuleRecursion(CheckState& state, const std::vector<std::string>& chain,
                          const std::string& dir, Span where) {
  if (std::find(chain.begin(), chain.end(), dir) == chain.end() && chain.size() < 32) return true;
  Diagnostic& d = state.diags.Error(DiagCode::ModuleRecursion, where,
                                    chain.size() >= 32 ? "modules nested more than 32 deep"
                                                       : "this module includes itself");
  d.label = "recursive module";
  d.notes.push_back(fmt::format("module chain: {}", fmt::join(chain, " -> ")));
  return false;
}

const std::vector<ast::File>* LoadModuleFiles(CheckState& state, const std::string& dir, Span where) {
  auto it = state.module_files.find(dir);
  if (it != state.module_files.end()) return &it->second;
  int errors_before = state.diags.error_count();
  auto files = ParseFiles(state, NestFilesIn(dir), ShownAs::kModuleFile);
  (void)where;
  if (state.diags.error_count() != errors_before) return nullptr;  // syntax errors, reported
  return &state.module_files.emplace(dir, std::move(files)).first->second;
}

}  // namespace nest::check
