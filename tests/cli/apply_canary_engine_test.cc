// The canary strategy of `nest apply` on Swarm, against the real engine,
// through the built binary (providers/swarm/canary.h):
//
// - a healthy canary: v1 -> v2 on 3 stable replicas in steps of 25%, 50%,
//   100% held 3 s each, while a client on the stack's network counts the
//   answers by version: both versions during the steps, only v2 afterwards,
//   no failed request, and then `nest plan` says No changes;
// - a canary whose metric check fails (a Prometheus query over a counter
//   the test raises once the canary runs): aborted at that step, exit 1
//   naming the query and its value, the stable service's tasks the same,
//   no failed request and only v1 answering afterwards;
// - a canary whose health check fails: aborted, exit 1 naming min_healthy,
//   the canary gone and the stable service's tasks the same;
// - a manual gate (no pause): exit 1 with the paused message; --abort
//   removes the canary, the stable untouched; --promote finishes;
// - an apply interrupted mid-canary (SIGINT): the canary removed, the stable
//   service's tasks the same, exit 1;
// - an apply killed mid-canary: the next apply resumes at the step recorded
//   on the canary (the same canary service, not a new one).
//
// Health checks poll every second, steps are held 2-3 s.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/cli/apply_stack_fixture.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/prometheus_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using std::chrono::milliseconds;

struct CanaryStack {
  std::string stack;
  std::string version = "1";
  int replicas = 3;
  std::string steps = "25%, 50%, 100%";
  std::string pause = "3s";  // "": a manual gate at each step
  std::string window = "2s";
  // What the health check asks for: "index.html" passes, anything else fails.
  std::string health_page = "index.html";
  // Metric checks: the Prometheus HTTP API's URL and the query that must
  // return 1 ("": none).
  std::string prometheus;
  std::string query;
};

// busybox httpd serving /version (the VERSION env) and /index.html, behind
// a health check, dnsrr on an attachable network; it keeps serving 3 s
// after SIGTERM (a real server's drain) and Swarm waits 6 s for it. The
// stable set is rolled one at a time, start-first, at the promotion.
std::string Source(const CanaryStack& s) {
  const std::string command =
      "mkdir -p /www && echo ok > /www/index.html && echo $VERSION > /www/version && "
      "httpd -f -p 8080 -h /www & pid=$!; trap 'sleep 3; kill $pid' TERM; wait $pid; wait $pid";
  std::string text = "stack \"" + s.stack + "\" {}\n\nnetwork \"back\" {\n  attachable = true\n}\n";
  text += R"(
service "web" {
  image         = "nest-test/busybox:1"
  command       = ["sh", "-c", ")" + command + R"("]
  replicas      = )" + std::to_string(s.replicas) + R"(
  endpoint_mode = dnsrr
  networks      = [network.back]
  env           = { VERSION = ")" + s.version + R"(" }

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/)" + s.health_page + R"( || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    init              = true
    stop_grace_period = 6s
  }

  deploy "canary" {
    parallelism    = 1
    order          = start-first
    failure_action = rollback
    monitor        = 2s
    steps          = [)" + s.steps + "]\n";
  if (!s.pause.empty()) text += "    pause          = " + s.pause + "\n";
  text += "\n    analysis {\n      window      = " + s.window + "\n      min_healthy = 100%\n";
  if (!s.query.empty()) {
    text += "      prometheus  = \"" + s.prometheus + "\"\n      query       = \"" + s.query + "\"\n";
  }
  text += "    }\n  }\n}\n";
  return text;
}

// The client: one request at a time, each resolving `web` afresh, counting
// answers by version in three phases (1: until /promoting appears, 2: until
// /after appears, 3: then), until /stop or 180 s; then its counts.
std::string ClientScript() {
  return "p=1; n=0; v1_1=0; v2_1=0; f_1=0; v1_2=0; v2_2=0; f_2=0; v1_3=0; v2_3=0; f_3=0; "
         "end=$(( $(date +%s) + 180 )); "
         "while [ ! -e /stop ] && [ $(date +%s) -lt $end ]; do "
         "[ -e /promoting ] && [ $p -lt 2 ] && p=2; [ -e /after ] && p=3; "
         "n=$((n+1)); v=$(timeout 3 wget -q -O - http://web:8080/version 2>/dev/null); "
         "case \"$v\" in "
         "1) eval \"v1_$p=\\$((v1_$p+1))\";; "
         "2) eval \"v2_$p=\\$((v2_$p+1))\";; "
         "*) eval \"f_$p=\\$((f_$p+1))\"; echo \"failure at request $n: [$v]\";; "
         "esac; "
         "[ $n -eq 1 ] && echo ready; "
         "done; "
         "echo \"steps v1=$v1_1 v2=$v2_1 fail=$f_1\"; "
         "echo \"promotion v1=$v1_2 v2=$v2_2 fail=$f_2\"; "
         "echo \"after v1=$v1_3 v2=$v2_3 fail=$f_3\"";
}

