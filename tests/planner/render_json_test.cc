// The plan JSON: Terraform's shape where it fits, secrets as null + mask.
#include "planner/render_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

using namespace nest::plan::testing;
using nlohmann::json;

json Parse(const Plan& plan) { return json::parse(RenderPlanJson(plan)); }

const json& ChangeOf(const json& doc, const std::string& address) {
  for (const auto& change : doc["resource_changes"]) {
    if (change["address"] == address) return change;
  }
  static const json kNone;
  ADD_FAILURE() << "no change for " << address;
  return kNone;
}

TEST(RenderJsonTest, TopLevel) {
  json doc = Parse(MedianestPlan());
  EXPECT_EQ(doc["format_version"], "1.4");
  EXPECT_EQ(doc["nest_version"], NEST_VERSION);
  EXPECT_EQ(doc["stack"], "medianest");
  EXPECT_EQ(doc["target"], "swarm");
  EXPECT_EQ(doc["engine"], "unix:///var/run/docker.sock");
  EXPECT_EQ(doc["config_hash"], StateHash(DesiredMedianest()));
  EXPECT_EQ(doc["applyable"], true);
  EXPECT_EQ(doc["summary"], (json{{"add", 2}, {"change", 1}, {"destroy", 2}}));
  EXPECT_TRUE(doc["warnings"].is_array());
  EXPECT_TRUE(doc["targets"].is_array());
  ASSERT_EQ(doc["resource_changes"].size(), 6u);  // no-ops included, as Terraform does
  std::vector<std::string> addresses;
  for (const auto& change : doc["resource_changes"]) addresses.push_back(change["address"]);
  EXPECT_EQ(addresses, (std::vector<std::string>{"network.backend", "secret.db_password", "service.app",
                                                  "service.cache", "service.worker", "service.old"}));
}

TEST(RenderJsonTest, ActionsPerChange) {
  json doc = Parse(MedianestPlan());
  EXPECT_EQ(ChangeOf(doc, "network.backend")["change"]["actions"], json({"no-op"}));
  EXPECT_EQ(ChangeOf(doc, "secret.db_password")["change"]["actions"], json({"create", "delete"}));
  EXPECT_EQ(ChangeOf(doc, "service.app")["change"]["actions"], json({"update"}));
  EXPECT_EQ(ChangeOf(doc, "service.worker")["change"]["actions"], json({"create"}));
  EXPECT_EQ(ChangeOf(doc, "service.old")["change"]["actions"], json({"delete"}));
  EXPECT_EQ(ChangeOf(doc, "secret.db_password")["docker_name"], "medianest_db_password_9c1e");
  EXPECT_EQ(ChangeOf(doc, "secret.db_password")["previous_docker_name"], "medianest_db_password_3f2a");
  EXPECT_FALSE(ChangeOf(doc, "service.app").contains("previous_docker_name"));

  ResourceState desired = R("service.x", ResourceKind::kService, "s_x", {{"mode", S("global")}});
  desired.force_new = {"mode"};
  ResourceState live = R("service.x", ResourceKind::kService, "s_x", {{"mode", S("replicated")}});
  json replace = Parse(Diff(Stack("s", {desired}), Stack("s", {Live(live, "i", 1)}), {}));
  const json& change = replace["resource_changes"][0];
  EXPECT_EQ(change["change"]["actions"], json({"delete", "create"}));
  EXPECT_EQ(change["change"]["replace_paths"], json::parse(R"([["mode"]])"));
  EXPECT_EQ(change["action_reason"], "replace_because_cannot_update");
}

