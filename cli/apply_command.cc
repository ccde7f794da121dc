// `nest apply` and `nest force-unlock`.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "cli/apply_commands.h"
#include "cli/apply_progress.h"
#include "cli/approval.h"
#include "cli/deploy_timeouts.h"
#include "cli/interrupt.h"
#include "cli/load_checked.h"
#include "cli/rollback.h"
#include "compiler/diagnostics/render.h"
#include "compiler/syntax/literals.h"
#include "planner/apply/events.h"
#include "planner/apply/executor.h"
#include "planner/apply/summary.h"
#include "planner/apply/walk.h"
#include "planner/plan_file.h"
#include "planner/plan_stack.h"
#include "planner/render_text.h"
#include "planner/stale_plan.h"

namespace nest {
namespace {

namespace fs = std::filesystem;
using plan::apply::Step;
using plan::apply::StepOutcome;

void PrintError(std::FILE* err, bool no_color, const std::string& message) {
  bool color = !no_color && ShouldColor(fileno(err));
  fmt::print(err, "{}: {}\n", color ? "\x1b[1;31merror\x1b[0m" : "error", message);
}

void PrintWarning(std::FILE* err, bool no_color, const std::string& message) {
  bool color = !no_color && ShouldColor(fileno(err));
  fmt::print(err, "{}: {}\n", color ? "\x1b[1;33mwarning\x1b[0m" : "warning", message);
}

// A saved plan is a file that parses as one; a folder or a .nest file is a stack.
std::optional<Result<plan::Plan>> SavedPlanAt(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || fs::path(path).extension() == ".nest") return std::nullopt;
  return plan::ReadPlanFile(path);
}

Result<std::chrono::nanoseconds> ParseTimeout(const std::string& text) {
  auto parsed = ParseDurationText(text);
  if (!parsed.ok() || *parsed.value <= 0) {
    return Error{fmt::format("--timeout `{}` is not a duration such as 30s, 10m or 1h", text)};
  }
  return std::chrono::nanoseconds(*parsed.value);
}

// The service change `--promote` / `--abort` name: by address or, for a
// service of the root module, by its short name.
std::optional<std::size_t> GateChange(const plan::Plan& plan, const std::string& service) {
  for (std::size_t i = 0; i < plan.changes.size(); ++i) {
    const auto& change = plan.changes[i];
    if (change.kind != ResourceKind::kService) continue;
    if (change.address == service || change.address == "service." + service) return i;
  }
  return std::nullopt;
}

}  // namespace

