// The PR comment: summary first, the destroy warning, the plan collapsed,
// never longer than GitHub takes.
#include "planner/render_markdown.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string_view>

#include "planner/render_text.h"
#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

using namespace nest::plan::testing;

// The plan as a ```diff block shows it: GitHub colours a line by its first
// character, so a change symbol followed by a space moves to column 0 (`~`
// as `!`) and leaves a space where it stood; other lines are as they were.
std::string AsDiffBlock(std::string_view text) {
  static const std::regex kSymbol("^( +)([-+~]) ");
  std::string out;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kSymbol)) {
      line = (m[2] == "~" ? "!" : m[2].str()) + m[1].str() + " " + m.suffix().str();
    }
    out += line + "\n";
  }
  return out;
}

// The body is the text plan's golden (tests/planner/fixtures.h), moved into
// diff columns; a few of its lines are spelled out below as well.
TEST(RenderMarkdownTest, MedianestGolden) {
  std::string md = RenderPlanMarkdown(MedianestPlan());
  EXPECT_EQ(md, R"(### nest plan: stack `medianest`: 2 to add, 1 to change, 2 to destroy

> [!WARNING]
> This plan destroys or replaces 2 resources:
> - `secret.db_password` (replace: the new one is created first)
> - `service.old` (destroy)

<details><summary>Show plan</summary>

```diff
)" + AsDiffBlock(kMedianestPlanText) + "```\n\n</details>\n");
  for (const char* line : {"\n+   create\n", "\n!   update in place\n", "\n+/- secret \"db_password\" {\n",
                           "\n!       image   = \"medianest/app:1.2.3\" -> \"medianest/app:1.3.0\"\n",
                           "\n-           \"medianest_db_password_3f2a\",\n", "\n        ]\n",
                           "\n-   service \"old\" {\n"}) {
    EXPECT_NE(md.find(line), std::string::npos) << line;
  }
}

TEST(RenderMarkdownTest, NoChangesHasNoWarning) {
  ResourceState app = R("service.app", ResourceKind::kService, "s_app", {{"image", S("a")}});
  std::string md = RenderPlanMarkdown(Diff(Stack("s", {app}), Stack("s", {Live(app, "i", 1)}), {}));
  EXPECT_EQ(md.rfind("### nest plan: stack `s`: no changes\n", 0), 0u) << md;
  EXPECT_EQ(md.find("[!WARNING]"), std::string::npos);
  EXPECT_NE(md.find("No changes. Your stack matches the configuration."), std::string::npos);
}

TEST(RenderMarkdownTest, UpdatesOnlyHaveNoWarning) {
  ResourceState desired = R("service.app", ResourceKind::kService, "s_app", {{"image", S("b")}});
  ResourceState live = R("service.app", ResourceKind::kService, "s_app", {{"image", S("a")}});
  std::string md = RenderPlanMarkdown(Diff(Stack("s", {desired}), Stack("s", {Live(live, "i", 1)}), {}));
  EXPECT_EQ(md.rfind("### nest plan: stack `s`: 0 to add, 1 to change, 0 to destroy\n", 0), 0u);
  EXPECT_EQ(md.find("[!WARNING]"), std::string::npos);
}

TEST(RenderMarkdownTest, NeverASecret) {
  std::string md = RenderPlanMarkdown(MedianestPlan());
  EXPECT_EQ(md.find(kPassword), std::string::npos);
}

TEST(RenderMarkdownTest, BackticksInValuesGetALongerFence) {
  ResourceState x = R("service.x", ResourceKind::kService, "s_x", {{"label", S("```not a fence")}});
  std::string md = RenderPlanMarkdown(Diff(Stack("s", {x}), Stack("s", {}), {}));
  EXPECT_NE(md.find("\n````diff\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n````\n\n</details>\n"), std::string::npos) << md;
}

// Thousands of changes: creates, updates and deletes of services with env.
Plan HugePlan() {
  std::vector<ResourceState> desired, live;
  for (int i = 0; i < 3000; ++i) {
    std::map<std::string, AttributeValue> env;
    for (int k = 0; k < 5; ++k) env[fmt::format("VARIABLE_{}", k)] = S(fmt::format("value-{}-{}", i, k));
    ResourceState service = R(fmt::format("service.svc{:04}", i), ResourceKind::kService, "s_svc",
                              {{"image", S(fmt::format("example/svc:{}", i))}, {"env", M(env)}});
    desired.push_back(service);
    if (i % 3 == 1) {
      service.attributes["image"] = S("example/svc:old");
      live.push_back(Live(service, "id", 1));
    }
  }
  for (int i = 0; i < 1500; ++i) {
    live.push_back(Live(R(fmt::format("service.gone{:04}", i), ResourceKind::kService, "s_gone",
                          {{"image", S("example/gone:1")}}),
                        "id", 1));
  }
  return Diff(Stack("big", desired), Stack("big", live), {});
}

TEST(RenderMarkdownTest, HugePlansAreCutInTheMiddle) {
  Plan plan = HugePlan();
  std::string full_text = RenderPlanText(plan, TextStyle{false});
  ASSERT_GT(full_text.size(), 500'000u);
  std::string md = RenderPlanMarkdown(plan);
  EXPECT_LE(md.size(), kMarkdownLimit);
  EXPECT_GT(md.size(), kMarkdownLimit - 1000);  // the budget is used, not wasted
  EXPECT_EQ(md.rfind("### nest plan: stack `big`: 2000 to add, 1000 to change, 1500 to destroy\n", 0), 0u);
  EXPECT_NE(md.find("> [!WARNING]\n> This plan destroys or replaces 1500 resources:\n"), std::string::npos);
  EXPECT_NE(md.find("> - and 1450 more (all listed in the plan below)\n"), std::string::npos);
  EXPECT_NE(md.find("lines cut here"), std::string::npos);
  // The block still ends with the summary, closes its fence and the details.
  EXPECT_NE(md.find("Plan: 2000 to add, 1000 to change, 1500 to destroy.\n```\n\n</details>\n"), std::string::npos);
  // The beginning of the plan is kept too.
  EXPECT_NE(md.find("nest will perform the following actions:"), std::string::npos);
}

TEST(RenderMarkdownTest, CutSaysHowManyLines) {
  Plan plan = HugePlan();
  std::size_t lines = 0;
  for (char c : RenderPlanText(plan, TextStyle{false})) lines += c == '\n';
  std::string md = RenderPlanMarkdown(plan, 20'000);
  EXPECT_LE(md.size(), 20'000u);
  std::size_t at = md.find("... (");
  ASSERT_NE(at, std::string::npos);
  std::size_t cut = std::stoul(md.substr(at + 5));
  std::size_t start = md.find("```diff\n") + 8, end = md.find("\n```\n\n</details>");
  std::size_t shown = 0;
  for (std::size_t i = start; i <= end; ++i) shown += md[i] == '\n';
  EXPECT_EQ(shown - 1 + cut, lines);  // shown includes the cut note's own line
}

}  // namespace
}  // namespace nest::plan