TEST(RenderJsonTest, ResourceChangeFields) {
  json doc = Parse(MedianestPlan());
  const json& app = ChangeOf(doc, "service.app");
  EXPECT_EQ(app["mode"], "managed");
  EXPECT_EQ(app["type"], "service");
  EXPECT_EQ(app["name"], "app");
  EXPECT_EQ(app["docker_name"], "medianest_app");
  EXPECT_FALSE(app.contains("module_address"));
  EXPECT_FALSE(app.contains("action_reason"));  // Terraform has none for an ordinary update
  EXPECT_EQ(app["nest_reason"], "update_because_config_changed");
  EXPECT_EQ(app["nest_changed_attributes"], json({"image", "secrets"}));
  EXPECT_EQ(app["live_version"], (json{{"id", "svc-app"}, {"index", 42}}));
  EXPECT_EQ(app["change"]["before"]["image"], "medianest/app:1.2.3");
  EXPECT_EQ(app["change"]["after"]["image"], "medianest/app:1.3.0");
  EXPECT_EQ(app["change"]["after"]["replicas"], "3");  // scalars are strings
  EXPECT_EQ(app["change"]["after"]["networks"], json({"backend"}));
  EXPECT_FALSE(app["change"].contains("replace_paths"));
  EXPECT_EQ(app["depends_on"], json({"network.backend", "secret.db_password"}));

  const json& worker = ChangeOf(doc, "service.worker");
  EXPECT_TRUE(worker["change"]["before"].is_null());
  EXPECT_EQ(worker["change"]["before_sensitive"], false);
  EXPECT_TRUE(worker["live_version"].is_null());
  EXPECT_EQ(worker["depends_on"], json({"network.backend"}));
  EXPECT_EQ(ChangeOf(doc, "network.backend")["depends_on"], json::array());

  const json& old = ChangeOf(doc, "service.old");
  EXPECT_TRUE(old["change"]["after"].is_null());
  EXPECT_EQ(old["action_reason"], "delete_because_no_resource_config");
  EXPECT_EQ(old["nest_reason_detail"], "it is not in the configuration");
  EXPECT_EQ(old["depends_on"], json::array());  // a service's delete waits for nothing
}

TEST(RenderJsonTest, SensitiveValuesAreNullAndMasked) {
  Plan plan = MedianestPlan();
  std::string text = RenderPlanJson(plan);
  EXPECT_EQ(text.find(kPassword), std::string::npos);
  EXPECT_EQ(text.find(plan.sensitive_hash), std::string::npos);
  json app = ChangeOf(json::parse(text), "service.app");
  EXPECT_TRUE(app["change"]["after"]["env"]["DATABASE_URL"].is_null());
  EXPECT_TRUE(app["change"]["before"]["env"]["DATABASE_URL"].is_null());
  EXPECT_EQ(app["change"]["after"]["env"]["NODE_ENV"], "production");
  EXPECT_EQ(app["change"]["after_sensitive"], json::parse(R"({"env": {"DATABASE_URL": true}})"));
  EXPECT_EQ(app["change"]["before_sensitive"], json::parse(R"({"env": {"DATABASE_URL": true}})"));

  AttributeValue list = L({S("a"), Secret(kPassword)});
  ResourceState x = R("service.x", ResourceKind::kService, "s_x", {{"args", list}, {"key", Secret(kPassword)}});
  json created = Parse(Diff(Stack("s", {x}), Stack("s", {}), {}))["resource_changes"][0]["change"];
  EXPECT_EQ(created["after"], json::parse(R"({"args": ["a", null], "key": null})"));
  EXPECT_EQ(created["after_sensitive"], json::parse(R"({"args": [false, true], "key": true})"));
}

TEST(RenderJsonTest, ModulesAndProblems) {
  ResourceState created = R("module.db.service.postgres", ResourceKind::kService, "s_db-postgres", {});
  ResourceState broken = Live(R("service.app", ResourceKind::kService, "s_app", {}), "i", 1);
  broken.problems = {"no address label"};
  json doc = Parse(Diff(Stack("s", {created, R("service.app", ResourceKind::kService, "s_app", {})}),
                        Stack("s", {broken}), {}));
  const json& pg = ChangeOf(doc, "module.db.service.postgres");
  EXPECT_EQ(pg["module_address"], "module.db");
  EXPECT_EQ(pg["name"], "postgres");
  EXPECT_EQ(ChangeOf(doc, "service.app")["problems"], json({"no address label"}));
}

TEST(RenderJsonTest, InvalidUtf8NeverThrows) {
  ResourceState x = R("service.x", ResourceKind::kService, "s_x", {{"label", S("bad \xff byte")}});
  std::string text = RenderPlanJson(Diff(Stack("s", {x}), Stack("s", {}), {}));
  EXPECT_TRUE(json::accept(text)) << text;
}

TEST(RenderJsonTest, NoChanges) {
  json doc = Parse(Diff(Stack("s", {}), Stack("s", {}), {}));
  EXPECT_EQ(doc["applyable"], false);
  EXPECT_EQ(doc["resource_changes"], json::array());
}

}  // namespace
}  // namespace nest::plan