int RunApply(const ApplyArgs& args, const PlanSources& sources, std::FILE* in, std::FILE* out, std::FILE* err) {
  const bool no_color = args.stack.no_color;
  auto timeout = ParseTimeout(args.timeout);
  if (!timeout.ok()) {
    PrintError(err, no_color, timeout.error().message);
    return 1;
  }
  if (args.parallelism < 1) {
    PrintError(err, no_color, fmt::format("-parallelism must be 1 or more, not {}", args.parallelism));
    return 1;
  }

  // --promote and --abort answer a Swarm canary's manual gate
  // (providers/swarm/canary.h).
  const std::string gate_service = !args.promote.empty() ? args.promote : args.abort;
  if (!gate_service.empty() && (args.platform != Platform::kSwarm || args.revision > 0)) {
    PrintError(err, no_color, "--promote and --abort answer a canary of nest apply on swarm");
    return 1;
  }

  // PLANFILE or PATH. A saved plan was approved when it was reviewed; a
  // fresh plan is shown and approved here.
  std::optional<plan::Plan> saved;
  StackArgs stack_args = args.stack;
  Platform platform = args.platform;
  std::string stack_name = args.stack_name;
  std::vector<std::string> targets = args.targets;
  if (auto read = args.revision > 0 ? std::nullopt : SavedPlanAt(args.stack.path)) {
    if (!read->ok()) {
      PrintError(err, no_color, read->error().message);
      return 1;
    }
    saved = std::move(*read).value();
    auto saved_platform = ParsePlatform(saved->target);
    if (!saved_platform) {
      PrintError(err, no_color, fmt::format("the saved plan is for an unknown platform `{}`", saved->target));
      return 1;
    }
    platform = *saved_platform;
    stack_name = saved->stack;
    targets = saved->targets;
    stack_args.path = saved->source.empty() ? "." : saved->source;
  } else if (!args.auto_approve && args.abort.empty() && !isatty(fileno(in))) {
    PrintError(err, no_color,
               "nest apply asks for approval, and there is no terminal to ask on: pass --auto-approve "
               "(CI), or apply a plan saved with `nest plan -out FILE` after reviewing it");
    return 1;
  }

  // A rollback applies a revision's state: no config is read.
  const bool rollback = args.revision > 0;
  SourceManager source_files;
  CheckedStack checked;
  if (!rollback) {
    Diagnostics diags;
    checked = LoadCheckedStack(stack_args, source_files, diags);
    if (!diags.empty()) fmt::print(err, "{}", RenderText(diags, source_files, TextStyle{!no_color && ShouldColor(fileno(err))}));
    if (!checked.config) return 1;
  } else if (stack_name.empty()) {
    PrintError(err, no_color, "a rollback needs the stack's name (a bug in nest: please report it)");
    return 1;
  }
  const Config* config = checked.config ? &*checked.config : nullptr;
  const std::string stack = stack_name.empty() ? config->stack_name : stack_name;

  Result<std::unique_ptr<plan::Provider>> connected = sources.provider(platform);
  if (!connected.ok()) {
    PrintError(err, no_color, connected.error().message);
    return 1;
  }
  plan::Provider& provider = *connected.value();

  // The lock comes before the plan, so nothing of nest's changes the stack
  // between the plan shown and the changes made.
  InterruptGuard interrupt;
  std::vector<std::string> lock_warnings;
  Result<std::unique_ptr<plan::StackLock>> lock =
      provider.Lock({.stack = stack, .operation = "apply", .lease = args.lock_lease}, lock_warnings);
  for (const auto& warning : lock_warnings) PrintWarning(err, no_color, warning);
  if (!lock.ok()) {
    PrintError(err, no_color, lock.error().message);
    return 1;
  }

  Diagnostics plan_diags;
  Result<plan::PlannedStack> planned =
      rollback ? plan::PlanRevision(provider, args.revision, {stack, targets})
               : plan::PlanStack(*config, checked.graph, provider, {stack, targets}, plan_diags);
  if (!plan_diags.empty()) {
    fmt::print(err, "{}", RenderText(plan_diags, source_files, TextStyle{!no_color && ShouldColor(fileno(err))}));
  }
  if (!planned.ok()) {
    PrintError(err, no_color, planned.error().message);
    return 1;
  }
  plan::Plan& plan = planned.value().plan;
  if (rollback) {
    if (Status objects = CheckRollbackObjects(plan, args.revision); !objects.ok()) {
      PrintError(err, no_color, objects.error().message);
      return 1;
    }
  }
  std::optional<std::size_t> gate_change;
  if (!gate_service.empty()) {
    gate_change = GateChange(plan, gate_service);
    if (!gate_change) {
      PrintError(err, no_color, fmt::format("the stack {} has no service `{}`", stack, gate_service));
      return 1;
    }
  }
  if (!args.abort.empty()) {
    // The canary removed, nothing else: no plan shown, no revision.
    plan::StepContext context;
    context.cancel = &interrupt.stop_requested();
    context.gate = plan::StepContext::Gate::kAbort;
    const plan::ResourceChange& change = plan.changes[*gate_change];
    Status aborted = provider.Apply(change, plan::StepOp::kUpdate, context);
    if (!aborted.ok()) {
      PrintError(err, no_color, aborted.error().message);
      return 1;
    }
    fmt::print(out, "{}: the canary was removed; the stable service is unchanged.\n", change.address);
    return 0;
  }
  if (saved) {
    if (Status still = plan::CheckSavedPlanStillApplies(*saved, plan); !still.ok()) {
      PrintError(err, no_color, still.error().message);
      return 1;
    }
  } else if (!args.json) {
    fmt::print(out, "{}", plan::RenderPlanText(plan, TextStyle{!no_color && ShouldColor(fileno(out))}));
  }
  // Nothing to change and nothing the engine is still rolling out. A
  // rollout in progress (an apply killed mid-update) is waited for, with
  // no question: waiting changes nothing.
  if (!plan.HasWork()) {
    if (saved && !args.json) fmt::print(out, "No changes. Your stack matches the configuration.\n");
    return 0;
  }
  if (!saved && !args.auto_approve && plan.HasChanges()) {
    if (!AskApproval(out, in)) {
      PrintError(err, no_color, "apply cancelled: only 'yes' approves");
      return 1;
    }
  }

  Result<plan::apply::Walk> walk = plan::apply::BuildWalk(plan.changes);
  if (!walk.ok()) {
    PrintError(err, no_color, walk.error().message);
    return 1;
  }

  ApplyProgress progress(out, ApplyProgress::ModeFor(out, args.json, walk.value()), walk.value());
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout.value());
  const plan::StackLock& held = *lock.value();
  // A rollback reads no config, so only --timeout bounds its waits.
  const auto service_timeouts = config ? DeployTimeouts(*config) : std::map<std::string, std::chrono::nanoseconds>{};
  auto context_of = [&](const Step& step) {
    plan::StepContext context;
    // A service's own deploy timeout, from when this phase of its step starts
    // (the request takes moments; the wait is what the timeout bounds);
    // --timeout bounds it.
    context.deadline = StepDeadline(deadline, service_timeouts, plan.changes[step.change].address,
                                    std::chrono::steady_clock::now());
    context.cancel = &interrupt.stop_requested();
    context.progress = [&progress, &step](const std::string& line) { progress.Progress(step, line); };
    if (gate_change && step.change == *gate_change) context.gate = plan::StepContext::Gate::kPromote;
    return context;
  };
  // The engine requests of a step (bounded by -parallelism), then its wait
  // for convergence (all at once: see planner/apply/executor.h).
  plan::apply::StepPhases phases;
  phases.request = [&](const Step& step) -> StepOutcome {
    if (held.lost()) return StepOutcome::Failed("the stack's lock was lost: another apply may be running");
    Status applied = provider.Apply(plan.changes[step.change], step.operation, context_of(step));
    if (!applied.ok()) return StepOutcome::Failed(applied.error().message);
    return StepOutcome::Ok();
  };
  phases.wait = [&](const Step& step) -> StepOutcome {
    if (step.operation == plan::StepOp::kDelete) return StepOutcome::Ok();  // gone once Apply returned
    Status converged = provider.WaitConverged(plan.changes[step.change], context_of(step));
    if (!converged.ok()) return StepOutcome::Failed(converged.error().message);
    return StepOutcome::Ok();
  };
  plan::apply::ExecutorOptions options;
  options.parallelism = args.parallelism;
  options.stop = &interrupt.stop_requested();
  options.on_event = [&progress](const plan::apply::WalkEvent& event) { progress.Event(event); };
  plan::apply::WalkReport report = plan::apply::RunWalk(walk.value(), phases, options);
  progress.Finish();

  if (report.Succeeded()) {
    plan::apply::ApplyCounts counts = plan::apply::CountSteps(walk.value(), report);
    std::string summary = plan::apply::ResourcesLine(counts);
    plan::RevisionRecord record{stack, plan.config_hash, summary, &planned.value().desired};
    Result<int> revision = provider.RecordRevision(record);
    if (!revision.ok()) PrintWarning(err, no_color, "the revision was not recorded: " + revision.error().message);
  }
  if (args.json) {
    fmt::print(out, "{}", plan::apply::SummaryJsonLine(walk.value(), report, std::chrono::system_clock::now()));
  } else {
    fmt::print(out, "\n{}", plan::apply::RenderApplySummary(walk.value(), report));
  }
  std::fflush(out);
  return report.Succeeded() ? 0 : 1;
}

int RunForceUnlock(const ForceUnlockArgs& args, const PlanSources& sources, std::FILE* out, std::FILE* err) {
  std::string stack = args.stack_name;
  if (stack.empty()) {
    SourceManager source_files;
    Diagnostics diags;
    std::optional<Config> config = LoadCheckedConfig(args.stack, source_files, diags);
    if (!diags.empty()) fmt::print(err, "{}", RenderText(diags, source_files, TextStyle{false}));
    if (!config) return 1;
    stack = config->stack_name;
  }
  Result<std::unique_ptr<plan::Provider>> provider = sources.provider(args.platform);
  if (!provider.ok()) {
    PrintError(err, args.stack.no_color, provider.error().message);
    return 1;
  }
  Status unlocked = provider.value()->ForceUnlock(stack, args.lock_id);
  if (!unlocked.ok()) {
    PrintError(err, args.stack.no_color, unlocked.error().message);
    return 1;
  }
  fmt::print(out, "nest: the lock of stack {} was removed. Another apply may start now.\n", stack);
  return 0;
}

}  // namespace nest
