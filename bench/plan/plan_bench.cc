// `nest plan` against a live stack: a no-op plan versus docker's no-op
// redeploy of the same compiled file (`docker stack deploy --resolve-image
// never`, which POSTs an update to every service), side by side, for
// generated stacks of 10 and 100 services; and the Engine requests nest's
// read of the stack makes for each size (the same for both, by design).
//
// The stacks come from bench/stack_generator (the validate benchmark's
// services: env, health check, resources, security, rolling deploy, host
// ports, volumes, an external secret, encrypted internal networks) with
// `replicas = 0`, so no task churns on the machine while it is timed (their
// images do not exist here; neither command looks at tasks' images).
//
// Run (needs a swarm manager; tools/engine starts one):
//   build/bench/nest_bench_plan [--runs N]
// Removes its stacks (and the external secret, when it made it) at the end.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/stack_generator.h"
#include "compiler/check/load.h"
#include "compiler/emit/compile.h"
#include "compiler/graph/graph.h"
#include "providers/desired.h"
#include "planner/diff.h"
#include "planner/render_text.h"
#include "providers/engine/client.h"
#include "providers/engine/endpoint.h"
#include "providers/make_provider.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int Run(const std::string& command, std::string* output = nullptr) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  std::string text;
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  int status = pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Best and median of `runs`, in seconds. The best is the run least
// disturbed by whatever else the machine (and the daemon) is doing.
struct Times {
  double best = 0;
  double median = 0;
};

template <typename F>
Times Measure(int runs, F&& f) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    f();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return {times.front(), times[times.size() / 2]};
}

struct Stack {
  int services = 0;
  std::string name;
  fs::path dir;   // dir/src/stack.nest, dir/stack.yml
  std::string file;
};

bool Prepare(Stack& stack) {
  std::string text = nest::bench::GenerateStack(stack.services);
  text = std::regex_replace(text, std::regex("replicas = [0-9]+"), "replicas = 0");
  text = std::regex_replace(text, std::regex("stack \"bench\""), "stack \"" + stack.name + "\"");
  fs::create_directories(stack.dir / "src");
  std::ofstream(stack.dir / "src" / "stack.nest") << text;
  nest::SourceManager sources;
  nest::Diagnostics diags;
  nest::LoadOptions options;
  options.read_environment = false;
  auto config = nest::LoadStack((stack.dir / "src").string(), options, sources, diags);
  if (!config) {
    fmt::print(stderr, "the generated stack does not load\n");
    return false;
  }
  nest::EmitOptions emit;
  emit.output_dir = stack.dir.string();
  auto compiled = nest::CompileStack(*config, emit, (stack.dir / "src").string(), diags);
  if (!compiled) return false;
  stack.file = (stack.dir / "stack.yml").string();
  std::ofstream(stack.file) << *compiled;
  std::string out;
  if (Run("docker stack deploy --resolve-image never -c " + stack.file + " " + stack.name, &out) != 0) {
    fmt::print(stderr, "docker stack deploy failed:\n{}\n", out);
    return false;
  }
  return true;
}

struct LibraryPlan {
  bool no_changes = false;
  std::uint64_t read_requests = 0;
};

// The plan in-process: load, desired state, read the live stack, diff, render.
LibraryPlan PlanInProcess(const Stack& stack) {
  LibraryPlan result;
  nest::SourceManager sources;
  nest::Diagnostics diags;
  nest::LoadOptions options;
  options.read_environment = false;
  auto config = nest::LoadStack((stack.dir / "src").string(), options, sources, diags);
  if (!config) return result;
  auto desired = nest::plan::BuildDesiredState(*config, nest::Platform::kSwarm, stack.name, diags);
  auto endpoint = nest::engine::ResolveEndpoint(nest::engine::ProcessEnvironment());
  nest::engine::EngineClient client(endpoint.ok() ? endpoint.value() : nest::engine::Endpoint{});
  if (!desired || !client.Negotiate().ok()) return result;
  // Every client's requests: the read spreads over more than one connection.
  std::uint64_t before = nest::engine::EngineClient::TotalRequestCount();
  auto live = nest::plan::MakeProvider(nest::Platform::kSwarm, client)->ReadStack(stack.name);
  result.read_requests = nest::engine::EngineClient::TotalRequestCount() - before;
  if (!live.ok()) {
    fmt::print(stderr, "{}\n", live.error().message);
    return result;
  }
  nest::StackGraph graph = nest::BuildGraph(*config, diags);
  nest::plan::Plan plan = nest::plan::Diff(*desired, live.value(), nest::plan::DiffOptionsFromGraph(graph));
  std::string text = nest::plan::RenderPlanText(plan, {});
  result.no_changes = !plan.HasChanges();
  if (!result.no_changes) fmt::print(stderr, "unexpected changes:\n{}\n", text);
  return result;
}

