// The blue-green strategy of `nest apply` on Swarm against the real engine
// (docs/apply-swarm.md#blue-green), through the built binary.
//
// Unrouted: a client container on the stack's attachable network asks
// http://web:8080/version once after another (resolving `web` afresh each
// time: dnsrr) and logs each answer with the phase the test is in (a file
// the test writes into the client) and /proc/uptime. During verify the
// production name must answer only the old version and `web-preview` the
// new one; once the switch is over only the new one; 0 failed requests;
// `nest plan` then says `No changes.`; `nest rollback` inside keep_previous
// switches back (timed) and the name answers the old version again.
//
// Routed (a `route` block: Traefik labels): the switch changes labels only,
// so the new colour's task IDs are the ones it was verified with; the
// previous colour, once expired, is planned as a delete saying so and the
// next apply removes it.
//
// A new version that turns unhealthy during verify, or Ctrl-C then, ends
// with the new colour removed and the live one's tasks untouched.
//
// Each task drains 3 s after SIGTERM (as a real server does); health checks
// every second, monitor 2 s, verify 3 s.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_paths.h"
#include "tests/cli/apply_stack_fixture.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

long long Millis(Clock::duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

// Serves its version at /version; blue-green with start-first updates.
struct Web {
  std::string version;
  std::string keep_previous = "40s";
  std::string verify = "3s";
  bool routed = false;
  // The new version stops answering its health check this long after it
  // starts ("" never): it fails during verify.
  std::string fails_after;
};

std::string Source(const std::string& stack, const Web& web) {
  const std::string& version = web.version;
  std::string breaks = web.fails_after.empty() ? "" : "(sleep " + web.fails_after + " && rm /www/version) & ";
  std::string text = "stack \"" + stack + "\" {}\n\nnetwork \"back\" {\n  attachable = true\n}\n";
  text += R"(
service "web" {
  image         = "nest-test/busybox:1"
  command       = ["sh", "-c", "mkdir -p /www && echo )" + version +
          R"( > /www/version)" + (breaks.empty() ? " && " : "; " + breaks) + R"(httpd -f -p 8080 -h /www & pid=$!; trap 'sleep 3; kill $pid' TERM; wait $pid; wait $pid"]
  replicas      = 2
  endpoint_mode = dnsrr
  networks      = [network.back]

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/version || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    init              = true
    stop_grace_period = 6s
  }
)";
  if (web.routed) text += "\n  route {\n    host    = \"web.test\"\n    port    = 8080\n    network = network.back\n  }\n";
  text += R"(
  deploy "blue-green" {
    order         = start-first
    monitor       = 2s
    verify        = )" + web.verify + R"(
    keep_previous = )" + web.keep_previous + R"(
  }
}
)";
  return text;
}

// One request at a time until /stop (or 180 s): "r <uptime> <phase> <version>"
// per answer, "f <uptime> <phase>" per failure; "ready" after the first answer.
std::string ClientScript() {
  return "n=0; end=$(( $(date +%s) + 180 )); "
         "while [ ! -e /stop ] && [ $(date +%s) -lt $end ]; do "
         "n=$((n+1)); phase=start; [ -e /phase ] && phase=$(cat /phase); read up rest < /proc/uptime; "
         "if v=$(timeout 3 wget -q -O - http://web:8080/version 2>/dev/null); then echo \"r $up $phase $v\"; "
         "[ $n -eq 1 ] && echo ready; "
         "else echo \"f $up $phase\"; fi; "
         "done; echo end";
}

struct Answer {
  bool ok = false;
  double uptime = 0;
  std::string phase, version;
};

std::vector<Answer> ParseLog(const std::string& logs) {
  std::vector<Answer> answers;
  std::istringstream lines(logs);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind != "r" && kind != "f") continue;
    Answer a;
    a.ok = kind == "r";
    words >> a.uptime >> a.phase >> a.version;
    answers.push_back(a);
  }
  return answers;
}

class ApplyBlueGreenEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("bluegreen");
    client_ = stack_ + "-client";
    cleanup_.emplace(stack_);
  }
  void TearDown() override {
    testing::RunCommand("docker rm -f " + client_ + " >/dev/null 2>&1");
    testing::RemoveLockAndRevisions(stack_);
  }

  void Write(const Web& web) { dir_.Write("src/stack.nest", Source(stack_, web)); }
  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand(testing::NestCommandLine(dir_.path(), 5000, args));
  }
  std::string Inspect(const std::string& service, const std::string& format) {
    auto r = testing::RunCommand("docker service inspect --format '" + format + "' " + service + " 2>/dev/null");
    std::string out = r.exit_code == 0 ? r.out : "";
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  std::string Role(const std::string& service) {
    return Inspect(service, "{{index .Spec.Labels \"nest.bluegreen.role\"}}");
  }
  std::string RunningTasks(const std::string& service) {
    auto r = testing::RunCommand("docker service ps -q --filter desired-state=running " + service + " | sort");
    return r.out;
  }
  void Phase(const std::string& phase) {
    testing::RunCommand("docker exec " + client_ + " sh -c 'echo " + phase + " > /phase'");
  }
  // Asks the name once from inside the client container.
  std::string Ask(const std::string& name) {
    auto r = testing::RunCommand("docker exec " + client_ + " timeout 3 wget -q -O - http://" + name +
                                 ":8080/version 2>/dev/null");
    std::string out = r.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  bool StartClient() {
    auto started = testing::RunCommand("docker run -d --name " + client_ + " --network " + stack_ + "_back " +
                                       test_support::kTestImage + " sh -c '" + ClientScript() + "'");
    if (started.exit_code != 0) return false;
    for (int i = 0; i < 100; ++i) {
      if (testing::RunCommand("docker logs " + client_ + " 2>&1").out.find("ready") != std::string::npos) return true;
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  }

  std::string stack_, client_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyBlueGreenEngineTest, VerifyThenSwitchThenRollbackServesOneVersionAtATimeAndFailsNoRequest) {
  NEST_REQUIRE_SWARM();
  const std::string blue = stack_ + "_web", green = stack_ + "_web-green";
  Write({.version = "1"});
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  ASSERT_TRUE(StartClient()) << testing::RunCommand("docker logs " + client_ + " 2>&1").out;

  // The update on a thread; this one follows the new colour's role.
  Write({.version = "2"});
  testing::CommandResult updated;
  std::atomic<bool> done{false};
  const auto started = Clock::now();
  std::thread apply([&] {
    updated = Nest("apply src --auto-approve");
    done = true;
  });
  std::string preview_answer, role;
  bool saw_preview = false, saw_live = false;
  Clock::time_point switch_began{};
  while (!done) {
    role = Role(green);
    if (role == "preview" && !saw_preview) {
      saw_preview = true;
      Phase("verify");
    }
    if (role == "preview" && preview_answer.empty()) preview_answer = Ask("web-preview");
    if (role == "live" && !saw_live) {
      saw_live = true;
      switch_began = Clock::now();
      Phase("switch");
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  apply.join();
  const auto applied = Clock::now();
  ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  EXPECT_TRUE(saw_preview) << "never saw " << green << " as the preview";
  EXPECT_TRUE(saw_live) << "never saw " << green << " switched live";
  EXPECT_EQ(preview_answer, "2") << "web-preview during verify";

  // The old colour's tasks drain 3 s after the switch: then only the new one.
  std::this_thread::sleep_for(milliseconds(4000));
  Phase("after");
  std::this_thread::sleep_for(milliseconds(3000));
  EXPECT_EQ(Role(green), "live");
  EXPECT_EQ(Role(blue), "previous");
  EXPECT_NE(Inspect(blue, "{{index .Spec.Labels \"nest.bluegreen.expires\"}}"), "");
  EXPECT_EQ(Inspect(blue, "{{.Spec.Mode.Replicated.Replicas}}"), "2") << "the previous colour keeps its scale";

  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  // Inside keep_previous: a switch back, no new colour, no verify.
  Phase("rollback");
  const auto rollback_began = Clock::now();
  auto rolled = Nest("rollback src --auto-approve");
  const auto rolled_back = Clock::now();
  ASSERT_EQ(rolled.exit_code, 0) << rolled.out << rolled.err;
  EXPECT_EQ(Role(blue), "live");
  EXPECT_EQ(Role(green), "previous");
  std::this_thread::sleep_for(milliseconds(4000));
  Phase("rolledback");
  std::this_thread::sleep_for(milliseconds(3000));
  Write({.version = "1"});
  auto replan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(replan.exit_code, 0) << replan.out << replan.err;
  EXPECT_NE(replan.out.find("No changes."), std::string::npos) << replan.out;

  testing::RunCommand("docker exec " + client_ + " touch /stop");
  testing::RunCommand("timeout 30 docker wait " + client_);
  std::string logs = testing::RunCommand("docker logs " + client_ + " 2>&1").out;
  std::vector<Answer> answers = ParseLog(logs);

  std::map<std::string, std::map<std::string, int>> by_phase;  // phase -> version ("failed") -> count
  int failed = 0;
  double first_new = -1, last_old_after_new = -1;  // the switch
  double first_old = -1, last_new_after_old = -1;  // the switch back
  for (const auto& a : answers) {
    by_phase[a.phase][a.ok ? a.version : "failed"]++;
    if (!a.ok) ++failed;
    if (a.ok && (a.phase == "rollback" || a.phase == "rolledback")) {
      if (a.version == "1" && first_old < 0) first_old = a.uptime;
      if (a.version == "2" && first_old >= 0) last_new_after_old = a.uptime;
    }
    if (a.phase != "switch" && a.phase != "verify" && a.phase != "after") continue;
    if (a.ok && a.version == "2" && first_new < 0) first_new = a.uptime;
    if (a.ok && a.version == "1" && first_new >= 0) last_old_after_new = a.uptime;
  }
  for (const auto& [phase, counts] : by_phase) {
    std::string line;
    for (const auto& [version, count] : counts) line += version + ": " + std::to_string(count) + "  ";
    std::printf("[ blue-green ] %-10s %s\n", phase.c_str(), line.c_str());
  }
  std::printf("[ blue-green ] apply took %lld ms, of which the switch %lld ms; rollback (switch back) took %lld ms; "
              "mixed window (first new to last old answer) %.2f s, on the switch back %.2f s; failed requests %d of "
              "%zu\n",
              Millis(applied - started), Millis(applied - switch_began), Millis(rolled_back - rollback_began),
              last_old_after_new >= 0 ? last_old_after_new - first_new : 0.0,
              last_new_after_old >= 0 ? last_new_after_old - first_old : 0.0, failed, answers.size());

  EXPECT_EQ(failed, 0) << logs;
  EXPECT_GT(by_phase["verify"]["1"], 0) << logs;
  EXPECT_EQ(by_phase["verify"].size(), 1u) << "during verify only the old version: " << logs;
  EXPECT_GT(by_phase["after"]["2"], 0) << logs;
  EXPECT_EQ(by_phase["after"].size(), 1u) << "after the switch only the new version: " << logs;
  EXPECT_GT(by_phase["rolledback"]["1"], 0) << logs;
  EXPECT_EQ(by_phase["rolledback"].size(), 1u) << "after the switch back only the old version: " << logs;
}

TEST_F(ApplyBlueGreenEngineTest, RoutedSwitchKeepsTaskIdsAndAnExpiredPreviousColourIsRemoved) {
  NEST_REQUIRE_SWARM();
  const std::string blue = stack_ + "_web", green = stack_ + "_web-green";
  Write({.version = "1", .keep_previous = "5s", .routed = true});
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  Write({.version = "2", .keep_previous = "5s", .routed = true});
  testing::CommandResult updated;
  std::atomic<bool> done{false};
  std::thread apply([&] {
    updated = Nest("apply src --auto-approve");
    done = true;
  });
  std::string verified_tasks;
  while (!done) {
    if (Role(green) == "preview" && Inspect(green, "{{index .Spec.Labels \"traefik.enable\"}}") == "false") {
      std::string tasks = RunningTasks(green);
      if (std::count(tasks.begin(), tasks.end(), '\n') == 2) verified_tasks = tasks;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  apply.join();
  ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  const auto switched = Clock::now();
  ASSERT_FALSE(verified_tasks.empty()) << "never saw the preview's two tasks";
  EXPECT_EQ(RunningTasks(green), verified_tasks) << "the routed switch restarted tasks";
  EXPECT_EQ(Inspect(green, "{{index .Spec.Labels \"traefik.enable\"}}"), "true");
  EXPECT_EQ(Inspect(blue, "{{index .Spec.Labels \"traefik.enable\"}}"), "false");
  EXPECT_EQ(Role(blue), "previous");

  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  std::this_thread::sleep_until(switched + milliseconds(6000));
  auto expired = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(expired.exit_code, 2) << expired.out << expired.err;
  EXPECT_NE(expired.out.find("service.web#previous"), std::string::npos) << expired.out;
  EXPECT_NE(expired.out.find("expired, so removed"), std::string::npos) << expired.out;

  auto removed = Nest("apply src --auto-approve");
  ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  EXPECT_EQ(Inspect(blue, "{{.ID}}"), "") << blue << " should be gone";
  EXPECT_EQ(Role(green), "live");
  auto after = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
}

TEST_F(ApplyBlueGreenEngineTest, AFailingVerifyRemovesTheNewColourAndLeavesTheLiveOneUntouched) {
  NEST_REQUIRE_SWARM();
  const std::string blue = stack_ + "_web", green = stack_ + "_web-green";
  Write({.version = "1", .verify = "10s"});
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string live_tasks = RunningTasks(blue);

  // Healthy long enough to converge (its monitor is 2 s), then unhealthy
  // inside the 10 s verify.
  Write({.version = "2", .verify = "10s", .fails_after = "5"});
  auto updated = Nest("apply src --auto-approve");
  EXPECT_EQ(updated.exit_code, 1) << updated.out << updated.err;
  const std::string said = updated.out + updated.err;
  EXPECT_NE(said.find("blue-green verify of " + green + " failed: min_healthy:"), std::string::npos) << said;
  EXPECT_NE(said.find(green + " was removed, " + blue + " untouched"), std::string::npos) << said;
  EXPECT_EQ(Inspect(green, "{{.ID}}"), "") << green << " should be gone";
  EXPECT_EQ(RunningTasks(blue), live_tasks) << "the live colour was touched";
  EXPECT_EQ(Role(blue), "");

  Write({.version = "1", .verify = "10s"});
  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
}

TEST_F(ApplyBlueGreenEngineTest, AnInterruptDuringVerifyRemovesTheNewColour) {
  NEST_REQUIRE_SWARM();
  const std::string blue = stack_ + "_web", green = stack_ + "_web-green";
  Write({.version = "1", .verify = "20s"});
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string live_tasks = RunningTasks(blue);

  Write({.version = "2", .verify = "20s"});
  const std::string out = dir_.path() + "/interrupted.out";
  const std::string line = testing::NestCommandLine(dir_.path(), 5000, "apply src --auto-approve") + " >'" + out +
                           "' 2>&1";
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // NestCommandLine execs nest: `pid` is nest itself.
  bool verifying = false;
  for (int i = 0; i < 300 && !verifying; ++i) {
    verifying = testing::ReadFileText(out).find("verifying") != std::string::npos;
    if (!verifying) std::this_thread::sleep_for(milliseconds(100));
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string said = testing::ReadFileText(out);
  ASSERT_TRUE(verifying) << said;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status << "\n" << said;
  EXPECT_NE(said.find("interrupted before the blue-green switch: " + green + " was removed, " + blue + " untouched"),
            std::string::npos)
      << said;
  EXPECT_EQ(Inspect(green, "{{.ID}}"), "") << green << " should be gone";
  EXPECT_EQ(RunningTasks(blue), live_tasks) << "the live colour was touched";

  Write({.version = "1", .verify = "20s"});
  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
}

}  // namespace
}  // namespace nest
