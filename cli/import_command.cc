// `nest import`: a compose file as nest source.
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "compiler/diagnostics/render.h"
#include "cli/compile_commands.h"
#include "compiler/import/importer.h"

namespace nest {

int RunImport(const ImportArgs& args) {
  namespace fs = std::filesystem;
  SourceManager sources;
  Diagnostics diags;
  ImportOptions options;
  if (!args.output.empty()) options.output_dir = fs::absolute(args.output).parent_path().string();
  std::optional<std::string> text = ImportComposeFile(args.input, options, sources, diags);
  diags.Sort();
  if (!diags.empty()) {
    TextStyle style{!args.no_color && ShouldColor(2)};
    fmt::print(stderr, "{}", RenderText(diags, sources, style));
  }
  if (!text) return 1;
  if (args.output.empty()) {
    fmt::print("{}", *text);
    return 0;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  out << *text;
  out.close();
  if (!out) {
    fmt::print(stderr, "error: cannot write `{}`\n", args.output);
    return 1;
  }
  fmt::print("Wrote {}: check it with `nest validate {}`\n", args.output,
             fs::path(args.output).parent_path().empty() ? "." : fs::path(args.output).parent_path().string());
  return 0;
}

}  // namespace nest
