// What `nest rollback` reads back from a revision: the state in the saved
// plan's encoding (StackStateFromJsonText) and its order from the state's
// own edges (DiffOptionsFromState).
#include <gtest/gtest.h>

#include "planner/diff.h"
#include "planner/plan_file.h"

namespace nest::plan {
namespace {

ResourceState Resource(const std::string& address, ResourceKind kind, std::vector<std::string> depends_on = {}) {
  ResourceState r;
  r.address = address;
  r.kind = kind;
  r.docker_name = "web_" + address.substr(address.find('.') + 1);
  r.spec_hash = "hash-" + address;
  r.depends_on = std::move(depends_on);
  return r;
}

StackState State() {
  StackState state;
  state.stack = "web";
  state.resources.push_back(Resource("network.back", ResourceKind::kNetwork));
  state.resources.push_back(Resource("secret.token", ResourceKind::kSecret));
  ResourceState app = Resource("service.app", ResourceKind::kService, {"network.back", "secret.token", "service.db"});
  app.attributes["image"] = AttributeValue::Scalar("busybox");
  app.attributes["env"] = AttributeValue::Map({{"PASSWORD", AttributeValue::Scalar("hunter2", true)},
                                               {"MODE", AttributeValue::Scalar("v1")}});
  state.resources.push_back(app);
  state.resources.push_back(Resource("service.db", ResourceKind::kService, {"network.back"}));
  return state;
}

TEST(StackStateFromJsonTextTest, ReadsBackWhatARevisionRecordsSensitiveAsKindOnly) {
  std::string text = StackStateJsonText(State());
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  Result<StackState> read = StackStateFromJsonText(text);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read.value().stack, "web");
  ASSERT_EQ(read.value().resources.size(), 4u);
  const ResourceState* app = read.value().Find("service.app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->depends_on, State().resources[2].depends_on);
  EXPECT_EQ(app->attributes.at("image").scalar, "busybox");
  EXPECT_EQ(app->attributes.at("env").map.at("MODE").scalar, "v1");
  EXPECT_TRUE(app->attributes.at("env").map.at("PASSWORD").sensitive);
  EXPECT_EQ(app->attributes.at("env").map.at("PASSWORD").scalar, "");
  // Everything but the sensitive content survives: the public hash agrees.
  EXPECT_EQ(StateHash(read.value()), StateHash(State()));
}

TEST(StackStateFromJsonTextTest, DamagedTextIsAnError) {
  EXPECT_FALSE(StackStateFromJsonText("not json").ok());
  auto damaged = StackStateFromJsonText(R"({"stack": "web", "resources": [{"address": 1}]})");
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().message.find("damaged"), std::string::npos) << damaged.error().message;
}

TEST(DiffOptionsFromStateTest, DependenciesComeFirstTiesByAddress) {
  DiffOptions options = DiffOptionsFromState(State());
  EXPECT_EQ(options.order,
            (std::vector<std::string>{"network.back", "secret.token", "service.db", "service.app"}));
  EXPECT_EQ(options.depends_on.at("service.db"), std::vector<std::string>{"network.back"});
  EXPECT_EQ(options.depends_on.count("network.back"), 0u);
}

}  // namespace
}  // namespace nest::plan
