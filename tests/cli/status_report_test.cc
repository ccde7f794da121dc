// `nest status`'s report from a plan and the services as they run: health,
// presence, drift, the last apply and the autoscale lines, in text and JSON.
#include "cli/status_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/planner/fixtures.h"

namespace nest {
namespace {

using namespace nest::plan::testing;

plan::ResourceChange Change(plan::Action action, plan::ResourceState desired, bool live = true) {
  plan::ResourceChange change;
  change.address = desired.address;
  change.kind = desired.kind;
  change.docker_name = desired.docker_name;
  change.action = action;
  if (live) change.before = desired;
  if (action != plan::Action::kDelete) change.after = desired;
  return change;
}

plan::ResourceState Web() {
  return R("service.web", ResourceKind::kService, "shop_web", {{"image", S("shop/web:1")}, {"replicas", S("2")}});
}
plan::ResourceState Worker() {
  return R("service.worker", ResourceKind::kService, "shop_worker",
           {{"replicas", S("2")}, {"labels", M({{"nest.autoscale.min", S("1")}, {"nest.autoscale.max", S("4")}})}});
}
plan::ResourceState Back() { return R("network.back", ResourceKind::kNetwork, "shop_back", {}); }
plan::ResourceState Token() { return R("secret.token", ResourceKind::kSecret, "shop_token_1", {}); }

swarm::ServiceRuntime Running(const std::string& name, int desired, int running, int healthy) {
  swarm::ServiceRuntime r;
  r.id = name + "-id";
  r.name = name;
  r.image = "shop/web:1";
  r.desired = desired;
  r.running = running;
  r.healthy = healthy;
  return r;
}

swarm::Revision Revision3() {
  swarm::Revision revision;
  revision.number = 3;
  revision.time = "2026-12-04T19:30:00Z";
  revision.summary = "Resources: 1 added, 0 changed, 0 destroyed.";
  return revision;
}

plan::Plan InSyncPlan() {
  plan::Plan plan;
  plan.stack = "shop";
  plan.changes = {Change(plan::Action::kNoOp, Back()), Change(plan::Action::kNoOp, Web())};
  return plan;
}

TEST(StatusReport, HealthyAndInSyncExitsZero) {
  plan::Plan plan = InSyncPlan();
  StatusReport report = BuildStatusReport(&plan, "shop", "unix:///var/run/docker.sock", {Running("shop_web", 2, 2, 2)},
                                          {Revision3()}, {});
  EXPECT_TRUE(report.Healthy());
  EXPECT_TRUE(report.InSync());
  EXPECT_EQ(report.ExitCode(), 0);
  std::string text = RenderStatusText(report);
  EXPECT_NE(text.find("Stack shop on unix:///var/run/docker.sock: healthy, in sync\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Last apply: revision 3 at 2026-12-04T19:30:00Z (1 added, 0 changed, 0 destroyed)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("SERVICE      DESIRED  RUNNING  HEALTHY  IMAGE       UPDATE\n"
                      "service.web  2        2        2        shop/web:1  -\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("network.back  shop_back  present\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Drift: none"), std::string::npos) << text;
}

TEST(StatusReport, DriftMakesItExitOne) {
  plan::Plan plan = InSyncPlan();
  plan.changes[1].action = plan::Action::kUpdate;
  plan.changes[1].reason_detail = "changed outside nest";
  StatusReport report = BuildStatusReport(&plan, "shop", "e", {Running("shop_web", 3, 3, 3)}, {}, {});
  EXPECT_TRUE(report.Healthy());
  EXPECT_FALSE(report.InSync());
  EXPECT_EQ(report.ExitCode(), 1);
  std::string text = RenderStatusText(report);
  EXPECT_NE(text.find(": healthy, 1 change\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Drift: 1 change (run `nest plan` for details):\n  update service.web: changed outside nest\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Last apply: none recorded"), std::string::npos) << text;
}

TEST(StatusReport, MissingResourcesAndUnhealthyServices) {
  plan::Plan plan;
  plan.stack = "shop";
  plan.changes = {Change(plan::Action::kCreate, Token(), false), Change(plan::Action::kNoOp, Web()),
                  Change(plan::Action::kCreate, Worker(), false)};
  StatusReport report = BuildStatusReport(&plan, "shop", "e", {Running("shop_web", 2, 1, 1)}, {}, {});
  EXPECT_FALSE(report.Healthy());
  ASSERT_EQ(report.services.size(), 2u);
  EXPECT_FALSE(report.services[1].present);
  EXPECT_EQ(report.services[1].runtime.desired, 2);  // from the config
  std::string text = RenderStatusText(report);
  EXPECT_NE(text.find("unhealthy (2 services not healthy, 1 resource missing), 2 changes"), std::string::npos) << text;
  EXPECT_NE(text.find("service.worker  2        -        -        -           missing"), std::string::npos) << text;
  EXPECT_NE(text.find("secret.token  shop_token_1  missing"), std::string::npos) << text;
  // The worker's policy comes from the config while it is not deployed.
  EXPECT_NE(text.find("service.worker: autoscale 1-4 replicas"), std::string::npos) << text;
}

TEST(StatusReport, AutoscaledServicesShowTheirPolicyAndLastScale) {
  plan::Plan plan;
  plan.stack = "shop";
  plan.changes = {Change(plan::Action::kNoOp, Worker())};
  swarm::ServiceRuntime worker = Running("shop_worker", 3, 3, 3);
  worker.labels = {{"nest.autoscale.min", "1"}, {"nest.autoscale.max", "4"}, {"nest.autoscale.cpu", "50%"}};
  swarm::ScaleRecord record{"2026-12-04T19:31:00Z", 2, 3, "cpu 80% > 50% for 10s"};
  StatusReport report = BuildStatusReport(&plan, "shop", "e", {worker}, {}, {{"shop_worker", record}});
  std::string text = RenderStatusText(report);
  EXPECT_NE(text.find("service.worker: autoscale 1-4 replicas; cpu > 50%; up after 0s, cooldown 0s\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("service.worker: last scale 2 -> 3 at 2026-12-04T19:31:00Z: cpu 80% > 50% for 10s\n"),
            std::string::npos)
      << text;

  nlohmann::json j = nlohmann::json::parse(RenderStatusJson(report, true));
  EXPECT_EQ(j["healthy"], true);
  EXPECT_EQ(j["in_sync"], true);
  EXPECT_EQ(j["drift"]["changes"], 0);
  const auto& service = j["services"][0];
  EXPECT_EQ(service["address"], "service.worker");
  EXPECT_EQ(service["running"], 3);
  EXPECT_EQ(service["autoscale"]["policy"]["min"], 1);
  EXPECT_EQ(service["autoscale"]["policy"]["cpu"], 50.0);
  EXPECT_TRUE(service["autoscale"]["policy"]["memory"].is_null());
  EXPECT_EQ(service["autoscale"]["last_scale"]["to"], 3);
  EXPECT_TRUE(j["last_revision"].is_null());
}

TEST(StatusReport, AFailedPlanShowsTheLiveServicesAndDriftUnknown) {
  StatusReport report = BuildStatusReport(nullptr, "shop", "e", {Running("shop_web", 2, 2, 2)}, {}, {});
  report.plan_error = "cannot read secret file";
  ASSERT_EQ(report.services.size(), 1u);
  EXPECT_EQ(report.services[0].address, "shop_web");  // no nest.address label
  EXPECT_TRUE(report.services[0].present);
  EXPECT_EQ(report.ExitCode(), 1);
  std::string text = RenderStatusText(report);
  EXPECT_NE(text.find("healthy, drift unknown"), std::string::npos) << text;
  EXPECT_NE(text.find("Drift: unknown: cannot read secret file"), std::string::npos) << text;
  nlohmann::json j = nlohmann::json::parse(RenderStatusJson(report, false));
  EXPECT_TRUE(j["drift"]["changes"].is_null());
  EXPECT_EQ(j["drift"]["error"], "cannot read secret file");
}

}  // namespace
}  // namespace nest
