// BuildLiveState on canned Engine listings: which objects belong to the
// stack, problems for half-broken ones, never a crash.
#include "providers/swarm/read.h"

#include <gtest/gtest.h>

#include "tests/support/state_compare.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

json Service(const std::string& id, const std::string& name, const json& labels, const json& extra = json::object()) {
  json spec = {{"Name", name}, {"Labels", labels},
               {"TaskTemplate", {{"ContainerSpec", {{"Image", "nest-test/busybox:1"}}}}}};
  spec.merge_patch(extra);
  return {{"ID", id}, {"Version", {{"Index", 42}}}, {"Spec", spec}};
}

const json kOurs = {{"com.docker.stack.namespace", "shop"}};

TEST(BuildLiveStateTest, MembershipByLabelThenByName) {
  SwarmListing listing;
  listing.services = json::array({
      Service("1", "shop_app", {{"com.docker.stack.namespace", "shop"}, {"nest.address", "service.app"}}),
      Service("2", "shop_hand", json::object()),                                   // name only: unmanaged
      Service("3", "shop_v2_app", {{"com.docker.stack.namespace", "shop_v2"}}),   // another stack
      Service("4", "stray", kOurs),                                                // label only
  });
  plan::StackState state = BuildLiveState("shop", listing);
  ASSERT_EQ(state.resources.size(), 3u) << test_support::DescribeState(state);
  const plan::ResourceState* app = state.Find("service.app");
  ASSERT_NE(app, nullptr);
  EXPECT_TRUE(app->managed);
  EXPECT_TRUE(app->problems.empty());
  EXPECT_EQ(app->version, (plan::LiveVersion{"1", 42}));
  const plan::ResourceState* hand = state.Find("service.hand");
  ASSERT_NE(hand, nullptr);
  EXPECT_FALSE(hand->stack_label);
  EXPECT_EQ(hand->problems.size(), 2u);
  const plan::ResourceState* stray = state.Find("service.stray");
  ASSERT_NE(stray, nullptr);
  EXPECT_TRUE(stray->stack_label);
  EXPECT_EQ(stray->problems.size(), 1u);
}

TEST(BuildLiveStateTest, ACanaryIsNoResourceButANoteOnItsStableService) {
  SwarmListing listing;
  listing.services = json::array({
      Service("1", "shop_app", {{"com.docker.stack.namespace", "shop"}, {"nest.address", "service.app"}}),
      Service("2", "shop_app-canary",
              {{"com.docker.stack.namespace", "shop"}, {"nest.canary.of", "shop_app"}, {"nest.canary.step", "2"}}),
  });
  listing.tasks = json::array({{{"ServiceID", "2"}, {"DesiredState", "running"},
                                {"Status", {{"State", "failed"}, {"Err", "boom"}, {"Timestamp", "t"}}}}});
  plan::StackState state = BuildLiveState("shop", listing);
  ASSERT_EQ(state.resources.size(), 1u) << test_support::DescribeState(state);
  const plan::ResourceState* app = state.Find("service.app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->problems, std::vector<std::string>{"a canary is in progress (shop_app-canary, step 2): nest apply "
                                                    "--promote app goes on, --abort app removes it"});
}

TEST(BuildLiveStateTest, ACanaryWithoutItsStableServiceIsAStackProblem) {
  SwarmListing listing;
  listing.services = json::array({Service("2", "shop_gone-canary", {{"com.docker.stack.namespace", "shop"},
                                                                     {"nest.canary.of", "shop_gone"},
                                                                     {"nest.canary.step", "1"}})});
  plan::StackState state = BuildLiveState("shop", listing);
  EXPECT_TRUE(state.resources.empty()) << test_support::DescribeState(state);
  EXPECT_EQ(state.problems, std::vector<std::string>{"service shop_gone-canary is the canary of shop_gone, which is "
                                                     "not live: nest leaves it alone (docker service rm "
                                                     "shop_gone-canary removes it)"});
}

