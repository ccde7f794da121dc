#include "cli/load_checked.h"

#include <fmt/format.h>
#include <vector>

#include "compiler/check/load.h"
#include "compiler/syntax/ast.h"

namespace nest {
namespace {

// --var NAME=VALUE strings into pairs; a malformed one is a diagnostic.
LoadOptions MakeLoadOptions(const StackArgs& args, Diagnostics& diags) {
  LoadOptions options;
  options.var_files = args.var_files;
  options.stdlib_dir = DefaultStdlibDir();
  // The syntax trees are never freed: the process exits soon after, and
  // that frees them at no cost (about a tenth of `nest validate` on a large
  // stack). A static pointer, so leak checkers still see them as reachable.
  static auto* const kept_files = new std::vector<ast::File>;
  options.keep_parsed_files = kept_files;
  for (const auto& var : args.vars) {
    std::size_t eq = var.find('=');
    if (eq == 0 || eq == std::string::npos) {
      diags.Error(DiagCode::InvalidVariableValue, Span{}, fmt::format("`--var {}` is not of the form NAME=VALUE", var))
          .help.push_back("write `--var replicas=3`");
      continue;
    }
    options.vars.emplace_back(var.substr(0, eq), var.substr(eq + 1));
  }
  return options;
}

}  // namespace

std::optional<Config> LoadCheckedConfig(const StackArgs& args, SourceManager& sources, Diagnostics& diags) {
  LoadOptions options = MakeLoadOptions(args, diags);
  std::optional<Config> config;
  if (!diags.HasErrors()) config = LoadStack(args.path, options, sources, diags);
  if (diags.HasErrors()) config.reset();
  diags.Sort();
  return config;
}

CheckedStack LoadCheckedStack(const StackArgs& args, SourceManager& sources, Diagnostics& diags) {
  CheckedStack checked;
  checked.config = LoadCheckedConfig(args, sources, diags);
  if (checked.config) checked.graph = BuildGraph(*checked.config, diags);
  if (diags.HasErrors()) checked.config.reset();
  diags.Sort();
  return checked;
}

}  // namespace nest
