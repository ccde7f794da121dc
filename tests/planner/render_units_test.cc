// Plans show values as people write them (issue 14): sizes as `1GiB`, never
// as a byte count, durations as `30s`, in text and Markdown; the JSON keeps
// the canonical strings and adds the written form in its display masks; a
// saved plan keeps both. The desired state comes from a real nest source
// through BuildDesiredState (compile, convert, normalise), as `nest plan`.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "planner/diff.h"
#include "planner/plan_file.h"
#include "planner/render_json.h"
#include "planner/render_markdown.h"
#include "planner/render_text.h"
#include "providers/desired.h"
#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

constexpr const char* kSource = R"(stack "units" {}

service "db" {
  image = "postgres:16"

  mount {
    type   = tmpfs
    target = "/dev/shm"
    size   = 256MiB
  }

  healthcheck {
    test     = ["CMD", "pg_isready"]
    interval = 10s
    timeout  = 1m30s
  }

  resources {
    memory         = 1GiB
    reserve_memory = 1536KiB
  }

  restart {
    delay = 250ms
  }
}
)";

StackState Desired(const std::string& source) {
  SourceManager sources;
  Diagnostics diags;
  LoadOptions options;
  options.read_environment = false;
  auto config = CheckSources({{"units/main.nest", source}}, options, sources, diags);
  EXPECT_TRUE(config.has_value()) << RenderText(diags, sources, {});
  if (!config) return {};
  auto desired = BuildDesiredState(*config, Platform::kSwarm, "units", diags);
  EXPECT_TRUE(desired.has_value()) << RenderText(diags, sources, {});
  return desired ? *desired : StackState{};
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A size attribute followed by digits only: what a person never writes.
const std::regex kRawBytes(R"((memory|reserve_memory|size|shm_size)\s*= [0-9]+\b(?![.A-Za-z]))");

TEST(PlanUnitsTest, CreatedServiceShowsSizesAndDurationsAsWritten) {
  Plan plan = Diff(Desired(kSource), StackState{"units", {}}, {});
  std::string text = RenderPlanText(plan, TextStyle{false});
  // The service's sized and timed attributes, exactly.
  EXPECT_NE(text.find(R"(      + healthcheck    = {
          + interval = "10s"
          + test     = [
              + "CMD",
              + "pg_isready",
            ]
          + timeout  = "1m30s"
        }
)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(      + mounts         = [
          + {
              + size   = 256MiB
              + target = "/dev/shm"
              + type   = "tmpfs"
            },
        ]
)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(      + resources      = {
          + memory         = 1GiB
          + reserve_memory = 1536KiB
        }
      + restart_policy = {
          + delay = "250ms"
        }
)"),
            std::string::npos)
      << text;
  EXPECT_FALSE(std::regex_search(text, kRawBytes)) << text;
  EXPECT_EQ(text.find("1073741824"), std::string::npos);
  EXPECT_EQ(text.find("268435456"), std::string::npos);
  EXPECT_EQ(text.find("1572864"), std::string::npos);

  std::string markdown = RenderPlanMarkdown(plan);
  EXPECT_NE(markdown.find("+           memory         = 1GiB"), std::string::npos) << markdown;
  EXPECT_FALSE(std::regex_search(markdown, kRawBytes)) << markdown;
}

TEST(PlanUnitsTest, ChangedSizeShowsBothSidesAsWritten) {
  StackState desired = Desired(kSource);
  StackState live = Desired(Replace(kSource, "memory         = 1GiB", "memory         = 512MiB"));
  for (auto& resource : live.resources) resource = testing::Live(resource, "id", 1);
  Plan plan = Diff(desired, live, {});
  std::string text = RenderPlanText(plan, TextStyle{false});
  EXPECT_NE(text.find(R"(      ~ resources = {
          ~ memory = 512MiB -> 1GiB
            # (1 unchanged element hidden)
        }
)"),
            std::string::npos)
      << text;
  EXPECT_FALSE(std::regex_search(text, kRawBytes)) << text;
}

// A size that is not a whole number of KiB keeps its bytes, with the unit.
TEST(PlanUnitsTest, OddSizesKeepTheirBytesWithTheUnit) {
  StackState desired = Desired(Replace(kSource, "reserve_memory = 1536KiB", "reserve_memory = 1000B"));
  std::string text = RenderPlanText(Diff(desired, StackState{"units", {}}, {}), TextStyle{false});
  EXPECT_NE(text.find("+ reserve_memory = 1000B\n"), std::string::npos) << text;
}

TEST(PlanUnitsTest, JsonKeepsTheCanonicalValueAndAddsTheDisplayMask) {
  Plan plan = Diff(Desired(kSource), StackState{"units", {}}, {});
  auto doc = nlohmann::json::parse(RenderPlanJson(plan));
  EXPECT_EQ(doc["format_version"], "1.4");
  nlohmann::json change;
  for (const auto& resource : doc["resource_changes"]) {
    if (resource["address"] == "service.db") change = resource["change"];
  }
  ASSERT_TRUE(change.is_object()) << doc.dump(1);
  EXPECT_EQ(change["after"]["resources"]["memory"], "1073741824");
  EXPECT_EQ(change["after_display"]["resources"]["memory"], "1GiB");
  EXPECT_EQ(change["after_display"]["resources"]["reserve_memory"], "1536KiB");
  // Lists keep one entry per element; the mount's size has its form.
  EXPECT_EQ(change["after_display"]["mounts"][0]["size"], "256MiB");
  // Attributes without a written form are absent; before is null for a creation.
  EXPECT_FALSE(change["after_display"].contains("image"));
  EXPECT_EQ(change["before_display"], false);
}

TEST(PlanUnitsTest, SavedPlanKeepsTheWrittenForm) {
  Plan plan = Diff(Desired(kSource), StackState{"units", {}}, {});
  std::string path = (std::filesystem::temp_directory_path() / "nest-units-plan.json").string();
  ASSERT_TRUE(WritePlanFile(plan, path).ok());
  auto read = ReadPlanFile(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(RenderPlanText(read.value(), TextStyle{false}), RenderPlanText(plan, TextStyle{false}));
}

// The written form is how to show a value, not what it is.
TEST(PlanUnitsTest, DisplayTakesNoPartInComparisonOrHash) {
  AttributeValue a = AttributeValue::Scalar("1073741824");
  AttributeValue b = a;
  b.display = "1GiB";
  EXPECT_EQ(a, b);
  ResourceState r;
  r.address = "service.x";
  r.attributes["memory"] = a;
  StackState one{"s", {r}};
  r.attributes["memory"] = b;
  StackState two{"s", {r}};
  EXPECT_EQ(StateHash(one), StateHash(two));
}

}  // namespace
}  // namespace nest::plan
