// A stack's services as they run, from the Engine's service, task and
// container listings: counts, health, update state, the containers to measure.
#include "providers/swarm/service_runtime.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nest::swarm {
namespace {

using nlohmann::json;

json Services() {
  return json::parse(R"([
    {"ID":"s1","Version":{"Index":42},
     "Spec":{"Name":"shop_web","Labels":{"nest.address":"service.web","nest.autoscale.min":"1"},
             "Mode":{"Replicated":{"Replicas":3}},
             "TaskTemplate":{"ContainerSpec":{"Image":"shop/web:1@sha256:abc"},
                             "Resources":{"Limits":{"NanoCPUs":500000000}}}},
     "UpdateStatus":{"State":"rollback_completed","Message":"rollback completed"}},
    {"ID":"s2","Spec":{"Name":"shop_agent","Mode":{"Global":{}},
                       "TaskTemplate":{"ContainerSpec":{"Image":"agent:2"}}}}
  ])");
}

json Task(const char* service, const char* node, const char* state, const char* container) {
  return {{"ServiceID", service},
          {"NodeID", node},
          {"DesiredState", "running"},
          {"Status", {{"State", state}, {"ContainerStatus", {{"ContainerID", container}}}}}};
}

TEST(ServiceRuntime, CountsRunningAndHealthyTasks) {
  json tasks = json::array({Task("s1", "n1", "running", "c1"), Task("s1", "n1", "running", "c2"),
                            Task("s1", "n1", "starting", "c3"), Task("s2", "n1", "running", "c4"),
                            Task("s2", "n2", "running", "c5")});
  json containers = json::parse(R"json([
    {"Id":"c1","Status":"Up 3 minutes (healthy)"},
    {"Id":"c2","Status":"Up 2 seconds (health: starting)"},
    {"Id":"c4","Status":"Up 1 minute"}])json");
  std::vector<ServiceRuntime> runtimes = SummarizeServices(Services(), tasks, containers);
  ASSERT_EQ(runtimes.size(), 2u);
  const ServiceRuntime& agent = runtimes[0];
  const ServiceRuntime& web = runtimes[1];
  EXPECT_EQ(web.name, "shop_web");
  EXPECT_EQ(web.address, "service.web");
  EXPECT_EQ(web.version, 42);
  EXPECT_EQ(web.image, "shop/web:1");
  EXPECT_EQ(web.desired, 3);
  EXPECT_EQ(web.running, 2);
  EXPECT_EQ(web.healthy, 1);  // c2 is still starting its health check
  EXPECT_DOUBLE_EQ(web.cpu_limit, 0.5);
  EXPECT_EQ(web.update_state, "rollback_completed");
  EXPECT_EQ(web.labels.at("nest.autoscale.min"), "1");
  EXPECT_EQ(web.running_containers, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_FALSE(web.Healthy());
  // Global: one task per node; c5 runs on another node, trusted to Swarm.
  EXPECT_EQ(agent.mode, "global");
  EXPECT_EQ(agent.desired, 2);
  EXPECT_EQ(agent.running, 2);
  EXPECT_EQ(agent.healthy, 2);
  EXPECT_TRUE(agent.Healthy());
}

TEST(ServiceRuntime, ARolledBackOrPausedUpdateIsUnhealthyEvenWithEveryTaskUp) {
  ServiceRuntime s;
  s.desired = s.running = s.healthy = 2;
  EXPECT_TRUE(s.Healthy());
  s.update_state = "paused";
  EXPECT_FALSE(s.Healthy());
  s.update_state = "completed";
  EXPECT_TRUE(s.Healthy());
}

TEST(ServiceRuntime, UnexpectedShapesCountAsNotRunning) {
  json tasks = json::parse(R"([{"ServiceID":"s1"}, 7, {"ServiceID":"nope","DesiredState":"running"}])");
  std::vector<ServiceRuntime> runtimes = SummarizeServices(json::parse(R"([{"ID":"s1"}, "x", {}])"), tasks, json::object());
  ASSERT_EQ(runtimes.size(), 1u);
  EXPECT_EQ(runtimes[0].running, 0);
  EXPECT_EQ(runtimes[0].desired, 0);
  EXPECT_TRUE(SummarizeServices(json(), json(), json()).empty());
}

}  // namespace
}  // namespace nest::swarm
