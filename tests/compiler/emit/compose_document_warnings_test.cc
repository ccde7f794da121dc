// The compose document model: every warning a target gives for what it
// cannot express, and the errors and warnings of what must not be written.
#include "compiler/emit/compose_document.h"

#include <gtest/gtest.h>

#include "compiler/support/digest.h"

#include "tests/compiler/emit/compose_document_fixture.h"

namespace nest::testing {
namespace {

// --- what a target cannot express: NEST-W080, never a silent drop ---------

TEST_F(ComposeDocumentTest, SwarmWarnsForNoNewPrivilegesAndLeavesItOut) {
  Json doc = Build(R"(
service "web" {
  image = "nginx"
  security { no_new_privileges = true }
}
)");
  EXPECT_FALSE(doc["services"]["web"].contains("security_opt"));
  ASSERT_EQ(Warnings().size(), 1u) << Rendered();
  EXPECT_EQ(Warnings()[0], "service.web: `security.no_new_privileges` is not supported by the swarm target");
  EXPECT_EQ(LineOf(DiagCode::TargetCannotExpress), 7);
  EXPECT_NE(Rendered().find("warning[NEST-W080]"), std::string::npos);

  Json compose = Build(R"(
service "web" {
  image = "nginx"
  security { no_new_privileges = true }
}
)", Platform::kCompose);
  EXPECT_EQ(compose["services"]["web"]["security_opt"], Json::array({"no-new-privileges:true"}));
  EXPECT_TRUE(Warnings().empty());
}

TEST_F(ComposeDocumentTest, SwarmWarnsForDnsOptAndLeavesItOut) {
  const std::string source = R"(
service "web" {
  image   = "nginx"
  dns_opt = ["ndots:2", "timeout:1"]
}
)";
  Json doc = Build(source);
  EXPECT_FALSE(doc["services"]["web"].contains("dns_opt"));
  ASSERT_EQ(Warnings().size(), 1u) << Rendered();
  EXPECT_EQ(Warnings()[0], "service.web: `dns_opt` is not supported by the swarm target");
  EXPECT_EQ(LineOf(DiagCode::TargetCannotExpress), 7);

  Json compose = Build(source, Platform::kCompose);
  EXPECT_EQ(compose["services"]["web"]["dns_opt"], Json::array({"ndots:2", "timeout:1"}));
  EXPECT_TRUE(Warnings().empty());
}

TEST_F(ComposeDocumentTest, SwarmWarnsForGatewayAndIpRange) {
  Json doc = Build(R"(
network "n" {
  subnet   = 10.1.0.0/16
  gateway  = 10.1.0.1
  ip_range = 10.1.2.0/24
}
)");
  EXPECT_EQ(doc["networks"]["n"]["ipam"].dump(), R"({"config":[{"subnet":"10.1.0.0/16"}]})");
  EXPECT_EQ(Warnings(), (std::vector<std::string>{"network.n: `gateway` is not supported by the swarm target",
                                                  "network.n: `ip_range` is not supported by the swarm target"}));
}

// What plan and apply build: the Engine API takes a gateway, a range and a
// config's data, so the document keeps them and nothing is warned about.
TEST_F(ComposeDocumentTest, ForTheEngineGatewayRangeAndInlineContentAreKept) {
  engine_settings_ = true;
  Json doc = Build(R"(
network "n" {
  subnet   = 10.1.0.0/16
  gateway  = 10.1.0.254
  ip_range = 10.1.2.0/24
}
config "motd" {
  content = "welcome\n"
}
)");
  EXPECT_EQ(doc["networks"]["n"]["ipam"].dump(),
            R"({"config":[{"subnet":"10.1.0.0/16","gateway":"10.1.0.254","ip_range":"10.1.2.0/24"}]})");
  EXPECT_EQ(doc["configs"]["motd"]["content"], "welcome\n");
  // Named by its content's hash, as a config from a file is.
  EXPECT_EQ(doc["configs"]["motd"]["name"], "shop_motd_" + Sha256Hex("welcome\n").substr(0, 10));
  EXPECT_FALSE(doc["configs"]["motd"].contains("file"));
  EXPECT_TRUE(diags_.empty()) << Rendered();
}

TEST_F(ComposeDocumentTest, TimeoutOfADeployBlockIsNestsOwnAndNeverWritten) {
  const std::string without = R"(
service "web" {
  image = "nginx"
  deploy "rolling" {
    parallelism = 1
  }
}
service "api" {
  image = "api"
  deploy "canary" {
    steps = [50%, 100%]
  }
}
)";
  std::string with = without;
  with.replace(with.find("parallelism = 1"), 15, "parallelism = 1\n    timeout     = 90s");
  with.replace(with.find("steps = [50%, 100%]"), 19, "steps   = [50%, 100%]\n    timeout = 2m");
  Json plain = Build(without);
  ASSERT_TRUE(plain.is_object());
  Json timed = Build(with);
  // The same document, spec hashes included: a changed timeout is no change
  // to the stack.
  EXPECT_EQ(plain.dump(), timed.dump());
}

