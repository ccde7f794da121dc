// Smoke test against a real Docker Engine on the default socket; skipped
// when none answers (tools/engine starts one).
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/engine/client.h"

namespace nest::engine {
namespace {

TEST(RealEngineTest, PingVersionAndInfo) {
  Endpoint endpoint;  // unix:///var/run/docker.sock, whatever DOCKER_HOST says
  std::error_code ec;
  if (!std::filesystem::exists(endpoint.socket_path, ec))
    GTEST_SKIP() << "no Docker Engine socket at " << endpoint.Display()
                 << " (run tools/engine to start one)";
  EngineClient client(endpoint);
  Result<ApiVersion> version = client.Negotiate();
  if (!version.ok() && version.error().kind == ErrorKind::kUnreachable)
    GTEST_SKIP() << version.error().Describe();
  ASSERT_TRUE(version.ok()) << version.error().Describe();
  EXPECT_GE(version.value(), (ApiVersion{1, 41}));

  Result<nlohmann::json> server = client.Get("/version", "reading the engine version");
  ASSERT_TRUE(server.ok()) << server.error().Describe();
  ASSERT_TRUE(server.value().contains("ApiVersion"));
  std::optional<ApiVersion> api =
      ApiVersion::Parse(server.value()["ApiVersion"].get<std::string>());
  ASSERT_TRUE(api.has_value());
  EXPECT_GE(*api, (ApiVersion{1, 41}));

  Result<nlohmann::json> info = client.Get("/info", "reading engine info");
  ASSERT_TRUE(info.ok()) << info.error().Describe();
  EXPECT_TRUE(info.value().contains("ServerVersion"));
  EXPECT_TRUE(info.value().contains("Swarm"));
  EXPECT_EQ(client.request_count(), 3u);

  Result<nlohmann::json> missing = client.Get("/services/nest-no-such-service-xyz",
                                              "inspecting service nest-no-such-service-xyz");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kHttp);
  EXPECT_EQ(missing.error().http_status, info.value()["Swarm"]["LocalNodeState"] == "active"
                                             ? 404 : 503);
  EXPECT_FALSE(missing.error().daemon_message.empty());
}

}  // namespace
}  // namespace nest::engine
