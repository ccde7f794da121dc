// The executor with fake step functions: order, the parallelism bound
// (reached and never exceeded, measured inside the steps), failures that
// skip their dependents, the stop flag, create-before-destroy, empty walks.
#include "planner/apply/executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tests/planner/apply/walk_fixtures.h"

namespace nest::plan::apply {
namespace {

using namespace nest::plan::apply::testing;
using namespace std::chrono_literals;
using Texts = std::vector<std::string>;

// `n` independent service creates.
Walk Independent(int n) {
  std::vector<ResourceChange> changes;
  for (int i = 0; i < n; ++i) {
    changes.push_back(Change("service.s" + std::to_string(100 + i), ResourceKind::kService, Action::kCreate));
  }
  return MustBuild(changes);
}

// Records what ran: the order steps started, and one timeline of starts
// and finishes (a step's finish is recorded before it returns).
struct Recorder {
  std::mutex mutex;
  std::vector<std::string> started;
  std::map<std::string, int> start_at, finish_at;  // positions in the timeline
  int timeline = 0;

  StepFunction Run(std::map<std::string, std::string> failures = {}, std::chrono::milliseconds pause = 0ms) {
    return [this, failures, pause](const Step& step) {
      std::string name = DescribeStep(step);
      {
        std::lock_guard<std::mutex> lock(mutex);
        start_at[name] = timeline++;
        started.push_back(name);
      }
      std::this_thread::sleep_for(pause);
      std::lock_guard<std::mutex> lock(mutex);
      finish_at[name] = timeline++;
      auto failure = failures.find(name);
      return failure == failures.end() ? StepOutcome::Ok() : StepOutcome::Failed(failure->second);
    };
  }
};

// Concurrency measured inside the steps: each step holds until `bound`
// steps have run at once (or 5 s pass), so the bound is reached whatever
// the scheduler does, and a step over the bound would show in `peak`.
struct Concurrency {
  std::atomic<int> now{0}, peak{0};
  StepFunction Run(int bound) {
    return [this, bound](const Step&) {
      int mine = ++now;
      int seen = peak.load();
      while (mine > seen && !peak.compare_exchange_weak(seen, mine)) {
      }
      auto deadline = std::chrono::steady_clock::now() + 5s;
      while (peak.load() < bound && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
      std::this_thread::sleep_for(2ms);
      --now;
      return StepOutcome::Ok();
    };
  }
};

TEST(ExecutorTest, EmptyWalkSucceedsWithoutEvents) {
  int events = 0;
  ExecutorOptions options;
  options.on_event = [&](const WalkEvent&) { ++events; };
  WalkReport report = RunWalk(Walk{}, [](const Step&) { return StepOutcome::Ok(); }, options);
  EXPECT_TRUE(report.Succeeded());
  EXPECT_FALSE(report.stopped);
  EXPECT_TRUE(report.results.empty());
  EXPECT_EQ(events, 0);
  EXPECT_EQ(report.max_running, 0);
}

TEST(ExecutorTest, AStepStartsOnlyAfterEverythingItDependsOnSucceeded) {
  Walk walk = MustBuild({
      Change("service.app", ResourceKind::kService, Action::kCreate, {"network.back", "secret.token"}),
      Change("service.web", ResourceKind::kService, Action::kCreate, {"service.app"}),
      Change("network.back", ResourceKind::kNetwork, Action::kCreate),
      Change("secret.token", ResourceKind::kSecret, Action::kCreate),
      Change("service.gone", ResourceKind::kService, Action::kDelete),
      Change("network.old", ResourceKind::kNetwork, Action::kDelete, {"service.gone"}),
  });
  Recorder recorder;
  WalkReport report = RunWalk(walk, recorder.Run({}, 5ms));
  ASSERT_TRUE(report.Succeeded());
  ASSERT_EQ(recorder.started.size(), walk.steps.size());
  for (const auto& step : walk.steps) {
    for (std::size_t dependency : step.depends_on) {
      std::string before = DescribeStep(walk.steps[dependency]);
      EXPECT_LT(recorder.finish_at.at(before), recorder.start_at.at(DescribeStep(step)))
          << before << " must finish before " << DescribeStep(step) << " starts";
    }
  }
  for (const auto& result : report.results) {
    EXPECT_EQ(result.status, StepStatus::kSucceeded);
    EXPECT_GE(result.duration, 5ms);
  }
}

TEST(ExecutorTest, EventsComeInDependencyOrderOneAtATime) {
  Walk walk = MustBuild({Change("network.back", ResourceKind::kNetwork, Action::kCreate),
                         Change("service.app", ResourceKind::kService, Action::kCreate, {"network.back"}),
                         Change("service.api", ResourceKind::kService, Action::kCreate, {"network.back"})});
  std::vector<std::string> log;
  std::atomic<int> inside{0};
  bool overlapped = false;
  ExecutorOptions options;
  options.on_event = [&](const WalkEvent& event) {
    if (++inside > 1) overlapped = true;
    log.push_back(std::string(EventTypeName(event.type)) + " " + DescribeStep(*event.step));
    std::this_thread::sleep_for(1ms);
    --inside;
  };
  WalkReport report = RunWalk(walk, [](const Step&) { return StepOutcome::Ok(); }, options);
  ASSERT_TRUE(report.Succeeded());
  EXPECT_FALSE(overlapped);
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(log[0], "step_started create network.back");
  EXPECT_EQ(log[1], "step_succeeded create network.back");
  EXPECT_EQ(std::count_if(log.begin(), log.end(), [](const std::string& l) { return l.rfind("step_started", 0) == 0; }),
            3);
}

TEST(ExecutorTest, ParallelismBoundIsReachedAndNeverExceeded) {
  for (int bound : {1, 3, 10}) {
    SCOPED_TRACE(bound);
    Concurrency concurrency;
    ExecutorOptions options;
    options.parallelism = bound;
    WalkReport report = RunWalk(Independent(25), concurrency.Run(bound), options);
    EXPECT_TRUE(report.Succeeded());
    EXPECT_EQ(concurrency.peak.load(), bound);
    EXPECT_EQ(report.max_running, bound);
  }
}

TEST(ExecutorTest, DefaultParallelismIsTen) {
  EXPECT_EQ(ExecutorOptions{}.parallelism, 10);
  Concurrency concurrency;
  WalkReport report = RunWalk(Independent(30), concurrency.Run(10));
  EXPECT_TRUE(report.Succeeded());
  EXPECT_EQ(concurrency.peak.load(), 10);
}

TEST(ExecutorTest, OneAtATimeFollowsTheWalkOrder) {
  Walk walk = MustBuild({Change("service.b", ResourceKind::kService, Action::kCreate, {"network.n"}),
                         Change("service.a", ResourceKind::kService, Action::kCreate),
                         Change("network.n", ResourceKind::kNetwork, Action::kCreate)});
  Recorder recorder;
  ExecutorOptions options;
  options.parallelism = 1;
  ASSERT_TRUE(RunWalk(walk, recorder.Run(), options).Succeeded());
  EXPECT_EQ(recorder.started, Descriptions(walk));
  EXPECT_EQ(recorder.started, (Texts{"create service.a", "create network.n", "create service.b"}));
}

TEST(ExecutorTest, AFailureSkipsItsDependentsAndIndependentBranchesFinish) {
  Walk walk = MustBuild({
      Change("network.a", ResourceKind::kNetwork, Action::kCreate),
      Change("service.a1", ResourceKind::kService, Action::kCreate, {"network.a"}),
      Change("service.a2", ResourceKind::kService, Action::kCreate, {"service.a1"}),
      Change("network.b", ResourceKind::kNetwork, Action::kCreate),
      Change("service.b1", ResourceKind::kService, Action::kCreate, {"network.b"}),
      Change("service.both", ResourceKind::kService, Action::kCreate, {"network.a", "network.b"}),
  });
  Recorder recorder;
  std::vector<std::string> skipped_events;
  ExecutorOptions options;
  options.on_event = [&](const WalkEvent& event) {
    if (event.type == WalkEvent::Type::kSkipped) {
      skipped_events.push_back(DescribeStep(*event.step) + " <- " + DescribeStep(*event.waited_on));
    }
  };
  WalkReport report = RunWalk(walk, recorder.Run({{"create network.a", "address pool exhausted"}}), options);
  EXPECT_FALSE(report.Succeeded());
  EXPECT_FALSE(report.stopped);
  auto result = [&](const std::string& d) { return report.results.at(Find(walk, d)->id); };
  EXPECT_EQ(result("create network.a").status, StepStatus::kFailed);
  EXPECT_EQ(result("create network.a").error, "address pool exhausted");
  for (const char* d : {"create service.a1", "create service.a2", "create service.both"}) {
    SCOPED_TRACE(d);
    EXPECT_EQ(result(d).status, StepStatus::kSkipped);
    EXPECT_EQ(result(d).waited_on, Find(walk, "create network.a")->id);
  }
  EXPECT_EQ(result("create network.b").status, StepStatus::kSucceeded);
  EXPECT_EQ(result("create service.b1").status, StepStatus::kSucceeded);
  // Skipped steps never ran.
  std::sort(recorder.started.begin(), recorder.started.end());
  EXPECT_EQ(recorder.started, (Texts{"create network.a", "create network.b", "create service.b1"}));
  std::sort(skipped_events.begin(), skipped_events.end());
  EXPECT_EQ(skipped_events, (Texts{"create service.a1 <- create network.a", "create service.a2 <- create network.a",
                                   "create service.both <- create network.a"}));
}

TEST(ExecutorTest, AThrowingStepFails) {
  Walk walk = Independent(2);
  WalkReport report = RunWalk(walk, [](const Step& step) -> StepOutcome {
    if (step.id == 0) throw std::runtime_error("engine went away");
    return StepOutcome::Ok();
  });
  EXPECT_EQ(report.results[0].status, StepStatus::kFailed);
  EXPECT_EQ(report.results[0].error, "engine went away");
  EXPECT_EQ(report.results[1].status, StepStatus::kSucceeded);
}

TEST(ExecutorTest, StopLetsRunningStepsFinishAndStartsNothingMore) {
  // Two run at once; the first sets the flag while the second still runs.
  Walk walk = Independent(8);
  std::atomic<bool> stop{false};
  std::atomic<int> ran{0};
  std::atomic<bool> second_finished{false};
  std::vector<std::string> not_started;
  ExecutorOptions options;
  options.parallelism = 2;
  options.stop = &stop;
  options.on_event = [&](const WalkEvent& event) {
    if (event.type == WalkEvent::Type::kNotStarted) not_started.push_back(DescribeStep(*event.step));
  };
  WalkReport report = RunWalk(walk, [&](const Step& step) {
    ++ran;
    if (step.id == 0) {
      auto deadline = std::chrono::steady_clock::now() + 5s;  // until the second runs too
      while (ran.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
      stop = true;
    } else {
      std::this_thread::sleep_for(60ms);
      if (step.id == 1) second_finished = true;
    }
    return StepOutcome::Ok();
  }, options);
  EXPECT_TRUE(report.stopped);
  EXPECT_FALSE(report.Succeeded());
  EXPECT_EQ(ran.load(), 2);
  EXPECT_TRUE(second_finished.load());
  EXPECT_EQ(report.results[0].status, StepStatus::kSucceeded);
  EXPECT_EQ(report.results[1].status, StepStatus::kSucceeded);
  for (std::size_t i = 2; i < walk.steps.size(); ++i) EXPECT_EQ(report.results[i].status, StepStatus::kNotStarted);
  EXPECT_EQ(not_started.size(), 6u);
}

TEST(ExecutorTest, StopBeforeTheStartRunsNothing) {
  std::atomic<bool> stop{true};
  ExecutorOptions options;
  options.stop = &stop;
  int ran = 0;
  WalkReport report = RunWalk(Independent(3), [&](const Step&) {
    ++ran;
    return StepOutcome::Ok();
  }, options);
  EXPECT_EQ(ran, 0);
  EXPECT_TRUE(report.stopped);
  for (const auto& result : report.results) EXPECT_EQ(result.status, StepStatus::kNotStarted);
}

TEST(ExecutorTest, CreateBeforeDestroyRunsNewObjectThenConsumersThenOldObject) {
  Walk walk = MustBuild({
      Change("secret.token", ResourceKind::kSecret, Action::kReplace, {}, true),
      Change("service.app", ResourceKind::kService, Action::kUpdate, {"secret.token"}),
      Change("service.api", ResourceKind::kService, Action::kUpdate, {"secret.token"}),
  });
  Recorder recorder;
  ASSERT_TRUE(RunWalk(walk, recorder.Run({}, 5ms)).Succeeded());
  ASSERT_EQ(recorder.started.size(), 4u);
  EXPECT_EQ(recorder.started.front(), "create secret.token (new object)");
  EXPECT_EQ(recorder.started.back(), "delete secret.token (old object)");
  // The consumers start after the new object exists; the old object goes
  // only after both finished moving.
  for (const char* consumer : {"update service.app", "update service.api"}) {
    EXPECT_GT(recorder.start_at.at(consumer), recorder.finish_at.at("create secret.token (new object)"));
    EXPECT_GT(recorder.start_at.at("delete secret.token (old object)"), recorder.finish_at.at(consumer));
  }
}

TEST(ExecutorTest, AFailedConsumerKeepsTheOldObject) {
  Walk walk = MustBuild({
      Change("secret.token", ResourceKind::kSecret, Action::kReplace, {}, true),
      Change("service.app", ResourceKind::kService, Action::kUpdate, {"secret.token"}),
  });
  Recorder recorder;
  WalkReport report = RunWalk(walk, recorder.Run({{"update service.app", "task exited (1)"}}));
  EXPECT_EQ(report.results.at(Find(walk, "delete secret.token (old object)")->id).status, StepStatus::kSkipped);
  EXPECT_EQ(recorder.started, (Texts{"create secret.token (new object)", "update service.app"}));
}

// A step's two phases, recorded: how many requests and how many waits ran
// at once (measured inside them), and one timeline of phase starts and ends.
struct Phases {
  std::mutex mutex;
  std::map<std::string, int> request_start, wait_end;
  int timeline = 0;
  std::atomic<int> requests{0}, request_peak{0}, waits{0}, wait_peak{0};

  static void Raise(std::atomic<int>& peak, int value) {
    int seen = peak.load();
    while (value > seen && !peak.compare_exchange_weak(seen, value)) {
    }
  }
  void Mark(std::map<std::string, int>& at, const Step& step) {
    std::lock_guard<std::mutex> lock(mutex);
    at[DescribeStep(step)] = timeline++;
  }
  // Each wait holds until `overlap` waits run at once (or 5 s pass).
  StepPhases Run(int overlap, std::map<std::string, std::string> wait_failures = {}) {
    StepPhases phases;
    phases.request = [this](const Step& step) {
      Mark(request_start, step);
      Raise(request_peak, ++requests);
      std::this_thread::sleep_for(2ms);
      --requests;
      return StepOutcome::Ok();
    };
    phases.wait = [this, overlap, wait_failures](const Step& step) {
      Raise(wait_peak, ++waits);
      auto deadline = std::chrono::steady_clock::now() + 5s;
      while (wait_peak.load() < overlap && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
      }
      std::this_thread::sleep_for(2ms);
      --waits;
      Mark(wait_end, step);
      auto failure = wait_failures.find(DescribeStep(step));
      return failure == wait_failures.end() ? StepOutcome::Ok() : StepOutcome::Failed(failure->second);
    };
    return phases;
  }
};

TEST(ExecutorTest, WaitsOverlapBeyondTheParallelismBound) {
  // 20 services rolling out at once with parallelism 2: the requests go two
  // at a time, the 20 waits all run together.
  Phases phases;
  ExecutorOptions options;
  options.parallelism = 2;
  auto begin = std::chrono::steady_clock::now();
  WalkReport report = RunWalk(Independent(20), phases.Run(20), options);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 4s) << "the waits did not overlap";
  EXPECT_TRUE(report.Succeeded());
  EXPECT_EQ(phases.wait_peak.load(), 20);
  EXPECT_EQ(report.max_waiting, 20);
  EXPECT_LE(phases.request_peak.load(), 2);
  EXPECT_LE(report.max_running, 2);
  for (const auto& result : report.results) EXPECT_GE(result.duration, 4ms);  // request and wait
}

TEST(ExecutorTest, ADependentStartsOnlyAfterItsDependencyWaited) {
  Walk walk = MustBuild({
      Change("network.back", ResourceKind::kNetwork, Action::kCreate),
      Change("service.db", ResourceKind::kService, Action::kUpdate, {"network.back"}),
      Change("service.app", ResourceKind::kService, Action::kUpdate, {"service.db"}),
      Change("service.other", ResourceKind::kService, Action::kUpdate),
  });
  Phases phases;
  ExecutorOptions options;
  options.parallelism = 1;
  ASSERT_TRUE(RunWalk(walk, phases.Run(1), options).Succeeded());
  for (const auto& step : walk.steps) {
    for (std::size_t dependency : step.depends_on) {
      std::string before = DescribeStep(walk.steps[dependency]);
      EXPECT_LT(phases.wait_end.at(before), phases.request_start.at(DescribeStep(step)))
          << before << " must have converged before " << DescribeStep(step) << " starts";
    }
  }
}

TEST(ExecutorTest, AFailedWaitSkipsItsDependents) {
  Walk walk = MustBuild({
      Change("service.db", ResourceKind::kService, Action::kUpdate),
      Change("service.app", ResourceKind::kService, Action::kUpdate, {"service.db"}),
      Change("service.other", ResourceKind::kService, Action::kUpdate),
  });
  Phases phases;
  std::vector<std::string> events;
  ExecutorOptions options;
  options.on_event = [&](const WalkEvent& event) {
    events.push_back(std::string(EventTypeName(event.type)) + " " + DescribeStep(*event.step));
  };
  WalkReport report = RunWalk(walk, phases.Run(1, {{"update service.db", "rollback_completed"}}), options);
  EXPECT_FALSE(report.Succeeded());
  EXPECT_EQ(report.results.at(Find(walk, "update service.db")->id).status, StepStatus::kFailed);
  EXPECT_EQ(report.results.at(Find(walk, "update service.db")->id).error, "rollback_completed");
  EXPECT_EQ(report.results.at(Find(walk, "update service.app")->id).status, StepStatus::kSkipped);
  EXPECT_EQ(report.results.at(Find(walk, "update service.other")->id).status, StepStatus::kSucceeded);
  EXPECT_EQ(phases.request_start.count("update service.app"), 0u);
  EXPECT_NE(std::find(events.begin(), events.end(), "step_skipped update service.app"), events.end());
}

TEST(ExecutorTest, AFailedRequestDoesNotWait) {
  Phases phases;
  StepPhases run = phases.Run(1);
  run.request = [](const Step&) { return StepOutcome::Failed("the engine answered 500"); };
  WalkReport report = RunWalk(Independent(2), run);
  EXPECT_EQ(report.results[0].error, "the engine answered 500");
  EXPECT_EQ(report.max_waiting, 0);
  EXPECT_TRUE(phases.wait_end.empty());
}

}  // namespace
}  // namespace nest::plan::apply
