// The text plan: exact expected text for small plans, and the rules every
// plan follows (no colour unless asked, no secret ever).
#include "planner/render_text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

using namespace nest::plan::testing;

std::string Text(const Plan& plan) { return RenderPlanText(plan, TextStyle{false}); }

// The golden (shared with the markdown test) is in tests/planner/fixtures.h.
TEST(RenderTextTest, MedianestGolden) { EXPECT_EQ(Text(MedianestPlan()), kMedianestPlanText); }

// Nested maps and lists, a sensitive change, drift, a problem, a replacement.
Plan ApiPlan() {
  ResourceState desired = R(
      "service.api", ResourceKind::kService, "s_api",
      {{"image", S("api:2")},
       {"env", M({{"NODE_ENV", S("production")}, {"TOKEN", Secret(kPassword)}, {"ADDED", S("x")}, {"SAME", S("1")}})},
       {"ports", L({M({{"target", S("80")}, {"published", S("8080")}}), M({{"target", S("443")}})})},
       {"mode", S("global")},
       {"command", L({S("run"), S("--fast"), S("x")})}});
  desired.force_new = {"mode"};
  desired.spec_hash = "h";
  ResourceState live = desired;
  live.attributes["env"] =
      M({{"NODE_ENV", S("development")}, {"TOKEN", S("old-token-value")}, {"REMOVED", S("y")}, {"SAME", S("1")}});
  live.attributes["ports"] = L({M({{"target", S("80")}, {"published", S("9090")}}), M({{"target", S("443")}})});
  live.attributes["mode"] = S("replicated");
  live.attributes["command"] = L({S("run"), S("--slow"), S("x")});
  live.problems = {"tasks fail: No such image: api:2"};
  return Diff(Stack("s", {desired}), Stack("s", {Live(live, "id", 3)}), {});
}

TEST(RenderTextTest, NestedChangesGolden) {
  EXPECT_EQ(Text(ApiPlan()),
            R"(Warning: this plan destroys or replaces 1 resource: service.api

Resource actions are indicated with the following symbols:
-/+ destroy and then create replacement

nest will perform the following actions:

  # service.api must be replaced
  # (drift: changed outside nest)
  # (because `mode` cannot change in place (Docker answers 501))
  # warning: tasks fail: No such image: api:2
-/+ service "api" {
      ~ command = [
          - "--slow",
          + "--fast",
            # (2 unchanged elements hidden)
        ]
      ~ env     = {
          + ADDED    = "x"
          ~ NODE_ENV = "development" -> "production"
          - REMOVED  = "y" -> null
          ~ TOKEN    = (sensitive value)
            # (1 unchanged element hidden)
        }
      ~ mode    = "replicated" -> "global" # forces replacement
      ~ ports   = [
          ~ {
              ~ published = 9090 -> 8080
                # (1 unchanged element hidden)
            },
            # (1 unchanged element hidden)
        ]
        # (1 unchanged attribute hidden)
    }

Plan: 1 to add, 0 to change, 1 to destroy.
)");
}

TEST(RenderTextTest, DriftUpdateGolden) {
  ResourceState desired = R("service.app", ResourceKind::kService, "s_app", {{"replicas", S("3")}});
  desired.spec_hash = "h";
  ResourceState live = desired;
  live.attributes["replicas"] = S("5");
  Plan plan = Diff(Stack("s", {desired}), Stack("s", {Live(live, "id", 1)}), {});
  EXPECT_EQ(Text(plan), R"(Resource actions are indicated with the following symbols:
  ~ update in place

nest will perform the following actions:

  # service.app will be updated in place
  # (drift: changed outside nest)
  ~ service "app" {
      ~ replicas = 5 -> 3
    }

Plan: 0 to add, 1 to change, 0 to destroy.
)");
}

TEST(RenderTextTest, CreatesAndDeletesOfNestedValues) {
  ResourceState created = R("service.new", ResourceKind::kService, "s_new",
                            {{"env", M({{"A", S("1")}, {"KEY", Secret(kPassword)}})},
                             {"mounts", L({M({{"source", S("data")}, {"target", S("/data")}})})},
                             {"empty", L({})}});
  ResourceState gone = Live(R("service.gone", ResourceKind::kService, "s_gone",
                              {{"env", M({{"B", S("2")}})}, {"args", L({S("x")})}}),
                            "g", 1);
  Plan plan = Diff(Stack("s", {created}), Stack("s", {gone}), {});
  std::string text = Text(plan);
  EXPECT_NE(text.find(R"(  + service "new" {
      + empty  = []
      + env    = {
          + A   = 1
          + KEY = (sensitive value)
        }
      + mounts = [
          + {
              + source = "data"
              + target = "/data"
            },
        ]
    }
)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(  - service "gone" {
      - args = [
          - "x",
        ] -> null
      - env  = {
          - B = 2
        } -> null
    }
)"),
            std::string::npos)
      << text;
}

TEST(RenderTextTest, NoChanges) {
  ResourceState app = R("service.app", ResourceKind::kService, "s_app", {{"image", S("a")}});
  Plan plan = Diff(Stack("s", {app}), Stack("s", {Live(app, "id", 1)}), {});
  EXPECT_EQ(Text(plan), "No changes. Your stack matches the configuration.\n");
  EXPECT_EQ(SummaryLine(plan), "No changes. Your stack matches the configuration.");
}

