// Saved plans: a round trip keeps everything but secrets; broken files give
// clear errors; the file is private and written atomically.
#include "planner/plan_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "planner/render_json.h"
#include "planner/render_text.h"
#include "tests/planner/fixtures.h"

namespace nest::plan {
namespace {

namespace fs = std::filesystem;
using namespace nest::plan::testing;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class PlanFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nest-planfile-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::string WriteText(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return Path(name);
  }

  fs::path dir_;
};

// Sensitive values come back as kind + flag, without content.
void Strip(AttributeValue& value) {
  if (value.sensitive) {
    value.scalar.clear();
    value.list.clear();
    value.map.clear();
    return;
  }
  for (auto& item : value.list) Strip(item);
  for (auto& [key, item] : value.map) Strip(item);
}

void ExpectSameValue(const AttributeValue& want_in, const AttributeValue& got) {
  AttributeValue want = want_in;
  Strip(want);
  EXPECT_EQ(want, got);
  EXPECT_EQ(want.sensitive, got.sensitive);
  EXPECT_EQ(want.ContainsSensitive(), got.ContainsSensitive());
}

void ExpectSameState(const std::optional<ResourceState>& want, const std::optional<ResourceState>& got) {
  ASSERT_EQ(want.has_value(), got.has_value());
  if (!want) return;
  EXPECT_EQ(want->address, got->address);
  EXPECT_EQ(want->kind, got->kind);
  EXPECT_EQ(want->docker_name, got->docker_name);
  EXPECT_EQ(want->spec_hash, got->spec_hash);
  EXPECT_EQ(want->managed, got->managed);
  EXPECT_EQ(want->stack_label, got->stack_label);
  EXPECT_EQ(want->force_new, got->force_new);
  EXPECT_EQ(want->depends_on, got->depends_on);
  EXPECT_EQ(want->version, got->version);
  EXPECT_EQ(want->problems, got->problems);
  ASSERT_EQ(want->attributes.size(), got->attributes.size());
  for (const auto& [name, value] : want->attributes) ExpectSameValue(value, got->attributes.at(name));
}

TEST_F(PlanFileTest, RoundTrip) {
  Plan plan = MedianestPlan();
  plan.targets = {"service.app"};
  plan.warnings = {"a warning"};
  ASSERT_FALSE(plan.changes.empty());
  plan.changes.back().engine_in_progress = "an update is in progress on the engine";
  Status written = WritePlanFile(plan, Path("plan.out"));
  ASSERT_TRUE(written.ok()) << written.error().message;
  Result<Plan> read = ReadPlanFile(Path("plan.out"));
  ASSERT_TRUE(read.ok()) << read.error().message;
  const Plan& got = read.value();
  EXPECT_EQ(got.stack, plan.stack);
  EXPECT_EQ(got.target, plan.target);
  EXPECT_EQ(got.targets, plan.targets);
  EXPECT_EQ(got.config_hash, plan.config_hash);
  EXPECT_EQ(got.sensitive_hash, plan.sensitive_hash);
  EXPECT_FALSE(plan.sensitive_hash.empty());
  EXPECT_EQ(got.engine, plan.engine);
  EXPECT_EQ(got.warnings, plan.warnings);
  EXPECT_EQ(got.live_versions, plan.live_versions);
  EXPECT_EQ(got.live_versions.size(), 5u);
  ASSERT_EQ(got.changes.size(), plan.changes.size());
  for (std::size_t i = 0; i < plan.changes.size(); ++i) {
    const ResourceChange &want = plan.changes[i], &have = got.changes[i];
    SCOPED_TRACE(want.address);
    EXPECT_EQ(want.address, have.address);
    EXPECT_EQ(want.kind, have.kind);
    EXPECT_EQ(want.docker_name, have.docker_name);
    EXPECT_EQ(want.action, have.action);
    EXPECT_EQ(want.reason, have.reason);
    EXPECT_EQ(want.reason_detail, have.reason_detail);
    EXPECT_EQ(want.create_before_destroy, have.create_before_destroy);
    EXPECT_EQ(want.depends_on, have.depends_on);
    EXPECT_EQ(want.drift, have.drift);
    EXPECT_EQ(want.engine_in_progress, have.engine_in_progress);
    EXPECT_EQ(want.live_version, have.live_version);
    EXPECT_EQ(want.problems, have.problems);
    ExpectSameState(want.before, have.before);
    ExpectSameState(want.after, have.after);
    ASSERT_EQ(want.changes.size(), have.changes.size());
    for (std::size_t k = 0; k < want.changes.size(); ++k) {
      EXPECT_EQ(want.changes[k].name, have.changes[k].name);
      EXPECT_EQ(want.changes[k].forces_replacement, have.changes[k].forces_replacement);
      ASSERT_EQ(want.changes[k].before.has_value(), have.changes[k].before.has_value());
      ASSERT_EQ(want.changes[k].after.has_value(), have.changes[k].after.has_value());
      if (want.changes[k].before) ExpectSameValue(*want.changes[k].before, *have.changes[k].before);
      if (want.changes[k].after) ExpectSameValue(*want.changes[k].after, *have.changes[k].after);
    }
  }
  const ResourceChange* app = nullptr;
  for (const auto& change : got.changes) {
    if (change.address == "service.app") app = &change;
  }
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->depends_on, (std::vector<std::string>{"network.backend", "secret.db_password"}));
  ASSERT_TRUE(app->after.has_value());
  EXPECT_EQ(app->after->depends_on, app->depends_on);
  // What people and tools see is the same before and after saving.
  EXPECT_EQ(RenderPlanText(got, TextStyle{false}), RenderPlanText(plan, TextStyle{false}));
  EXPECT_EQ(RenderPlanJson(got), RenderPlanJson(plan));
}

