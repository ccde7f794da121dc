// A rolling update by `nest apply --platform compose` under continuous load:
// Compose itself stops a service's containers before it starts their
// replacements (docker/compose#1786), nest starts first.
//
// Two replicas, start-first, one at a time, behind a health check; the app
// keeps serving 3 s after SIGTERM (as a real server drains). A client
// container on the project's network resolves the service name (each
// container's alias) for every request, so it reaches old and new
// containers alike during the overlap. The apply changes an env value, so
// every container is replaced while the client counts.
//
// Docker's embedded DNS resolves the service name to an endpoint from the
// moment it exists until it is deleted, and a disconnect removes the
// interface before the record. So nest starts each new container under its
// own name only and gives it the service alias once it is healthy, and
// takes the alias off each old container (recreating its endpoint at the
// same address) before its stop: no client is sent to a container that
// cannot answer (providers/compose/service_dns.h). The test asserts that
// not one request fails and prints the counts; a failure line carries
// wget's reason (refused, timed out, name not resolved).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using std::chrono::milliseconds;

std::string Source(const std::string& stack, const std::string& version) {
  return R"(stack ")" + stack + R"(" {}

network "back" {}

service "web" {
  image    = "nest-test/busybox:1"
  command  = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && httpd -f -p 8080 -h /www & pid=$!; trap 'sleep 3; kill $pid' TERM; wait $pid; wait $pid"]
  replicas = 2
  networks = [network.back]
  env      = { VERSION = ")" + version + R"(" }

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/index.html || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    init              = true
    stop_grace_period = 6s
  }

  deploy "rolling" {
    parallelism = 1
    order       = start-first
  }
}
)";
}

// One request at a time, each resolving `web` afresh, until /stop appears
// or 120 s or 50,000 requests have passed; then its counts.
std::string ClientScript() {
  return "ok=0; fail=0; n=0; end=$(( $(date +%s) + 120 )); "
         "while [ ! -e /stop ] && [ $n -lt 50000 ] && [ $(date +%s) -lt $end ]; do "
         "n=$((n+1)); "
         "why=$(timeout 3 wget -q -O /dev/null http://web:8080/index.html 2>&1); rc=$?; "
         "if [ $rc -eq 0 ]; then ok=$((ok+1)); [ $ok -eq 1 ] && echo ready; "
         "else fail=$((fail+1)); echo \"failure at request $n: exit $rc $why\"; fi; "
         "done; echo \"ok=$ok fail=$fail\"";
}

class ApplyComposeLoadEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("cload");
    client_ = stack_ + "-client";
    cleanup_.emplace(stack_);
  }
  void TearDown() override {
    testing::RunCommand("docker rm -f " + client_ + " >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_ + " | xargs -r docker volume rm >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-rev-" + stack_ + "- | xargs -r docker volume rm >/dev/null 2>&1");
  }

  testing::CommandResult Apply(const std::string& version) {
    dir_.Write("src/stack.nest", Source(stack_, version));
    return testing::RunCommand("cd '" + dir_.path() + "' && NEST_LOCK_LEASE_MS=5000 '" NEST_BINARY
                               "' apply src --platform compose --auto-approve </dev/null");
  }

  std::string stack_, client_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyComposeLoadEngineTest, ARollingUpdateUnderLoadLosesNoRequest) {
  NEST_REQUIRE_ENGINE();
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
  auto env = testing::RunCommand("docker ps --filter label=com.docker.compose.project=" + stack_ +
                                 " --format '{{.Names}}' | xargs -r -n1 docker inspect --format '{{json .Config.Env}}' "
                                 "| grep -c VERSION=2");
  EXPECT_EQ(env.out, "2\n");
  // Keep the load on a moment after the apply, then read the counts.
  std::this_thread::sleep_for(milliseconds(2000));
  testing::RunCommand("docker exec " + client_ + " touch /stop");
  auto waited = testing::RunCommand("timeout 30 docker wait " + client_);
  EXPECT_EQ(waited.out, "0\n") << waited.err;
  logs = testing::RunCommand("docker logs " + client_ + " 2>&1").out;

  std::smatch counts;
  ASSERT_TRUE(std::regex_search(logs, counts, std::regex(R"(ok=(\d+) fail=(\d+))"))) << logs;
  long ok = std::stol(counts[1]), failed = std::stol(counts[2]);
  std::printf("[ load ] compose apply took %lld ms; requests answered %ld, failed %ld\n",
              static_cast<long long>(took.count()), ok, failed);
  EXPECT_EQ(failed, 0) << "requests failed during the rolling update (exit 143: timed out):\n" << logs;
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace nest
