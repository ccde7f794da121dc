// `nest history` and `nest rollback` (docs/apply.md, "Rollback and
// history"): the revisions `nest apply` recorded on the engine, and an apply
// towards one of them.
#include <fmt/format.h>
#include <unistd.h>

#include "cli/apply_commands.h"
#include "cli/load_checked.h"
#include "cli/rollback.h"
#include "compiler/diagnostics/render.h"
#include "providers/engine/endpoint.h"
#include "providers/swarm/revisions.h"

namespace nest {
namespace {

void PrintError(std::FILE* err, bool no_color, const std::string& message) {
  bool color = !no_color && ShouldColor(fileno(err));
  fmt::print(err, "{}: {}\n", color ? "\x1b[1;31merror\x1b[0m" : "error", message);
}

// --stack NAME, or the stack block's name of the config at PATH.
std::optional<std::string> StackName(const StackArgs& stack, const std::string& stack_name, std::FILE* err) {
  if (!stack_name.empty()) return stack_name;
  SourceManager source_files;
  Diagnostics diags;
  std::optional<Config> config = LoadCheckedConfig(stack, source_files, diags);
  if (!diags.empty()) {
    fmt::print(err, "{}", RenderText(diags, source_files, TextStyle{!stack.no_color && ShouldColor(fileno(err))}));
  }
  if (!config) return std::nullopt;
  return config->stack_name;
}

// The stack's kept revisions, oldest first; the error described.
Result<std::vector<swarm::Revision>> ReadRevisions(const std::string& stack) {
  auto endpoint = engine::ResolveEndpoint(engine::ProcessEnvironment());
  if (!endpoint.ok()) return Error{endpoint.error().Describe()};
  engine::EngineClient client(endpoint.value());
  auto revisions = swarm::ListRevisions(client, stack);
  if (!revisions.ok()) return Error{revisions.error().Describe()};
  return std::move(revisions).value();
}

}  // namespace

int RunHistory(const HistoryArgs& args, std::FILE* out, std::FILE* err) {
  std::optional<std::string> stack = StackName(args.stack, args.stack_name, err);
  if (!stack) return 1;
  auto revisions = ReadRevisions(*stack);
  if (!revisions.ok()) {
    PrintError(err, args.stack.no_color, revisions.error().message);
    return 1;
  }
  fmt::print(out, "{}", args.json ? RenderHistoryJson(revisions.value(), *stack)
                                  : RenderHistoryText(revisions.value(), *stack));
  return 0;
}

int RunRollback(const RollbackArgs& args, const PlanSources& sources, std::FILE* in, std::FILE* out,
                std::FILE* err) {
  const bool no_color = args.apply.stack.no_color;
  if (args.apply.platform != Platform::kSwarm) {
    PrintError(err, no_color, "nest rollback is for swarm stacks: compose keeps no revisions");
    return 1;
  }
  std::optional<std::string> stack = StackName(args.apply.stack, args.apply.stack_name, err);
  if (!stack) return 1;
  auto revisions = ReadRevisions(*stack);
  if (!revisions.ok()) {
    PrintError(err, no_color, revisions.error().message);
    return 1;
  }
  std::vector<std::int64_t> kept;
  for (const auto& revision : revisions.value()) kept.push_back(revision.number);
  Result<std::int64_t> target = RollbackRevision(kept, args.to, *stack);
  if (!target.ok()) {
    PrintError(err, no_color, target.error().message);
    return 1;
  }
  if (!args.apply.json) fmt::print(out, "Rolling stack {} back to revision {}.\n\n", *stack, target.value());
  ApplyArgs apply = args.apply;
  apply.stack_name = *stack;
  apply.revision = target.value();
  return RunApply(apply, sources, in, out, err);
}

}  // namespace nest
