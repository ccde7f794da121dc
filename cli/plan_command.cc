// `nest plan` and `nest show`.
#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "cli/load_checked.h"
#include "compiler/diagnostics/fold.h"
#include "compiler/diagnostics/render.h"
#include "cli/plan_commands.h"
#include "compiler/graph/graph.h"
#include "planner/plan_file.h"
#include "planner/plan_stack.h"
#include "planner/render_json.h"
#include "planner/render_markdown.h"
#include "planner/render_text.h"

namespace nest {
namespace {

void PrintDiagnostics(std::FILE* err, const Diagnostics& diags, const SourceManager& sources, bool no_color) {
  if (diags.empty()) return;
  TextStyle style{!no_color && ShouldColor(fileno(err))};
  fmt::print(err, "{}", RenderText(FoldRepeatedWarnings(diags, sources), sources, style));
}

void PrintError(std::FILE* err, bool no_color, const std::string& message) {
  bool color = !no_color && ShouldColor(fileno(err));
  fmt::print(err, "{}: {}\n", color ? "\x1b[1;31merror\x1b[0m" : "error", message);
}

enum class Format { kText, kJson, kMarkdown };

std::string Render(const plan::Plan& plan, Format format, bool color) {
  switch (format) {
    case Format::kJson: return plan::RenderPlanJson(plan);
    case Format::kMarkdown: return plan::RenderPlanMarkdown(plan);
    case Format::kText: break;
  }
  return plan::RenderPlanText(plan, TextStyle{color});
}

Format FormatOf(bool json, bool markdown) {
  return json ? Format::kJson : markdown ? Format::kMarkdown : Format::kText;
}

}  // namespace

int RunPlan(const PlanArgs& args, const PlanSources& sources, std::FILE* out, std::FILE* err) {
  bool no_color = args.stack.no_color;
  SourceManager source_files;
  Diagnostics diags;
  CheckedStack checked = LoadCheckedStack(args.stack, source_files, diags);
  PrintDiagnostics(err, diags, source_files, no_color);
  if (!checked.config) return 1;
  const Config& config = *checked.config;

  Result<std::unique_ptr<plan::Provider>> provider = sources.provider(args.platform);
  if (!provider.ok()) {
    PrintError(err, no_color, provider.error().message);
    return 1;
  }
  Diagnostics plan_diags;
  plan::PlanStackOptions options{args.stack_name, args.targets};
  Result<plan::PlannedStack> planned = plan::PlanStack(config, checked.graph, *provider.value(), options, plan_diags);
  PrintDiagnostics(err, plan_diags, source_files, no_color);
  if (!planned.ok()) {
    PrintError(err, no_color, planned.error().message);
    return 1;
  }
  plan::Plan& plan = planned.value().plan;
  std::error_code ignored;
  plan.source = std::filesystem::absolute(args.stack.path, ignored).lexically_normal().string();

  Format format = FormatOf(args.json, args.markdown);
  if (!args.out.empty()) {
    Status written = plan::WritePlanFile(plan, args.out);
    if (!written.ok()) {
      PrintError(err, no_color, written.error().message);
      return 1;
    }
  }
  fmt::print(out, "{}", Render(plan, format, !no_color && ShouldColor(fileno(out))));
  if (!args.out.empty()) {
    // Keep stdout pure JSON or Markdown; the note goes to stderr then.
    fmt::print(format == Format::kText ? out : err,
               "\nSaved the plan to: {}\n\nTo see it again, run: nest show {}\n", args.out, args.out);
  }
  std::fflush(out);
  return args.detailed_exitcode && plan.HasChanges() ? 2 : 0;
}

int RunShow(const ShowArgs& args, std::FILE* out, std::FILE* err) {
  Result<plan::Plan> plan = plan::ReadPlanFile(args.file);
  if (!plan.ok()) {
    PrintError(err, args.no_color, plan.error().message);
    return 1;
  }
  Format format = FormatOf(args.json, args.markdown);
  fmt::print(out, "{}", Render(plan.value(), format, !args.no_color && ShouldColor(fileno(out))));
  std::fflush(out);
  return 0;
}

std::vector<std::string> TerraformStyleOptions(std::vector<std::string> args) {
  static const char* const kLong[] = {"out", "detailed-exitcode", "target", "var", "var-file", "no-color",
                                      "json", "markdown", "platform", "stack", "parallelism", "auto-approve",
                                      "timeout"};
  for (auto& arg : args) {
    if (arg.size() < 3 || arg[0] != '-' || arg[1] == '-') continue;
    std::string name = arg.substr(1, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 1);
    for (const char* known : kLong) {
      if (name == known) {
        arg = "-" + arg;
        break;
      }
    }
  }
  return args;
}

}  // namespace nest