void Remove(const Stack& stack) {
  Run("docker stack rm " + stack.name + " >/dev/null");
  for (int i = 0; i < 40; ++i) {
    std::string out;
    Run("docker network ls -q --filter label=com.docker.stack.namespace=" + stack.name, &out);
    if (out.empty()) break;
    usleep(250 * 1000);
  }
  std::error_code ec;
  fs::remove_all(stack.dir, ec);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc == 3 && std::strcmp(argv[1], "--runs") == 0 ? std::max(1, std::atoi(argv[2])) : 7;
  if (Run("docker info --format '{{.Swarm.ControlAvailable}}' | grep -q true") != 0) {
    fmt::print(stderr, "needs a swarm manager (run tools/engine)\n");
    return 1;
  }
  // The generated services mount the external secret `db_password`.
  bool made_secret = Run("docker secret inspect db_password >/dev/null") != 0 &&
                     Run("printf bench | docker secret create db_password - >/dev/null") == 0;

  std::vector<Stack> stacks;
  for (int n : {10, 100}) {
    Stack stack;
    stack.services = n;
    stack.name = fmt::format("nest-bench-plan-{}-{}", n, getpid());
    stack.dir = fs::temp_directory_path() / stack.name;
    stacks.push_back(stack);
  }
  int status = 0;
  fmt::print("{:>8} {:>15} {:>15} {:>18} {:>16} {:>9}\n", "", "nest plan (s)", "nest lib (s)",
             "docker deploy (s)", "ratio", "requests");
  fmt::print("{:>8} {:>8} {:>6} {:>8} {:>6} {:>10} {:>7} {:>7} {:>8} {:>9}\n", "services", "best", "median", "best",
             "median", "best", "median", "best", "median", "(read)");
  // One stack at a time: the generated networks have fixed subnets, which
  // the swarm cannot allocate twice.
  for (auto& stack : stacks) {
    if (!Prepare(stack)) {
      Remove(stack);
      status = 1;
      break;
    }
    sleep(2);  // let the daemon finish the creation before timing anything
    LibraryPlan check = PlanInProcess(stack);
    if (!check.no_changes) status = 1;
    std::string cli = fmt::format("{} plan {} --stack {} --detailed-exitcode >/dev/null 2>&1", NEST_BINARY_PATH,
                                  (stack.dir / "src").string(), stack.name);
    int cli_status = Run(cli);
    if (cli_status != 0) {
      fmt::print(stderr, "`nest plan` exited {} (0 = no changes expected)\n", cli_status);
      status = 1;
    }
    Times nest_cli = Measure(runs, [&] { Run(cli); });
    Times nest_lib = Measure(runs, [&] { PlanInProcess(stack); });
    Times docker = Measure(runs, [&] {
      Run("docker stack deploy --resolve-image never -c " + stack.file + " " + stack.name + " >/dev/null");
    });
    fmt::print("{:>8} {:>8.3f} {:>6.3f} {:>8.3f} {:>6.3f} {:>10.3f} {:>7.3f} {:>6.1f}x {:>7.1f}x {:>9}\n",
               stack.services, nest_cli.best, nest_cli.median, nest_lib.best, nest_lib.median, docker.best,
               docker.median, docker.best / nest_cli.best, docker.median / nest_cli.median, check.read_requests);
    Remove(stack);
  }
  if (made_secret) Run("docker secret rm db_password >/dev/null");
  fmt::print("ratio: docker stack deploy (no-op redeploy) / nest plan (no-op, CLI process); target >= 5x at 100\n"
             "services, and the same read requests for both sizes. {} runs each, after the deploy settled.\n",
             runs);
  return status;
}
