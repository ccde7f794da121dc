// The canary's pure helpers: which updates run as a canary, its name, and
// the name --promote takes. The procedure itself runs against the real
// engine (tests/cli/apply_canary_engine_test.cc).
#include "providers/swarm/canary.h"

#include <gtest/gtest.h>

namespace nest::swarm {
namespace {

plan::ResourceChange ChangeOf(std::vector<std::string> attributes) {
  plan::ResourceChange change;
  change.action = plan::Action::kUpdate;
  for (auto& name : attributes) change.changes.push_back(plan::AttributeChange{name, std::nullopt, std::nullopt, false});
  return change;
}

TEST(CanaryTest, OnlyAChangeOfWhatTheTasksRunIsACanary) {
  EXPECT_TRUE(ChangesTasks(ChangeOf({"image"})));
  EXPECT_TRUE(ChangesTasks(ChangeOf({"environment", "replicas"})));
  EXPECT_TRUE(ChangesTasks(ChangeOf({"networks"})));
  // Swarm makes these without replacing a task.
  EXPECT_FALSE(ChangesTasks(ChangeOf({"replicas"})));
  EXPECT_FALSE(ChangesTasks(ChangeOf({"labels", "update_config", "rollback_config"})));
  EXPECT_FALSE(ChangesTasks(ChangeOf({})));
}

TEST(CanaryTest, NamesOfTheCanaryAndOfTheGate) {
  EXPECT_EQ(CanaryName("shop_web"), "shop_web-canary");
  EXPECT_EQ(GateName("service.web"), "web");
  EXPECT_EQ(GateName("module.api.service.web"), "module.api.service.web");
}

}  // namespace
}  // namespace nest::swarm
