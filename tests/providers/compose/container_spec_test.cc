// What apply sends to create a compose service's containers, and how a
// service's rollout is decided: pure functions over the compiled document.
#include "providers/compose/container_spec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "providers/compose/labels.h"
#include "providers/compose/normalize.h"
#include "providers/compose/project_objects.h"
#include "tests/support/run_command.h"

namespace nest::compose {
namespace {

using nlohmann::ordered_json;

ordered_json Document(const std::string& secret_file) {
  return ordered_json::parse(R"({
    "services": {
      "web": {
        "image": "nest-test/busybox:1",
        "command": ["httpd", "-f"],
        "environment": {"A": "1"},
        "stop_grace_period": "1500ms",
        "healthcheck": {"test": ["CMD", "true"], "interval": "1s", "retries": 2},
        "labels": {"nest.address": "service.web", "nest.spec-hash": "abc"},
        "ports": [{"target": 8080, "published": 80, "protocol": "tcp", "mode": "host"}],
        "networks": {"back": {"aliases": ["www"]}, "front": {}},
        "volumes": [{"type": "volume", "source": "data", "target": "/data"}],
        "secrets": [{"source": "token"}],
        "configs": [{"source": "motd", "target": "/etc/motd"}],
        "deploy": {"replicas": 1}
      }
    },
    "networks": {"back": {}, "front": {"name": "shared-front"}},
    "volumes": {"data": {}},
    "secrets": {"token": {"file": ")" + secret_file + R"("}},
    "configs": {"motd": {"file": ")" + secret_file + R"("}}
  })");
}

TEST(ContainerSpecTest, CarriesComposesLabelsAliasesAndReadOnlyFileMounts) {
  testing::TempDir dir;
  std::string file = dir.Write("token.txt", "value-1\n");
  Result<ContainerSpec> spec = BuildContainerSpec(Document(file), "shop", "web");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  nlohmann::json body = ContainerCreateBody(spec.value(), 2);
  EXPECT_EQ(ContainerName("shop", "web", 2), "shop_web_2");
  const auto& labels = body["Labels"];
  EXPECT_EQ(labels[kProjectLabel], "shop");
  EXPECT_EQ(labels[kServiceLabel], "web");
  EXPECT_EQ(labels[kContainerNumberLabel], "2");
  EXPECT_EQ(labels[kOneoffLabel], "False");
  EXPECT_EQ(labels[kComposeVersionLabel], kComposeVersion);
  EXPECT_EQ(labels[kConfigHashLabel], spec.value().config_hash);
  EXPECT_EQ(labels["nest.address"], "service.web");
  EXPECT_EQ(body["Cmd"], nlohmann::json::array({"httpd", "-f"}));
  EXPECT_EQ(body["StopTimeout"], 2);  // rounded up to whole seconds
  EXPECT_EQ(spec.value().stop_grace_seconds, 2);
  EXPECT_TRUE(spec.value().has_healthcheck);
  EXPECT_EQ(body["Healthcheck"]["Interval"], 1000000000);
  EXPECT_EQ(body["HostConfig"]["PortBindings"]["8080/tcp"][0]["HostPort"], "80");
  // The first network at create, the other connected afterwards; both
  // with the service's name as an alias.
  ASSERT_EQ(spec.value().networks.size(), 2u);
  EXPECT_EQ(spec.value().networks[0].network, "shop_back");
  EXPECT_EQ(spec.value().networks[0].endpoint["Aliases"], nlohmann::json::array({"web", "www"}));
  EXPECT_EQ(spec.value().networks[1].network, "shared-front");
  EXPECT_EQ(body["HostConfig"]["NetworkMode"], "shop_back");
  EXPECT_EQ(body["NetworkingConfig"]["EndpointsConfig"].size(), 1u);
  const auto& mounts = body["HostConfig"]["Mounts"];
  ASSERT_EQ(mounts.size(), 3u);
  EXPECT_EQ(mounts[0]["Source"], "shop_data");
  EXPECT_EQ(mounts[1]["Target"], "/run/secrets/token");
  EXPECT_EQ(mounts[1]["ReadOnly"], true);
  EXPECT_EQ(mounts[1]["Type"], "bind");
  EXPECT_EQ(mounts[2]["Target"], "/etc/motd");
  // The content is hashed, never carried.
  EXPECT_EQ(body.dump().find("value-1"), std::string::npos);
}

TEST(ContainerSpecTest, TheConfigHashFollowsTheMountedFilesContent) {
  testing::TempDir dir;
  std::string file = dir.Write("token.txt", "value-1\n");
  std::string first = BuildContainerSpec(Document(file), "shop", "web").value().config_hash;
  EXPECT_EQ(BuildContainerSpec(Document(file), "shop", "web").value().config_hash, first);
  dir.Write("token.txt", "value-2\n");
  EXPECT_NE(BuildContainerSpec(Document(file), "shop", "web").value().config_hash, first);
}

TEST(ContainerSpecTest, AnUnreadableSecretFileIsAnErrorNamingTheService) {
  Result<ContainerSpec> spec = BuildContainerSpec(Document("/nonexistent/token.txt"), "shop", "web");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.error().message.find("service web: cannot read the secret file"), std::string::npos)
      << spec.error().message;
}

TEST(ProjectObjectsTest, NetworksAndVolumesCarryComposesLabels) {
  ordered_json document = Document("/x");
  auto network = NetworkCreateBody(document, "shop", "back");
  ASSERT_TRUE(network);
  EXPECT_EQ((*network)["Name"], "shop_back");
  EXPECT_EQ((*network)["Driver"], "bridge");
  EXPECT_EQ((*network)["Labels"]["com.docker.compose.network"], "back");
  EXPECT_EQ((*network)["Labels"]["com.docker.compose.project"], "shop");
  auto fallback = NetworkCreateBody(document, "shop", "default");
  ASSERT_TRUE(fallback);
  EXPECT_EQ((*fallback)["Name"], "shop_default");
  EXPECT_FALSE(NetworkCreateBody(document, "shop", "missing"));
  auto volume = VolumeCreateBody(document, "shop", "data");
  ASSERT_TRUE(volume);
  EXPECT_EQ((*volume)["Name"], "shop_data");
  EXPECT_EQ((*volume)["Labels"]["com.docker.compose.volume"], "data");
}

}  // namespace
}  // namespace nest::compose
