// `nest apply` killed with -9 at random points, then run again: the rerun
// takes over the stale lock, finishes the job, `nest plan` says No changes
// and nothing of the stack is left that the configuration does not name.
//
// One stack, ten kill points. Each round changes the service's env (so every
// task is replaced) and adds or removes a second config (so the walk also
// creates and deletes); round 0 creates everything. The delays come from a
// seeded PRNG, one per tenth of the apply's duration, so the ten cover it
// all: NEST_KILL_SEED=N reruns a sequence.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/cli/apply_stack_fixture.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using std::chrono::milliseconds;

constexpr int kRounds = 10;
// About how long one round's apply takes here (create: ~6 s, an update of
// both tasks with a 2 s monitor window: ~5 s).
constexpr int kApplyMs = 6000;
constexpr int kLeaseMs = 2000;

// Odd rounds add a second config (and mount it), even rounds remove it.
std::string Source(const std::string& stack, int round) {
  testing::HttpdStack web;
  web.stack = stack;
  web.env_name = "ROUND";
  web.env_value = std::to_string(round);
  web.banner_config = round % 2 == 1;
  web.health_timeout = "5s";
  web.health_retries = 3;
  return testing::HttpdStackSource(web);
}

std::set<std::string> Words(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.insert(word);
  return words;
}

std::string Joined(const std::set<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return "{" + text + "}";
}

class ApplyKillEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("kill");
    cleanup_.emplace(stack_);
    dir_.Write("src/token.txt", "kill-secret\n");
    dir_.Write("src/motd.txt", "welcome\n");
    dir_.Write("src/banner.txt", "banner\n");
  }
  void TearDown() override { testing::RemoveLockAndRevisions(stack_); }

  std::string NestLine(const std::string& args) { return testing::NestCommandLine(dir_.path(), kLeaseMs, args); }
  testing::CommandResult Nest(const std::string& args) { return testing::RunCommand(NestLine(args)); }

  // Starts `nest apply`, SIGKILLs it after `delay`; true when it was still
  // running then (false: it had finished, and *code is its exit code).
  bool ApplyAndKill(milliseconds delay, int* code) {
    const std::string line = NestLine("apply src --auto-approve") + " >'" + dir_.path() + "/killed.out' 2>&1";
    pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(delay);
    int status = 0;
    bool finished = waitpid(pid, &status, WNOHANG) == pid;
    if (!finished) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return !finished;
  }

  std::string Docker(const std::string& args) { return testing::RunCommand("docker " + args).out; }

  // Swarm's update state of the service ("" for none yet).
  std::string UpdateState() {
    return Docker("service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' " + stack_ + "_web");
  }
  // Waits (at most 60 s) until Swarm is not rolling the service out or back.
  void WaitUntilSettled() {
    for (int i = 0; i < 240; ++i) {
      std::string state = UpdateState();
      if (state.find("updating") == std::string::npos && state.find("rollback_started") == std::string::npos) return;
      std::this_thread::sleep_for(milliseconds(250));
    }
  }

  // Names of the stack's objects of one kind: labelled with the stack, or
  // named with its prefix (nest reads both).
  std::set<std::string> Objects(const std::string& kind) {
    std::string format = " --format '{{.Name}}'";
    auto named = Words(Docker(kind + " ls" + format + " --filter name=" + stack_ + "_"));
    auto labelled = Words(Docker(kind + " ls" + format + " --filter label=com.docker.stack.namespace=" + stack_));
    named.insert(labelled.begin(), labelled.end());
    std::set<std::string> exact;  // the name filter matches anywhere in the name
    for (const auto& name : named)
      if (name.rfind(stack_ + "_", 0) == 0 || labelled.count(name)) exact.insert(name);
    return exact;
  }

  // Everything of the stack is what the configuration names: one service,
  // one network, and exactly the secrets and configs the service uses.
  void ExpectNothingOrphaned(int round) {
    const std::string service = stack_ + "_web";
    EXPECT_EQ(Objects("service"), std::set<std::string>{service}) << "round " << round;
    EXPECT_EQ(Objects("network"), std::set<std::string>{stack_ + "_back"}) << "round " << round;
    auto used_secrets = Words(Docker("service inspect --format "
                                     "'{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}} {{end}}' " +
                                     service));
    auto used_configs = Words(Docker("service inspect --format "
                                     "'{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{end}}' " +
                                     service));
    EXPECT_EQ(used_secrets.size(), 1u) << Joined(used_secrets);
    EXPECT_EQ(used_configs.size(), round % 2 == 1 ? 2u : 1u) << Joined(used_configs);
    EXPECT_EQ(Joined(Objects("secret")), Joined(used_secrets)) << "round " << round;
    EXPECT_EQ(Joined(Objects("config")), Joined(used_configs)) << "round " << round;
    EXPECT_EQ(Docker("config ls -q --filter name=nest-lock-" + stack_), "") << "round " << round;
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyKillEngineTest, KilledAtRandomPointsTheRerunConvergesAndLeavesNothing) {
  NEST_REQUIRE_SWARM();
  unsigned seed = static_cast<unsigned>(std::time(nullptr));
  if (const char* given = std::getenv("NEST_KILL_SEED")) seed = static_cast<unsigned>(std::strtoul(given, nullptr, 10));
  std::printf("[ kill seed ] NEST_KILL_SEED=%u\n", seed);
  std::fflush(stdout);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> within(0, kApplyMs / kRounds - 1);
  std::vector<int> delays;
  for (int round = 0; round < kRounds; ++round) delays.push_back(round * kApplyMs / kRounds + within(random));
  std::shuffle(delays.begin(), delays.end(), random);

  int killed_count = 0, takeovers = 0, unsettled = 0;
  for (int round = 0; round < kRounds; ++round) {
    dir_.Write("src/stack.nest", Source(stack_, round));
    int code = 0;
    auto started = std::chrono::steady_clock::now();
    bool killed = ApplyAndKill(milliseconds(delays[round]), &code);
    killed_count += killed;

    // The killed run's lock is stale one lease after its last renewal; an
    // earlier rerun is refused, and says so.
    testing::CommandResult rerun;
    int refusals = 0;
    for (;;) {
      rerun = Nest("apply src --auto-approve");
      if (rerun.exit_code == 0 || rerun.err.find("is locked") == std::string::npos || refusals == 10) break;
      ++refusals;
      std::this_thread::sleep_for(milliseconds(500));
    }
    bool took_over = rerun.err.find("took over the stale lock") != std::string::npos;
    takeovers += took_over;
    auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    std::printf("[ round %d ] kill after %d ms: %s; rerun exit %d after %d refusal(s)%s; round took %lld ms\n",
                round, delays[round], killed ? "killed" : ("had finished with exit " + std::to_string(code)).c_str(),
                rerun.exit_code, refusals, took_over ? ", took over the stale lock" : "",
                static_cast<long long>(took.count()));
    ASSERT_EQ(rerun.exit_code, 0) << "round " << round << "\nkilled run:\n"
                                  << testing::ReadFileText(dir_.path() + "/killed.out") << "\nrerun:\n"
                                  << rerun.out << rerun.err;
    auto plan = Nest("plan src --detailed-exitcode");
    EXPECT_EQ(plan.exit_code, 0) << "round " << round << "\n" << plan.out << plan.err;
    EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
    EXPECT_EQ(Docker("service inspect --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' " + stack_ + "_web"),
              "[\"ROUND=" + std::to_string(round) + "\"]\n");
    ExpectNothingOrphaned(round);
    if (HasFailure()) break;
    // A run killed after its update was sent leaves Swarm rolling it out:
    // the rerun plans no change for the service but waits for the rollout
    // to converge. Swarm may still say "updating" for its own monitor
    // window after that (counted and printed; the next round starts once
    // Swarm is done).
    std::string state = UpdateState();
    if (state.find("updating") != std::string::npos) {
      ++unsettled;
      std::printf("[ round %d ] the rerun exited 0 while Swarm was still updating the service\n", round);
    }
    WaitUntilSettled();
    std::fflush(stdout);
  }
  std::printf("[ kill ] %d of %d runs killed mid-apply, %d stale lock(s) taken over, "
              "%d rerun(s) exited converged before Swarm marked the update completed\n",
              killed_count, kRounds, takeovers, unsettled);
  // Most kill points fall inside an apply (the last tenth may miss it).
  EXPECT_GE(killed_count, kRounds / 2);
}

