// `nest status`.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include "cli/interrupt.h"
#include "cli/load_checked.h"
#include "cli/status_commands.h"
#include "cli/status_report.h"
#include "compiler/diagnostics/render.h"
#include "compiler/syntax/literals.h"
#include "planner/plan_stack.h"
#include "providers/engine/endpoint.h"
#include "providers/make_provider.h"

namespace nest {
namespace {

void PrintError(std::FILE* err, bool no_color, const std::string& message) {
  bool color = !no_color && ShouldColor(fileno(err));
  fmt::print(err, "{}: {}\n", color ? "\x1b[1;31merror\x1b[0m" : "error", message);
}

// What one look at the stack needs, read once.
struct StatusInputs {
  const Config& config;
  const StackGraph& graph;
  std::string stack;
  engine::Endpoint endpoint;
};

// Plans on a thread of its own (its own provider and client) while this
// thread reads the services, revisions and scale records. An Engine failure
// of the reads is the error; a failed plan is reported in the report.
Result<StatusReport> ReadStatus(const StatusInputs& in, Diagnostics& plan_diags) {
  std::optional<Result<plan::PlannedStack>> planned;
  std::thread planner([&] {
    engine::EngineClient plan_client(in.endpoint);
    std::unique_ptr<plan::Provider> provider = plan::MakeProvider(Platform::kSwarm, plan_client);
    planned = plan::PlanStack(in.config, in.graph, *provider, {in.stack, {}}, plan_diags);
  });
  engine::EngineClient client(in.endpoint);
  auto runtimes = swarm::ReadServiceRuntimes(client, in.stack);
  engine::Result<std::vector<swarm::Revision>> revisions = std::vector<swarm::Revision>{};
  engine::Result<std::map<std::string, swarm::ScaleRecord>> records = std::map<std::string, swarm::ScaleRecord>{};
  if (runtimes.ok()) {
    revisions = swarm::ListRevisions(client, in.stack);
    records = swarm::ReadScaleRecords(client, in.stack);
  }
  planner.join();
  if (!runtimes.ok()) return Error{runtimes.error().Describe()};

  const plan::Plan* plan = planned->ok() ? &planned->value().plan : nullptr;
  StatusReport report = BuildStatusReport(plan, in.stack, in.endpoint.Display(), runtimes.value(),
                                          revisions.ok() ? revisions.value() : std::vector<swarm::Revision>{},
                                          records.ok() ? records.value() : std::map<std::string, swarm::ScaleRecord>{});
  if (!planned->ok()) report.plan_error = planned->error().message;
  if (plan_diags.HasErrors() && report.plan_error.empty()) report.plan_error = "the desired state could not be built";
  if (!revisions.ok()) report.revision_error = revisions.error().Describe();
  return report;
}

// Sleeps `interval`, waking early when Ctrl-C is pressed.
void Pause(std::chrono::nanoseconds interval, const std::atomic<bool>& stop) {
  auto until = std::chrono::steady_clock::now() + interval;
  while (!stop.load() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

}  // namespace

int RunStatus(const StatusArgs& args, std::FILE* out, std::FILE* err) {
  const bool no_color = args.stack.no_color;
  auto interval = ParseDurationText(args.interval);
  if (!interval.ok() || *interval.value <= 0) {
    PrintError(err, no_color, fmt::format("--interval `{}` is not a duration such as 2s", args.interval));
    return 1;
  }
  SourceManager source_files;
  Diagnostics diags;
  CheckedStack checked = LoadCheckedStack(args.stack, source_files, diags);
  TextStyle style{!no_color && ShouldColor(fileno(err))};
  if (!diags.empty()) fmt::print(err, "{}", RenderText(diags, source_files, style));
  if (!checked.config) return 1;
  auto endpoint = engine::ResolveEndpoint(engine::ProcessEnvironment());
  if (!endpoint.ok()) {
    PrintError(err, no_color, endpoint.error().Describe());
    return 1;
  }
  StatusInputs inputs{*checked.config, checked.graph,
                      args.stack_name.empty() ? checked.config->stack_name : args.stack_name, endpoint.value()};

  // Only --watch runs until Ctrl-C; one report leaves SIGINT as it is.
  std::optional<InterruptGuard> interrupt;
  if (args.watch) interrupt.emplace("\n");
  static const std::atomic<bool> kNever{false};
  const std::atomic<bool>& stop = interrupt ? interrupt->stop_requested() : kNever;
  const bool clear = args.watch && !args.json && isatty(fileno(out));
  int code = 1;
  do {
    Diagnostics plan_diags;
    Result<StatusReport> report = ReadStatus(inputs, plan_diags);
    if (clear) fmt::print(out, "\x1b[H\x1b[2J");
    if (!plan_diags.empty() && !args.watch) fmt::print(err, "{}", RenderText(plan_diags, source_files, style));
    if (!report.ok()) {
      PrintError(err, no_color, report.error().message);
      code = 1;
    } else {
      fmt::print(out, "{}", args.json ? RenderStatusJson(report.value(), !args.watch) : RenderStatusText(report.value()));
      code = report.value().ExitCode();
    }
    std::fflush(out);
    if (args.watch) Pause(std::chrono::nanoseconds(*interval.value), stop);
  } while (args.watch && !stop.load());
  return code;
}

}  // namespace nest
