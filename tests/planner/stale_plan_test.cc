// A saved plan is refused when anything it was computed against moved.
#include "planner/stale_plan.h"

#include <gtest/gtest.h>

namespace nest::plan {
namespace {

Plan Saved() {
  Plan plan;
  plan.stack = "shop";
  plan.target = "swarm";
  plan.config_hash = "abc";
  plan.sensitive_hash = "s1";
  plan.live_versions = {{"service.app", {"id-app", 12}}, {"network.backend", {"id-net", 3}}};
  return plan;
}

std::string Refusal(const Plan& fresh) {
  Status status = CheckSavedPlanStillApplies(Saved(), fresh);
  return status.ok() ? "" : status.error().message;
}

TEST(StalePlan, TheSameWorldApplies) { EXPECT_EQ(Refusal(Saved()), ""); }

TEST(StalePlan, EachMoveIsNamed) {
  Plan fresh = Saved();
  fresh.live_versions["service.app"].index = 15;
  fresh.live_versions["network.extra"] = {"id-extra", 1};
  fresh.live_versions.erase("network.backend");
  EXPECT_EQ(Refusal(fresh),
            "the saved plan is stale: network.backend is gone from the engine, service.app changed on the engine "
            "(version 12 -> 15), network.extra appeared on the engine; run `nest plan -out FILE` again");
}

TEST(StalePlan, ConfigAndSecretsCount) {
  Plan fresh = Saved();
  fresh.config_hash = "def";
  EXPECT_NE(Refusal(fresh).find("the config changed"), std::string::npos);
  fresh = Saved();
  fresh.sensitive_hash = "s2";
  std::string refusal = Refusal(fresh);
  EXPECT_NE(refusal.find("a sensitive value of the config changed"), std::string::npos);
  EXPECT_EQ(refusal.find("s2"), std::string::npos);  // never the hash of a secret
}

TEST(StalePlan, AReplacedObjectIsNamed) {
  Plan fresh = Saved();
  fresh.live_versions["service.app"] = {"id-other", 12};
  EXPECT_NE(Refusal(fresh).find("service.app was replaced on the engine"), std::string::npos);
}

}  // namespace
}  // namespace nest::plan
