// `nest compile`: validate, compile for a target, write or check the file.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <future>
#include <map>
#include <optional>

#include "cli/load_checked.h"
#include "compiler/diagnostics/fold.h"
#include "compiler/diagnostics/render.h"
#include "cli/compile_commands.h"
#include "compiler/emit/compile.h"
#include "compiler/graph/graph.h"
#include "compiler/support/read_file.h"

namespace nest {
namespace {

namespace fs = std::filesystem;

void PrintDiagnostics(const Diagnostics& diags, const SourceManager& sources, bool no_color) {
  if (diags.empty()) return;
  TextStyle style{!no_color && ShouldColor(2)};
  fmt::print(stderr, "{}", RenderText(diags, sources, style));
}

// Whether the file at `path` holds exactly the pieces of `text`, in turn:
// sizes first, then block by block, without reading a large file into
// memory.
bool FileHolds(const fs::path& path, const std::vector<std::string>& text) {
  std::size_t size = 0;
  for (const auto& piece : text) size += piece.size();
  std::error_code ec;
  if (fs::file_size(path, ec) != size || ec) return false;
  std::ifstream in(path, std::ios::binary);
  char block[1 << 16];
  for (const auto& piece : text) {
    for (std::size_t at = 0; at < piece.size(); at += sizeof block) {
      std::size_t n = std::min(sizeof block, piece.size() - at);
      if (!in.read(block, static_cast<std::streamsize>(n)) || piece.compare(at, n, block, n) != 0) return false;
    }
  }
  return true;
}

std::string Joined(const std::vector<std::string>& pieces) {
  std::string text;
  for (const auto& piece : pieces) text += piece;
  return text;
}

std::vector<std::string_view> Lines(const std::string& text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.emplace_back(text.data() + start, end - start);
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::string ShortDiff(const std::string& before, const std::string& after, int max_lines) {
  std::vector<std::string_view> a = Lines(before), b = Lines(after);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;

  // Edit script of the middle part: an LCS table when it is small enough,
  // else every old line removed and every new line added.
  struct Edit {
    char op;  // ' ', '-', '+'
    std::size_t a_line, b_line;
  };
  std::vector<Edit> edits;
  if (n * m <= 4'000'000) {
    std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        edits.push_back({' ', prefix + i++, prefix + j++});
      } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
        edits.push_back({'+', prefix + i, prefix + j++});
      } else {
        edits.push_back({'-', prefix + i++, prefix + j});
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({'-', prefix + i, prefix});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({'+', prefix + n, prefix + j});
  }

  std::string out;
  int shown = 0;
  bool in_hunk = false;
  for (std::size_t k = 0; k < edits.size() && shown < max_lines; ++k) {
    const Edit& e = edits[k];
    if (e.op == ' ') {
      in_hunk = false;
      continue;
    }
    if (!in_hunk) {
      out += fmt::format("@@ -{} +{} @@\n", e.a_line + 1, e.b_line + 1);
      in_hunk = true;
    }
    out += fmt::format("{}{}\n", e.op, e.op == '-' ? a[e.a_line] : b[e.b_line]);
    ++shown;
  }
  std::size_t changed = 0;
  for (const auto& e : edits) changed += e.op != ' ';
  if (changed > static_cast<std::size_t>(shown))
    out += fmt::format("... and {} more changed line{}\n", changed - shown, changed - shown == 1 ? "" : "s");
  return out;
}

// The process ends right after `nest compile`: freeing a large stack's
// model, config and sources one object at a time costs about a fifth of the
// run at 5000 services, so they are left to the exit (as compilers do).
// Sanitizer builds free everything, so that leak checks stay meaningful.
#if defined(__SANITIZE_ADDRESS__)
#define NEST_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NEST_FREE_AT_EXIT 1
#endif
#endif
#ifndef NEST_FREE_AT_EXIT
#define NEST_FREE_AT_EXIT 0
#endif

template <typename T>
void LeaveToExit(T& object) {
  if (!NEST_FREE_AT_EXIT) new T(std::move(object));
}

int RunCompile(const CompileArgs& args) {
  const Platform target = args.target;
  if (args.check && args.output.empty()) {
    fmt::print(stderr, "error: --check compares with the file given by -o FILE\n");
    return 1;
  }
  SourceManager sources;
  Diagnostics diags;
  std::optional<Config> config = LoadCheckedConfig(args.stack, sources, diags);
  std::optional<std::vector<std::string>> text;  // the file, in pieces
  if (config) {
    EmitOptions options;
    options.target = target;
    options.stack_name = args.stack_name;
    if (!args.output.empty()) options.output_dir = fs::absolute(args.output).parent_path().string();
    // The graph matters here only for its errors (a dependency cycle): it is
    // built on a thread of its own while the file is written, since both
    // only read the config.
    Diagnostics graph_diags, emit_diags;
    auto graph = std::async(std::launch::async, [&] { BuildGraph(*config, graph_diags); });
    text = CompileStackPieces(*config, options, args.stack.path, emit_diags);
    graph.get();
    // A cycle makes the stack invalid, as it does for `nest validate`: it is
    // reported alone, without what writing the file found.
    bool cycle = graph_diags.HasErrors();
    diags.Append(std::move(graph_diags));
    if (cycle) text.reset();
    else diags.Append(std::move(emit_diags));
    LeaveToExit(*config);
  }
  diags.Sort();
  PrintDiagnostics(FoldRepeatedWarnings(diags, sources), sources, args.stack.no_color);
  LeaveToExit(sources);
  if (!text) return 1;

  if (args.output.empty()) {
    for (const auto& piece : *text) std::fwrite(piece.data(), 1, piece.size(), stdout);
    return 0;
  }
  if (FileHolds(args.output, *text)) {
    fmt::print("{} is up to date\n", args.output);
    return 0;
  }
  if (args.check) {
    std::optional<std::string> existing = ReadWholeFile(args.output);
    if (!existing) {
      fmt::print(stderr, "{} does not exist: run `nest compile` without --check to write it\n", args.output);
      return 1;
    }
    fmt::print(stderr, "{} is stale: run `nest compile` without --check to update it\n{}", args.output,
               ShortDiff(*existing, Joined(*text)));
    return 1;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  for (const auto& piece : *text) out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  out.close();
  if (!out) {
    fmt::print(stderr, "error: cannot write `{}`\n", args.output);
    return 1;
  }
  fmt::print("Wrote {} (target {})\n", args.output, PlatformName(args.target));
  return 0;
}

}  // namespace nest
