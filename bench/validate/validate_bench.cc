// `nest validate` throughput in MB/s of source, for generated stacks of 100,
// 1000 and 5000 services: parse alone, and parse + check + graph (what
// `nest validate` does after reading the files). Target: 50 MB/s or more.
//
// Run: build/bench/nest_bench_validate [--write DIR]
//   --write DIR   also writes each generated stack to DIR/N/stack.nest, to
//                 time the CLI end to end (`time nest validate DIR/5000`).
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "bench/stack_generator.h"
#include "compiler/check/load.h"
#include "compiler/graph/graph.h"
#include "compiler/syntax/parser.h"

namespace {

using Clock = std::chrono::steady_clock;

// Best of `runs`, in seconds: the least disturbed by the other core's load.
template <typename F>
double BestOf(int runs, F&& f) {
  double best = 1e9;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
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

bool Validate(const std::string& text) {
  nest::SourceManager sources;
  nest::Diagnostics diags;
  nest::LoadOptions options;
  options.read_environment = false;
  auto config = nest::CheckSources({{"bench/stack.nest", text}}, options, sources, diags);
  if (!config) return false;
  nest::BuildGraph(*config, diags);
  return !diags.HasErrors();
}

}  // namespace

int main(int argc, char** argv) {
  std::string write_dir = argc == 3 && std::strcmp(argv[1], "--write") == 0 ? argv[2] : "";
  fmt::print("{:>8} {:>10} {:>14} {:>16} {:>12}\n", "services", "source", "parse MB/s", "validate MB/s",
             "validate ms");
  bool all_ok = true;
  for (int n : {100, 1000, 5000}) {
    std::string text = nest::bench::GenerateStack(n);
    if (!write_dir.empty()) {
      std::filesystem::create_directories(fmt::format("{}/{}", write_dir, n));
      std::ofstream(fmt::format("{}/{}/stack.nest", write_dir, n)) << text;
    }
    bool ok = Validate(text) && ParseOnly(text);
    all_ok = all_ok && ok;
    int runs = n >= 5000 ? 3 : 10;
    double parse = BestOf(runs, [&] { ParseOnly(text); });
    double validate = BestOf(runs, [&] { Validate(text); });
    double mb = text.size() / 1e6;
    fmt::print("{:>8} {:>8.2f}MB {:>14.1f} {:>16.1f} {:>12.1f}{}\n", n, mb, mb / parse, mb / validate,
               validate * 1e3, ok ? "" : "  (INVALID: the generator is broken)");
  }
  fmt::print("target: validate >= 50 MB/s\n");
  return all_ok ? 0 : 1;
}
