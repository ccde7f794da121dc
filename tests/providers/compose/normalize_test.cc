// The compose platform's states: the compiled compose document and the
// containers Compose made agree; stopped containers, missing ones and a
// changed config show.
#include "providers/compose/normalize.h"

#include <gtest/gtest.h>

#include "tests/support/state_compare.h"

namespace nest::compose {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json Document() {
  return ordered_json::parse(R"({
    "services": {
      "web": {"image": "nest-test/busybox:1", "networks": {"back": {}},
              "labels": {"nest.address": "service.web", "nest.spec-hash": "aaa"}, "deploy": {"replicas": 2}},
      "worker": {"image": "nest-test/busybox:1", "labels": {"nest.address": "service.worker", "nest.spec-hash": "bbb"}}
    },
    "networks": {"back": {"labels": {"nest.address": "network.back", "nest.spec-hash": "ccc"}},
                 "proxy": {"external": true, "name": "traefik"}},
    "volumes": {"data": {"driver_opts": {"type": "tmpfs"}, "labels": {"nest.address": "volume.data"}}}
  })");
}

json Container(const std::string& service, int number, const std::string& state, const std::string& hash) {
  return {{"Id", service + std::to_string(number) + "0123456789abcdef"},
          {"Image", "nest-test/busybox:1"},
          {"State", state},
          {"Labels",
           {{"com.docker.compose.project", "shop"}, {"com.docker.compose.service", service},
            {"com.docker.compose.container-number", std::to_string(number)}, {"com.docker.compose.oneoff", "False"},
            {"nest.address", "service." + service}, {"nest.spec-hash", hash}}}};
}

json Networks() {
  return json::parse(R"([
    {"Name":"shop_back","Id":"n1","Driver":"bridge","Internal":false,
     "Labels":{"com.docker.compose.project":"shop","com.docker.compose.network":"back","nest.address":"network.back","nest.spec-hash":"ccc"}},
    {"Name":"shop_default","Id":"n2","Driver":"bridge","Labels":{"com.docker.compose.project":"shop","com.docker.compose.network":"default"}}])");
}

json Volumes() {
  return json::parse(R"([{"Name":"shop_data","Driver":"local","Options":{"type":"tmpfs"},
    "Labels":{"com.docker.compose.project":"shop","com.docker.compose.volume":"data","nest.address":"volume.data"}}])");
}

TEST(ComposeStateTest, ComposeMadeStackMatchesTheDocument) {
  plan::StackState desired = StateFromDocument(Document(), "shop");
  json containers = json::array({Container("web", 1, "running", "aaa"), Container("web", 2, "running", "aaa"),
                                 Container("worker", 1, "running", "bbb")});
  plan::StackState live = BuildLiveState("shop", containers, Networks(), Volumes());
  EXPECT_EQ(test_support::DescribeDifferences(desired, live), "")
      << test_support::DescribeState(desired) << "---\n" << test_support::DescribeState(live);
  EXPECT_NE(desired.Find("network.default"), nullptr);  // worker names no network
  EXPECT_EQ(desired.Find("network.proxy"), nullptr);    // external
  const plan::ResourceState* web = live.Find("service.web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->spec_hash, "aaa");
  ASSERT_TRUE(web->version.has_value());
  EXPECT_EQ(web->version->id, "web10123456789abcdef,web20123456789abcdef");
}

TEST(ComposeStateTest, StoppedMissingAndChangedContainersShow) {
  plan::StackState desired = StateFromDocument(Document(), "shop");
  json containers = json::array({Container("web", 1, "exited", "aaa"), Container("worker", 1, "running", "old"),
                                 Container("worker", 2, "running", "bbb")});
  plan::StackState live = BuildLiveState("shop", containers, Networks(), Volumes());
  std::string differences = test_support::DescribeDifferences(desired, live);
  EXPECT_NE(differences.find("service.web.replicas: desired \"2\", live \"1\""), std::string::npos) << differences;
  EXPECT_NE(differences.find("service.web.state: desired \"running\", live \"0 of 1 running\""), std::string::npos)
      << differences;
  EXPECT_NE(differences.find("service.worker.spec_hash"), std::string::npos) << differences;
  EXPECT_FALSE(live.Find("service.worker")->problems.empty());
}

TEST(ComposeStateTest, StrayContainersAndOneOffs) {
  json stray = {{"Id", "abcdef0123456789"}, {"Labels", {{"com.docker.compose.project", "shop"}}}};
  json oneoff = Container("web", 9, "running", "aaa");
  oneoff["Labels"]["com.docker.compose.oneoff"] = "True";
  plan::StackState live = BuildLiveState("shop", json::array({stray, oneoff}), json::array(), json::array());
  EXPECT_TRUE(live.resources.empty()) << test_support::DescribeState(live);
  ASSERT_EQ(live.problems.size(), 1u);
  EXPECT_NE(live.problems[0].find("abcdef012345"), std::string::npos);
}

TEST(ComposeStateTest, CanaryContainersAreNoServiceAndSaidOnTheirStableOne) {
  plan::StackState desired = StateFromDocument(Document(), "shop");
  // A canary of web: the new spec's hash, no service or number label.
  json canary = Container("web", 0, "running", "new");
  canary["Id"] = "canary0123456789abcdef";
  canary["Names"] = json::array({"/shop_web_canary_1"});
  canary["Labels"].erase("com.docker.compose.service");
  canary["Labels"].erase("com.docker.compose.container-number");
  canary["Labels"]["nest.canary.of"] = "web";
  canary["Labels"]["nest.canary.step"] = "1";
  json containers = json::array({Container("web", 1, "running", "aaa"), Container("web", 2, "running", "aaa"),
                                 Container("worker", 1, "running", "bbb"), canary});
  plan::StackState live = BuildLiveState("shop", containers, Networks(), Volumes());
  // The stable containers are the service: nothing to plan.
  EXPECT_EQ(test_support::DescribeDifferences(desired, live), "") << test_support::DescribeState(live);
  EXPECT_TRUE(live.problems.empty());
  const plan::ResourceState* web = live.Find("service.web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->version->id, "web10123456789abcdef,web20123456789abcdef");
  ASSERT_EQ(web->problems.size(), 1u);
  EXPECT_NE(web->problems[0].find("a canary is in progress beside it: shop_web_canary_1 (step 1)"), std::string::npos)
      << web->problems[0];
}

}  // namespace
}  // namespace nest::compose
