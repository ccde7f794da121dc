// The diff's rules, one case each: desired and live states built by hand.
#include "planner/diff.h"

#include <gtest/gtest.h>

#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

using namespace nest::plan::testing;

ResourceState App(std::string image = "medianest/app:1.2.3") {
  ResourceState app = R("service.app", ResourceKind::kService, "medianest_app",
                        {{"image", S(std::move(image))}, {"replicas", S("3")}, {"mode", S("replicated")}});
  app.force_new = {"mode"};
  app.spec_hash = "hash-1";
  return app;
}

const ResourceChange& Only(const Plan& plan) {
  EXPECT_EQ(plan.changes.size(), 1u);
  return plan.changes.at(0);
}

std::vector<std::string> Addresses(const Plan& plan) {
  std::vector<std::string> addresses;
  for (const auto& change : plan.changes) addresses.push_back(change.address);
  return addresses;
}

TEST(DiffTest, DesiredNotLiveIsCreate) {
  Plan plan = Diff(Stack("s", {App()}), Stack("s", {}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kCreate);
  EXPECT_EQ(change.reason, Reason::kNew);
  EXPECT_FALSE(change.before);
  ASSERT_TRUE(change.after);
  EXPECT_EQ(change.docker_name, "medianest_app");
  ASSERT_EQ(change.changes.size(), 3u);
  for (const auto& attribute : change.changes) {
    EXPECT_FALSE(attribute.before);
    EXPECT_TRUE(attribute.after);
  }
  EXPECT_TRUE(plan.HasChanges());
  EXPECT_EQ(plan.Count(Action::kCreate), 1);
}

TEST(DiffTest, EqualIsNoOp) {
  Plan plan = Diff(Stack("s", {App()}), Stack("s", {Live(App(), "id1", 7)}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kNoOp);
  EXPECT_EQ(change.reason, Reason::kNone);
  EXPECT_TRUE(change.changes.empty());
  ASSERT_TRUE(change.live_version);
  EXPECT_EQ(change.live_version->index, 7u);
  EXPECT_FALSE(plan.HasChanges());
}

TEST(DiffTest, ANoOpTheEngineIsStillRollingOutIsWorkForApply) {
  ResourceState live = Live(App(), "id1", 7);
  live.in_progress = "an update is in progress on the engine";
  Plan plan = Diff(Stack("s", {App()}), Stack("s", {live}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kNoOp);
  EXPECT_EQ(change.engine_in_progress, "an update is in progress on the engine");
  EXPECT_FALSE(plan.HasChanges());
  EXPECT_TRUE(plan.HasWork());
  // Not part of what the engine runs: the config hash ignores it.
  EXPECT_EQ(StateHash(Stack("s", {live})), StateHash(Stack("s", {Live(App(), "id1", 7)})));
}

TEST(DiffTest, SensitivityTakesNoPartInEquality) {
  EXPECT_EQ(AttributeValue::Scalar("x", true), AttributeValue::Scalar("x", false));
  EXPECT_NE(S("x"), L({S("x")}));
  EXPECT_NE(M({{"a", S("1")}}), M({{"a", S("2")}}));
  EXPECT_EQ(L({S("a"), M({{"k", S("v")}})}), L({S("a"), M({{"k", S("v")}})}));
}

TEST(DiffTest, ConfigChangeIsUpdate) {
  ResourceState desired = App("medianest/app:1.3.0");
  desired.spec_hash = "hash-2";
  Plan plan = Diff(Stack("s", {desired}), Stack("s", {Live(App(), "id1", 7)}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kUpdate);
  EXPECT_EQ(change.reason, Reason::kChanged);
  EXPECT_FALSE(change.drift);
  EXPECT_EQ(change.reason_detail, "`image` changed");
  ASSERT_EQ(change.changes.size(), 1u);
  EXPECT_EQ(change.changes[0].name, "image");
  EXPECT_EQ(change.changes[0].before->scalar, "medianest/app:1.2.3");
  EXPECT_EQ(change.changes[0].after->scalar, "medianest/app:1.3.0");
  EXPECT_FALSE(change.changes[0].forces_replacement);
}

TEST(DiffTest, SameSpecHashWithDifferencesIsDrift) {
  ResourceState live = Live(App(), "id1", 7);
  live.attributes["replicas"] = S("5");  // docker service scale, by hand
  Plan plan = Diff(Stack("s", {App()}), Stack("s", {live}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kUpdate);
  EXPECT_EQ(change.reason, Reason::kDrift);
  EXPECT_TRUE(change.drift);
  EXPECT_EQ(change.reason_detail, "changed outside nest");
  ASSERT_EQ(change.changes.size(), 1u);
  EXPECT_EQ(change.changes[0].before->scalar, "5");  // the live value is shown
}

TEST(DiffTest, MissingLiveHashIsNotDrift) {
  ResourceState live = Live(App(), "id1", 7);
  live.spec_hash.clear();
  live.attributes["replicas"] = S("5");
  Plan plan = Diff(Stack("s", {App()}), Stack("s", {live}), {});
  EXPECT_EQ(Only(plan).reason, Reason::kChanged);
}

TEST(DiffTest, ForceNewAttributeIsReplace) {
  ResourceState desired = App();
  desired.attributes["mode"] = S("global");
  Plan plan = Diff(Stack("s", {desired}), Stack("s", {Live(App(), "id1", 7)}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kReplace);
  EXPECT_EQ(change.reason, Reason::kForcedReplacement);
  EXPECT_FALSE(change.create_before_destroy);
  EXPECT_EQ(change.reason_detail, "`mode` cannot change in place (Docker answers 501)");
  ASSERT_EQ(change.changes.size(), 1u);
  EXPECT_TRUE(change.changes[0].forces_replacement);
  PlanSummary summary = plan.Summary();
  EXPECT_EQ(summary.add, 1);
  EXPECT_EQ(summary.destroy, 1);
}

// A network is deleted, then created again; Docker refuses to remove it
// while a service is attached, so the services on it go and come back too.
TEST(DiffTest, ServicesOnAReplacedNetworkAreReplacedWithIt) {
  auto network = [](const std::string& gateway) {
    ResourceState n = R("network.back", ResourceKind::kNetwork, "s_back",
                        {{"driver", S("overlay")}, {"subnet", S("10.9.0.0/24")}, {"gateway", S(gateway)}});
    n.force_new = {"driver", "subnet", "gateway"};
    return n;
  };
  auto service = [](const std::string& address, const std::string& docker_name, const std::string& image,
                    std::map<std::string, AttributeValue> networks) {
    ResourceState app = R(address, ResourceKind::kService, docker_name,
                          {{"image", S(image)}, {"networks", M(std::move(networks))}});
    app.force_new = {"mode"};
    return app;
  };
  ResourceState on_it = service("service.app", "s_app", "app:1", {{"s_back", M({})}});
  ResourceState by_id = service("service.api", "s_api", "api:1", {{"s_back", M({})}});
  ResourceState elsewhere = service("service.web", "s_web", "web:1", {{"s_front", M({})}});
  ResourceState live_by_id = Live(by_id, "svc2", 3);
  live_by_id.attributes["networks"] = M({{"net1", M({})}});  // a network the reader could not name
  ResourceState changed = service("service.app", "s_app", "app:2", {{"s_back", M({})}});
  Plan plan = Diff(Stack("s", {network("10.9.0.254"), changed, by_id, elsewhere}),
                   Stack("s", {Live(network("10.9.0.1"), "net1", 0), Live(on_it, "svc1", 2), live_by_id,
                               Live(elsewhere, "svc3", 4)}),
                   {});
  std::map<std::string, const ResourceChange*> by_address;
  for (const auto& change : plan.changes) by_address[change.address] = &change;
  ASSERT_EQ(by_address.size(), 4u);
  EXPECT_EQ(by_address["network.back"]->action, Action::kReplace);
  EXPECT_EQ(by_address["network.back"]->reason_detail,
            "`gateway` cannot change in place (Docker cannot update a network); service.api, service.app attached "
            "to it are replaced with it");
  for (const char* address : {"service.app", "service.api"}) {
    const ResourceChange& change = *by_address[address];
    EXPECT_EQ(change.action, Action::kReplace) << address;
    EXPECT_FALSE(change.create_before_destroy) << address;
    EXPECT_EQ(change.reason, Reason::kForcedReplacement) << address;
    EXPECT_EQ(change.reason_detail,
              "it is attached to network.back, which is replaced: Docker removes no network a service uses, so the "
              "service is removed first and created again on the new network")
        << address;
  }
  EXPECT_EQ(by_address["service.app"]->changes.size(), 1u);  // its own change (the image) is still shown
  EXPECT_EQ(by_address["service.web"]->action, Action::kNoOp);
  PlanSummary summary = plan.Summary();
  EXPECT_EQ(summary.add, 3);
  EXPECT_EQ(summary.destroy, 3);
}

TEST(DiffTest, ForceNewComesFromTheDesiredState) {
  ResourceState live = Live(App(), "id1", 7);
  live.force_new = {"image"};  // ignored: the desired side decides
  Plan plan = Diff(Stack("s", {App("medianest/app:2")}), Stack("s", {live}), {});
  EXPECT_EQ(Only(plan).action, Action::kUpdate);
}

TEST(DiffTest, ManagedLiveNotDesiredIsDelete) {
  ResourceState old = Live(App(), "id1", 7);
  Plan plan = Diff(Stack("s", {}), Stack("s", {old}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kDelete);
  EXPECT_EQ(change.reason, Reason::kNotInConfig);
  EXPECT_FALSE(change.drift);
  EXPECT_EQ(change.reason_detail, "it is not in the configuration");
  ASSERT_TRUE(change.before);
  EXPECT_FALSE(change.after);
  for (const auto& attribute : change.changes) EXPECT_FALSE(attribute.after);
}

TEST(DiffTest, StackLabelledOrphanIsDeleteAndDrift) {
  ResourceState orphan = Live(App(), "id1", 7);
  orphan.managed = false;  // docker service create --label com.docker.stack.namespace=s
  Plan plan = Diff(Stack("s", {}), Stack("s", {orphan}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kDelete);
  EXPECT_TRUE(change.drift);
  EXPECT_NE(change.reason_detail.find("made outside nest"), std::string::npos);
}

TEST(DiffTest, UnlabelledStrangerIsLeftAloneWithAWarning) {
  ResourceState stranger = Live(App(), "id1", 7);
  stranger.managed = false;
  stranger.stack_label = false;
  Plan plan = Diff(Stack("s", {}), Stack("s", {stranger}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kNoOp);
  EXPECT_FALSE(change.problems.empty());
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("leaves it alone"), std::string::npos);
  EXPECT_FALSE(plan.HasChanges());
}

TEST(DiffTest, ProblemsAreCarried) {
  ResourceState live = Live(App(), "id1", 7);
  live.problems = {"image medianest/app:1.2.3 not found: tasks are rejected"};
  live.managed = false;
  Plan plan = Diff(Stack("s", {App()}), Stack("s", {live}), {});
  EXPECT_EQ(Only(plan).action, Action::kNoOp);
  EXPECT_EQ(Only(plan).problems, live.problems);

  Plan orphan = Diff(Stack("s", {}), Stack("s", {live}), {});
  EXPECT_EQ(Only(orphan).problems[0], live.problems[0]);
}

TEST(DiffTest, StackProblemsBecomeWarnings) {
  StackState live = Stack("s", {});
  live.problems = {"container `s_debug` carries the stack label but belongs to no service"};
  Plan plan = Diff(Stack("s", {}), live, {});
  EXPECT_EQ(plan.warnings, live.problems);
}

TEST(DiffTest, TwoLiveObjectsWithOneAddressNeverCrash) {
  ResourceState first = Live(App(), "id1", 7), second = Live(App(), "id2", 8);
  second.docker_name = "medianest_app_copy";
  StackState live{"s", {first, second}};
  Plan plan = Diff(Stack("s", {App()}), live, {});
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].action, Action::kNoOp);
  EXPECT_EQ(plan.changes[1].action, Action::kNoOp);
  EXPECT_EQ(plan.changes[1].docker_name, "medianest_app_copy");
  EXPECT_FALSE(plan.warnings.empty());
}

TEST(DiffTest, ChangedSecretIsCreatedBeforeTheOldOneIsDeleted) {
  Plan plan = MedianestPlan();
  const ResourceChange* secret = nullptr;
  for (const auto& change : plan.changes) {
    if (change.address == "secret.db_password") secret = &change;
  }
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(secret->action, Action::kReplace);
  EXPECT_TRUE(secret->create_before_destroy);
  ASSERT_EQ(secret->changes.size(), 1u);
  EXPECT_EQ(secret->changes[0].name, "name");
  EXPECT_TRUE(secret->changes[0].forces_replacement);
  EXPECT_NE(secret->reason_detail.find("medianest_db_password_9c1e"), std::string::npos);
}

TEST(DiffTest, ServiceOnlyMovingToANewSecretIsADependencyChange) {
  StackState desired = DesiredMedianest(), live = LiveMedianest();
  for (auto& r : live.resources) {
    if (r.address == "service.app") r.attributes["image"] = S("medianest/app:1.3.0");
  }
  Plan plan = Diff(desired, live, MedianestOptions());
  const ResourceChange* app = nullptr;
  for (const auto& change : plan.changes) {
    if (change.address == "service.app") app = &change;
  }
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->action, Action::kUpdate);
  EXPECT_EQ(app->reason, Reason::kDependencyChanged);
  EXPECT_EQ(app->reason_detail, "it moves to the new secret.db_password");
}

TEST(DiffTest, CreatesAndUpdatesFollowTheGraphDeletesComeLastInReverse) {
  StackState desired = Stack("s", {R("service.web", ResourceKind::kService, "s_web", {{"image", S("a")}}),
                                   R("network.front", ResourceKind::kNetwork, "s_front", {}),
                                   R("volume.data", ResourceKind::kVolume, "s_data", {})});
  StackState live = Stack("s", {Live(R("network.old", ResourceKind::kNetwork, "s_old", {}), "n", 0),
                                Live(R("service.gone", ResourceKind::kService, "s_gone", {}), "g", 1),
                                Live(R("service.also", ResourceKind::kService, "s_also", {}), "a", 1),
                                Live(R("secret.key", ResourceKind::kSecret, "s_key", {}), "k", 1)});
  DiffOptions options;
  options.order = {"volume.data", "network.front", "service.web"};
  Plan plan = Diff(desired, live, options);
  EXPECT_EQ(Addresses(plan), (std::vector<std::string>{"volume.data", "network.front", "service.web", "service.gone",
                                                        "service.also", "secret.key", "network.old"}));
}

TEST(DiffTest, AddressesMissingFromTheOrderComeAfterByAddress) {
  StackState desired = Stack("s", {R("service.b", ResourceKind::kService, "s_b", {}),
                                   R("service.a", ResourceKind::kService, "s_a", {}),
                                   R("network.n", ResourceKind::kNetwork, "s_n", {})});
  DiffOptions options;
  options.order = {"network.n"};
  Plan plan = Diff(desired, Stack("s", {}), options);
  EXPECT_EQ(Addresses(plan), (std::vector<std::string>{"network.n", "service.a", "service.b"}));
}

TEST(DiffTest, TargetsLimitThePlanToWhatTheyNeed) {
  DiffOptions options = MedianestOptions();
  options.targets = {"service.app"};
  Plan plan = Diff(DesiredMedianest(), LiveMedianest(), options);
  EXPECT_EQ(Addresses(plan), (std::vector<std::string>{"network.backend", "secret.db_password", "service.app"}));
  EXPECT_EQ(plan.targets, options.targets);
  ASSERT_FALSE(plan.warnings.empty());
  EXPECT_NE(plan.warnings.back().find("resource targeting is in effect"), std::string::npos);
  // Every live version is kept, also those outside the targets.
  EXPECT_EQ(plan.live_versions.size(), 5u);
  EXPECT_EQ(plan.live_versions.at("service.old").index, 5u);
}

TEST(DiffTest, TargetsAreTransitive) {
  DiffOptions options;
  options.depends_on["service.web"] = {"service.api"};
  options.depends_on["service.api"] = {"network.n"};
  StackState desired = Stack("s", {R("service.web", ResourceKind::kService, "s_web", {}),
                                   R("service.api", ResourceKind::kService, "s_api", {}),
                                   R("network.n", ResourceKind::kNetwork, "s_n", {}),
                                   R("service.other", ResourceKind::kService, "s_other", {})});
  options.targets = {"service.web"};
  Plan plan = Diff(desired, Stack("s", {}), options);
  EXPECT_EQ(plan.changes.size(), 3u);
}

TEST(DiffTest, ModuleTargetCoversItsResourcesAndOrphansCanBeTargeted) {
  StackState desired = Stack("s", {R("module.db.service.postgres", ResourceKind::kService, "s_db-postgres", {}),
                                   R("module.db.volume.data", ResourceKind::kVolume, "s_db-data", {}),
                                   R("module.dbx.service.y", ResourceKind::kService, "s_dbx-y", {}),
                                   R("service.app", ResourceKind::kService, "s_app", {})});
  DiffOptions options;
  options.targets = {"module.db"};
  Plan plan = Diff(desired, Stack("s", {}), options);
  EXPECT_EQ(Addresses(plan), (std::vector<std::string>{"module.db.service.postgres", "module.db.volume.data"}));

  options.targets = {"service.old"};
  Plan orphan = Diff(Stack("s", {}), LiveMedianest(), options);
  EXPECT_EQ(Addresses(orphan), (std::vector<std::string>{"service.old"}));
  EXPECT_EQ(orphan.changes[0].action, Action::kDelete);
}

TEST(DiffTest, UnknownTargetWarns) {
  DiffOptions options;
  options.targets = {"service.nope"};
  Plan plan = Diff(DesiredMedianest(), LiveMedianest(), options);
  EXPECT_TRUE(plan.changes.empty());
  ASSERT_EQ(plan.warnings.size(), 2u);
  EXPECT_EQ(plan.warnings[0], "`--target service.nope` matches nothing in the configuration or the live stack");
}

TEST(DiffTest, LiveValuesBorrowTheDesiredSensitivity) {
  Plan plan = MedianestPlan();
  const ResourceChange* app = nullptr;
  for (const auto& change : plan.changes) {
    if (change.address == "service.app") app = &change;
  }
  ASSERT_NE(app, nullptr);
  ASSERT_TRUE(app->before);
  EXPECT_TRUE(app->before->attributes.at("env").map.at("DATABASE_URL").sensitive);
  EXPECT_FALSE(app->before->attributes.at("env").map.at("NODE_ENV").sensitive);
}

TEST(DiffTest, ChangedSensitiveValueNeverReachesTheDetail) {
  ResourceState desired = App();
  desired.attributes["env"] = M({{"TOKEN", Secret(kPassword)}});
  desired.spec_hash = "hash-2";
  ResourceState live = Live(App(), "id", 1);
  live.attributes["env"] = M({{"TOKEN", S("old-token-value")}});
  Plan plan = Diff(Stack("s", {desired}), Stack("s", {live}), {});
  const ResourceChange& change = Only(plan);
  EXPECT_EQ(change.action, Action::kUpdate);
  EXPECT_EQ(change.reason_detail.find(kPassword), std::string::npos);
  EXPECT_EQ(change.reason_detail.find("old-token-value"), std::string::npos);
  EXPECT_TRUE(change.before->attributes.at("env").map.at("TOKEN").sensitive);
}

TEST(DiffTest, MedianestPlanAsAWhole) {
  Plan plan = MedianestPlan();
  EXPECT_EQ(Addresses(plan), (std::vector<std::string>{"network.backend", "secret.db_password", "service.app",
                                                        "service.cache", "service.worker", "service.old"}));
  std::vector<Action> actions;
  for (const auto& change : plan.changes) actions.push_back(change.action);
  EXPECT_EQ(actions, (std::vector<Action>{Action::kNoOp, Action::kReplace, Action::kUpdate, Action::kNoOp,
                                          Action::kCreate, Action::kDelete}));
  EXPECT_EQ(plan.stack, "medianest");
  EXPECT_EQ(plan.config_hash, StateHash(DesiredMedianest()));
  EXPECT_EQ(plan.config_hash.size(), 64u);
}

TEST(DiffTest, StateHashIsStableAndSeesEveryChange) {
  StackState a = DesiredMedianest();
  StackState reversed = a;
  std::reverse(reversed.resources.begin(), reversed.resources.end());
  EXPECT_EQ(StateHash(a), StateHash(reversed));
  StackState b = a;
  b.resources[0].attributes["internal"] = S("false");
  EXPECT_NE(StateHash(a), StateHash(b));
  StackState c = a;
  c.resources[0].attributes["internal"] = L({S("true")});
  EXPECT_NE(StateHash(a), StateHash(c));
}

TEST(DiffTest, StateHashNeverDependsOnSecretContentSensitiveHashDoes) {
  StackState a = DesiredMedianest();
  StackState b = a;
  for (auto& r : b.resources) {
    if (r.address == "service.app") r.attributes["env"].map["DATABASE_URL"] = Secret("postgresql://other");
  }
  EXPECT_EQ(StateHash(a), StateHash(b));  // safe to publish
  EXPECT_NE(SensitiveHash(a), SensitiveHash(b));
  EXPECT_EQ(SensitiveHash(a).size(), 64u);
  StackState c = a;  // the same text, no longer sensitive: a different state
  for (auto& r : c.resources) {
    if (r.address == "service.app") r.attributes["env"].map["DATABASE_URL"].sensitive = false;
  }
  EXPECT_NE(StateHash(a), StateHash(c));
  EXPECT_EQ(SensitiveHash(c), "");
  Plan plan = MedianestPlan();
  EXPECT_EQ(plan.sensitive_hash, SensitiveHash(DesiredMedianest()));
}

TEST(DiffTest, FindUsesTheSortedOrderAndCopesWithoutIt) {
  StackState state = DesiredMedianest();
  ASSERT_NE(state.Find("service.app"), nullptr);
  EXPECT_EQ(state.Find("service.app")->docker_name, "medianest_app");
  EXPECT_EQ(state.Find("service.nope"), nullptr);
  std::reverse(state.resources.begin(), state.resources.end());
  ASSERT_NE(state.Find("network.backend"), nullptr);
}

TEST(DiffTest, OptionsFromGraph) {
  StackGraph graph;
  graph.nodes = {{"network.n", ResourceKind::kNetwork}, {"service.a", ResourceKind::kService},
                 {"service.b", ResourceKind::kService}};
  graph.edges = {{1, 0, false}, {2, 1, true}};
  graph.order = {0, 1, 2};
  DiffOptions options = DiffOptionsFromGraph(graph);
  EXPECT_EQ(options.order, (std::vector<std::string>{"network.n", "service.a", "service.b"}));
  EXPECT_EQ(options.depends_on.at("service.b"), (std::vector<std::string>{"service.a"}));
  EXPECT_EQ(options.depends_on.at("service.a"), (std::vector<std::string>{"network.n"}));
}

TEST(DiffTest, AddressParts) {
  EXPECT_EQ(AddressName("service.app"), "app");
  EXPECT_EQ(AddressModule("service.app"), "");
  EXPECT_EQ(AddressName("module.db.service.postgres"), "postgres");
  EXPECT_EQ(AddressModule("module.db.service.postgres"), "module.db");
  EXPECT_EQ(AddressModule("module.a.module.b.volume.v"), "module.a.module.b");
}

}  // namespace
}  // namespace nest::plan
