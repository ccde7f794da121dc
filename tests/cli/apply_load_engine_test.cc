// A rolling update by `nest apply` under continuous load loses no request.
//
// Two dnsrr replicas, start-first, one at a time, behind a health check; the
// app keeps serving 3 s after SIGTERM (as a real server drains), and Swarm
// waits longer than that before SIGKILL. A client container on the stack's
// attachable overlay network resolves the service name for every request.
// The apply changes an env value, so every task is replaced while the client
// counts: it must see no failure at all.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/cli/apply_stack_fixture.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using std::chrono::milliseconds;

// One task at a time, on an attachable network the client joins; each task
// drains for 3 s after SIGTERM, and Swarm waits 6 s before SIGKILL.
std::string Source(const std::string& stack, const std::string& version) {
  testing::HttpdStack web;
  web.stack = stack;
  web.env_name = "VERSION";
  web.env_value = version;
  web.secret_and_config = false;
  web.attachable = true;
  web.drain_on_term = true;
  web.stop_grace_period = "6s";
  web.update_parallelism = 1;
  return testing::HttpdStackSource(web);
}

// The client: one request at a time, each resolving `web` afresh, until
// /stop appears or 120 s or 50,000 requests have passed; then its counts.
// "ready" once the first request was answered.
std::string ClientScript() {
  return "ok=0; fail=0; n=0; end=$(( $(date +%s) + 120 )); "
         "while [ ! -e /stop ] && [ $n -lt 50000 ] && [ $(date +%s) -lt $end ]; do "
         "n=$((n+1)); "
         "if timeout 3 wget -q -O - http://web:8080/index.html >/dev/null 2>&1; then ok=$((ok+1)); "
         "[ $ok -eq 1 ] && echo ready; "
         "else fail=$((fail+1)); echo \"failure at request $n\"; fi; "
         "done; echo \"ok=$ok fail=$fail\"";
}

class ApplyLoadEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("load");
    client_ = stack_ + "-client";
    cleanup_.emplace(stack_);
  }
  void TearDown() override {
    // Before the stack's clean-up: the client holds an endpoint on its network.
    testing::RunCommand("docker rm -f " + client_ + " >/dev/null 2>&1");
    testing::RemoveLockAndRevisions(stack_);
  }

  testing::CommandResult Apply(const std::string& version) {
    dir_.Write("src/stack.nest", Source(stack_, version));
    return testing::RunCommand(testing::NestCommandLine(dir_.path(), 5000, "apply src --auto-approve"));
  }

  std::string stack_, client_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyLoadEngineTest, ARollingUpdateUnderLoadFailsNoRequest) {
  NEST_REQUIRE_SWARM();
  auto created = Apply("1");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  auto started = testing::RunCommand("docker run -d --name " + client_ + " --network " + stack_ + "_back " +
                                     test_support::kTestImage + " sh -c '" + ClientScript() + "'");
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string logs;
  for (int i = 0; i < 100 && logs.find("ready") == std::string::npos; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    logs = testing::RunCommand("docker logs " + client_ + " 2>&1").out;
  }
  ASSERT_NE(logs.find("ready"), std::string::npos) << "the client never got an answer:\n" << logs;

  auto before = std::chrono::steady_clock::now();
  auto updated = Apply("2");
  auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - before);
  EXPECT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  auto env = testing::RunCommand("docker service inspect --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' " +
                                 stack_ + "_web");
  EXPECT_EQ(env.out, "[\"VERSION=2\"]\n");
  // The old tasks drain for 3 s after the update converged: keep the load
  // on past that, then stop the client and read its counts.
  std::this_thread::sleep_for(milliseconds(4000));
  testing::RunCommand("docker exec " + client_ + " touch /stop");
  auto waited = testing::RunCommand("timeout 30 docker wait " + client_);
  EXPECT_EQ(waited.out, "0\n") << waited.err;
  logs = testing::RunCommand("docker logs " + client_ + " 2>&1").out;

  std::smatch counts;
  ASSERT_TRUE(std::regex_search(logs, counts, std::regex(R"(ok=(\d+) fail=(\d+))"))) << logs;
  long ok = std::stol(counts[1]), failed = std::stol(counts[2]);
  std::printf("[ load ] apply took %lld ms; requests answered %ld, failed %ld\n",
              static_cast<long long>(took.count()), ok, failed);
  EXPECT_EQ(failed, 0) << logs;
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace nest
