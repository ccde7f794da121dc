// What a swarm revision keeps for rollback (providers/swarm/revision_specs.h).
#include "providers/swarm/revision_specs.h"

#include <gtest/gtest.h>

namespace nest::swarm {
namespace {

using nlohmann::json;

StackSpecs Specs() {
  StackSpecs specs;
  specs.stack = "web";
  specs.networks.push_back({{"Name", "web_back"}, {"Driver", "overlay"}});
  specs.external_networks.push_back("shared");
  specs.volumes.push_back({{"Name", "web_data"}});
  specs.secrets.push_back({"token", {{"Name", "web_token_0123abcd"}}, "token.txt", std::nullopt});
  specs.configs.push_back({"motd", {{"Name", "web_motd_4567ef01"}}, "", std::string("welcome\n")});
  specs.services.push_back({{"Name", "web_app"}, {"TaskTemplate", {{"ContainerSpec", {{"Image", "busybox"}}}}}});
  return specs;
}

TEST(RevisionSpecsTest, RoundTripsWithoutFilesOrContent) {
  json recorded = RevisionSpecsJson(Specs());
  std::string text = recorded.dump();
  EXPECT_EQ(text.find("token.txt"), std::string::npos) << text;
  EXPECT_EQ(text.find("welcome"), std::string::npos) << text;

  std::optional<StackSpecs> read = RevisionSpecsFromJson(json::parse(text));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->stack, "web");
  EXPECT_EQ(read->networks, Specs().networks);
  EXPECT_EQ(read->external_networks, std::vector<std::string>{"shared"});
  EXPECT_EQ(read->volumes, Specs().volumes);
  EXPECT_EQ(read->services, Specs().services);
  ASSERT_EQ(read->secrets.size(), 1u);
  EXPECT_EQ(read->secrets[0].key, "token");
  EXPECT_EQ(read->secrets[0].spec["Name"], "web_token_0123abcd");
  EXPECT_TRUE(read->secrets[0].file.empty());
  ASSERT_EQ(read->configs.size(), 1u);
  EXPECT_FALSE(read->configs[0].content);
}

TEST(RevisionSpecsTest, RefusesWhatItDidNotWrite) {
  EXPECT_FALSE(RevisionSpecsFromJson(json::array()));
  EXPECT_FALSE(RevisionSpecsFromJson(json{{"stack", "web"}}));
  json broken = RevisionSpecsJson(Specs());
  broken["secrets"] = json::array({json{{"spec", json::object()}}});
  EXPECT_FALSE(RevisionSpecsFromJson(broken));
}

TEST(RevisionSpecsTest, AStateWithASensitiveValueIsNotRestorable) {
  plan::StackState state;
  plan::ResourceState app;
  app.address = "service.app";
  app.attributes["image"] = plan::AttributeValue::Scalar("busybox");
  state.resources.push_back(app);
  EXPECT_EQ(WhyNotRestorable(state), "");
  state.resources[0].attributes["env"] =
      plan::AttributeValue::Map({{"PASSWORD", plan::AttributeValue::Scalar("hunter2", /*sensitive=*/true)}});
  EXPECT_EQ(WhyNotRestorable(state), "service.app: `env` holds a sensitive value");
}

}  // namespace
}  // namespace nest::swarm