TEST_F(PlanFileTest, NeverWritesASecret) {
  Plan plan = MedianestPlan();
  // Make sure the plan in memory does hold the secret, in after and before.
  bool held = false;
  for (const auto& change : plan.changes) {
    if (change.address != "service.app") continue;
    held = change.after->attributes.at("env").map.at("DATABASE_URL").scalar.find(kPassword) != std::string::npos &&
           change.before->attributes.at("env").map.at("DATABASE_URL").scalar.find(kPassword) != std::string::npos;
  }
  ASSERT_TRUE(held);
  Status written = WritePlanFile(plan, Path("plan.out"));
  ASSERT_TRUE(written.ok()) << written.error().message;
  std::string text = Slurp(Path("plan.out"));
  EXPECT_EQ(text.find(kPassword), std::string::npos);
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_NE(text.find("\"sensitive\": true"), std::string::npos);
  EXPECT_NE(text.find("NODE_ENV"), std::string::npos);  // the rest is there
}

TEST_F(PlanFileTest, PrivateAndAtomic) {
  Status written = WritePlanFile(MedianestPlan(), Path("plan.out"));
  ASSERT_TRUE(written.ok()) << written.error().message;
  struct stat info {};
  ASSERT_EQ(stat(Path("plan.out").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // Overwriting keeps it private and leaves no temporary file behind.
  WriteText("other.out", "old");
  chmod(Path("other.out").c_str(), 0644);
  written = WritePlanFile(MedianestPlan(), Path("other.out"));
  ASSERT_TRUE(written.ok()) << written.error().message;
  ASSERT_EQ(stat(Path("other.out").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 2u);
}

TEST_F(PlanFileTest, UnwritablePlaceIsAnError) {
  Status written = WritePlanFile(MedianestPlan(), Path("no/such/folder/plan.out"));
  ASSERT_FALSE(written.ok());
  const std::string& error = written.error().message;
  EXPECT_NE(error.find("cannot write the plan file"), std::string::npos) << error;
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
}

TEST_F(PlanFileTest, MissingFile) {
  Result<Plan> read = ReadPlanFile(Path("nope.out"));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "cannot read the plan file `" + Path("nope.out") + "`: No such file or directory");
}

TEST_F(PlanFileTest, NotJson) {
  Result<Plan> read = ReadPlanFile(WriteText("bad.out", "{\"format\": \"nest-plan\", oops"));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("is not a nest plan file: it is not valid JSON"), std::string::npos) << read.error().message;
}

TEST_F(PlanFileTest, TruncatedFile) {
  std::string text = PlanFileText(MedianestPlan());
  Result<Plan> read = ReadPlanFile(WriteText("cut.out", text.substr(0, text.size() / 2)));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("not valid JSON"), std::string::npos) << read.error().message;
}

