// The terminal board as a pure function: a walk's events and progress
// lines in, the lines to draw at a moment out.
#include "planner/apply/progress_board.h"

#include <gtest/gtest.h>

#include "tests/planner/apply/walk_fixtures.h"

namespace nest::plan::apply {
namespace {

using namespace nest::plan::apply::testing;
using namespace std::chrono_literals;
using Lines = std::vector<std::string>;

WalkEvent Event(WalkEvent::Type type, const Step& step, Clock::duration elapsed, Clock::duration duration = {}) {
  WalkEvent event;
  event.type = type;
  event.step = &step;
  event.elapsed = elapsed;
  event.duration = duration;
  return event;
}

class ProgressBoardTest : public ::testing::Test {
 protected:
  Walk walk_ = MustBuild({Change("network.back", ResourceKind::kNetwork, Action::kCreate),
                          Change("service.app", ResourceKind::kService, Action::kUpdate, {"network.back"}),
                          Change("service.web", ResourceKind::kService, Action::kCreate, {"service.app"}),
                          Change("secret.token", ResourceKind::kSecret, Action::kReplace, {}, true)});
  const Step& StepOf(const std::string& description) { return *Find(walk_, description); }
};

TEST_F(ProgressBoardTest, EveryStepStartsPending) {
  ProgressBoard board = NewBoard(walk_);
  EXPECT_EQ(BoardLines(board, 0s, 200), (Lines{"network.back: Pending", "service.app: Pending", "service.web: Pending",
                                                "secret.token (new object): Pending",
                                                "secret.token (old object): Pending"}));
}

TEST_F(ProgressBoardTest, OneLinePerStepUpdatedInPlace) {
  ProgressBoard board = NewBoard(walk_);
  const Step& network = StepOf("create network.back");
  const Step& app = StepOf("update service.app");
  Record(board, Event(WalkEvent::Type::kStarted, network, 0s));
  Record(board, Event(WalkEvent::Type::kSucceeded, network, 400ms, 400ms));
  Record(board, Event(WalkEvent::Type::kStarted, app, 1s));
  RecordProgress(board, app, "1/2 running; pending: slot 2: starting");
  Lines lines = BoardLines(board, 13s, 200);
  ASSERT_EQ(lines.size(), walk_.steps.size());
  EXPECT_EQ(lines[network.id], "network.back: Creation complete after 0s");
  EXPECT_EQ(lines[app.id], "service.app: Modifying... 12s elapsed (1/2 running; pending: slot 2: starting)");
  EXPECT_EQ(lines[StepOf("create service.web").id], "service.web: Pending");

  // The same row, later: a newer progress line replaces the older, the end replaces both.
  RecordProgress(board, app, "2/2 running");
  EXPECT_EQ(BoardLines(board, 14s, 200)[app.id], "service.app: Modifying... 13s elapsed (2/2 running)");
  WalkEvent failed = Event(WalkEvent::Type::kFailed, app, 15s, 14s);
  failed.error = "rollback_completed";
  Record(board, failed);
  EXPECT_EQ(BoardLines(board, 16s, 200)[app.id], "service.app: Modifications failed after 14s: rollback_completed");
  WalkEvent skipped = Event(WalkEvent::Type::kSkipped, StepOf("create service.web"), 15s);
  skipped.waited_on = &app;
  Record(board, skipped);
  EXPECT_EQ(BoardLines(board, 16s, 200)[StepOf("create service.web").id],
            "service.web: Skipped: it waited on update service.app, which failed");
}

TEST_F(ProgressBoardTest, ProgressOfAStepNotRunningIsIgnored) {
  ProgressBoard board = NewBoard(walk_);
  const Step& app = StepOf("update service.app");
  RecordProgress(board, app, "0/2 running");
  EXPECT_EQ(BoardLines(board, 1s, 200)[app.id], "service.app: Pending");
}

TEST_F(ProgressBoardTest, LinesAreCutToTheWidthInCharacters) {
  ProgressBoard board = NewBoard(walk_);
  const Step& app = StepOf("update service.app");
  Record(board, Event(WalkEvent::Type::kStarted, app, 0s));
  RecordProgress(board, app, "déjà vu");
  EXPECT_EQ(BoardLines(board, 2s, 20)[app.id], "service.app: Modifyi");
  Lines wide = BoardLines(board, 2s, 200);
  EXPECT_EQ(wide[app.id], "service.app: Modifying... 2s elapsed (déjà vu)");
  // Cut inside the accented text, never inside a character.
  std::string cut = BoardLines(board, 2s, 40)[app.id];
  EXPECT_EQ(cut, "service.app: Modifying... 2s elapsed (dé");
}

TEST(ProgressBoardWaitTest, AWaitStepSaysWhatItWaitsFor) {
  ResourceChange db = Change("service.db", ResourceKind::kService, Action::kNoOp);
  db.engine_in_progress = "an update is in progress on the engine";
  Walk walk = MustBuild({db});
  ProgressBoard board = NewBoard(walk);
  Record(board, Event(WalkEvent::Type::kStarted, walk.steps[0], 0s));
  EXPECT_EQ(BoardLines(board, 3s, 200)[0], "service.db: Waiting for the rollout in progress on the engine... 3s elapsed");
  Record(board, Event(WalkEvent::Type::kSucceeded, walk.steps[0], 6s, 6s));
  EXPECT_EQ(BoardLines(board, 7s, 200)[0], "service.db: Rollout complete after 6s");
}

}  // namespace
}  // namespace nest::plan::apply
