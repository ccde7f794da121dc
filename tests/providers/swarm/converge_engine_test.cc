// WaitForConvergence against the real engine: a healthy service converges;
// a health check that fails on update with failure_action rollback is a
// failure naming the unhealthy task, with the old spec live again; a missing
// image is a failure naming "No such image". Health checks every second and
// 1 s monitor windows keep each case within seconds.
#include <iostream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/swarm/converge_wait.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using test_support::LocalClient;

constexpr std::int64_t kSecond = 1000000000;

json HealthySpec(const std::string& name, const std::string& stack, int replicas) {
  return {{"Name", name},
          {"Labels", {{"com.docker.stack.namespace", stack}}},
          {"TaskTemplate",
           {{"ContainerSpec",
             {{"Image", test_support::kTestImage},
              {"Args", {"sleep", "3600"}},
              {"Init", true},
              {"StopGracePeriod", kSecond},
              {"Healthcheck", {{"Test", {"CMD-SHELL", "true"}}, {"Interval", kSecond}, {"Timeout", 3 * kSecond}, {"Retries", 1}}}}},
            {"RestartPolicy", {{"Condition", "any"}, {"Delay", kSecond}}}}},
          {"Mode", {{"Replicated", {{"Replicas", replicas}}}}},
          {"UpdateConfig", {{"Parallelism", 1}, {"FailureAction", "rollback"}, {"Monitor", kSecond}, {"Order", "start-first"}}},
          {"RollbackConfig", {{"Parallelism", 0}, {"FailureAction", "pause"}, {"Monitor", kSecond}, {"Order", "start-first"}}},
          {"EndpointSpec", {{"Mode", "dnsrr"}}}};
}

std::string Create(engine::EngineClient& client, const json& spec) {
  auto created = client.Post("/services/create", spec, "creating a test service");
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().Describe());
  return created.ok() ? created.value().value("ID", "") : "";
}

WaitOptions Options(milliseconds timeout) {
  WaitOptions options;
  options.timeout = timeout;
  return options;
}

TEST(ConvergeEngineTest, AHealthyServiceConverges) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("conv-ok");
  test_support::StackCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();
  std::string id = Create(client, HealthySpec(stack + "_web", stack, 2));
  ASSERT_FALSE(id.empty());
  int reports = 0;
  WaitOptions options = Options(milliseconds(60000));
  options.on_progress = [&](const WaitProgress&) { ++reports; };
  WaitResult result = WaitForConvergence(client, id, options);
  EXPECT_EQ(result.outcome, WaitOutcome::kConverged) << result.message;
  EXPECT_EQ(result.status.ready, 2);
  EXPECT_EQ(result.message, "service " + stack + "_web converged (2/2 running)");
  EXPECT_GE(result.elapsed, milliseconds(1000));  // at least the monitor window
  EXPECT_GE(reports, 1);
  std::cout << "[ converge ] healthy 2-replica service converged in " << result.elapsed.count() << " ms, "
            << result.polls << " polls\n";
}

TEST(ConvergeEngineTest, AFailingHealthCheckIsRolledBackAndReportedWithTheReason) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("conv-rb");
  test_support::StackCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();
  std::string id = Create(client, HealthySpec(stack + "_web", stack, 1));
  ASSERT_FALSE(id.empty());
  WaitResult first = WaitForConvergence(client, id, Options(milliseconds(60000)));
  ASSERT_EQ(first.outcome, WaitOutcome::kConverged) << first.message;

  auto live = client.Get("/services/" + id, "reading the test service");
  ASSERT_TRUE(live.ok());
  json spec = live.value()["Spec"];
  spec["TaskTemplate"]["ContainerSpec"]["Healthcheck"]["Test"] = {"CMD-SHELL", "exit 1"};
  std::int64_t version = live.value()["Version"]["Index"];
  auto updated = client.Post("/services/" + id + "/update?version=" + std::to_string(version), spec,
                             "updating the test service");
  ASSERT_TRUE(updated.ok()) << updated.error().Describe();

  WaitResult result = WaitForConvergence(client, id, Options(milliseconds(60000)));
  EXPECT_EQ(result.outcome, WaitOutcome::kFailed) << result.message;
  EXPECT_EQ(result.status.update_state, "rollback_completed") << result.message;
  EXPECT_FALSE(result.status.rolling_back);
  EXPECT_NE(result.message.find("service " + stack + "_web: rollback_completed: update rolled back due to failure"),
            std::string::npos)
      << result.message;
  EXPECT_NE(result.message.find("dockerexec: unhealthy container"), std::string::npos) << result.message;
  // The previous spec is live again.
  auto after = client.Get("/services/" + id, "reading the test service");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value()["Spec"]["TaskTemplate"]["ContainerSpec"]["Healthcheck"]["Test"],
            json({"CMD-SHELL", "true"}));
  std::cout << "[ converge ] rollback reported " << result.elapsed.count() << " ms after the update: "
            << result.message << "\n";
}

TEST(ConvergeEngineTest, AMissingImageIsReportedAsNoSuchImage) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("conv-img");
  test_support::StackCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();
  json spec = HealthySpec(stack + "_web", stack, 1);
  spec["TaskTemplate"]["ContainerSpec"]["Image"] = "nest-test/does-not-exist:" + stack;
  std::string id = Create(client, spec);
  ASSERT_FALSE(id.empty());
  WaitResult result = WaitForConvergence(client, id, Options(milliseconds(60000)));
  EXPECT_EQ(result.outcome, WaitOutcome::kFailed) << result.message;
  EXPECT_NE(result.message.find("No such image: nest-test/does-not-exist:" + stack), std::string::npos)
      << result.message;
  std::cout << "[ converge ] missing image reported in " << result.elapsed.count() << " ms: " << result.message
            << "\n";
}

}  // namespace
}  // namespace nest::swarm
