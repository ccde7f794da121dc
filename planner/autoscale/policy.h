// An `autoscale` block as `nest autoscale` runs it: the policy read back
// from the labels `nest compile` writes on the service (nest.autoscale.min,
// .max, .cpu = "70%", .scale_up_window = "1m30s", ...). The labels are the
// source because they are what was applied: an autoscaler running inside
// the stack needs no copy of the .nest files.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "compiler/support/result.h"

namespace nest::plan::autoscale {

struct Policy {
  int min = 0;
  int max = 0;
  // Percentages (70 for "70%"): up above, down below. CPU is a share of the
  // task's CPU limit (of every core without one), memory of its limit.
  std::optional<double> cpu;
  std::optional<double> cpu_down;
  std::optional<double> memory;
  std::optional<double> memory_down;
  // Read and shown; not measured (nest has no metrics source for it yet).
  std::optional<int> requests_per_replica;
  // How long a metric must stay above its threshold before scaling up (0:
  // at the first sample above), and how long after a change before scaling
  // down.
  std::chrono::nanoseconds scale_up_window{0};
  std::chrono::nanoseconds cooldown{0};
};

// nullopt in a good result when the labels carry no autoscale policy (no
// nest.autoscale.min); an error naming the label when one is malformed or
// the policy contradicts itself (min above max).
Result<std::optional<Policy>> PolicyFromLabels(const std::map<std::string, std::string>& labels);

// "2-8 replicas; cpu > 70% (down < 30%); memory > 80% (down < 40%); up after
// 1m, cooldown 5m"
std::string DescribePolicy(const Policy& policy);

// "1m30s", "300ms", "0s": the duration as nest writes it.
std::string DurationText(std::chrono::nanoseconds duration);
// "70%", "12.5%".
std::string PercentText(double percent);

}  // namespace nest::plan::autoscale
