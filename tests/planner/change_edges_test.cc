// The dependency edges of a plan's changes: the config's for what the config
// holds, the live references for deletes.
#include "planner/change_edges.h"

#include <gtest/gtest.h>

#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

using namespace nest::plan::testing;
using Addresses = std::vector<std::string>;

const ResourceChange& ChangeOf(const Plan& plan, const std::string& address) {
  for (const auto& change : plan.changes) {
    if (change.address == address) return change;
  }
  ADD_FAILURE() << "no change for " << address;
  static const ResourceChange kNone;
  return kNone;
}

// A live service as providers/swarm/normalize.cc writes one: networks by
// name (or by ID when the network list did not name it), secrets and configs
// by source, mounts with type and source.
ResourceState LiveUser(std::string address, std::string docker_name, std::string network, std::string secret,
                       std::string config, std::string volume) {
  return Live(R(std::move(address), ResourceKind::kService, std::move(docker_name),
                {{"image", S("busybox:1")},
                 {"networks", M({{network, M({})}})},
                 {"secrets", L({M({{"source", S(secret)}, {"target", S("token")}})})},
                 {"configs", L({M({{"source", S(config)}, {"target", S("/etc/motd")}})})},
                 {"mounts", L({M({{"type", S("volume")}, {"source", S(volume)}, {"target", S("/data")}}),
                               M({{"type", S("bind")}, {"source", S("/srv")}, {"target", S("/srv")}})})}}),
              "svc-" + std::string(docker_name), 3);
}

StackState LiveOrphans() {
  return Stack("shop", {Live(R("network.old", ResourceKind::kNetwork, "shop_old", {}), "net-old-id", 0),
                        Live(R("secret.old", ResourceKind::kSecret, "shop_old_1a2b", {}), "sec-old", 4),
                        Live(R("config.old", ResourceKind::kConfig, "shop_motd_3c4d", {}), "cfg-old", 5),
                        Live(R("volume.old", ResourceKind::kVolume, "shop_data", {}), "shop_data", 0),
                        // Uses every orphan; gone from the config: deleted.
                        LiveUser("service.gone", "shop_gone", "shop_old", "shop_old_1a2b", "shop_motd_3c4d",
                                 "shop_data"),
                        // Uses the network by ID; still in the config: updated.
                        LiveUser("service.web", "shop_web", "net-old-id", "x", "y", "z")});
}

TEST(ChangeEdgesTest, ServiceReferencesReadTheNormalizedShapes) {
  ResourceState user = LiveUser("service.a", "shop_a", "shop_old", "shop_s", "shop_c", "shop_data");
  EXPECT_EQ(ServiceReferences(user), (std::vector<ObjectReference>{{ResourceKind::kNetwork, "shop_old"},
                                                                   {ResourceKind::kVolume, "shop_data"},
                                                                   {ResourceKind::kSecret, "shop_s"},
                                                                   {ResourceKind::kConfig, "shop_c"}}));
  // A bind mount's source is a host path, not a volume.
  for (const auto& reference : ServiceReferences(user)) EXPECT_NE(reference.name, "/srv");
  EXPECT_TRUE(ServiceReferences(R("network.n", ResourceKind::kNetwork, "n", {})).empty());
}

TEST(ChangeEdgesTest, DeletesWaitForTheServicesThatStillUseThem) {
  ResourceState web = R("service.web", ResourceKind::kService, "shop_web", {{"image", S("busybox:2")}});
  Plan plan = Diff(Stack("shop", {web}), LiveOrphans(), DiffOptions{});
  EXPECT_EQ(ChangeOf(plan, "service.web").action, Action::kUpdate);
  EXPECT_EQ(ChangeOf(plan, "service.gone").action, Action::kDelete);
  // The network is named by ID in service.web's live networks.
  EXPECT_EQ(ChangeOf(plan, "network.old").depends_on, (Addresses{"service.gone", "service.web"}));
  EXPECT_EQ(ChangeOf(plan, "secret.old").depends_on, (Addresses{"service.gone"}));
  EXPECT_EQ(ChangeOf(plan, "config.old").depends_on, (Addresses{"service.gone"}));
  EXPECT_EQ(ChangeOf(plan, "volume.old").depends_on, (Addresses{"service.gone"}));
  // A service's delete waits for nothing.
  EXPECT_TRUE(ChangeOf(plan, "service.gone").depends_on.empty());
}

