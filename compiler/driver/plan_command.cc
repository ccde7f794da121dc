// `nest plan` and `nest show`.
#include <fmt/format.h>

#include <optional>

#include "compiler/driver/load_checked.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/plan_commands.h"
#include "compiler/graph/graph.h"
#include "planner/diff.h"
#include "planner/plan_file.h"
#include "planner/render_json.h"
#include "planner/render_markdown.h"
#include "planner/render_text.h"

namespace nest {
namespace {

void PrintDiagnostics(std::FILE* err, const Diagnostics& diags, const SourceManager& sources, bool no_color) {
  if (diags.empty()) return;
  TextStyle style{!no_color && ShouldColor(fileno(err))};
  fmt::print(err, "{}", RenderText(diags, sources, style));
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
  std::string stack = args.stack_name.empty() ? config.stack_name : args.stack_name;

  Diagnostics desired_diags;
  plan::Result<plan::StackState> desired = sources.desired(config, args.platform, stack, desired_diags);
  PrintDiagnostics(err, desired_diags, source_files, no_color);
  if (!desired.ok()) {
    if (!desired.error().empty()) PrintError(err, no_color, desired.error());
    return 1;
  }
  if (desired_diags.HasErrors()) return 1;

  std::string endpoint;
  engine::Result<plan::StackState> live = sources.live(args.platform, stack, &endpoint);
  if (!live.ok()) {
    PrintError(err, no_color, live.error().Describe());
    return 1;
  }

  plan::DiffOptions options = plan::DiffOptionsFromGraph(checked.graph);
  options.targets = args.targets;
  plan::Plan plan = plan::Diff(desired.value(), live.value(), options);
  plan.target = args.platform;
  plan.engine = endpoint;

  Format format = FormatOf(args.json, args.markdown);
  if (!args.out.empty()) {
    std::string error;
    if (!plan::WritePlanFile(plan, args.out, &error)) {
      PrintError(err, no_color, error);
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
  plan::Result<plan::Plan> plan = plan::ReadPlanFile(args.file);
  if (!plan.ok()) {
    PrintError(err, args.no_color, plan.error());
    return 1;
  }
  Format format = FormatOf(args.json, args.markdown);
  fmt::print(out, "{}", Render(plan.value(), format, !args.no_color && ShouldColor(fileno(out))));
  std::fflush(out);
  return 0;
}

std::vector<std::string> TerraformStyleOptions(std::vector<std::string> args) {
  static const char* const kLong[] = {"out", "detailed-exitcode", "target", "var", "var-file", "no-color",
                                      "json", "markdown", "platform", "stack"};
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
