// BuildDesiredState without an engine: what the desired side holds for each
// platform, that secret contents never enter it, that sensitive values are
// marked, and that a document that cannot be built gives no state at all.
#include "providers/desired.h"

#include <gtest/gtest.h>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "compiler/support/digest.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/state_compare.h"

namespace nest::plan {
namespace {

constexpr const char* kSource = R"(stack "shop" {}

variable "api_key" {
  type      = string
  default   = "k-7f3a9d2e"
  sensitive = true
}

network "back" {}

secret "token" {
  file = "token.txt"
}

service "app" {
  image    = "nest-test/busybox:1"
  replicas = 2
  networks = [network.back]
  secrets  = [secret.token]
  env      = { API_KEY = var.api_key, MODE = "prod" }
  command  = ["run", "--key=${var.api_key}"]
}

service "worker" {
  image = "nest-test/busybox:1"
}
)";

class DesiredTest : public ::testing::Test {
 protected:
  DesiredTest() : dir_("nest-desired-test") {
    dir_.Write("token.txt", "the-secret-content-3b1c\n");
    path_ = dir_.Write("stack.nest", kSource);
  }

  std::optional<Config> Load() {
    LoadOptions options;
    options.read_environment = false;
    auto config = LoadStack(dir_.path().string(), options, sources_, diags_);
    EXPECT_TRUE(config.has_value()) << RenderText(diags_, sources_, {});
    return config;
  }

  test_support::ScratchDir dir_;
  std::string path_;
  SourceManager sources_;
  Diagnostics diags_;
};

TEST_F(DesiredTest, SwarmStateHoldsWhatDockerStackDeployWouldCreate) {
  auto config = Load();
  ASSERT_TRUE(config.has_value());
  auto state = BuildDesiredState(*config, Platform::kSwarm, "prod", diags_);
  ASSERT_TRUE(state.has_value());
  std::vector<std::string> addresses;
  for (const auto& r : state->resources) addresses.push_back(r.address);
  // worker names no network: docker stack deploy attaches it to prod_default.
  EXPECT_EQ(addresses, (std::vector<std::string>{"network.back", "network.default", "secret.token", "service.app",
                                                 "service.worker"}));
  const ResourceState* app = state->Find("service.app");
  EXPECT_EQ(app->docker_name, "prod_app");
  EXPECT_TRUE(app->managed);
  EXPECT_FALSE(app->spec_hash.empty());
  EXPECT_EQ(app->attributes.at("replicas").scalar, "2");
  const ResourceState* token = state->Find("secret.token");
  EXPECT_EQ(token->docker_name.rfind("prod_token_", 0), 0u) << token->docker_name;
  EXPECT_EQ(token->attributes.at("name").scalar, token->docker_name);
  EXPECT_EQ(test_support::DescribeState(*state).find("the-secret-content"), std::string::npos);
}

// The config's edges, and the default network docker stack deploy attaches
// a service without networks to (no edge in the config, yet it must exist
// before the service).
TEST_F(DesiredTest, ResourcesKnowWhatTheyDependOn) {
  auto config = Load();
  ASSERT_TRUE(config.has_value());
  auto state = BuildDesiredState(*config, Platform::kSwarm, "prod", diags_);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->Find("service.app")->depends_on, (std::vector<std::string>{"network.back", "secret.token"}));
  EXPECT_EQ(state->Find("service.worker")->depends_on, (std::vector<std::string>{"network.default"}));
  EXPECT_TRUE(state->Find("network.back")->depends_on.empty());
  EXPECT_TRUE(state->Find("secret.token")->depends_on.empty());
}

TEST_F(DesiredTest, SensitiveValuesAreMarkedWhereverTheyEndUp) {
  auto config = Load();
  ASSERT_TRUE(config.has_value());
  auto state = BuildDesiredState(*config, Platform::kSwarm, "prod", diags_);
  ASSERT_TRUE(state.has_value());
  const auto& attributes = state->Find("service.app")->attributes;
  EXPECT_TRUE(attributes.at("environment").map.at("API_KEY").sensitive);
  EXPECT_FALSE(attributes.at("environment").map.at("MODE").sensitive);
  EXPECT_TRUE(attributes.at("command").list.at(1).sensitive);
  EXPECT_FALSE(attributes.at("command").list.at(0).sensitive);
}

TEST_F(DesiredTest, ComposeStateComparesImagesCountsAndHashes) {
  auto config = Load();
  ASSERT_TRUE(config.has_value());
  auto state = BuildDesiredState(*config, Platform::kCompose, "dev", diags_);
  ASSERT_TRUE(state.has_value());
  const ResourceState* app = state->Find("service.app");
  ASSERT_NE(app, nullptr) << test_support::DescribeState(*state);
  EXPECT_EQ(app->attributes.at("replicas").scalar, "2");
  EXPECT_EQ(app->attributes.at("state").scalar, "running");
  EXPECT_EQ(app->attributes.at("spec_hash").scalar, app->spec_hash);
  EXPECT_EQ(state->Find("secret.token"), nullptr);  // compose mounts the file; no object
  EXPECT_EQ(state->Find("network.back")->docker_name, "dev_back");
  // Only edges to what the state holds: no secret object, so no edge to it.
  EXPECT_EQ(app->depends_on, (std::vector<std::string>{"network.back"}));
}

TEST_F(DesiredTest, NoStateWhenTheDocumentCannotBeBuilt) {
  dir_.Write("stack.nest", std::string(kSource) + "\nconfig \"motd\" {\n  content = \"hello\"\n}\n");
  auto config = Load();
  ASSERT_TRUE(config.has_value());
  // Compose has no config objects to hold inline content.
  auto state = BuildDesiredState(*config, Platform::kCompose, "prod", diags_);
  EXPECT_FALSE(state.has_value());
  EXPECT_TRUE(diags_.HasErrors());
}

// On swarm, plan and apply create the config through the Engine API: it is
// in the state under its content-hashed name, its content in the spec only.
TEST_F(DesiredTest, InlineConfigContentAndAGatewayAreInTheSwarmState) {
  dir_.Write("stack.nest", std::string(kSource) +
                               "\nconfig \"motd\" {\n  content = \"hello\"\n}\n"
                               "network \"fixed\" {\n  subnet   = 10.9.0.0/24\n  gateway  = 10.9.0.254\n"
                               "  ip_range = 10.9.0.128/25\n}\n");
  auto config = Load();
  ASSERT_TRUE(config.has_value());
  swarm::StackSpecs specs;
  auto state = BuildDesiredState(*config, Platform::kSwarm, "prod", diags_, &specs);
  ASSERT_TRUE(state.has_value()) << RenderText(diags_, sources_, {});
  for (const auto& d : diags_.list()) EXPECT_NE(d.code, DiagCode::TargetCannotExpress) << d.summary;  // apply sets them
  const ResourceState* motd = state->Find("config.motd");
  ASSERT_NE(motd, nullptr);
  EXPECT_EQ(motd->docker_name, "prod_motd_" + Sha256Hex("hello").substr(0, 10));
  for (const auto& [name, value] : motd->attributes) EXPECT_EQ(test_support::ValueText(value).find("hello"), std::string::npos);
  ASSERT_EQ(specs.configs.size(), 1u);
  EXPECT_EQ(specs.configs[0].content, std::optional<std::string>("hello"));
  const ResourceState* fixed = state->Find("network.fixed");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->attributes.at("gateway").scalar, "10.9.0.254");
  EXPECT_EQ(fixed->attributes.at("ip_range").scalar, "10.9.0.128/25");
}

}  // namespace
}  // namespace nest::plan
