// WaitForConvergence against the fake engine: the monitor window, the
// shortcuts, the deadline, cancelling, Engine errors, and the requests one
// poll costs. Milliseconds each; the real engine's cases are in
// converge_engine_test.cc.
#include "providers/swarm/converge_wait.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fake_engine.h"

namespace nest::swarm {
namespace {

using nest::testing::FakeEngine;
using nest::testing::FakeReply;
using nlohmann::json;
using std::chrono::milliseconds;

json Service(const json& update_status = nullptr) {
  json service = {{"ID", "s1"},
                  {"UpdatedAt", "2026-12-03T10:00:00Z"},
                  {"Spec",
                   {{"Name", "shop_web"},
                    {"Mode", {{"Replicated", {{"Replicas", 1}}}}},
                    {"UpdateConfig", {{"Monitor", 300000000}}}}}};  // 300 ms
  if (!update_status.is_null()) service["UpdateStatus"] = update_status;
  return service;
}

json Tasks(const std::string& state) {
  return json::array({{{"ID", "t1"},
                       {"Slot", 1},
                       {"NodeID", "n1"},
                       {"CreatedAt", "2026-12-03T10:00:01Z"},
                       {"DesiredState", "running"},
                       {"Status", {{"State", state}, {"ContainerStatus", {{"ContainerID", "c1"}}}}}}});
}

void Serve(FakeEngine& fake, const json& service, const json& tasks, const json& container = {{"State", json::object()}}) {
  fake.On("GET", "/services/s1", FakeReply::Json(200, service.dump()));
  fake.On("GET", "/tasks", FakeReply::Json(200, tasks.dump()));
  fake.On("GET", "/nodes", FakeReply::Json(200, R"([{"ID":"n1","Status":{"State":"ready"}}])"));
  fake.On("GET", "/containers/c1/json", FakeReply::Json(200, container.dump()));
}

WaitOptions Fast() {
  WaitOptions options;
  options.poll_interval = milliseconds(40);
  options.timeout = milliseconds(5000);
  return options;
}

int Count(const FakeEngine& fake, const std::string& route) {
  int count = 0;
  for (const auto& request : fake.requests()) count += request.Route() == route;
  return count;
}

TEST(ConvergeWaitFakeTest, ConvergedMustHoldForTheServicesMonitor) {
  FakeEngine fake;
  Serve(fake, Service(), Tasks("running"));
  engine::EngineClient client(fake.endpoint());
  int reports = 0;
  bool saw_stable = false;
  WaitOptions options = Fast();
  options.on_progress = [&](const WaitProgress& progress) {
    ++reports;
    saw_stable = saw_stable || progress.stable_for.has_value();
    EXPECT_EQ(progress.monitor, milliseconds(300));
  };
  WaitResult result = WaitForConvergence(client, "s1", options);
  EXPECT_EQ(result.outcome, WaitOutcome::kConverged) << result.message;
  EXPECT_EQ(result.message, "service shop_web converged (1/1 running)");
  EXPECT_GE(result.elapsed, milliseconds(300));
  EXPECT_LT(result.elapsed, milliseconds(2000));
  EXPECT_GE(result.polls, 5);
  EXPECT_GE(reports, 1);
  EXPECT_TRUE(saw_stable);
  // Two requests a poll; the nodes and the container once each.
  EXPECT_EQ(Count(fake, "/services/s1"), result.polls);
  EXPECT_EQ(Count(fake, "/tasks"), result.polls);
  EXPECT_EQ(Count(fake, "/nodes"), 1);
  EXPECT_EQ(Count(fake, "/containers/c1/json"), 1);
  for (const auto& request : fake.requests()) {
    if (request.Route() != "/tasks") continue;
    EXPECT_NE(request.target.find("_up-to-date"), std::string::npos);
  }
}

TEST(ConvergeWaitFakeTest, TheOptionsMonitorOverridesTheServices) {
  FakeEngine fake;
  Serve(fake, Service(), Tasks("running"));
  engine::EngineClient client(fake.endpoint());
  WaitOptions options = Fast();
  options.monitor = milliseconds(0);
  WaitResult result = WaitForConvergence(client, "s1", options);
  EXPECT_EQ(result.outcome, WaitOutcome::kConverged);
  EXPECT_EQ(result.polls, 1);
}

TEST(ConvergeWaitFakeTest, ACompletedUpdateNeedsNoSecondWindow) {
  FakeEngine fake;
  Serve(fake, Service({{"State", "completed"}, {"Message", "update completed"}}), Tasks("running"));
  engine::EngineClient client(fake.endpoint());
  WaitResult result = WaitForConvergence(client, "s1", Fast());
  EXPECT_EQ(result.outcome, WaitOutcome::kConverged);
  EXPECT_EQ(result.polls, 1);
}

TEST(ConvergeWaitFakeTest, TheDeadlineNamesWhatIsPending) {
  FakeEngine fake;
  Serve(fake, Service(), Tasks("starting"));
  engine::EngineClient client(fake.endpoint());
  WaitOptions options = Fast();
  options.timeout = milliseconds(300);
  WaitResult result = WaitForConvergence(client, "s1", options);
  EXPECT_EQ(result.outcome, WaitOutcome::kTimedOut);
  EXPECT_EQ(result.message, "service shop_web: not converged after 0.3s: 0/1 running; pending: slot 1: starting");
  EXPECT_GE(result.elapsed, milliseconds(300));
  EXPECT_LT(result.elapsed, milliseconds(1500));
}

TEST(ConvergeWaitFakeTest, AnUnhealthyContainerKeepsTheServicePending) {
  FakeEngine fake;
  Serve(fake, Service(), Tasks("running"), {{"State", {{"Health", {{"Status", "unhealthy"}}}}}});
  engine::EngineClient client(fake.endpoint());
  WaitOptions options = Fast();
  options.timeout = milliseconds(200);
  WaitResult result = WaitForConvergence(client, "s1", options);
  EXPECT_EQ(result.outcome, WaitOutcome::kTimedOut);
  EXPECT_NE(result.message.find("slot 1: running, container unhealthy"), std::string::npos) << result.message;
  // Not trusted yet, so asked again at each poll.
  EXPECT_EQ(Count(fake, "/containers/c1/json"), result.polls);
}

TEST(ConvergeWaitFakeTest, CancelStopsTheWaitAtOnce) {
  FakeEngine fake;
  Serve(fake, Service(), Tasks("starting"));
  engine::EngineClient client(fake.endpoint());
  std::atomic<bool> cancel{false};
  WaitOptions options = Fast();
  options.poll_interval = milliseconds(2000);  // the flag must cut the sleep short
  options.timeout = milliseconds(20000);
  options.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(200));
    cancel = true;
  });
  WaitResult result = WaitForConvergence(client, "s1", options);
  canceller.join();
  EXPECT_EQ(result.outcome, WaitOutcome::kCancelled);
  EXPECT_LT(result.elapsed, milliseconds(600));
  EXPECT_NE(result.message.find("service shop_web: wait cancelled after"), std::string::npos) << result.message;
}

