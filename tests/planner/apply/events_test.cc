// Apply's events: the terminal lines and the JSON lines `--json` prints.
#include "planner/apply/events.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/planner/apply/walk_fixtures.h"

namespace nest::plan::apply {
namespace {

using namespace nest::plan::apply::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

// 2026-12-03T14:20:05.250000Z
const std::chrono::system_clock::time_point kNow = std::chrono::system_clock::time_point(1796307605250000us);

Walk Sample() {
  return MustBuild({Change("network.back", ResourceKind::kNetwork, Action::kCreate),
                    Change("module.db.service.pg", ResourceKind::kService, Action::kUpdate, {"network.back"}),
                    Change("secret.token", ResourceKind::kSecret, Action::kReplace, {}, true)});
}

WalkEvent Event(WalkEvent::Type type, const Step& step) {
  WalkEvent event;
  event.type = type;
  event.step = &step;
  event.elapsed = 1500ms;
  event.duration = 65s;
  return event;
}

TEST(ApplyEventsTest, FormatElapsedAsTerraformDoes) {
  EXPECT_EQ(FormatElapsed(0ms), "0s");
  EXPECT_EQ(FormatElapsed(999ms), "0s");
  EXPECT_EQ(FormatElapsed(59s), "59s");
  EXPECT_EQ(FormatElapsed(125s), "2m5s");
  EXPECT_EQ(FormatElapsed(3603s), "1h0m3s");
}

TEST(ApplyEventsTest, TerminalLines) {
  Walk walk = Sample();
  const Step& network = *Find(walk, "create network.back");
  const Step& pg = *Find(walk, "update module.db.service.pg");
  const Step& old_secret = *Find(walk, "delete secret.token (old object)");
  EXPECT_EQ(EventText(Event(WalkEvent::Type::kStarted, network)), "network.back: Creating...");
  EXPECT_EQ(EventText(Event(WalkEvent::Type::kSucceeded, network)), "network.back: Creation complete after 1m5s");
  EXPECT_EQ(EventText(Event(WalkEvent::Type::kStarted, pg)), "module.db.service.pg: Modifying...");
  WalkEvent failed = Event(WalkEvent::Type::kFailed, pg);
  failed.error = "task exited (1)";
  EXPECT_EQ(EventText(failed), "module.db.service.pg: Modifications failed after 1m5s: task exited (1)");
  EXPECT_EQ(EventText(Event(WalkEvent::Type::kStarted, old_secret)), "secret.token (old object): Destroying...");
  EXPECT_EQ(EventText(Event(WalkEvent::Type::kSucceeded, old_secret)),
            "secret.token (old object): Destruction complete after 1m5s");
  WalkEvent skipped = Event(WalkEvent::Type::kSkipped, pg);
  skipped.waited_on = &network;
  EXPECT_EQ(EventText(skipped), "module.db.service.pg: Skipped: it waited on create network.back, which failed");
  EXPECT_EQ(EventText(Event(WalkEvent::Type::kNotStarted, pg)),
            "module.db.service.pg: Not started: the apply was stopped");
}

TEST(ApplyEventsTest, JsonLines) {
  Walk walk = Sample();
  const Step& network = *Find(walk, "create network.back");
  const Step& pg = *Find(walk, "update module.db.service.pg");
  std::string line = EventJsonLine(Event(WalkEvent::Type::kStarted, pg), kNow);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line
  EXPECT_EQ(json::parse(line), json::parse(R"({
    "@level": "info", "@message": "module.db.service.pg: Modifying...",
    "@timestamp": "2026-12-03T14:20:05.250000Z", "type": "step_started",
    "step": {"id": 1, "address": "module.db.service.pg", "module_address": "module.db", "type": "service",
             "name": "pg", "operation": "update"},
    "elapsed_seconds": 1.5})"));

  WalkEvent failed = Event(WalkEvent::Type::kFailed, network);
  failed.error = "address pool \"exhausted\"";
  json doc = json::parse(EventJsonLine(failed, kNow));
  EXPECT_EQ(doc["@level"], "error");
  EXPECT_EQ(doc["type"], "step_failed");
  EXPECT_EQ(doc["error"], "address pool \"exhausted\"");
  EXPECT_EQ(doc["duration_seconds"], 65.0);
  EXPECT_FALSE(doc["step"].contains("module_address"));

  WalkEvent skipped = Event(WalkEvent::Type::kSkipped, pg);
  skipped.waited_on = &network;
  doc = json::parse(EventJsonLine(skipped, kNow));
  EXPECT_EQ(doc["@level"], "warn");
  EXPECT_EQ(doc["type"], "step_skipped");
  EXPECT_EQ(doc["waited_on"]["address"], "network.back");
  EXPECT_EQ(doc["waited_on"]["operation"], "create");
  EXPECT_FALSE(doc.contains("duration_seconds"));

  doc = json::parse(EventJsonLine(Event(WalkEvent::Type::kSucceeded, *Find(walk, "create secret.token (new object)")), kNow));
  EXPECT_EQ(doc["step"]["replacement"], "new_object");
  EXPECT_EQ(doc["type"], "step_succeeded");
}

TEST(ApplyEventsTest, SummaryLine) {
  Walk walk = Sample();
  WalkReport report = RunWalk(walk, [](const Step& step) {
    return step.address == "network.back" ? StepOutcome::Failed("no pool") : StepOutcome::Ok();
  });
  json doc = json::parse(SummaryJsonLine(walk, report, kNow));
  EXPECT_EQ(doc["type"], "apply_summary");
  EXPECT_EQ(doc["outcome"], "failed");
  EXPECT_EQ(doc["@level"], "error");
  EXPECT_EQ(doc["@message"], "Apply failed: 1 step failed, 1 skipped.");
  EXPECT_EQ(doc["changes"], (json{{"add", 1}, {"change", 0}, {"destroy", 1}}));
  ASSERT_EQ(doc["failed"].size(), 1u);
  EXPECT_EQ(doc["failed"][0]["address"], "network.back");
  EXPECT_EQ(doc["failed"][0]["error"], "no pool");
  ASSERT_EQ(doc["skipped"].size(), 1u);
  EXPECT_EQ(doc["skipped"][0]["address"], "module.db.service.pg");
  EXPECT_EQ(doc["skipped"][0]["waited_on"]["address"], "network.back");
  EXPECT_TRUE(doc["not_started"].empty());

  doc = json::parse(SummaryJsonLine(Walk{}, WalkReport{}, kNow));
  EXPECT_EQ(doc["outcome"], "complete");
  EXPECT_EQ(doc["@message"], "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
}

}  // namespace
}  // namespace nest::plan::apply