struct PhaseCounts {
  long v1 = 0, v2 = 0, failed = 0;
};

PhaseCounts Phase(const std::string& logs, const std::string& phase) {
  std::smatch m;
  PhaseCounts counts;
  if (std::regex_search(logs, m, std::regex(phase + R"( v1=(\d+) v2=(\d+) fail=(\d+))"))) {
    counts = {std::stol(m[1]), std::stol(m[2]), std::stol(m[3])};
  } else {
    counts.failed = -1;  // no counts: the test fails on it
  }
  return counts;
}

class ApplyCanaryEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.stack = test_support::UniqueName("canary");
    client_ = config_.stack + "-client";
    cleanup_.emplace(config_.stack);
  }
  void TearDown() override {
    // Before the stack's clean-up: the client holds an endpoint on its network.
    testing::RunCommand("docker rm -f " + client_ + " >/dev/null 2>&1");
    testing::RemoveLockAndRevisions(config_.stack);
  }

  testing::CommandResult Nest(const std::string& args) {
    dir_.Write("src/stack.nest", Source(config_));
    return testing::RunCommand(testing::NestCommandLine(dir_.path(), 2000, args));
  }

  std::string Stable() const { return config_.stack + "_web"; }
  std::string Canary() const { return config_.stack + "_web-canary"; }

  // "" when the service does not exist.
  std::string Inspect(const std::string& service, const std::string& format) {
    auto inspected = testing::RunCommand("docker service inspect --format '" + format + "' " + service + " 2>/dev/null");
    return inspected.exit_code == 0 ? inspected.out : "";
  }
  bool CanaryExists() { return !Inspect(Canary(), "{{.ID}}").empty(); }
  // The stable service's running tasks' IDs, sorted: the same after an
  // abort means it was never touched.
  std::string StableTasks() {
    return testing::RunCommand("docker service ps -q --filter desired-state=running " + Stable() + " | sort").out;
  }

  void StartClient() {
    auto started = testing::RunCommand("docker run -d --name " + client_ + " --network " + config_.stack + "_back " +
                                       test_support::kTestImage + " sh -c '" + ClientScript() + "'");
    ASSERT_EQ(started.exit_code, 0) << started.err;
    std::string logs;
    for (int i = 0; i < 100 && logs.find("ready") == std::string::npos; ++i) {
      std::this_thread::sleep_for(milliseconds(100));
      logs = testing::RunCommand("docker logs " + client_ + " 2>&1").out;
    }
    ASSERT_NE(logs.find("ready"), std::string::npos) << "the client never got an answer:\n" << logs;
  }

  CanaryStack config_;
  std::string client_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyCanaryEngineTest, AHealthyCanaryShiftsTrafficInStepsThenPromotesWithoutAFailedRequest) {
  NEST_REQUIRE_SWARM();
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  StartClient();

  // The apply runs on a thread; this one watches the canary's replicas and
  // tells the client when the stable service gets the new spec.
  config_.version = "2";
  std::atomic<bool> done{false};
  testing::CommandResult updated;
  auto before = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point promoted_at{};
  std::thread apply([&] {
    updated = Nest("apply src --auto-approve");
    done = true;
  });
  std::set<std::string> canary_replicas;
  while (!done) {
    std::string replicas = Inspect(Canary(), "{{.Spec.Mode.Replicated.Replicas}}");
    if (!replicas.empty()) canary_replicas.insert(replicas.substr(0, replicas.find('\n')));
    if (promoted_at == std::chrono::steady_clock::time_point{} &&
        Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}").find("VERSION=2") != std::string::npos) {
      promoted_at = std::chrono::steady_clock::now();
      testing::RunCommand("docker exec " + client_ + " touch /promoting");
    }
    std::this_thread::sleep_for(milliseconds(200));
  }
  apply.join();
  auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - before);
  ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  EXPECT_NE(updated.out.find("Apply complete! Resources: 0 added, 1 changed, 0 destroyed."), std::string::npos)
      << updated.out;
  // 3 stable replicas: 25% -> 1 canary (1 of 4), 50% -> 3 (3 of 6).
  EXPECT_EQ(canary_replicas, (std::set<std::string>{"1", "3"}));
  EXPECT_FALSE(CanaryExists());
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=2\"]\n");

  // The old tasks and the canary's drain for 3 s: keep the load on past
  // that, then count only v2.
  std::this_thread::sleep_for(milliseconds(4000));
  testing::RunCommand("docker exec " + client_ + " touch /after");
  std::this_thread::sleep_for(milliseconds(3000));
  testing::RunCommand("docker exec " + client_ + " touch /stop");
  auto waited = testing::RunCommand("timeout 30 docker wait " + client_);
  EXPECT_EQ(waited.out, "0\n") << waited.err;
  std::string logs = testing::RunCommand("docker logs " + client_ + " 2>&1").out;
  PhaseCounts steps = Phase(logs, "steps"), promotion = Phase(logs, "promotion"), after = Phase(logs, "after");
  std::printf("[ canary ] apply took %lld ms (promotion from %lld ms); canary replicas seen:",
              static_cast<long long>(took.count()),
              static_cast<long long>(
                  std::chrono::duration_cast<milliseconds>(promoted_at - before).count()));
  for (const auto& r : canary_replicas) std::printf(" %s", r.c_str());
  std::printf("\n[ canary ] steps v1=%ld v2=%ld failed=%ld; promotion v1=%ld v2=%ld failed=%ld; "
              "after v1=%ld v2=%ld failed=%ld\n",
              steps.v1, steps.v2, steps.failed, promotion.v1, promotion.v2, promotion.failed, after.v1, after.v2,
              after.failed);
  EXPECT_GT(steps.v1, 0) << logs;
  EXPECT_GT(steps.v2, 0) << "the canary never answered during the steps\n" << logs;
  EXPECT_EQ(after.v1, 0) << logs;
  EXPECT_GT(after.v2, 0) << logs;
  EXPECT_EQ(steps.failed + promotion.failed + after.failed, 0) << logs;

  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
}

