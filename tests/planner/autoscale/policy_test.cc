// Autoscale policies read back from the labels `nest compile` writes.
#include "planner/autoscale/policy.h"

#include <gtest/gtest.h>

namespace nest::plan::autoscale {
namespace {

using Labels = std::map<std::string, std::string>;

TEST(AutoscalePolicy, ReadsEveryLabel) {
  auto read = PolicyFromLabels({{"nest.autoscale.min", "2"},
                                {"nest.autoscale.max", "8"},
                                {"nest.autoscale.cpu", "70%"},
                                {"nest.autoscale.cpu_down", "12.5%"},
                                {"nest.autoscale.memory", "80%"},
                                {"nest.autoscale.memory_down", "40%"},
                                {"nest.autoscale.requests_per_replica", "100"},
                                {"nest.autoscale.scale_up_window", "1m30s"},
                                {"nest.autoscale.cooldown", "300s"},
                                {"team", "a"}});
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_TRUE(read.value().has_value());
  const Policy& p = *read.value();
  EXPECT_EQ(p.min, 2);
  EXPECT_EQ(p.max, 8);
  EXPECT_EQ(*p.cpu, 70);
  EXPECT_EQ(*p.cpu_down, 12.5);
  EXPECT_EQ(*p.memory_down, 40);
  EXPECT_EQ(*p.requests_per_replica, 100);
  EXPECT_EQ(p.scale_up_window, std::chrono::seconds(90));
  EXPECT_EQ(p.cooldown, std::chrono::seconds(300));
  EXPECT_EQ(DescribePolicy(p),
            "2-8 replicas; cpu > 70% (down < 12.5%); memory > 80% (down < 40%); 100 requests/s per replica "
            "(not measured); up after 1m30s, cooldown 5m");
}

TEST(AutoscalePolicy, NoMinIsNoPolicy) {
  auto read = PolicyFromLabels({{"team", "a"}});
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read.value().has_value());
}

TEST(AutoscalePolicy, MalformedLabelsAreErrorsNamingTheLabel) {
  auto bad_percent = PolicyFromLabels({{"nest.autoscale.min", "1"}, {"nest.autoscale.max", "2"}, {"nest.autoscale.cpu", "lots"}});
  ASSERT_FALSE(bad_percent.ok());
  EXPECT_EQ(bad_percent.error().message, "the label nest.autoscale.cpu is `lots`, not a percentage such as 70%");
  auto no_max = PolicyFromLabels({{"nest.autoscale.min", "1"}});
  ASSERT_FALSE(no_max.ok());
  EXPECT_NE(no_max.error().message.find("nest.autoscale.max is missing"), std::string::npos);
  auto inverted = PolicyFromLabels({{"nest.autoscale.min", "5"}, {"nest.autoscale.max", "2"}});
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(inverted.error().message, "the autoscale policy's min 5 is above its max 2");
  auto negative = PolicyFromLabels({{"nest.autoscale.min", "-1"}, {"nest.autoscale.max", "2"}});
  EXPECT_FALSE(negative.ok());
  auto bad_window = PolicyFromLabels({{"nest.autoscale.min", "1"}, {"nest.autoscale.max", "2"}, {"nest.autoscale.cooldown", "soon"}});
  EXPECT_FALSE(bad_window.ok());
}

TEST(AutoscalePolicy, DurationsAndPercentsReadAsNestWritesThem) {
  using namespace std::chrono;
  EXPECT_EQ(DurationText(seconds(0)), "0s");
  EXPECT_EQ(DurationText(milliseconds(250)), "250ms");
  EXPECT_EQ(DurationText(seconds(15)), "15s");
  EXPECT_EQ(DurationText(seconds(300)), "5m");
  EXPECT_EQ(DurationText(seconds(3725)), "1h2m5s");
  EXPECT_EQ(PercentText(70), "70%");
  EXPECT_EQ(PercentText(12.54), "12.5%");
}

}  // namespace
}  // namespace nest::plan::autoscale
