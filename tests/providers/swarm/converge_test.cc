// CheckConvergence on what a real Engine (20.10, API 1.41) answered: each
// fixture in converge_fixtures/ is GET /services/{id}, GET /tasks with
// {"service":[id],"_up-to-date":["true"]} and GET /tasks with
// {"service":[id]}, saved at one moment of a service's life (health checks
// starting, a start-first update, an automatic rollback, a paused update, a
// missing image, a crash loop, a host port that cannot be bound, a global
// service, a job). Plus hand-made shapes for the rules the fixtures do not
// reach.
#include "providers/swarm/converge.h"

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_paths.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

json Fixture(const std::string& name) {
  std::ifstream in(std::string(NEST_TESTDATA_DIR) + "/providers/swarm/converge_fixtures/" + name + ".json");
  EXPECT_TRUE(in.good()) << name;
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The fixture's status as the waiting loop sees it at a failure: with every task.
ConvergenceStatus Check(const json& fixture, ConvergenceContext context = {}) {
  context.all_tasks = &fixture["all_tasks"];
  return CheckConvergence(fixture["service"], fixture["current_tasks"], context);
}

TEST(ConvergeTest, TwoHealthyReplicasAreConverged) {
  ConvergenceStatus status = Check(Fixture("converged_replicated"));
  EXPECT_EQ(status.state, Convergence::kConverged);
  EXPECT_EQ(status.service_name, "fx-web");
  EXPECT_EQ(status.mode, "replicated");
  EXPECT_EQ(status.ready, 2);
  EXPECT_EQ(status.desired, 2);
  EXPECT_TRUE(status.pending.empty());
  EXPECT_TRUE(status.failures.empty());
  EXPECT_EQ(status.Summary(), "2/2 running");
}

TEST(ConvergeTest, TasksWaitingForTheirHealthCheckArePending) {
  ConvergenceStatus status = Check(Fixture("starting"));
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.ready, 0);
  EXPECT_EQ(status.desired, 2);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"slot 1: starting", "slot 2: starting"}));
  EXPECT_EQ(status.Summary(), "0/2 running; pending: slot 1: starting, slot 2: starting");
}

TEST(ConvergeTest, OldSpecTasksDoNotCountDuringAStartFirstUpdate) {
  // Both old tasks still run, but only the new slot-1 task is up to date.
  ConvergenceStatus status = Check(Fixture("update_start_first_in_progress"));
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.update_state, "updating");
  EXPECT_EQ(status.ready, 0);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"slot 1: starting", "1 task not created yet"}));
}

TEST(ConvergeTest, RollbackStartedIsAFailureNamingTheUnhealthyTask) {
  ConvergenceStatus status = Check(Fixture("rollback_started"));
  EXPECT_EQ(status.state, Convergence::kFailed);
  EXPECT_TRUE(status.rolling_back);
  EXPECT_EQ(status.reason,
            "rollback_started: update rolled back due to failure or early termination of task "
            "82z50ewum9g1dadj5vb6038tk");
  ASSERT_EQ(status.failures.size(), 1u);
  EXPECT_EQ(status.failures[0].task_id, "82z50ewum9g1dadj5vb6038tk");
  EXPECT_EQ(status.failures[0].where, "slot 1");
  EXPECT_EQ(status.failures[0].state, "failed");
  EXPECT_EQ(status.failures[0].error, "task: non-zero exit (143): dockerexec: unhealthy container");
  EXPECT_EQ(status.FailureMessage(),
            "service fx-web: rollback_started: update rolled back due to failure or early termination of task "
            "82z50ewum9g1dadj5vb6038tk; task 82z50ewum9g1 (slot 1) failed: task: non-zero exit (143): "
            "dockerexec: unhealthy container");
}

