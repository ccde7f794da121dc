#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>

#include "cli/load_checked.h"
#include "compiler/diagnostics/render.h"
#include "compiler/format/formatter.h"
#include "compiler/graph/graph.h"
#include "compiler/support/read_file.h"
#include "compiler/syntax/parser.h"

namespace nest {
namespace {

namespace fs = std::filesystem;

void PrintText(const Diagnostics& diags, const SourceManager& sources, bool no_color) {
  if (diags.empty()) return;
  TextStyle style{!no_color && ShouldColor(2)};
  fmt::print(stderr, "{}", RenderText(diags, sources, style));
}

// ---------------------------------------------------------------------------
// fmt: finding and rewriting files.

bool SkippedFolder(const fs::path& dir) {
  std::string name = dir.filename().string();
  return (name.size() > 1 && name[0] == '.') || name == "build" || name.rfind("build-", 0) == 0 ||
         name == "node_modules";
}

// Every .nest file under `path` (or `path` itself when it is a file), sorted.
std::vector<fs::path> NestFiles(const fs::path& path, std::error_code& error) {
  std::vector<fs::path> files;
  if (!fs::is_directory(path, error)) {
    if (fs::exists(path, error)) files.push_back(path);
    else if (!error) error = std::make_error_code(std::errc::no_such_file_or_directory);
    return files;
  }
  fs::recursive_directory_iterator it(path, error), end;
  for (; !error && it != end; it.increment(error)) {
    if (it->is_directory(error) && SkippedFolder(it->path())) {
      it.disable_recursion_pending();
    } else if (it->path().extension() == ".nest" && it->is_regular_file(error)) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

enum class FmtOutcome { kUnchanged, kChanged, kFailed };

// Parses and formats one file; rewrites it unless `check`.
FmtOutcome FormatOne(const fs::path& path, bool check, SourceManager& sources, Diagnostics& diags) {
  std::optional<std::string> text = ReadWholeFile(path.string());
  if (!text) {
    diags.Error(DiagCode::CannotRead, Span{}, fmt::format("cannot read `{}`", path.string()));
    return FmtOutcome::kFailed;
  }
  FileId id = sources.Add(path.string(), *text);
  Diagnostics file_diags;
  ast::File file = ParseFile(sources, id, file_diags);
  bool broken = file_diags.HasErrors();
  diags.Append(std::move(file_diags));
  if (broken) return FmtOutcome::kFailed;

  std::string formatted = FormatFile(sources, file);
  if (formatted == *text) return FmtOutcome::kUnchanged;
  if (!check && !WriteFile(path, formatted)) {
    diags.Error(DiagCode::CannotRead, Span{}, fmt::format("cannot write `{}`", path.string()));
    return FmtOutcome::kFailed;
  }
  return FmtOutcome::kChanged;
}

}  // namespace

int RunValidate(const ValidateArgs& args) {
  SourceManager sources;
  Diagnostics diags;
  CheckedStack loaded = LoadCheckedStack(args.stack, sources, diags);
  if (args.json) {
    fmt::print("{}", RenderJson(diags, sources));
  } else {
    PrintText(diags, sources, args.stack.no_color);
    if (loaded.config) {
      std::size_t n = loaded.config->resources.size();
      fmt::print("Success! The stack `{}` is valid ({} resource{}).\n", loaded.config->stack_name, n,
                 n == 1 ? "" : "s");
    }
  }
  return loaded.config ? 0 : 1;
}

int RunFmt(const FmtArgs& args) {
  std::vector<std::string> paths = args.paths.empty() ? std::vector<std::string>{"."} : args.paths;
  SourceManager sources;
  Diagnostics diags;
  bool changed = false;
  for (const auto& path : paths) {
    std::error_code error;
    std::vector<fs::path> files = NestFiles(path, error);
    if (error) {
      diags.Error(DiagCode::CannotRead, Span{}, fmt::format("cannot read `{}`: {}", path, error.message()));
      continue;
    }
    for (const auto& file : files) {
      if (FormatOne(file, args.check, sources, diags) != FmtOutcome::kChanged) continue;
      changed = true;
      fmt::print("{}\n", file.string());
    }
  }
  PrintText(diags, sources, args.no_color);
  if (diags.HasErrors()) return 1;
  return args.check && changed ? 1 : 0;
}

int RunGraph(const GraphArgs& args) {
  SourceManager sources;
  Diagnostics diags;
  CheckedStack loaded = LoadCheckedStack(args.stack, sources, diags);
  PrintText(diags, sources, args.stack.no_color);
  if (!loaded.config) return 1;
  const std::string& name = loaded.config->stack_name;
  fmt::print("{}", args.format == "json" ? GraphToJson(loaded.graph, name)
                                         : GraphToDot(loaded.graph, name));
  return 0;
}

}  // namespace nest