TEST_F(PlanFileTest, OtherJson) {
  Result<Plan> read = ReadPlanFile(WriteText("other.json", R"({"format_version": "1.2", "resource_changes": []})"));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "`" + Path("other.json") +
                              "` is not a nest plan file (write one with `nest plan -out FILE`)");
}

TEST_F(PlanFileTest, WrongVersion) {
  nlohmann::json doc = nlohmann::json::parse(PlanFileText(MedianestPlan()));
  doc["format_version"] = 2;
  doc["nest_version"] = "9.0.0";
  Result<Plan> read = ReadPlanFile(WriteText("v2.out", doc.dump()));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("is a nest plan in format 2, written by nest 9.0.0; this nest (" NEST_VERSION
                              ") reads format 1"),
            std::string::npos)
      << read.error().message;
}

// Files written before plans kept dependency edges have no `depends_on`:
// they still read, with no edges.
TEST_F(PlanFileTest, ReadsPlansWithoutDependencyEdges) {
  nlohmann::json doc = nlohmann::json::parse(PlanFileText(MedianestPlan()));
  bool had_edges = false;
  for (auto& change : doc["changes"]) {
    had_edges = had_edges || !change["depends_on"].empty();
    change.erase("depends_on");
    for (const char* side : {"before", "after"}) {
      if (change[side].is_object()) change[side].erase("depends_on");
    }
  }
  ASSERT_TRUE(had_edges);
  Result<Plan> read = ReadPlanFile(WriteText("old.out", doc.dump()));
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read.value().changes.size(), MedianestPlan().changes.size());
  for (const auto& change : read.value().changes) {
    EXPECT_TRUE(change.depends_on.empty()) << change.address;
    if (change.after) {
      EXPECT_TRUE(change.after->depends_on.empty()) << change.address;
    }
  }
  EXPECT_EQ(RenderPlanText(read.value(), TextStyle{false}), RenderPlanText(MedianestPlan(), TextStyle{false}));
}

TEST_F(PlanFileTest, DependencyEdgesMustBeAddresses) {
  nlohmann::json doc = nlohmann::json::parse(PlanFileText(MedianestPlan()));
  doc["changes"][2]["depends_on"] = {1, 2};
  Result<Plan> read = ReadPlanFile(WriteText("edges.out", doc.dump()));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "`" + Path("edges.out") +
                              "` is a damaged nest plan file: `depends_on` holds something that is not a string");
}

TEST_F(PlanFileTest, DamagedStructure) {
  nlohmann::json doc = nlohmann::json::parse(PlanFileText(MedianestPlan()));
  doc["changes"][2].erase("action");
  Result<Plan> read = ReadPlanFile(WriteText("damaged.out", doc.dump()));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "`" + Path("damaged.out") + "` is a damaged nest plan file: `action` is missing");

  doc = nlohmann::json::parse(PlanFileText(MedianestPlan()));
  doc["changes"][2]["action"] = "explode";
  read = ReadPlanFile(WriteText("damaged.out", doc.dump()));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("unknown action `explode`"), std::string::npos) << read.error().message;

  doc = nlohmann::json::parse(PlanFileText(MedianestPlan()));
  doc["changes"][2]["after"]["attributes"]["image"] = "not a tagged value";
  read = ReadPlanFile(WriteText("damaged.out", doc.dump()));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("an attribute value is not an object"), std::string::npos) << read.error().message;

  doc = nlohmann::json::parse(PlanFileText(MedianestPlan()));
  doc["live_versions"]["service.app"]["index"] = -1;
  read = ReadPlanFile(WriteText("damaged.out", doc.dump()));
  ASSERT_FALSE(read.ok());
}

}  // namespace
}  // namespace nest::plan