TEST(ConvergeTest, RollbackCompletedIsAFailureThoughEveryTaskRuns) {
  // docker/cli#6752: the old spec's tasks run, so docker/cli says "converged".
  ConvergenceStatus status = Check(Fixture("rollback_completed"));
  EXPECT_EQ(status.ready, 2);
  EXPECT_EQ(status.desired, 2);
  EXPECT_EQ(status.state, Convergence::kFailed);
  EXPECT_FALSE(status.rolling_back);
  EXPECT_EQ(status.reason, "rollback_completed: rollback completed");
  // The message no longer names the task: the tasks created since the
  // update started do.
  ASSERT_EQ(status.failures.size(), 1u);
  EXPECT_EQ(status.failures[0].error, "task: non-zero exit (143): dockerexec: unhealthy container");
}

TEST(ConvergeTest, WithoutEveryTaskARollbackStillFailsButNamesNoTask) {
  json fixture = Fixture("rollback_completed");
  ConvergenceStatus status = CheckConvergence(fixture["service"], fixture["current_tasks"]);
  EXPECT_EQ(status.state, Convergence::kFailed);
  EXPECT_TRUE(status.failures.empty());
}

TEST(ConvergeTest, PausedUpdateIsAFailureWithTheExitCode) {
  ConvergenceStatus status = Check(Fixture("paused_exit1"));
  EXPECT_EQ(status.state, Convergence::kFailed);
  EXPECT_FALSE(status.rolling_back);
  EXPECT_EQ(status.reason, "paused: update paused due to failure or early termination of task 5fmudyth9rfin3k40admim8fc");
  ASSERT_EQ(status.failures.size(), 1u);
  EXPECT_EQ(status.failures[0].error, "task: non-zero exit (1)");
  EXPECT_NE(status.FailureMessage().find("task 5fmudyth9rfi (slot 1) failed: task: non-zero exit (1)"), std::string::npos);
}

TEST(ConvergeTest, AMissingImageFailsAfterRepeatedRejections) {
  // A new service has no updater: Swarm retries the rejected task forever.
  ConvergenceStatus status = Check(Fixture("no_such_image"));
  EXPECT_EQ(status.state, Convergence::kFailed);
  EXPECT_EQ(status.reason, "slot 1 failed 4 times, last: No such image: nest-test/doesnotexist:1");
  ASSERT_EQ(status.failures.size(), 4u);
  EXPECT_EQ(status.TaskErrors().find("rejected: No such image: nest-test/doesnotexist:1 (and 3 more tasks)") !=
                std::string::npos,
            true)
      << status.TaskErrors();
}

TEST(ConvergeTest, FewerRejectionsThanTheLimitArePendingWithTheirError) {
  ConvergenceContext context;
  context.max_task_failures = 5;
  ConvergenceStatus status = Check(Fixture("no_such_image"), context);
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"slot 1: rejected: No such image: nest-test/doesnotexist:1"}));
}

TEST(ConvergeTest, ACrashLoopOnCreateFailsWithTheExitCode) {
  ConvergenceStatus status = Check(Fixture("crash_loop_on_create"));
  EXPECT_EQ(status.state, Convergence::kFailed);
  EXPECT_EQ(status.reason, "slot 1 failed 4 times, last: task: non-zero exit (1)");
}

TEST(ConvergeTest, AnUnbindableHostPortIsPendingWithSwarmsReason) {
  ConvergenceStatus status = Check(Fixture("no_suitable_node"));
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.ready, 1);
  EXPECT_EQ(status.pending,
            (std::vector<std::string>{"slot 2: pending: no suitable node (host-mode port already in use on 1 node)"}));
}

TEST(ConvergeTest, ScaledDownServiceConvergesAndIgnoresOlderFailures) {
  // The failure of the rolled-back update predates this change (the scale).
  ConvergenceStatus status = Check(Fixture("scaled_down"));
  EXPECT_EQ(status.state, Convergence::kConverged);
  EXPECT_EQ(status.desired, 1);
  EXPECT_TRUE(status.failures.empty());
}