TEST_F(ApplyCanaryEngineTest, ACanaryWhoseMetricCheckFailsIsAbortedWithoutAFailedRequest) {
  NEST_REQUIRE_SWARM();
  std::string why;
  test_support::PrometheusFixture prometheus;
  ASSERT_TRUE(prometheus.Start(&why)) << why;
  ASSERT_TRUE(prometheus.SetMetrics("canary_errors_total 0\n", &why)) << why;
  config_.replicas = 2;
  config_.steps = "50%, 100%";
  config_.pause = "10s";
  config_.window = "10s";
  config_.prometheus = prometheus.base_url();
  config_.query = "canary_errors_total < bool 1";
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string tasks = StableTasks();
  StartClient();

  // Once the canary runs, its errors counter goes up: the query that
  // passed returns 0 from the next scrape on.
  config_.version = "2";
  std::atomic<bool> done{false};
  testing::CommandResult updated;
  auto before = std::chrono::steady_clock::now();
  std::thread apply([&] {
    updated = Nest("apply src --auto-approve");
    done = true;
  });
  bool raised = false;
  while (!done) {
    if (!raised && Inspect(Canary(), "{{.Spec.Mode.Replicated.Replicas}}") == "2\n") {
      std::this_thread::sleep_for(milliseconds(3000));  // a few samples pass first
      raised = prometheus.SetMetrics("canary_errors_total 3\n", &why);
      EXPECT_TRUE(raised) << why;
    }
    std::this_thread::sleep_for(milliseconds(200));
  }
  apply.join();
  auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - before);
  EXPECT_TRUE(raised) << "the canary was never seen at 2 replicas";
  EXPECT_EQ(updated.exit_code, 1) << updated.out << updated.err;
  EXPECT_NE(updated.out.find("canary aborted at step 1 of 2 (50%, 2 replicas): query `canary_errors_total < bool "
                             "1` returned 0"),
            std::string::npos)
      << updated.out << updated.err;
  EXPECT_FALSE(CanaryExists());
  EXPECT_EQ(StableTasks(), tasks);
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=1\"]\n");

  // The canary's tasks drain for 3 s: count only v1 after that.
  std::this_thread::sleep_for(milliseconds(4000));
  testing::RunCommand("docker exec " + client_ + " touch /after");
  std::this_thread::sleep_for(milliseconds(3000));
  testing::RunCommand("docker exec " + client_ + " touch /stop");
  auto waited = testing::RunCommand("timeout 30 docker wait " + client_);
  EXPECT_EQ(waited.out, "0\n") << waited.err;
  std::string logs = testing::RunCommand("docker logs " + client_ + " 2>&1").out;
  PhaseCounts steps = Phase(logs, "steps"), after = Phase(logs, "after");
  std::printf("[ canary ] metric check failed: aborted after %lld ms; during v1=%ld v2=%ld failed=%ld; "
              "after v1=%ld v2=%ld failed=%ld\n",
              static_cast<long long>(took.count()), steps.v1, steps.v2, steps.failed, after.v1, after.v2,
              after.failed);
  EXPECT_GT(steps.v2, 0) << "the canary never answered\n" << logs;
  EXPECT_EQ(after.v2, 0) << logs;
  EXPECT_GT(after.v1, 0) << logs;
  EXPECT_EQ(steps.failed + after.failed, 0) << logs;
}

