// The apply walk's steps and edges, from hand-made changes and from a plan.
#include "planner/apply/walk.h"

#include <gtest/gtest.h>

#include "tests/planner/apply/walk_fixtures.h"
#include "tests/planner/fixtures.h"

namespace nest::plan::apply {
namespace {

using namespace nest::plan::apply::testing;
using Texts = std::vector<std::string>;

TEST(WalkTest, EmptyPlanAndNoOpsHaveNoSteps) {
  EXPECT_TRUE(MustBuild({}).steps.empty());
  Walk walk = MustBuild({Change("network.a", ResourceKind::kNetwork, Action::kNoOp),
                         Change("service.b", ResourceKind::kService, Action::kNoOp, {"network.a"})});
  EXPECT_TRUE(walk.steps.empty());
}

TEST(WalkTest, ANoOpTheEngineIsStillRollingOutIsAWaitStep) {
  // An apply killed mid-update left Swarm rolling service.db out; nothing
  // changes, but apply waits for it, and what depends on it waits too.
  ResourceChange db = Change("service.db", ResourceKind::kService, Action::kNoOp, {"network.a"});
  db.engine_in_progress = "an update is in progress on the engine";
  Walk walk = MustBuild({Change("network.a", ResourceKind::kNetwork, Action::kNoOp), db,
                         Change("service.app", ResourceKind::kService, Action::kUpdate, {"service.db"}),
                         Change("service.idle", ResourceKind::kService, Action::kNoOp)});
  EXPECT_EQ(Descriptions(walk), (std::vector<std::string>{"wait service.db", "update service.app"}));
  EXPECT_EQ(Find(walk, "wait service.db")->operation, Operation::kWait);
  EXPECT_TRUE(DependenciesOf(walk, "wait service.db").empty());
  EXPECT_EQ(DependenciesOf(walk, "update service.app"), (std::vector<std::string>{"wait service.db"}));
}

TEST(WalkTest, CreatesFollowTheEdges) {
  // Plan order puts the service first; the edges put what it uses first.
  Walk walk = MustBuild({
      Change("service.app", ResourceKind::kService, Action::kCreate,
             {"config.motd", "network.back", "secret.token", "volume.data"}),
      Change("network.back", ResourceKind::kNetwork, Action::kCreate),
      Change("secret.token", ResourceKind::kSecret, Action::kCreate),
      Change("config.motd", ResourceKind::kConfig, Action::kCreate),
      Change("volume.data", ResourceKind::kVolume, Action::kCreate),
      Change("service.lone", ResourceKind::kService, Action::kCreate),
  });
  EXPECT_EQ(Descriptions(walk), (Texts{"create network.back", "create secret.token", "create config.motd",
                                       "create volume.data", "create service.app", "create service.lone"}));
  EXPECT_EQ(DependenciesOf(walk, "create service.app"),
            (Texts{"create network.back", "create secret.token", "create config.motd", "create volume.data"}));
  EXPECT_TRUE(DependenciesOf(walk, "create service.lone").empty());
  EXPECT_TRUE(DependenciesOf(walk, "create network.back").empty());
  for (const auto& step : walk.steps) {
    EXPECT_EQ(step.id, static_cast<std::size_t>(&step - walk.steps.data()));
    for (std::size_t dependency : step.depends_on) EXPECT_LT(dependency, step.id) << DescribeStep(step);
  }
}

TEST(WalkTest, EdgesToUnchangedOrUnknownAddressesAreSatisfied) {
  Walk walk = MustBuild({Change("network.back", ResourceKind::kNetwork, Action::kNoOp),
                         Change("service.app", ResourceKind::kService, Action::kUpdate, {"network.back", "volume.gone"})});
  ASSERT_EQ(walk.steps.size(), 1u);
  EXPECT_TRUE(walk.steps[0].depends_on.empty());
  EXPECT_EQ(walk.steps[0].operation, Operation::kUpdate);
}

TEST(WalkTest, DeletesWaitForTheServicesLettingGo) {
  // The diff's reverse edges: network.old is used by service.gone (deleted),
  // service.web (updated) and service.moved (replaced, delete then create).
  Walk walk = MustBuild({
      Change("service.web", ResourceKind::kService, Action::kUpdate),
      Change("service.moved", ResourceKind::kService, Action::kReplace),
      Change("service.gone", ResourceKind::kService, Action::kDelete),
      Change("network.old", ResourceKind::kNetwork, Action::kDelete,
             {"service.gone", "service.moved", "service.web"}),
  });
  EXPECT_EQ(DependenciesOf(walk, "delete network.old"),
            (Texts{"update service.web", "delete service.moved (old object)", "delete service.gone"}));
  EXPECT_EQ(DescribeStep(walk.steps.back()), "delete network.old");
}

TEST(WalkTest, CreateBeforeDestroyMovesTheConsumersFirst) {
  Walk walk = MustBuild({
      Change("secret.token", ResourceKind::kSecret, Action::kReplace, {}, true),
      Change("service.app", ResourceKind::kService, Action::kUpdate, {"secret.token"}),
      Change("service.api", ResourceKind::kService, Action::kUpdate, {"secret.token"}),
      Change("service.other", ResourceKind::kService, Action::kUpdate),
  });
  EXPECT_EQ(DependenciesOf(walk, "update service.app"), (Texts{"create secret.token (new object)"}));
  EXPECT_EQ(DependenciesOf(walk, "delete secret.token (old object)"),
            (Texts{"create secret.token (new object)", "update service.app", "update service.api"}));
  EXPECT_TRUE(DependenciesOf(walk, "update service.other").empty());
}

TEST(WalkTest, AnOldObjectOutlivesTheDeletedServicesUsingIt) {
  Walk walk = MustBuild({
      Change("secret.token", ResourceKind::kSecret, Action::kReplace, {"service.gone"}, true),
      Change("service.app", ResourceKind::kService, Action::kUpdate, {"secret.token"}),
      Change("service.gone", ResourceKind::kService, Action::kDelete),
  });
  // The new object does not wait for a delete; the old one does.
  EXPECT_TRUE(DependenciesOf(walk, "create secret.token (new object)").empty());
  EXPECT_EQ(DependenciesOf(walk, "delete secret.token (old object)"),
            (Texts{"create secret.token (new object)", "update service.app", "delete service.gone"}));
}

TEST(WalkTest, OtherReplacementsDeleteThenCreate) {
  Walk walk = MustBuild({
      Change("network.back", ResourceKind::kNetwork, Action::kReplace),
      Change("service.app", ResourceKind::kService, Action::kReplace, {"network.back"}),
  });
  EXPECT_EQ(Descriptions(walk), (Texts{"delete network.back (old object)", "create network.back (new object)",
                                       "delete service.app (old object)", "create service.app (new object)"}));
  EXPECT_EQ(DependenciesOf(walk, "create network.back (new object)"), (Texts{"delete network.back (old object)"}));
  EXPECT_EQ(DependenciesOf(walk, "create service.app (new object)"),
            (Texts{"create network.back (new object)", "delete service.app (old object)"}));
}

TEST(WalkTest, ACycleIsAnErrorNamingItsSteps) {
  Result<Walk> walk = BuildWalk({Change("service.a", ResourceKind::kService, Action::kCreate, {"service.b"}),
                                 Change("service.b", ResourceKind::kService, Action::kCreate, {"service.a"}),
                                 Change("service.c", ResourceKind::kService, Action::kCreate)});
  ASSERT_FALSE(walk.ok());
  EXPECT_EQ(walk.error().message, "the plan's dependency edges form a cycle through: create service.a, create service.b");
}

TEST(WalkTest, MedianestPlan) {
  Walk walk = MustBuild(plan::testing::MedianestPlan().changes);
  EXPECT_EQ(Descriptions(walk),
            (Texts{"create secret.db_password (new object)", "update service.app", "create service.worker",
                   "delete service.old", "delete secret.db_password (old object)"}));
  EXPECT_EQ(DependenciesOf(walk, "update service.app"), (Texts{"create secret.db_password (new object)"}));
  EXPECT_EQ(DependenciesOf(walk, "delete secret.db_password (old object)"),
            (Texts{"create secret.db_password (new object)", "update service.app"}));
  EXPECT_TRUE(DependenciesOf(walk, "create service.worker").empty());  // its network is unchanged
  EXPECT_EQ(walk.steps[1].change, 2u);  // index of service.app among the plan's changes
}

}  // namespace
}  // namespace nest::plan::apply
