// Apply's closing text: Terraform's counting and words on success, every
// failed, skipped and held-back step on failure.
#include "planner/apply/summary.h"

#include <gtest/gtest.h>

#include "tests/planner/apply/walk_fixtures.h"

namespace nest::plan::apply {
namespace {

using namespace nest::plan::apply::testing;

WalkReport Report(const Walk& walk, std::vector<StepStatus> statuses) {
  WalkReport report;
  report.results.resize(walk.steps.size());
  for (std::size_t i = 0; i < statuses.size(); ++i) report.results[i].status = statuses[i];
  return report;
}

TEST(ApplySummaryTest, CompleteCountsAsTerraformDoes) {
  Walk walk = MustBuild({Change("service.new", ResourceKind::kService, Action::kCreate),
                         Change("service.a", ResourceKind::kService, Action::kUpdate),
                         Change("service.b", ResourceKind::kService, Action::kUpdate)});
  WalkReport report = RunWalk(walk, [](const Step&) { return StepOutcome::Ok(); });
  EXPECT_EQ(RenderApplySummary(walk, report), "Apply complete! Resources: 1 added, 2 changed, 0 destroyed.\n");
  EXPECT_STREQ(ApplyOutcome(report), "complete");
}

TEST(ApplySummaryTest, AReplacementIsOneAddedAndOneDestroyed) {
  Walk walk = MustBuild({Change("secret.token", ResourceKind::kSecret, Action::kReplace, {}, true),
                         Change("service.old", ResourceKind::kService, Action::kDelete)});
  WalkReport report = RunWalk(walk, [](const Step&) { return StepOutcome::Ok(); });
  EXPECT_EQ(RenderApplySummary(walk, report), "Apply complete! Resources: 1 added, 0 changed, 2 destroyed.\n");
}

TEST(ApplySummaryTest, EmptyPlan) {
  EXPECT_EQ(RenderApplySummary(Walk{}, WalkReport{}), "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.\n");
}

TEST(ApplySummaryTest, FailureNamesEachFailedAndSkippedStep) {
  Walk walk = MustBuild({Change("network.back", ResourceKind::kNetwork, Action::kCreate),
                         Change("service.app", ResourceKind::kService, Action::kUpdate, {"network.back"}),
                         Change("service.web", ResourceKind::kService, Action::kCreate, {"service.app"}),
                         Change("service.api", ResourceKind::kService, Action::kUpdate)});
  WalkReport report = RunWalk(walk, [](const Step& step) {
    return step.address == "service.app" ? StepOutcome::Failed("task exited (1)") : StepOutcome::Ok();
  });
  EXPECT_STREQ(ApplyOutcome(report), "failed");
  EXPECT_EQ(RenderApplySummary(walk, report),
            "Apply failed: 1 step failed, 1 skipped.\n"
            "  update service.app failed: task exited (1)\n"
            "  create service.web skipped: it waited on update service.app, which failed\n"
            "Resources: 1 added, 1 changed, 0 destroyed.\n");
}

TEST(ApplySummaryTest, AStopNamesWhatDidNotStart) {
  Walk walk = MustBuild({Change("service.a", ResourceKind::kService, Action::kCreate),
                         Change("volume.old", ResourceKind::kVolume, Action::kDelete),
                         Change("network.old", ResourceKind::kNetwork, Action::kDelete)});
  WalkReport report = Report(walk, {StepStatus::kSucceeded, StepStatus::kFailed, StepStatus::kNotStarted});
  report.results[1].error = "volume is in use";
  report.stopped = true;
  EXPECT_EQ(RenderApplySummary(walk, report),
            "Apply failed: 1 step failed, 1 not started (stopped).\n"
            "  delete volume.old failed: volume is in use\n"
            "  delete network.old not started: the apply was stopped\n"
            "Resources: 1 added, 0 changed, 0 destroyed.\n");
  report.results[1].status = StepStatus::kSucceeded;
  EXPECT_STREQ(ApplyOutcome(report), "stopped");
  ApplyCounts counts = CountSteps(walk, report);
  EXPECT_EQ(counts.added, 1);
  EXPECT_EQ(counts.destroyed, 1);
  EXPECT_EQ(counts.not_started, 1);
}

}  // namespace
}  // namespace nest::plan::apply