TEST_F(ApplyCanaryEngineTest, ACanaryThatTurnsUnhealthyIsAbortedAndTheStableServiceIsUntouched) {
  NEST_REQUIRE_SWARM();
  config_.replicas = 2;
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string tasks = StableTasks();
  ASSERT_FALSE(tasks.empty());

  config_.version = "2";
  config_.health_page = "missing.html";
  auto before = std::chrono::steady_clock::now();
  auto updated = Nest("apply src --auto-approve");
  auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - before);
  std::printf("[ canary ] the unhealthy canary was aborted after %lld ms\n", static_cast<long long>(took.count()));
  EXPECT_EQ(updated.exit_code, 1) << updated.out << updated.err;
  EXPECT_NE(updated.out.find("canary aborted at step 1 of 3 (25%, 1 replica): min_healthy: 0 of 1 canary tasks "
                             "healthy (0%) < 100%"),
            std::string::npos)
      << updated.out;
  EXPECT_FALSE(CanaryExists());
  EXPECT_EQ(StableTasks(), tasks);
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=1\"]\n");
}

TEST_F(ApplyCanaryEngineTest, AManualGateStopsTheApplyUntilAbortOrPromote) {
  NEST_REQUIRE_SWARM();
  config_.replicas = 2;
  config_.steps = "50%, 100%";
  config_.pause = "";
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string tasks = StableTasks();

  const std::string paused =
      "service.web: canary paused at step 1 of 2 (50%, 2 replicas): run nest apply --promote web to go on or "
      "--abort web to remove it";
  config_.version = "2";
  auto gated = Nest("apply src --auto-approve");
  EXPECT_EQ(gated.exit_code, 1) << gated.out << gated.err;
  EXPECT_NE(gated.out.find(paused), std::string::npos) << gated.out;
  EXPECT_EQ(Inspect(Canary(), "{{.Spec.Mode.Replicated.Replicas}} {{index .Spec.Labels \"nest.canary.step\"}}"),
            "2 1\n");
  EXPECT_EQ(StableTasks(), tasks);
  // The plan notes the canary and never plans it as a delete.
  auto plan = Nest("plan src");
  EXPECT_NE(plan.out.find("a canary is in progress (" + Canary() + ", step 1)"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("will be destroyed"), std::string::npos) << plan.out;

  // --abort: the canary removed, the stable service as it was.
  auto aborted = Nest("apply src --abort web");
  EXPECT_EQ(aborted.exit_code, 0) << aborted.out << aborted.err;
  EXPECT_FALSE(CanaryExists());
  EXPECT_EQ(StableTasks(), tasks);
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=1\"]\n");

  // At the gate again, then --promote: the next step is 100%.
  gated = Nest("apply src --auto-approve");
  EXPECT_EQ(gated.exit_code, 1) << gated.out << gated.err;
  EXPECT_NE(gated.out.find(paused), std::string::npos) << gated.out;
  auto promoted = Nest("apply src --auto-approve --promote web");
  EXPECT_EQ(promoted.exit_code, 0) << promoted.out << promoted.err;
  EXPECT_FALSE(CanaryExists());
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=2\"]\n");
  plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  // Nothing to abort or promote any more.
  auto again = Nest("apply src --abort web");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("service.web: has no canary in progress to abort"), std::string::npos) << again.err;
}