TEST(BuildLiveStateTest, NetworkIdsBecomeNamesAndTheDefaultNetworkIsNoProblem) {
  SwarmListing listing;
  listing.networks = json::parse(R"([
    {"Name":"shop_default","Id":"n1","Driver":"overlay","Labels":{"com.docker.stack.namespace":"shop"}},
    {"Name":"ingress","Id":"n0","Driver":"overlay","Ingress":true,"Labels":{}},
    {"Name":"bridge","Id":"n9","Driver":"bridge"},
    {"Name":"shop_clash","Id":"n3","Driver":"overlay","Scope":"swarm","Options":null,
     "IPAM":{"Driver":"","Options":null,"Config":null},"Labels":{"com.docker.stack.namespace":"shop","nest.address":"network.clash"}}])");
  listing.services = json::array({Service("1", "shop_app", kOurs,
                                          {{"TaskTemplate", {{"Networks", {{{"Target", "n1"}, {"Aliases", {"app"}}}}}}}})});
  plan::StackState state = BuildLiveState("shop", listing);
  ASSERT_EQ(state.resources.size(), 3u) << test_support::DescribeState(state);
  EXPECT_TRUE(state.Find("network.default")->problems.empty());
  ASSERT_EQ(state.Find("network.clash")->problems.size(), 1u);
  EXPECT_NE(state.Find("network.clash")->problems[0].find("not allocated"), std::string::npos);
  EXPECT_EQ(test_support::ValueText(state.Find("service.app")->attributes.at("networks")),
            "{shop_default: {aliases: [\"app\"]}}");
}

TEST(BuildLiveStateTest, FailingTasksAndStrayContainersAreProblems) {
  SwarmListing listing;
  listing.services = json::array({Service("1", "shop_bad", kOurs), Service("2", "shop_ok", kOurs)});
  listing.tasks = json::parse(R"([
    {"ServiceID":"1","DesiredState":"shutdown","Status":{"Timestamp":"2026-01-01T00:00:05Z","State":"rejected","Err":"No such image: nest-test/doesnotexist:1"}},
    {"ServiceID":"1","DesiredState":"running","Status":{"Timestamp":"2026-01-01T00:00:09Z","State":"assigned"}},
    {"ServiceID":"2","DesiredState":"running","Status":{"Timestamp":"2026-01-01T00:00:09Z","State":"running"}},
    {"ServiceID":"2","DesiredState":"shutdown","Status":{"Timestamp":"2026-01-01T00:00:01Z","State":"failed","Err":"exit 1"}},
    {"ServiceID":"unknown","Status":{"State":"failed","Err":"x"}},
    {"garbage":true}])");
  listing.containers = json::parse(R"([{"Id":"c1","Names":["/shop-app-1"],"Image":"nest-test/busybox:1"}])");
  plan::StackState state = BuildLiveState("shop", listing);
  const auto& bad = state.Find("service.bad")->problems;
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_NE(bad[1].find("No such image: nest-test/doesnotexist:1"), std::string::npos);
  EXPECT_EQ(state.Find("service.ok")->problems.size(), 1u);  // only the missing address label
  ASSERT_EQ(state.problems.size(), 1u);
  EXPECT_NE(state.problems[0].find("shop-app-1"), std::string::npos);
}

TEST(BuildLiveStateTest, RolledBackAndPausedUpdatesAreProblems) {
  SwarmListing listing;
  json rolled = Service("1", "shop_a", kOurs);
  rolled["UpdateStatus"] = {{"State", "rollback_completed"}, {"Message", "update rolled back due to failure"}};
  json paused = Service("2", "shop_b", kOurs);
  paused["UpdateStatus"] = {{"State", "paused"}, {"Message", "update paused due to failure"}};
  json done = Service("3", "shop_c", kOurs);
  done["UpdateStatus"] = {{"State", "completed"}};
  listing.services = json::array({rolled, paused, done});
  plan::StackState state = BuildLiveState("shop", listing);
  ASSERT_EQ(state.Find("service.a")->problems.size(), 2u);
  EXPECT_NE(state.Find("service.a")->problems[1].find("rolled back: update rolled back due to failure"), std::string::npos);
  ASSERT_EQ(state.Find("service.b")->problems.size(), 2u);
  EXPECT_NE(state.Find("service.b")->problems[1].find("paused"), std::string::npos);
  EXPECT_EQ(state.Find("service.c")->problems.size(), 1u);  // only the missing address label
}

