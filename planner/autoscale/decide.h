// The autoscaler's decision, as a pure function of the policy, the replica
// count, one sample of the service's metrics and what earlier samples left
// (ScalerState). `nest autoscale` measures, calls Decide, scales, and calls
// NoteChange; the tests drive it with a table of cases and a made-up clock.
//
// The rule (docs/autoscale.md):
// - Outside [min, max] (scaled by hand): back to the nearest bound, at once.
// - Up when any metric is above its threshold, and has stayed above for
//   scale_up_window (every sample since the first one above). The new count
//   is Kubernetes' HPA step, ceil(current × metric / threshold) for the
//   metric furthest above, at least one more, at most double, at most max.
// - Down when every metric with a `_down` threshold is below it (and at
//   least one has one), none is above its up threshold, and the cooldown has
//   passed since the last change. The new count aims the busiest metric at
//   the middle of its band, ceil(current × metric / ((down + up) / 2)), so
//   the next sample does not scale straight back up: at least one fewer, at
//   most half as many, at least min.
// - Otherwise hold. No measured task: hold (nothing to decide on).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "planner/autoscale/policy.h"

namespace nest::plan::autoscale {

using Clock = std::chrono::steady_clock;

// Averages over the service's running tasks that could be measured.
struct Sample {
  std::optional<double> cpu;     // percent of the limit (or of every core)
  std::optional<double> memory;  // percent of the limit
  int tasks = 0;                 // tasks measured
};

// What the decisions of one service remember between samples.
struct ScalerState {
  // The first sample of the current run of samples above an up threshold.
  std::optional<Clock::time_point> above_since;
  // The last change of the replica count (by this autoscaler, or recorded by
  // an earlier run); none: no cooldown to wait for.
  std::optional<Clock::time_point> last_change;
};

enum class Direction { kHold, kUp, kDown };
const char* DirectionName(Direction direction);  // "hold", "up", "down"

struct Decision {
  Direction direction = Direction::kHold;
  int from = 0;
  int to = 0;
  // For people and the event: "cpu 96% > 50% for 12s", "below min 2",
  // "cooldown: 8s of 15s passed".
  std::string reason;
};

// Decides for one sample at `now`; updates `state.above_since`.
Decision Decide(const Policy& policy, int current, const Sample& sample, Clock::time_point now,
                ScalerState& state);

// Call after the change was made: starts the cooldown, restarts the window.
void NoteChange(ScalerState& state, Clock::time_point now);

}  // namespace nest::plan::autoscale
