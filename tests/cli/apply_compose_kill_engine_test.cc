// `nest apply --platform compose` killed with -9 at seeded points, then run
// again: the rerun takes over the stale lock, finishes the rollout from
// whatever containers it finds, `nest plan` says No changes, and no
// container is left over (none moved aside, none of an old spec, none
// beyond the replicas).
//
// One project, six kill points spread over an apply's duration. Each round
// changes the web service's env (every container is replaced, start-first)
// and adds or removes a second service. NEST_KILL_SEED=N reruns a sequence.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using std::chrono::milliseconds;

constexpr int kRounds = 6;
// About how long one round's apply takes here: two containers replaced one
// at a time, each healthy after ~1-2 s and its predecessor stopped in 1 s.
constexpr int kApplyMs = 6000;
constexpr int kLeaseMs = 2000;

std::string Source(const std::string& stack, int round) {
  std::string text = R"(stack ")" + stack + R"(" {}

network "back" {}

service "web" {
  image    = "nest-test/busybox:1"
  command  = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
  replicas = 2
  networks = [network.back]
  env      = { ROUND = ")" + std::to_string(round) + R"(" }

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/index.html || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    init              = true
    stop_grace_period = 1s
  }

  deploy "rolling" {
    parallelism = 1
    order       = start-first
  }
}
)";
  if (round % 2 == 1) text += R"(
service "sidecar" {
  image    = "nest-test/busybox:1"
  command  = ["sleep", "3600"]
  networks = [network.back]

  security {
    init              = true
    stop_grace_period = 1s
  }
}
)";
  return text;
}

class ApplyComposeKillEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("ckill");
    cleanup_.emplace(stack_);
  }
  void TearDown() override {
    testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_ + " | xargs -r docker volume rm >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-rev-" + stack_ + "- | xargs -r docker volume rm >/dev/null 2>&1");
  }

  std::string NestLine(const std::string& args) {
    return "cd '" + dir_.path() + "' && NEST_LOCK_LEASE_MS=" + std::to_string(kLeaseMs) + " exec '" NEST_BINARY
           "' " + args + " </dev/null";
  }
  testing::CommandResult Nest(const std::string& args) { return testing::RunCommand(NestLine(args)); }

  // Starts `nest apply`, SIGKILLs it after `delay`; true when it was still
  // running then.
  bool ApplyAndKill(milliseconds delay, int* code) {
    const std::string line = NestLine("apply src --platform compose --auto-approve") + " >'" + dir_.path() +
                             "/killed.out' 2>&1";
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

  // "name ROUND=n" per container of the project, sorted.
  std::string Containers() {
    return testing::RunCommand("docker ps -a --filter label=com.docker.compose.project=" + stack_ +
                               " --format '{{.Names}}' | sort | while read n; do echo \"$n $(docker inspect --format "
                               "'{{.State.Status}} {{range .Config.Env}}{{if eq (slice . 0 5) \"ROUND\"}}{{.}}{{end}}{{end}}' $n)\"; done")
        .out;
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyComposeKillEngineTest, KilledAtSeededPointsTheRerunConvergesAndLeavesNoContainer) {
  NEST_REQUIRE_ENGINE();
  unsigned seed = static_cast<unsigned>(std::time(nullptr));
  if (const char* given = std::getenv("NEST_KILL_SEED")) seed = static_cast<unsigned>(std::strtoul(given, nullptr, 10));
  std::printf("[ kill seed ] NEST_KILL_SEED=%u\n", seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> within(0, kApplyMs / kRounds - 1);
  std::vector<int> delays;
  for (int round = 0; round < kRounds; ++round) delays.push_back(round * kApplyMs / kRounds + within(random));
  std::shuffle(delays.begin(), delays.end(), random);

  int killed_count = 0, takeovers = 0;
  for (int round = 0; round < kRounds; ++round) {
    dir_.Write("src/stack.nest", Source(stack_, round));
    int code = 0;
    bool killed = ApplyAndKill(milliseconds(delays[round]), &code);
    killed_count += killed;
    std::string left = Containers();

    testing::CommandResult rerun;
    int refusals = 0;
    for (;;) {
      rerun = Nest("apply src --platform compose --auto-approve");
      if (rerun.exit_code == 0 || rerun.err.find("is locked") == std::string::npos || refusals == 10) break;
      ++refusals;
      std::this_thread::sleep_for(milliseconds(500));
    }
    bool took_over = rerun.err.find("took over the stale lock") != std::string::npos;
    takeovers += took_over;
    std::printf("[ round %d ] kill after %d ms: %s; rerun exit %d after %d refusal(s)%s\n", round, delays[round],
                killed ? "killed" : ("had finished with exit " + std::to_string(code)).c_str(), rerun.exit_code,
                refusals, took_over ? ", took over the stale lock" : "");
    ASSERT_EQ(rerun.exit_code, 0) << "round " << round << "\nleft by the killed run:\n" << left << "\nkilled run:\n"
                                  << testing::ReadFileText(dir_.path() + "/killed.out") << "\nrerun:\n"
                                  << rerun.out << rerun.err;
    auto plan = Nest("plan src --platform compose --detailed-exitcode");
    EXPECT_EQ(plan.exit_code, 0) << "round " << round << "\n" << plan.out << plan.err;
    const std::string r = "ROUND=" + std::to_string(round);
    std::string expected = stack_ + "_sidecar_1 running \n";
    if (round % 2 == 0) expected.clear();
    std::string now = Containers();
    // Exactly two web containers of this round, under Compose's names
    // (numbers may move: a replacement takes a free one when its
    // predecessor's is taken), and the sidecar only in odd rounds.
    std::istringstream lines(now);
    int web = 0, sidecar = 0, other = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(stack_ + "_web_", 0) == 0 && line.find(" running " + r) != std::string::npos) {
        ++web;
      } else if (line.rfind(stack_ + "_sidecar_1 running", 0) == 0) {
        ++sidecar;
      } else {
        ++other;
      }
    }
    EXPECT_EQ(web, 2) << "round " << round << "\nleft by the killed run:\n" << left << "now:\n" << now;
    EXPECT_EQ(sidecar, round % 2) << now;
    EXPECT_EQ(other, 0) << "round " << round << "\nleft by the killed run:\n" << left << "now:\n" << now;
    EXPECT_EQ(testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_).out, "");
    if (HasFailure()) break;
    std::fflush(stdout);
  }
  std::printf("[ kill ] %d of %d runs killed mid-apply, %d stale lock(s) taken over\n", killed_count, kRounds,
              takeovers);
  EXPECT_GE(killed_count, kRounds / 2);
}

}  // namespace
}  // namespace nest