TEST(RenderTextTest, ProblemsAndWarningsOfAnUnchangedStack) {
  ResourceState app = R("service.app", ResourceKind::kService, "s_app", {{"image", S("a")}});
  ResourceState live = Live(app, "id", 1);
  live.problems = {"image a not found"};
  StackState live_stack = Stack("s", {live});
  live_stack.problems = {"container `s_debug` carries the stack label"};
  Plan plan = Diff(Stack("s", {app}), live_stack, {});
  EXPECT_EQ(Text(plan), R"(No changes. Your stack matches the configuration.

Objects with problems that this plan leaves unchanged:
  # service.app (`s_app`): image a not found

Warning: container `s_debug` carries the stack label
)");
}

TEST(RenderTextTest, ColourOnlyWhenAsked) {
  Plan plan = MedianestPlan();
  EXPECT_EQ(Text(plan).find('\x1b'), std::string::npos);
  std::string coloured = RenderPlanText(plan, TextStyle{true});
  EXPECT_NE(coloured.find("\x1b[32m+\x1b[0m"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[31m-\x1b[0m"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[33m~\x1b[0m"), std::string::npos);
}

TEST(RenderTextTest, SecretsNeverPrinted) {
  for (const Plan& plan : {MedianestPlan(), ApiPlan()}) {
    for (bool color : {false, true}) {
      std::string text = RenderPlanText(plan, TextStyle{color});
      EXPECT_EQ(text.find(kPassword), std::string::npos) << text;
      EXPECT_EQ(text.find("old-token-value"), std::string::npos) << text;
    }
  }
  // A live value the provider knows to be secret, on a destroyed object.
  ResourceState gone = Live(R("service.gone", ResourceKind::kService, "s_gone",
                              {{"env", M({{"KEY", Secret(kPassword)}})}}),
                            "g", 1);
  std::string text = Text(Diff(Stack("s", {}), Stack("s", {gone}), {}));
  EXPECT_EQ(text.find(kPassword), std::string::npos);
  EXPECT_NE(text.find("KEY = (sensitive value)"), std::string::npos);
}

TEST(RenderTextTest, WholeSensitiveListOrMap) {
  AttributeValue list = L({S("a"), S(kPassword)});
  list.sensitive = true;
  ResourceState created = R("service.x", ResourceKind::kService, "s_x", {{"args", list}});
  std::string text = Text(Diff(Stack("s", {created}), Stack("s", {}), {}));
  EXPECT_NE(text.find("+ args = (sensitive value)"), std::string::npos) << text;
  EXPECT_EQ(text.find(kPassword), std::string::npos);
}

TEST(RenderTextTest, ValuesAreQuotedAndEscaped) {
  EXPECT_EQ(InlineValue(S("3")), "3");
  EXPECT_EQ(InlineValue(S("-1.5")), "-1.5");
  EXPECT_EQ(InlineValue(S("true")), "true");
  EXPECT_EQ(InlineValue(S("007")), "\"007\"");
  EXPECT_EQ(InlineValue(S("1.")), "\"1.\"");
  EXPECT_EQ(InlineValue(S("")), "\"\"");
  EXPECT_EQ(InlineValue(S("say \"hi\"\n")), R"("say \"hi\"\n")");
  EXPECT_EQ(InlineValue(S("\x1b[31mred")), R"("\u001b[31mred")");
  EXPECT_EQ(InlineValue(L({S("a"), S("1")})), R"(["a", 1])");
  EXPECT_EQ(InlineValue(M({{"A", S("x")}, {"with space", S("y")}})), R"({ A = "x", "with space" = "y" })");
  EXPECT_EQ(InlineValue(M({})), "{}");
  EXPECT_EQ(InlineValue(Secret("x")), "(sensitive value)");
}

TEST(RenderTextTest, KindChangeShowsOldAndNew) {
  ResourceState desired = R("service.x", ResourceKind::kService, "s_x", {{"args", L({S("a")})}});
  ResourceState live = R("service.x", ResourceKind::kService, "s_x", {{"args", S("a")}});
  std::string text = Text(Diff(Stack("s", {desired}), Stack("s", {Live(live, "i", 1)}), {}));
  EXPECT_NE(text.find(R"(      - args = "a" -> null
      + args = [
          + "a",
        ]
)"),
            std::string::npos)
      << text;
}

TEST(RenderTextTest, BannerListsAtMostTwentyAddresses) {
  std::vector<ResourceState> live;
  for (int i = 0; i < 25; ++i) {
    live.push_back(Live(R(fmt::format("service.s{:02}", i), ResourceKind::kService, "x", {}), "i", 1));
  }
  std::string text = Text(Diff(Stack("s", {}), Stack("s", live), {}));
  EXPECT_EQ(text.rfind("Warning: this plan destroys or replaces 25 resources: service.s24, service.s23, ", 0), 0u)
      << text;
  EXPECT_NE(text.find("service.s05 and 5 more\n"), std::string::npos);
  EXPECT_NE(text.find("Plan: 0 to add, 0 to change, 25 to destroy."), std::string::npos);
}

TEST(RenderTextTest, ModuleResourcesShowTheirName) {
  ResourceState created = R("module.db.service.postgres", ResourceKind::kService, "s_db-postgres", {});
  std::string text = Text(Diff(Stack("s", {created}), Stack("s", {}), {}));
  EXPECT_NE(text.find("  # module.db.service.postgres will be created\n  + service \"postgres\" {\n    }\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace nest::plan
