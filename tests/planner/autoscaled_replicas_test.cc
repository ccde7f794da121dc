// An autoscaled service's live replica count is kept while it lies within
// the autoscale block's [min, max], and planned back into range otherwise.
#include "planner/autoscaled_replicas.h"

#include <gtest/gtest.h>

#include "planner/diff.h"
#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

using namespace nest::plan::testing;

ResourceState Worker(const std::string& replicas, bool autoscaled = true) {
  std::map<std::string, AttributeValue> labels;
  if (autoscaled) labels = {{"nest.autoscale.min", S("2")}, {"nest.autoscale.max", S("8")}};
  return R("service.worker", ResourceKind::kService, "shop_worker",
           {{"image", S("shop/worker:1")}, {"replicas", S(replicas)}, {"labels", M(labels)}});
}

std::string PlannedReplicas(const ResourceState& desired, const ResourceState& live) {
  StackState want = Stack("shop", {desired});
  StackState have = Stack("shop", {Live(live, "id1", 7)});
  AdoptAutoscaledReplicas(want, have);
  return want.resources[0].attributes.at("replicas").scalar;
}

TEST(AutoscaledReplicas, LiveCountWithinRangeIsKept) {
  EXPECT_EQ(PlannedReplicas(Worker("3"), Worker("6")), "6");
  EXPECT_EQ(PlannedReplicas(Worker("3"), Worker("2")), "2");  // the bounds are inclusive
  EXPECT_EQ(PlannedReplicas(Worker("3"), Worker("8")), "8");
}

TEST(AutoscaledReplicas, LiveCountOutsideRangeIsPlannedBack) {
  EXPECT_EQ(PlannedReplicas(Worker("3"), Worker("1")), "3");
  EXPECT_EQ(PlannedReplicas(Worker("3"), Worker("9")), "3");
}

TEST(AutoscaledReplicas, ServicesWithoutAutoscaleAreUntouched) {
  EXPECT_EQ(PlannedReplicas(Worker("3", false), Worker("6", false)), "3");
}

TEST(AutoscaledReplicas, AScaledServiceHasNoPhantomDiff) {
  StackState want = Stack("shop", {Worker("3")});
  StackState have = Stack("shop", {Live(Worker("5"), "id1", 7)});
  AdoptAutoscaledReplicas(want, have);
  Plan plan = Diff(want, have, {});
  EXPECT_FALSE(plan.HasChanges());
}

}  // namespace
}  // namespace nest::plan
