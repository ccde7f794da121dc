// How a new container of a start-first replacement is created: on the
// service's networks without its aliases (it joins the service name once
// it serves), everything else as the spec says.
#include "providers/compose/service_dns.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace nest::compose {
namespace {

using nlohmann::json;

ContainerSpec TwoNetworks() {
  ContainerSpec spec;
  spec.service = "web";
  spec.networks = {{"shop_back", json{{"Aliases", {"web", "www"}}}}, {"shop_front", json{{"Aliases", {"web"}}}}};
  spec.create = json{{"Image", "nest-test/busybox:1"},
                     {"HostConfig", {{"NetworkMode", "shop_back"}}},
                     {"NetworkingConfig", {{"EndpointsConfig", {{"shop_back", spec.networks[0].endpoint}}}}}};
  spec.config_hash = std::string(64, 'a');
  return spec;
}

TEST(ServiceDnsTest, WithoutServiceAliasesKeepsTheNetworksAndTheHashButNoAlias) {
  ContainerSpec spec = TwoNetworks();
  ContainerSpec unnamed = WithoutServiceAliases(spec);
  ASSERT_EQ(unnamed.networks.size(), 2u);
  EXPECT_EQ(unnamed.networks[0].network, "shop_back");
  EXPECT_EQ(unnamed.networks[1].network, "shop_front");
  for (const auto& attachment : unnamed.networks) EXPECT_FALSE(attachment.endpoint.contains("Aliases"));
  EXPECT_EQ(unnamed.create["NetworkingConfig"]["EndpointsConfig"]["shop_back"], json::object());
  EXPECT_EQ(unnamed.create["HostConfig"], spec.create["HostConfig"]);
  // The same config hash: the container is of the spec, only not yet named.
  EXPECT_EQ(unnamed.config_hash, spec.config_hash);
  EXPECT_EQ(ContainerCreateBody(unnamed, 1)["Labels"], ContainerCreateBody(spec, 1)["Labels"]);
  // The spec itself keeps its aliases (JoinServiceName gives them later).
  EXPECT_EQ(spec.networks[0].endpoint["Aliases"], json::array({"web", "www"}));
}

}  // namespace
}  // namespace nest::compose