TEST_F(ComposeDocumentTest, SwarmCarriesCanaryAndBlueGreenAsLabelsWithAWarning) {
  Json doc = Build(R"(
service "web" {
  image    = "nginx"
  replicas = 4
  deploy "canary" {
    parallelism = 1
    steps       = [10%, 50%, 100%]
    pause       = 2m
    analysis {
      max_error_rate = 1%
      max_latency    = 500ms
      query          = "up == 1"
      prometheus     = "http://prom:9090"
      error_limit    = 2
    }
  }
}
service "api" {
  image = "api"
  deploy "blue-green" {
    verify        = 2m
    keep_previous = 10m
  }
}
)");
  const Json& web = doc["services"]["web"]["deploy"];
  EXPECT_EQ(web["update_config"].dump(), R"({"parallelism":1})");
  EXPECT_EQ(web["labels"]["nest.deploy.strategy"], "canary");
  EXPECT_EQ(web["labels"]["nest.deploy.steps"], "10%,50%,100%");
  EXPECT_EQ(web["labels"]["nest.deploy.pause"], "2m");
  EXPECT_EQ(web["labels"]["nest.deploy.analysis.max_error_rate"], "1%");
  EXPECT_EQ(web["labels"]["nest.deploy.analysis.max_latency"], "500ms");
  EXPECT_EQ(web["labels"]["nest.deploy.analysis.query"], "up == 1");
  EXPECT_EQ(web["labels"]["nest.deploy.analysis.prometheus"], "http://prom:9090");
  EXPECT_EQ(web["labels"]["nest.deploy.analysis.error_limit"], "2");
  EXPECT_FALSE(web["labels"].contains("nest.deploy.analysis.inconclusive_limit"));
  const Json& api = doc["services"]["api"]["deploy"];
  EXPECT_EQ(api["labels"]["nest.deploy.strategy"], "blue-green");
  EXPECT_EQ(api["labels"]["nest.deploy.verify"], "2m");
  EXPECT_EQ(api["labels"]["nest.deploy.keep_previous"], "10m");
  EXPECT_EQ(Warnings(),
            (std::vector<std::string>{"service.api: `deploy \"blue-green\"` is not supported by the swarm target",
                                      "service.web: `deploy \"canary\"` is not supported by the swarm target"}));
}

TEST_F(ComposeDocumentTest, SwarmWarnsWhenRoutesNameDifferentNetworks) {
  Build(R"(
network "a" {}
network "b" {}
service "web" {
  image = "web"
  route {
    host    = "a.com"
    port    = 80
    network = network.a
  }
  route {
    host    = "b.com"
    port    = 80
    network = network.b
  }
}
)");
  EXPECT_EQ(Warnings(), (std::vector<std::string>{"service.web: `route.network` is not supported by the swarm target"}));
}

TEST_F(ComposeDocumentTest, ComposeWarnsForEverySwarmOnlySetting) {
  Json doc = Build(R"(
network "n" {
  driver    = overlay
  encrypted = true
}
service "web" {
  image         = "nginx"
  mode          = global
  endpoint_mode = dnsrr
  resources {
    cpus           = 0.5
    memory         = 256MiB
    pids           = 64
    reserve_cpus   = 0.1
    reserve_memory = 64MiB
  }
  restart {
    condition    = any
    delay        = 5s
    max_attempts = 3
    window       = 1m
  }
  placement { constraints = ["node.role == manager"] }
  deploy "rolling" { order = start-first }
  rollback { parallelism = 1 }
}
)", Platform::kCompose);
  const Json& s = doc["services"]["web"];
  EXPECT_EQ(s["restart"], "always");
  EXPECT_EQ(s["cpus"], "0.5");
  EXPECT_EQ(s["mem_limit"], "256M");
  EXPECT_EQ(s["mem_reservation"], "64M");
  EXPECT_EQ(s["pids_limit"], 64);
  EXPECT_FALSE(s.contains("deploy"));
  EXPECT_FALSE(doc["networks"]["n"].contains("driver"));
  EXPECT_FALSE(doc["networks"]["n"].contains("driver_opts"));
  EXPECT_EQ(Warnings(),
            (std::vector<std::string>{
                // In document order: services, then networks.
                "service.web: `restart.delay`, `restart.window`, `restart.max_attempts` are not supported by the "
                "compose target",
                "service.web: `resources.reserve_cpus` is not supported by the compose target",
                "service.web: `mode = global` is not supported by the compose target",
                "service.web: `endpoint_mode` is not supported by the compose target",
                "service.web: `placement` is not supported by the compose target",
                "service.web: `deploy \"rolling\"` is not supported by the compose target",
                "service.web: `rollback` is not supported by the compose target",
                "network.n: `driver = overlay` is not supported by the compose target",
                "network.n: `encrypted` is not supported by the compose target",
            }))
      << Rendered();
}

TEST_F(ComposeDocumentTest, InlineConfigContentIsAnErrorOnBothTargets) {
  for (Platform target : {Platform::kSwarm, Platform::kCompose}) {
    Json doc = Build(R"(
config "motd" {
  content = "hello\n"
}
)", target);
    EXPECT_TRUE(doc.is_null());
    EXPECT_TRUE(diags_.HasErrors());
    EXPECT_EQ(LineOf(DiagCode::InlineConfigContent), 6) << Rendered();
  }
}

TEST_F(ComposeDocumentTest, SensitiveValuesWrittenToTheFileAreWarnedAbout) {
  vars_ = {{"token", "s3cr3t"}};
  Json doc = Build(R"(
variable "token" {
  type      = string
  sensitive = true
}
service "web" {
  image = "web"
  env   = { TOKEN = var.token, PLAIN = "x" }
}
)");
  EXPECT_EQ(doc["services"]["web"]["environment"]["TOKEN"], "s3cr3t");
  EXPECT_EQ(Warnings(DiagCode::SensitiveValueWritten),
            (std::vector<std::string>{
                "service.web: `env.TOKEN` holds a sensitive value, written in clear to the compiled file"}));
}

}  // namespace
}  // namespace nest::testing
