// Runs the parts of a job on a few threads: what the parser, the checker and
// `nest compile` share to use every core on a large stack.
#pragma once

#include <algorithm>
#include <atomic>
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
// units: one a thread. (More parts, taken in turn, would balance the threads
// better, but then one thread frees what another allocated, and glibc's
// heaps then cost more than the balance gains: measured on the 5000-service
// stack.) With the threads set, four a thread, so tests cut small jobs too.
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
// (the caller's among them), each taking the next part not yet taken. Each
// part must write only what is its own. An exception from
// a part is rethrown here, after every thread has stopped.
template <typename RunPart>
void RunParts(std::size_t parts, std::size_t threads, RunPart&& run_part) {
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failures(parts);
  auto work = [&] {
    for (std::size_t part; (part = next.fetch_add(1)) < parts;) {
      try {
        run_part(part);
      } catch (...) {
        failures[part] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t i = 1; i < threads; ++i) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace nest