TEST(ConvergeTest, GlobalServiceCountsNodesWithTasks) {
  json fixture = Fixture("converged_global");
  ConvergenceStatus status = Check(fixture);
  EXPECT_EQ(status.state, Convergence::kConverged);
  EXPECT_EQ(status.mode, "global");
  EXPECT_EQ(status.Summary(), "1/1 running");
  // Tasks on a down node do not count; with none left there is nothing to count yet.
  ConvergenceContext context;
  context.down_nodes = {fixture["current_tasks"][0]["NodeID"].get<std::string>()};
  status = Check(fixture, context);
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"waiting for tasks to be created"}));
}

TEST(ConvergeTest, ReplicatedJobConvergesWhenCompletionsAreReached) {
  ConvergenceStatus status = Check(Fixture("job_complete"));
  EXPECT_EQ(status.state, Convergence::kConverged);
  EXPECT_TRUE(status.job);
  EXPECT_EQ(status.mode, "replicated-job");
  EXPECT_EQ(status.Summary(), "2/2 completed");
}

TEST(ConvergeTest, AnUnhealthyContainerDoesNotCount) {
  json fixture = Fixture("converged_replicated");
  ConvergenceContext context;
  std::string container = fixture["current_tasks"][0]["Status"]["ContainerStatus"]["ContainerID"];
  context.container_health[container] = "unhealthy";
  ConvergenceStatus status = Check(fixture, context);
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.ready, 1);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"slot 1: running, container unhealthy"}));
  context.container_health[container] = "healthy";
  EXPECT_EQ(Check(fixture, context).state, Convergence::kConverged);
}

// Hand-made shapes.
json Task(const std::string& id, int slot, const std::string& desired, const std::string& state,
          const std::string& created = "2026-12-03T10:00:01Z", const std::string& err = "") {
  json task = {{"ID", id}, {"Slot", slot}, {"NodeID", "n1"}, {"CreatedAt", created}, {"DesiredState", desired},
               {"Status", {{"State", state}, {"ContainerStatus", {{"ContainerID", "c-" + id}}}}}};
  if (!err.empty()) task["Status"]["Err"] = err;
  return task;
}

json Service(int replicas, const std::string& updated = "2026-12-03T10:00:00Z") {
  return {{"ID", "s1"}, {"UpdatedAt", updated},
          {"Spec", {{"Name", "shop_web"}, {"Mode", {{"Replicated", {{"Replicas", replicas}}}}}}}};
}

TEST(ConvergeTest, ZeroReplicasWithNoTasksIsConverged) {
  EXPECT_EQ(CheckConvergence(Service(0), json::array()).state, Convergence::kConverged);
  // ... but not while a task still runs.
  json tasks = json::array({Task("a", 1, "running", "running")});
  ConvergenceStatus status = CheckConvergence(Service(0), tasks);
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"1 extra tasks still running"}));
}

TEST(ConvergeTest, FailuresBeforeTheChangeAreHistory) {
  json tasks = json::array({Task("a", 1, "shutdown", "failed", "2026-12-01T00:00:01Z", "task: non-zero exit (2)"),
                            Task("b", 1, "shutdown", "failed", "2026-12-01T00:00:02Z", "task: non-zero exit (2)"),
                            Task("c", 1, "shutdown", "failed", "2026-12-01T00:00:03Z", "task: non-zero exit (2)"),
                            Task("d", 1, "running", "running", "2026-12-01T00:00:04Z")});
  ConvergenceStatus status = CheckConvergence(Service(1, "2026-12-03T10:00:00Z"), tasks);
  EXPECT_EQ(status.state, Convergence::kConverged);
  EXPECT_TRUE(status.failures.empty());
  // The same tasks after the change: a crash loop.
  status = CheckConvergence(Service(1, "2026-11-30T00:00:00Z"), tasks);
  EXPECT_EQ(status.state, Convergence::kFailed);
  EXPECT_EQ(status.reason, "slot 1 failed 3 times, last: task: non-zero exit (2)");
}

