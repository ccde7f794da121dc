#include "planner/autoscale/decide.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

namespace nest::plan::autoscale {
namespace {

// One metric against its thresholds.
struct Reading {
  const char* name;
  double value;
  std::optional<double> up;
  std::optional<double> down;

  bool Above() const { return up && value > *up; }
  bool Below() const { return down && value < *down; }
};

std::vector<Reading> Readings(const Policy& policy, const Sample& sample) {
  std::vector<Reading> readings;
  if (sample.cpu && (policy.cpu || policy.cpu_down)) readings.push_back({"cpu", *sample.cpu, policy.cpu, policy.cpu_down});
  if (sample.memory && (policy.memory || policy.memory_down)) {
    readings.push_back({"memory", *sample.memory, policy.memory, policy.memory_down});
  }
  return readings;
}

std::string Seconds(Clock::duration d) {
  return DurationText(std::chrono::duration_cast<std::chrono::nanoseconds>(d));
}

// "cpu 40%, memory 12%": what was seen, for a hold.
std::string Levels(const std::vector<Reading>& readings) {
  std::string text;
  for (const auto& r : readings) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", r.name, PercentText(r.value));
  return text;
}

int CeilTimes(int current, double ratio) {
  // A hair below an integer (3.0000000004 from 60 / 20) must not add a replica.
  return static_cast<int>(std::ceil(current * ratio - 1e-9));
}

Decision Hold(int current, std::string reason) { return {Direction::kHold, current, current, std::move(reason)}; }

Decision ScaleUp(const Policy& policy, int current, const std::vector<Reading>& readings, const Reading& worst,
                 Clock::duration above_for) {
  double ratio = 0;
  for (const auto& r : readings)
    if (r.up && *r.up > 0) ratio = std::max(ratio, r.value / *r.up);
  int to = std::clamp(CeilTimes(current, ratio), current + 1, std::max(current * 2, current + 1));
  to = std::min(to, policy.max);
  std::string reason = fmt::format("{} {} > {}", worst.name, PercentText(worst.value), PercentText(*worst.up));
  if (policy.scale_up_window.count() > 0) reason += " for " + Seconds(above_for);
  return {Direction::kUp, current, to, reason};
}

Decision ScaleDown(const Policy& policy, int current, const std::vector<Reading>& readings) {
  double ratio = 0;
  std::string reason;
  for (const auto& r : readings) {
    double target = r.up && r.down ? (*r.up + *r.down) / 2 : r.up ? *r.up : *r.down;
    if (target > 0) ratio = std::max(ratio, r.value / target);
    if (r.down) reason += fmt::format("{}{} {} < {}", reason.empty() ? "" : ", ", r.name, PercentText(r.value), PercentText(*r.down));
  }
  int lowest = std::max(policy.min, (current + 1) / 2);
  int to = std::clamp(CeilTimes(current, ratio), lowest, std::max(lowest, current - 1));
  return {Direction::kDown, current, to, reason};
}

}  // namespace

const char* DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kUp: return "up";
    case Direction::kDown: return "down";
    case Direction::kHold: break;
  }
  return "hold";
}

Decision Decide(const Policy& policy, int current, const Sample& sample, Clock::time_point now, ScalerState& state) {
  if (current < policy.min) return {Direction::kUp, current, policy.min, fmt::format("below min {}", policy.min)};
  if (current > policy.max) return {Direction::kDown, current, policy.max, fmt::format("above max {}", policy.max)};

  std::vector<Reading> readings = Readings(policy, sample);
  if (sample.tasks == 0 || readings.empty()) {
    state.above_since.reset();
    return Hold(current, sample.tasks == 0 ? "no running task could be measured" : "no metric the policy names was measured");
  }

  // The metric furthest above its threshold, if any is.
  const Reading* worst = nullptr;
  for (const auto& r : readings)
    if (r.Above() && (worst == nullptr || r.value / *r.up > worst->value / *worst->up)) worst = &r;
  if (worst != nullptr) {
    if (!state.above_since) state.above_since = now;
    Clock::duration above_for = now - *state.above_since;
    if (current >= policy.max) return Hold(current, fmt::format("{} {} > {}, at max {}", worst->name, PercentText(worst->value), PercentText(*worst->up), policy.max));
    if (above_for < policy.scale_up_window) {
      return Hold(current, fmt::format("{} {} > {} for {} of {}", worst->name, PercentText(worst->value),
                                       PercentText(*worst->up), Seconds(above_for), DurationText(policy.scale_up_window)));
    }
    return ScaleUp(policy, current, readings, *worst, above_for);
  }
  state.above_since.reset();

  bool any_down = false;
  bool all_below = true;
  for (const auto& r : readings) {
    if (!r.down) continue;
    any_down = true;
    all_below = all_below && r.Below();
  }
  if (!any_down || !all_below) return Hold(current, Levels(readings) + ": within the thresholds");
  if (current <= policy.min) return Hold(current, Levels(readings) + fmt::format(": low, at min {}", policy.min));
  if (state.last_change) {
    Clock::duration since = now - *state.last_change;
    if (since < policy.cooldown) {
      return Hold(current, Levels(readings) + fmt::format(": low, cooldown {} of {}", Seconds(since), DurationText(policy.cooldown)));
    }
  }
  return ScaleDown(policy, current, readings);
}

void NoteChange(ScalerState& state, Clock::time_point now) {
  state.last_change = now;
  state.above_since.reset();
}

}  // namespace nest::plan::autoscale
