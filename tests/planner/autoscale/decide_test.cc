// The autoscaler's decision rule, case by case: thresholds, the scale-up
// window, the cooldown, the bounds and the size of each step.
#include "planner/autoscale/decide.h"

#include <gtest/gtest.h>

namespace nest::plan::autoscale {
namespace {

using std::chrono::seconds;

Clock::time_point At(int s) { return Clock::time_point{} + seconds(1000 + s); }

// cpu 50% (down 20%), memory 80% (down 40%), 1-6 replicas, 10 s window, 30 s cooldown.
Policy TestPolicy() {
  Policy p;
  p.min = 1;
  p.max = 6;
  p.cpu = 50;
  p.cpu_down = 20;
  p.memory = 80;
  p.memory_down = 40;
  p.scale_up_window = seconds(10);
  p.cooldown = seconds(30);
  return p;
}

Sample Load(double cpu, double memory, int tasks = 2) { return {cpu, memory, tasks}; }

struct Case {
  const char* name;
  int current;
  Sample sample;
  // ScalerState before the decision, in seconds of At(): -1 is unset.
  int above_since;
  int last_change;
  int now;
  Direction direction;
  int to;
  const char* reason;  // a part of the reason
};

class DecideTable : public ::testing::TestWithParam<Case> {};

TEST_P(DecideTable, Decides) {
  const Case& c = GetParam();
  ScalerState state;
  if (c.above_since >= 0) state.above_since = At(c.above_since);
  if (c.last_change >= 0) state.last_change = At(c.last_change);
  Decision d = Decide(TestPolicy(), c.current, c.sample, At(c.now), state);
  EXPECT_EQ(DirectionName(d.direction), std::string(DirectionName(c.direction))) << d.reason;
  EXPECT_EQ(d.from, c.current);
  EXPECT_EQ(d.to, c.to) << d.reason;
  EXPECT_NE(d.reason.find(c.reason), std::string::npos) << d.reason;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DecideTable,
    ::testing::Values(
        // The window: above, but not for long enough yet.
        Case{"first sample above holds", 2, Load(90, 10), -1, -1, 0, Direction::kHold, 2, "cpu 90% > 50% for 0s of 10s"},
        Case{"above for part of the window holds", 2, Load(90, 10), 0, -1, 9, Direction::kHold, 2, "for 9s of 10s"},
        Case{"above for the window scales up", 2, Load(90, 10), 0, -1, 10, Direction::kUp, 4, "cpu 90% > 50% for 10s"},
        // The step: ceil(current × metric / threshold), at least +1, at most double, at most max.
        Case{"just above adds one", 4, Load(51, 10), 0, -1, 20, Direction::kUp, 5, "cpu 51%"},
        Case{"far above at most doubles", 2, Load(130, 95), 0, -1, 20, Direction::kUp, 4, "cpu 130% > 50%"},
        Case{"the step stops at max", 4, Load(100, 10), 0, -1, 20, Direction::kUp, 6, "cpu"},
        Case{"at max holds", 6, Load(100, 10), 0, -1, 20, Direction::kHold, 6, "at max 6"},
        Case{"memory alone scales up", 3, Load(30, 90), 0, -1, 20, Direction::kUp, 4, "memory 90% > 80%"},
        Case{"up ignores the cooldown", 2, Load(90, 10), 0, 15, 20, Direction::kUp, 4, "cpu"},
        // Down: every metric below its down threshold, after the cooldown.
        Case{"low but in cooldown holds", 4, Load(5, 10), -1, 0, 29, Direction::kHold, 4, "cooldown 29s of 30s"},
        Case{"low after the cooldown scales down", 4, Load(5, 10), -1, 0, 30, Direction::kDown, 2, "cpu 5% < 20%, memory 10% < 40%"},
        Case{"low with no change seen scales down", 4, Load(5, 10), -1, -1, 0, Direction::kDown, 2, "cpu 5%"},
        Case{"down at most halves", 6, Load(1, 1), -1, -1, 0, Direction::kDown, 3, "cpu 1%"},
        Case{"down aims at the middle of the band", 6, Load(19, 10), -1, -1, 0, Direction::kDown, 4, "cpu 19%"},
        Case{"one metric not low holds", 4, Load(5, 60), -1, -1, 0, Direction::kHold, 4, "within the thresholds"},
        Case{"between the thresholds holds", 3, Load(30, 50), -1, -1, 0, Direction::kHold, 3, "cpu 30%, memory 50%"},
        Case{"at min holds", 1, Load(1, 1, 1), -1, -1, 0, Direction::kHold, 1, "at min 1"},
        // The bounds, at once: a count set by hand outside them.
        Case{"below min goes to min", 0, Load(0, 0, 0), -1, -1, 0, Direction::kUp, 1, "below min 1"},
        Case{"above max goes to max", 9, Load(1, 1), -1, 5, 6, Direction::kDown, 6, "above max 6"},
        // Nothing to decide on.
        Case{"no measured task holds", 2, Sample{}, 0, -1, 20, Direction::kHold, 2, "no running task could be measured"}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name;
      for (const char* p = info.param.name; *p; ++p) name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
      return name;
    });

TEST(Decide, TheWindowRestartsWhenTheMetricDropsBelow) {
  ScalerState state;
  Policy policy = TestPolicy();
  EXPECT_EQ(Decide(policy, 2, Load(90, 10), At(0), state).direction, Direction::kHold);
  EXPECT_EQ(Decide(policy, 2, Load(30, 10), At(5), state).direction, Direction::kHold);
  EXPECT_FALSE(state.above_since);
  EXPECT_EQ(Decide(policy, 2, Load(90, 10), At(8), state).direction, Direction::kHold);
  EXPECT_EQ(Decide(policy, 2, Load(90, 10), At(17), state).direction, Direction::kHold);
  EXPECT_EQ(Decide(policy, 2, Load(90, 10), At(18), state).direction, Direction::kUp);
}

TEST(Decide, AChangeStartsTheCooldownAndRestartsTheWindow) {
  ScalerState state;
  Policy policy = TestPolicy();
  Decision up = Decide(policy, 2, Load(90, 10), At(0), state);
  up = Decide(policy, 2, Load(90, 10), At(10), state);
  ASSERT_EQ(up.direction, Direction::kUp);
  NoteChange(state, At(10));
  EXPECT_FALSE(state.above_since);
  EXPECT_EQ(Decide(policy, 4, Load(90, 10), At(12), state).direction, Direction::kHold);  // a new window
  EXPECT_EQ(Decide(policy, 4, Load(1, 1), At(39), state).direction, Direction::kHold);    // cooldown
  EXPECT_EQ(Decide(policy, 4, Load(1, 1), At(40), state).direction, Direction::kDown);
}

TEST(Decide, WithoutADownThresholdNeverScalesDown) {
  Policy policy = TestPolicy();
  policy.cpu_down.reset();
  policy.memory_down.reset();
  ScalerState state;
  Decision d = Decide(policy, 4, Load(1, 1), At(0), state);
  EXPECT_EQ(d.direction, Direction::kHold);
}

TEST(Decide, NoWindowScalesUpAtTheFirstSampleAbove) {
  Policy policy = TestPolicy();
  policy.scale_up_window = std::chrono::nanoseconds(0);
  ScalerState state;
  Decision d = Decide(policy, 1, Load(75, 10, 1), At(0), state);
  EXPECT_EQ(d.direction, Direction::kUp);
  EXPECT_EQ(d.to, 2);
  EXPECT_EQ(d.reason, "cpu 75% > 50%");
}

TEST(Decide, MetricsThePolicyDoesNotNameAreIgnored) {
  Policy policy = TestPolicy();
  policy.memory.reset();
  policy.memory_down.reset();
  ScalerState state;
  // Memory at 99% means nothing to a cpu-only policy.
  EXPECT_EQ(Decide(policy, 4, Load(5, 99), At(0), state).direction, Direction::kDown);
}

}  // namespace
}  // namespace nest::plan::autoscale