// A rotated secret: its consumer in the config moves through its own edge;
// a deleted service still holding the old object is waited for.
TEST(ChangeEdgesTest, ARotatedSecretsOldObjectWaitsForDeletedUsers) {
  StackState live = Stack("shop", {Live(R("secret.token", ResourceKind::kSecret, "shop_token_old", {}), "sec-1", 2),
                                   LiveUser("service.app", "shop_app", "n", "shop_token_old", "c", "v"),
                                   LiveUser("service.gone", "shop_gone", "n", "shop_token_old", "c", "v")});
  ResourceState token = R("secret.token", ResourceKind::kSecret, "shop_token_new", {});
  ResourceState app = R("service.app", ResourceKind::kService, "shop_app",
                        {{"image", S("busybox:1")}, {"secrets", L({M({{"source", S("shop_token_new")}})})}});
  app.depends_on = {"secret.token"};
  Plan plan = Diff(Stack("shop", {token, app}), live, DiffOptions{});
  ASSERT_EQ(ChangeOf(plan, "secret.token").action, Action::kReplace);
  ASSERT_TRUE(ChangeOf(plan, "secret.token").create_before_destroy);
  EXPECT_EQ(ChangeOf(plan, "secret.token").depends_on, (Addresses{"service.gone"}));
  EXPECT_EQ(ChangeOf(plan, "service.app").depends_on, (Addresses{"secret.token"}));
}

TEST(ChangeEdgesTest, UnchangedServicesAddNoEdge) {
  // service.web is unchanged (no step in apply), so nothing waits for it.
  StackState live = LiveOrphans();
  ResourceState web = *live.Find("service.web");
  Plan plan = Diff(Stack("shop", {web}), live, DiffOptions{});
  ASSERT_EQ(ChangeOf(plan, "service.web").action, Action::kNoOp);
  EXPECT_EQ(ChangeOf(plan, "network.old").depends_on, (Addresses{"service.gone"}));
}

TEST(ChangeEdgesTest, ConfigEdgesJoinTheStateAndTheGraphForWhatThePlanHolds) {
  ResourceState app = R("service.app", ResourceKind::kService, "shop_app", {{"image", S("busybox:1")}});
  app.depends_on = {"secret.token"};
  StackState desired = Stack("shop", {app, R("network.back", ResourceKind::kNetwork, "shop_back", {}),
                                      R("secret.token", ResourceKind::kSecret, "shop_token_1", {})});
  DiffOptions options;
  options.depends_on["service.app"] = {"network.back", "secret.token", "volume.elsewhere", "service.app"};
  Plan plan = Diff(desired, StackState{"shop", {}}, options);
  const ResourceChange& change = ChangeOf(plan, "service.app");
  EXPECT_EQ(change.depends_on, (Addresses{"network.back", "secret.token"}));
  ASSERT_TRUE(change.after.has_value());
  EXPECT_EQ(change.after->depends_on, change.depends_on);
  EXPECT_TRUE(ChangeOf(plan, "network.back").depends_on.empty());
}

TEST(ChangeEdgesTest, EdgesTakeNoPartInTheConfigHash) {
  StackState desired = DesiredMedianest();
  std::string before = StateHash(desired);
  for (auto& r : desired.resources) r.depends_on = {"network.backend"};
  EXPECT_EQ(StateHash(desired), before);
}

TEST(ChangeEdgesTest, MedianestEdges) {
  Plan plan = MedianestPlan();
  EXPECT_EQ(ChangeOf(plan, "service.app").depends_on, (Addresses{"network.backend", "secret.db_password"}));
  EXPECT_EQ(ChangeOf(plan, "service.worker").depends_on, (Addresses{"network.backend"}));
  EXPECT_TRUE(ChangeOf(plan, "secret.db_password").depends_on.empty());
}

}  // namespace
}  // namespace nest::plan
