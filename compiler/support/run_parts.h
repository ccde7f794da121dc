// Runs the parts of a job on a few threads: what the parser, the checker and
// `nest compile` share to use every core on a large stack.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace nest {

// The threads to use for a job of `parts` parts: `requested`, or one per
// core when 0; never more than the parts.
inline std::size_t ThreadsFor(std::size_t parts, unsigned requested) {
  std::size_t threads = requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(threads, parts));
}

// How many parts to cut a job of `size` units into, none under `min_part`
// units: one a thread. (More parts would balance the threads better, but
// then one thread frees what another allocated, and glibc's heaps then cost
// more than the balance gains: measured on the 5000-service stack.) With the
// threads set, four a thread, so tests cut small jobs too.
inline std::size_t PartsFor(std::size_t size, std::size_t min_part, unsigned requested_threads) {
  if (requested_threads != 0) return std::min<std::size_t>(requested_threads * std::size_t{4}, 64);
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  return std::min<std::size_t>({threads, size / min_part, 64});
}

// Cuts items 0..n-1, of the given costs, into at most `parts` contiguous
// runs of about equal cost: run i is [cuts[i], cuts[i + 1]).
inline std::vector<std::size_t> CutByCost(const std::vector<std::size_t>& cost, std::size_t parts) {
  std::size_t total = 0;
  for (std::size_t c : cost) total += c;
  std::vector<std::size_t> cuts{0};
  std::size_t done = 0;
  for (std::size_t i = 0; i < cost.size() && cuts.size() < parts; ++i) {
    done += cost[i];
    if (done * parts >= total * cuts.size()) cuts.push_back(i + 1);
  }
  cuts.push_back(cost.size());
  return cuts;
}

// Calls run_part(i) once for every i in [0, parts), on `threads` threads
// (the caller's among them). Each part must write only what is its own. An
// exception from a part is rethrown here, after every thread has stopped.
//
// Thread t runs parts t, t + threads, ...: the caller always runs part 0,
// the first worker part 1, and so on, in every phase. glibc gives each
// thread a heap (arena) of its own, and a new worker takes over the arena of
// the one that ran before it; so the checker's thread for the second half
// of a stack frees the syntax trees that the parser's thread for the second
// half allocated, in its own arena. Parts taken in turn were handed out by
// a race: when the threads swapped halves, every free took the other
// thread's arena lock (measured: up to half the check phase waiting).
template <typename RunPart>
void RunParts(std::size_t parts, std::size_t threads, RunPart&& run_part) {
  std::vector<std::exception_ptr> failures(parts);
  auto work = [&](std::size_t thread) {
    for (std::size_t part = thread; part < parts; part += threads) {
      try {
        run_part(part);
      } catch (...) {
        failures[part] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(work, t);
  work(0);
  for (auto& worker : workers) worker.join();
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace nest
