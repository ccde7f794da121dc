// `nest validate` throughput in MB/s of source, for generated stacks of 100,
// 1000 and 5000 services: parse alone, and parse + check + graph (what
// `nest validate` does after reading the files). Target: 50 MB/s or more.
//
// Each figure is the best of several runs. Wall time is what a user waits
// for; CPU time (this thread's) leaves out the time other processes took the
// core, so it is the steadier figure on a loaded machine.
//
// Run: build/bench/nest_bench_validate [--write DIR]
//   --write DIR   also writes each generated stack to DIR/N/stack.nest, to
//                 time the CLI end to end (`time nest validate DIR/5000`).
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "bench/stack_generator.h"
#include "compiler/check/load.h"
#include "compiler/graph/graph.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/parser.h"

namespace {

using Clock = std::chrono::steady_clock;

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Timing {
  double wall = 1e9;  // seconds, best of the runs
  double cpu = 1e9;
};

// Best of `runs`: the least disturbed by the other processes' load.
// `after` runs after each timed run, untimed.
template <typename F, typename After>
Timing BestOf(int runs, F&& f, After&& after) {
  Timing best;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    double cpu_start = ThreadCpuSeconds();
    f();
    best.cpu = std::min(best.cpu, ThreadCpuSeconds() - cpu_start);
    best.wall = std::min(best.wall, std::chrono::duration<double>(Clock::now() - start).count());
    after();
  }
  return best;
}

bool ParseOnly(const std::string& text) {
  nest::SourceManager sources;
  nest::Diagnostics diags;
  nest::FileId id = sources.Add("bench.nest", text);
  nest::ParseFile(sources, id, diags);
  return !diags.HasErrors();
}

// As `nest validate` runs it: the syntax trees are kept rather than freed
// (the CLI leaves that to the process exit), so freeing them is not timed.
bool Validate(const std::string& text, std::vector<nest::ast::File>& kept) {
  nest::SourceManager sources;
  nest::Diagnostics diags;
  nest::LoadOptions options;
  options.read_environment = false;
  options.keep_parsed_files = &kept;
  auto config = nest::CheckSources({{"bench/stack.nest", text}}, options, sources, diags);
  if (!config) return false;
  nest::BuildGraph(*config, diags);
  return !diags.HasErrors();
}

}  // namespace

int main(int argc, char** argv) {
  std::string write_dir = argc == 3 && std::strcmp(argv[1], "--write") == 0 ? argv[2] : "";
  fmt::print("{:>8} {:>10} {:>14} {:>16} {:>12} {:>14}\n", "services", "source", "parse MB/s", "validate MB/s",
             "validate ms", "(cpu) MB/s");
  bool all_ok = true;
  for (int n : {100, 1000, 5000}) {
    std::string text = nest::bench::GenerateStack(n);
    if (!write_dir.empty()) {
      std::filesystem::create_directories(fmt::format("{}/{}", write_dir, n));
      std::ofstream(fmt::format("{}/{}/stack.nest", write_dir, n)) << text;
    }
    std::vector<nest::ast::File> kept;
    bool ok = Validate(text, kept) && ParseOnly(text);
    all_ok = all_ok && ok;
    int runs = n >= 5000 ? 5 : 10;
    Timing parse = BestOf(runs, [&] { ParseOnly(text); }, [] {});
    Timing validate = BestOf(runs, [&] { Validate(text, kept); }, [&] { kept.clear(); });
    double mb = text.size() / 1e6;
    fmt::print("{:>8} {:>8.2f}MB {:>14.1f} {:>16.1f} {:>12.1f} {:>14.1f}{}\n", n, mb, mb / parse.wall,
               mb / validate.wall, validate.wall * 1e3, mb / validate.cpu,
               ok ? "" : "  (INVALID: the generator is broken)");
  }
  fmt::print("target: validate >= 50 MB/s (cpu: the same, without the time other processes took)\n");
  return all_ok ? 0 : 1;
}