TEST(ConvergeTest, TheLowerStateWinsASlot) {
  // docker/cli's tie-break for two tasks of one slot with the same desired
  // state (start-first): the one still starting is the slot's task.
  json tasks = json::array({Task("old", 1, "running", "running"), Task("new", 1, "running", "starting")});
  ConvergenceStatus status = CheckConvergence(Service(1), tasks);
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"slot 1: starting"}));
  // A replacement (desired running) wins over the failed task it replaces.
  tasks = json::array({Task("dead", 1, "shutdown", "failed", "2026-12-03T10:00:01Z", "task: non-zero exit (1)"),
                       Task("next", 1, "running", "running")});
  status = CheckConvergence(Service(1), tasks);
  EXPECT_EQ(status.state, Convergence::kConverged);
  EXPECT_EQ(status.failures.size(), 1u);  // still named, for the progress line
}

TEST(ConvergeTest, AFailedSlotWaitingForItsReplacementSaysWhy) {
  json tasks = json::array({Task("dead", 1, "shutdown", "failed", "2026-12-03T10:00:01Z", "task: non-zero exit (1)"),
                            Task("ok", 2, "running", "running")});
  ConvergenceStatus status = CheckConvergence(Service(2), tasks);
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"slot 1: failed: task: non-zero exit (1)"}));
}

TEST(ConvergeTest, UnexpectedShapesAreNotReadyAndNeverCrash) {
  EXPECT_EQ(CheckConvergence(json(), json()).state, Convergence::kInProgress);
  EXPECT_EQ(CheckConvergence(json::array(), json("tasks")).state, Convergence::kInProgress);
  json tasks = json::array({json::object(), json(3), json({{"Status", "x"}, {"DesiredState", 5}})});
  ConvergenceStatus status = CheckConvergence(Service(1), tasks);
  EXPECT_EQ(status.state, Convergence::kInProgress);
  EXPECT_EQ(status.pending, (std::vector<std::string>{"1 task not created yet"}));
}

TEST(ConvergeTest, CompletedUpdateIsMarkedSoTheWaitNeedNotWatchAgain) {
  json service = Service(1);
  service["UpdateStatus"] = {{"State", "completed"}, {"Message", "update completed"}};
  ConvergenceStatus status = CheckConvergence(service, json::array({Task("a", 1, "running", "running")}));
  EXPECT_EQ(status.state, Convergence::kConverged);
  EXPECT_TRUE(status.swarm_completed);
  EXPECT_EQ(status.Summary(), "1/1 running (completed)");
}

// A one-off task beside the services (restart_policy none, or on-failure):
// its clean exit is its success, not a slot to wait on; under the default
// restart policy the same exit is a task Swarm is about to replace.
TEST(ConvergeTest, AOneOffTaskThatCompletedIsDoneUnderRestartNone) {
  json tasks = json::array({Task("a", 1, "shutdown", "complete")});
  for (const char* condition : {"none", "on-failure"}) {
    json service = Service(1);
    service["Spec"]["TaskTemplate"] = {{"RestartPolicy", {{"Condition", condition}}}};
    ConvergenceStatus status = CheckConvergence(service, tasks);
    EXPECT_EQ(status.state, Convergence::kConverged) << condition << ": " << status.Summary();
    EXPECT_TRUE(status.failures.empty()) << condition;
  }
  EXPECT_EQ(CheckConvergence(Service(1), tasks).state, Convergence::kInProgress);
  // A one-off task that failed is still a failure to report.
  json service = Service(1);
  service["Spec"]["TaskTemplate"] = {{"RestartPolicy", {{"Condition", "none"}}}};
  json failed = json::array({Task("b", 1, "shutdown", "failed", "2026-12-03T10:00:01Z", "task: non-zero exit (1)")});
  ConvergenceStatus status = CheckConvergence(service, failed);
  EXPECT_NE(status.state, Convergence::kConverged);
  EXPECT_FALSE(status.failures.empty());
}

TEST(ConvergeTest, TerminalStates) {
  EXPECT_FALSE(IsTerminalTaskState("running"));
  EXPECT_FALSE(IsTerminalTaskState("starting"));
  EXPECT_TRUE(IsTerminalTaskState("complete"));
  EXPECT_TRUE(IsTerminalTaskState("rejected"));
  EXPECT_FALSE(IsTerminalTaskState("bogus"));
}

}  // namespace
}  // namespace nest::swarm