// Killed right after the update of a slow rollout was sent (three tasks,
// one at a time, 2 s apart): Swarm carries on alone. The rerun has nothing
// to change, and still must not exit 0 until the rollout has converged.
TEST_F(ApplyKillEngineTest, ARerunWaitsForTheRolloutAKilledApplyLeftRunning) {
  NEST_REQUIRE_SWARM();
  testing::HttpdStack web;
  web.stack = stack_;
  web.env_name = "VERSION";
  web.replicas = 3;
  web.update_parallelism = 1;
  web.update_delay = "2s";
  web.env_value = "1";
  dir_.Write("src/stack.nest", testing::HttpdStackSource(web));
  auto created = Nest("apply src --auto-approve");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  web.env_value = "2";
  dir_.Write("src/stack.nest", testing::HttpdStackSource(web));
  const std::string line = NestLine("apply src --auto-approve") + " >'" + dir_.path() + "/killed.out' 2>&1";
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::string env_format = "service inspect --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' " + stack_ + "_web";
  bool sent = false;
  for (int i = 0; i < 400 && !sent; ++i) {
    sent = Docker(env_format) == "[\"VERSION=2\"]\n";
    if (!sent) std::this_thread::sleep_for(milliseconds(25));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(sent) << "the update was never sent:\n" << testing::ReadFileText(dir_.path() + "/killed.out");
  auto killed_at = std::chrono::steady_clock::now();
  // Swarm's updater takes the update over at once.
  std::string state;
  for (int i = 0; i < 40 && state.find("updating") == std::string::npos; ++i) {
    state = UpdateState();
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_NE(state.find("updating"), std::string::npos) << "Swarm is not rolling the update out: " << state;

  // The killed run's lock goes stale after one lease.
  testing::CommandResult rerun;
  for (int refusals = 0; refusals < 10; ++refusals) {
    rerun = Nest("apply src --auto-approve");
    if (rerun.exit_code == 0 || rerun.err.find("is locked") == std::string::npos) break;
    std::this_thread::sleep_for(milliseconds(500));
  }
  auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - killed_at);
  std::printf("[ rerun ] exited %d %lld ms after the kill\n", rerun.exit_code, static_cast<long long>(took.count()));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("service.web: Waiting for the rollout in progress on the engine..."), std::string::npos)
      << rerun.out;
  EXPECT_NE(rerun.out.find("service.web: Rollout complete"), std::string::npos) << rerun.out;
  EXPECT_NE(rerun.out.find("Apply complete! Resources: 0 added, 0 changed, 0 destroyed."), std::string::npos)
      << rerun.out;
  // Converged when it exited: three running tasks, all of the new spec.
  std::string tasks = Docker("service ps -q --filter desired-state=running " + stack_ + "_web");
  std::string ids;
  for (const auto& id : Words(tasks)) ids += " " + id;
  ASSERT_EQ(Words(tasks).size(), 3u) << tasks;
  std::string seen = Docker("inspect --format '{{.Status.State}} {{json .Spec.ContainerSpec.Env}}'" + ids);
  EXPECT_EQ(seen, "running [\"VERSION=2\"]\nrunning [\"VERSION=2\"]\nrunning [\"VERSION=2\"]\n");
  // Three one-at-a-time batches 2 s apart, each waiting for a health check:
  // the rollout outlasts the lease, so an exit this late means a wait.
  EXPECT_GE(took.count(), 4000);
}

}  // namespace
}  // namespace nest