TEST_F(ApplyCanaryEngineTest, AnInterruptMidCanaryRemovesTheCanaryAndLeavesTheStableService) {
  NEST_REQUIRE_SWARM();
  config_.replicas = 2;
  config_.pause = "20s";
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string tasks = StableTasks();

  config_.version = "2";
  dir_.Write("src/stack.nest", Source(config_));
  const std::string output = dir_.path() + "/interrupted.out";
  const std::string line =
      testing::NestCommandLine(dir_.path(), 2000, "apply src --auto-approve") + " >'" + output + "' 2>&1";
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Once the canary's task runs (the step is being observed): Ctrl-C.
  std::string running;
  for (int i = 0; i < 300 && running != "1\n"; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    running = testing::RunCommand("docker service ps -q --filter desired-state=running " + Canary() +
                                  " 2>/dev/null | wc -l").out;
  }
  EXPECT_EQ(running, "1\n");
  std::this_thread::sleep_for(milliseconds(1000));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string out = testing::ReadFileText(output);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status << "\n" << out;
  EXPECT_NE(out.find("canary aborted at step 1 of 3 (25%, 1 replica): interrupted; the canary was removed, the "
                     "stable service is unchanged"),
            std::string::npos)
      << out;
  EXPECT_FALSE(CanaryExists());
  EXPECT_EQ(StableTasks(), tasks);
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=1\"]\n");
}

TEST_F(ApplyCanaryEngineTest, AnApplyKilledMidCanaryResumesAtTheRecordedStep) {
  NEST_REQUIRE_SWARM();
  config_.replicas = 2;
  config_.steps = "25%, 50%, 100%";
  config_.pause = "4s";
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  // Killed with -9 once the canary reached step 2 (its label says so).
  config_.version = "2";
  dir_.Write("src/stack.nest", Source(config_));
  auto started = testing::RunCommand("(" + testing::NestCommandLine(dir_.path(), 2000, "apply src --auto-approve") +
                                     ") >/dev/null 2>&1 & echo $!");
  ASSERT_EQ(started.exit_code, 0);
  const std::string pid = started.out.substr(0, started.out.find('\n'));
  std::string step;
  for (int i = 0; i < 300 && step != "2\n"; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    step = Inspect(Canary(), "{{index .Spec.Labels \"nest.canary.step\"}}");
  }
  ASSERT_EQ(step, "2\n");
  testing::RunCommand("kill -9 " + pid);
  const std::string canary_id = Inspect(Canary(), "{{.ID}}");
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=1\"]\n");

  // The next apply (once the killed one's lock went stale) resumes step 2
  // on the same canary, then promotes.
  std::this_thread::sleep_for(milliseconds(2500));
  std::atomic<bool> done{false};
  testing::CommandResult resumed;
  std::thread apply([&] {
    resumed = Nest("apply src --auto-approve");
    done = true;
  });
  std::set<std::string> canaries_seen, steps_seen;
  while (!done) {
    std::string seen = Inspect(Canary(), "{{.ID}} {{index .Spec.Labels \"nest.canary.step\"}}");
    if (!seen.empty()) {
      canaries_seen.insert(seen.substr(0, seen.find(' ')) + "\n");
      steps_seen.insert(seen.substr(seen.find(' ') + 1));
    }
    std::this_thread::sleep_for(milliseconds(200));
  }
  apply.join();
  EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_FALSE(CanaryExists());
  EXPECT_EQ(Inspect(Stable(), "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), "[\"VERSION=2\"]\n");
  // The same canary, from step 2 on (never back at step 1).
  EXPECT_EQ(canaries_seen, (std::set<std::string>{canary_id}));
  EXPECT_EQ(steps_seen, (std::set<std::string>{"2\n"}));
  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
}

}  // namespace
}  // namespace nest