TEST(ConvergeWaitFakeTest, PausedFailsAtTheFirstPollWithEveryTasksErrors) {
  FakeEngine fake;
  json tasks = Tasks("failed");
  tasks[0]["DesiredState"] = "shutdown";
  tasks[0]["Status"]["Err"] = "task: non-zero exit (1)";
  Serve(fake, Service({{"State", "paused"}, {"StartedAt", "2026-12-03T10:00:00Z"},
                       {"Message", "update paused due to failure or early termination of task t1"}}),
        tasks);
  engine::EngineClient client(fake.endpoint());
  WaitResult result = WaitForConvergence(client, "s1", Fast());
  EXPECT_EQ(result.outcome, WaitOutcome::kFailed);
  EXPECT_EQ(result.polls, 1);
  EXPECT_EQ(result.message,
            "service shop_web: paused: update paused due to failure or early termination of task t1; "
            "task t1 (slot 1) failed: task: non-zero exit (1)");
  // The poll's listing, then every task of the service once.
  EXPECT_EQ(Count(fake, "/tasks"), 2);
}

TEST(ConvergeWaitFakeTest, ARollbackInProgressIsWaitedForUntilTheDeadline) {
  FakeEngine fake;
  Serve(fake, Service({{"State", "rollback_started"}, {"StartedAt", "2026-12-03T10:00:00Z"},
                       {"Message", "update rolled back due to failure or early termination of task t9"}}),
        Tasks("running"));
  engine::EngineClient client(fake.endpoint());
  WaitOptions options = Fast();
  options.timeout = milliseconds(250);
  std::vector<std::string> events;
  options.on_progress = [&](const WaitProgress& progress) { events.push_back(progress.event); };
  WaitResult result = WaitForConvergence(client, "s1", options);
  EXPECT_EQ(result.outcome, WaitOutcome::kFailed);
  EXPECT_GT(result.polls, 1);
  EXPECT_EQ(events, (std::vector<std::string>{"rolling back"}));
  EXPECT_NE(result.message.find("rollback_started: update rolled back"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("(the rollback was still running at the deadline)"), std::string::npos);

  options.wait_for_rollback = false;
  result = WaitForConvergence(client, "s1", options);
  EXPECT_EQ(result.outcome, WaitOutcome::kFailed);
  EXPECT_EQ(result.polls, 1);
}

TEST(ConvergeWaitFakeTest, EngineErrorsStopTheWait) {
  FakeEngine fake;
  Serve(fake, Service(), Tasks("running"));
  fake.On("GET", "/tasks", FakeReply::Error(500, "rpc error: code = Unavailable"));
  engine::EngineClient client(fake.endpoint());
  WaitResult result = WaitForConvergence(client, "s1", Fast());
  EXPECT_EQ(result.outcome, WaitOutcome::kEngineError);
  ASSERT_TRUE(result.engine_error);
  EXPECT_EQ(result.engine_error->http_status, 500);
  EXPECT_NE(result.message.find("waiting for service s1 to converge"), std::string::npos) << result.message;
}

TEST(ConvergeWaitFakeTest, AServiceRemovedMeanwhileIsAFailure) {
  FakeEngine fake;
  fake.On("GET", "/services/s1", FakeReply::Error(404, "service s1 not found"));
  engine::EngineClient client(fake.endpoint());
  WaitResult result = WaitForConvergence(client, "s1", Fast());
  EXPECT_EQ(result.outcome, WaitOutcome::kFailed);
  EXPECT_EQ(result.message, "service s1: removed while nest waited for it");
}

}  // namespace
}  // namespace nest::swarm
