// `nest autoscale` when the daemon fails: the fake engine serves one
// autoscaled service, its task and the container's stats, then goes away
// mid-run. Each round that cannot read the stack is an `error` event; the
// autoscaler keeps running and stops cleanly on SIGINT. --once against no
// daemon exits 1 with the same event.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/support/fake_engine.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using nest::testing::FakeEngine;
using nest::testing::FakeReply;

constexpr const char* kService = R"([{"ID":"svc1","Version":{"Index":5},
  "Spec":{"Name":"shop_web","Labels":{"com.docker.stack.namespace":"shop","nest.address":"service.web",
          "nest.autoscale.min":"1","nest.autoscale.max":"3","nest.autoscale.cpu":"50%"},
          "Mode":{"Replicated":{"Replicas":1}},
          "TaskTemplate":{"ContainerSpec":{"Image":"shop/web:1"},"Resources":{"Limits":{"NanoCPUs":1000000000}}}}}])";
constexpr const char* kTasks = R"([{"ID":"t1","ServiceID":"svc1","NodeID":"n1","DesiredState":"running",
  "Status":{"State":"running","ContainerStatus":{"ContainerID":"c1"}}}])";
// A fifth of a core of 2.
constexpr const char* kStats = R"({"cpu_stats":{"cpu_usage":{"total_usage":1400000000},"system_cpu_usage":12000000000,
  "online_cpus":2},"precpu_stats":{"cpu_usage":{"total_usage":1200000000},"system_cpu_usage":10000000000},
  "memory_stats":{"usage":1048576,"limit":104857600,"stats":{"total_inactive_file":0}}})";

void ServeOneAutoscaledService(FakeEngine& fake) {
  fake.On("GET", "/services", FakeReply::Json(200, kService));
  fake.On("GET", "/tasks", FakeReply::Json(200, kTasks));
  fake.On("GET", "/containers/json", FakeReply::Json(200, "[]"));
  fake.On("GET", "/containers/c1/stats", FakeReply::Json(200, kStats));
  fake.On("GET", "/configs", FakeReply::Json(200, "[]"));
  fake.On("GET", "/info", FakeReply::Json(200, R"({"SystemTime":"2031-01-01T00:00:01Z"})"));
}

testing::CommandResult Autoscale(const std::string& docker_host, const std::string& args) {
  return testing::RunCommand("DOCKER_HOST='" + docker_host + "' '" NEST_BINARY "' autoscale --stack shop " + args +
                             " </dev/null");
}

TEST(AutoscaleFakeEngineTest, OneRoundMeasuresAndHolds) {
  FakeEngine fake;
  ServeOneAutoscaledService(fake);
  auto once = Autoscale(fake.address(), "--once --json");
  EXPECT_EQ(once.exit_code, 0) << once.out << once.err;
  // 0.2 cores of a 1-core limit: 20%, below 50%, and no down threshold.
  EXPECT_NE(once.out.find(R"("event":"hold","service":"shop_web","address":"service.web","from":1,"to":1,"cpu":20.0)"),
            std::string::npos)
      << once.out;
}

TEST(AutoscaleFakeEngineTest, ADaemonThatGoesAwayIsAnEventAndTheLoopGoesOn) {
  auto fake = std::make_unique<FakeEngine>();
  ServeOneAutoscaledService(*fake);
  testing::TempDir dir;
  const std::string log = dir.path() + "/events.jsonl";
  auto started = testing::RunCommand("{ DOCKER_HOST='" + fake->address() + "' '" NEST_BINARY
                                     "' autoscale --stack shop --interval 500ms --json >'" + log +
                                     "' 2>&1 </dev/null & echo $!; }");
  ASSERT_EQ(started.exit_code, 0);
  const std::string pid = started.out.substr(0, started.out.find('\n'));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  fake.reset();  // the daemon goes away
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_EQ(testing::RunCommand("kill -0 " + pid).exit_code, 0) << "the autoscaler died:\n" << testing::ReadFileText(log);
  testing::RunCommand("kill -INT " + pid);
  for (int i = 0; i < 50 && testing::RunCommand("kill -0 " + pid).exit_code == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(testing::RunCommand("kill -0 " + pid).exit_code, 0) << "SIGINT did not stop it";
  testing::RunCommand("kill -9 " + pid + " 2>/dev/null");
  std::string events = testing::ReadFileText(log);
  EXPECT_NE(events.find(R"("event":"hold")"), std::string::npos) << events;
  EXPECT_NE(events.find(R"("event":"error")"), std::string::npos) << events;
  EXPECT_NE(events.find("cannot reach the Docker Engine"), std::string::npos) << events;
}

TEST(AutoscaleFakeEngineTest, OnceAgainstNoDaemonExitsOne) {
  auto once = Autoscale("unix:///nonexistent/docker.sock", "--once");
  EXPECT_EQ(once.exit_code, 1) << once.out << once.err;
  EXPECT_NE(once.out.find("nest autoscale: error: cannot reach the Docker Engine"), std::string::npos) << once.out;
}

TEST(AutoscaleFakeEngineTest, AStackWithoutPoliciesSaysSo) {
  FakeEngine fake;
  ServeOneAutoscaledService(fake);
  fake.On("GET", "/services", FakeReply::Json(200, "[]"));
  auto once = Autoscale(fake.address(), "--once");
  EXPECT_EQ(once.exit_code, 0) << once.out << once.err;
  EXPECT_NE(once.out.find("nest autoscale: idle: no service of stack shop has an autoscale policy"), std::string::npos)
      << once.out;
}

TEST(AutoscaleFakeEngineTest, AMalformedPolicyLabelIsAnErrorEvent) {
  FakeEngine fake;
  ServeOneAutoscaledService(fake);
  std::string service = kService;
  service.replace(service.find("\"50%\""), 5, "\"lots\"");
  fake.On("GET", "/services", FakeReply::Json(200, service));
  auto once = Autoscale(fake.address(), "--once");
  EXPECT_EQ(once.exit_code, 1) << once.out << once.err;
  EXPECT_NE(once.out.find("shop_web: error: the label nest.autoscale.cpu is `lots`"), std::string::npos) << once.out;
}

}  // namespace
}  // namespace nest