TEST(BuildLiveStateTest, RolloutsTheEngineIsStillRunningAreInProgress) {
  SwarmListing listing;
  json updating = Service("1", "shop_up", kOurs);
  updating["UpdateStatus"] = {{"State", "updating"}, {"Message", "update in progress"}};
  json rolling_back = Service("2", "shop_back", kOurs);
  rolling_back["UpdateStatus"] = {{"State", "rollback_started"}};
  json paused = Service("3", "shop_paused", kOurs);
  paused["UpdateStatus"] = {{"State", "paused"}};
  listing.services = json::array({updating, rolling_back, paused, Service("4", "shop_new", kOurs),
                                  Service("5", "shop_crashing", kOurs), Service("6", "shop_unplaced", kOurs),
                                  Service("7", "shop_settled", kOurs)});
  listing.tasks = json::parse(R"json([
    {"ServiceID":"4","DesiredState":"running","Status":{"State":"starting"}},
    {"ServiceID":"4","DesiredState":"running","Status":{"State":"running"}},
    {"ServiceID":"5","DesiredState":"running","Status":{"State":"starting"}},
    {"ServiceID":"5","DesiredState":"shutdown","Status":{"State":"failed","Err":"task: non-zero exit (1)"}},
    {"ServiceID":"6","DesiredState":"running","Status":{"State":"pending","Err":""}},
    {"ServiceID":"7","DesiredState":"running","Status":{"State":"running"}}])json");
  plan::StackState state = BuildLiveState("shop", listing);
  EXPECT_EQ(state.Find("service.up")->in_progress, "an update is in progress on the engine");
  EXPECT_EQ(state.Find("service.back")->in_progress, "a rollback is in progress on the engine");
  EXPECT_EQ(state.Find("service.new")->in_progress, "its tasks are still starting on the engine");
  // Nothing moves, or nothing will converge by waiting: not in progress.
  for (const char* settled : {"service.paused", "service.crashing", "service.unplaced", "service.settled"}) {
    EXPECT_EQ(state.Find(settled)->in_progress, "") << settled;
  }
}

TEST(BuildLiveStateTest, LazyVolumesAndDuplicateAddresses) {
  SwarmListing listing;
  listing.services = json::array({Service("1", "shop_app", kOurs, json::parse(R"({"TaskTemplate":{"ContainerSpec":{
    "Mounts":[{"Type":"volume","Source":"shop_data","Target":"/d",
               "VolumeOptions":{"Labels":{"com.docker.stack.namespace":"shop","nest.address":"volume.data"}}},
              {"Type":"volume","Source":"someone_elses","Target":"/e"}]}}})"))});
  listing.secrets = json::parse(R"([
    {"ID":"s1","Version":{"Index":10},"Spec":{"Name":"shop_pw_old","Labels":{"com.docker.stack.namespace":"shop","nest.address":"secret.pw"}}},
    {"ID":"s2","Version":{"Index":20},"Spec":{"Name":"shop_pw_new","Labels":{"com.docker.stack.namespace":"shop","nest.address":"secret.pw"}}}])");
  plan::StackState state = BuildLiveState("shop", listing);
  const plan::ResourceState* data = state.Find("volume.data");
  ASSERT_NE(data, nullptr) << test_support::DescribeState(state);
  EXPECT_EQ(data->docker_name, "shop_data");
  EXPECT_EQ(state.Find("volume.someone_elses"), nullptr);
  ASSERT_NE(state.Find("secret.pw"), nullptr);
  EXPECT_EQ(state.Find("secret.pw")->docker_name, "shop_pw_new");
  ASSERT_NE(state.Find("secret.pw_old"), nullptr);
  EXPECT_FALSE(state.Find("secret.pw_old")->problems.empty());
}

TEST(BuildLiveStateTest, MalformedListingsDoNotCrash) {
  SwarmListing listing;
  listing.services = json::parse(R"([{}, {"Spec":null}, {"Spec":{"Name":"shop_x","Labels":null,"TaskTemplate":"bad","Mode":7}}, 3])");
  listing.networks = json::parse(R"([{"Name":5}, null])");
  listing.secrets = json::parse(R"([{"Spec":{"Name":"shop_s"}}])");
  listing.swarm = json::parse(R"({"DefaultAddrPool":null,"SubnetSize":"x"})");
  plan::StackState state = BuildLiveState("shop", listing);
  EXPECT_NE(state.Find("service.x"), nullptr) << test_support::DescribeState(state);
  EXPECT_NE(state.Find("secret.s"), nullptr);
}

}  // namespace
}  // namespace nest::swarm
