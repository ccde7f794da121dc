// `nest status` against the real engine, through the built binary: a small
// stack applied with `nest apply` is healthy and in sync (exit 0, text and
// JSON); scaled by hand with `docker service scale`, the drift is shown and
// the exit code is 1; a secret added to the config and not applied yet is
// missing (and its value never printed); no engine is a one-line error.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

std::string Source(const std::string& stack, bool with_secret = false) {
  std::string source = R"(stack ")" + stack + R"(" {}

network "back" {}

service "web" {
  image         = "nest-test/busybox:1"
  command       = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
  replicas      = 2
  endpoint_mode = dnsrr
  networks      = [network.back]

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/index.html || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    init              = true
    stop_grace_period = 1s
  }
}
)";
  if (with_secret) source += "\nsecret \"token\" {\n  file = \"token.txt\"\n}\n";
  return source;
}

class StatusEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("status");
    cleanup_.emplace(stack_);
    dir_.Write("src/stack.nest", Source(stack_));
    dir_.Write("src/token.txt", "status-secret-value-51c\n");
  }
  void TearDown() override {
    for (const char* prefix : {"nest-lock-", "nest-rev-", "nest-autoscale-"}) {
      testing::RunCommand(std::string("docker config ls -q --filter name=") + prefix + stack_ +
                          " | xargs -r docker config rm >/dev/null 2>&1");
    }
  }

  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand("cd '" + dir_.path() + "' && '" NEST_BINARY "' " + args + " </dev/null");
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(StatusEngineTest, HealthyAndInSyncAfterApplyThenDriftAfterAManualScale) {
  NEST_REQUIRE_SWARM();
  auto applied = Nest("apply src --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;

  auto status = Nest("status src");
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("Stack " + stack_ + " on "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find(": healthy, in sync\n"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("Last apply: revision 1 at "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("service.web  2        2        2        nest-test/busybox:1"), std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("network.back  " + stack_ + "_back  present"), std::string::npos) << status.out;

  auto json_status = Nest("status src --json");
  EXPECT_EQ(json_status.exit_code, 0) << json_status.err;
  nlohmann::json j = nlohmann::json::parse(json_status.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << json_status.out;
  EXPECT_EQ(j["healthy"], true);
  EXPECT_EQ(j["in_sync"], true);
  EXPECT_EQ(j["last_revision"]["number"], 1);
  ASSERT_EQ(j["services"].size(), 1u);
  EXPECT_EQ(j["services"][0]["running"], 2);
  EXPECT_EQ(j["services"][0]["healthy_tasks"], 2);
  EXPECT_EQ(j["services"][0]["image"], "nest-test/busybox:1");

  auto scaled = testing::RunCommand("docker service scale -d " + stack_ + "_web=3");
  ASSERT_EQ(scaled.exit_code, 0) << scaled.err;
  auto drifted = Nest("status src");
  EXPECT_EQ(drifted.exit_code, 1) << drifted.out << drifted.err;
  EXPECT_NE(drifted.out.find(", 1 change\n"), std::string::npos) << drifted.out;
  EXPECT_NE(drifted.out.find("Drift: 1 change (run `nest plan` for details):\n  update service.web"), std::string::npos)
      << drifted.out;
  EXPECT_NE(drifted.out.find("service.web  3  "), std::string::npos) << drifted.out;
}

TEST_F(StatusEngineTest, AResourceNotAppliedYetIsMissing) {
  NEST_REQUIRE_SWARM();
  ASSERT_EQ(Nest("apply src --auto-approve").exit_code, 0);
  dir_.Write("src/stack.nest", Source(stack_, true));
  auto status = Nest("status src --json");
  EXPECT_EQ(status.exit_code, 1) << status.out << status.err;
  nlohmann::json j = nlohmann::json::parse(status.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << status.out;
  EXPECT_EQ(j["healthy"], false);
  EXPECT_EQ(j["in_sync"], false);
  bool found = false;
  for (const auto& r : j["resources"]) {
    if (r["address"] != "secret.token") continue;
    found = true;
    EXPECT_EQ(r["present"], false);
  }
  EXPECT_TRUE(found) << status.out;
  EXPECT_EQ(status.out.find("status-secret-value-51c"), std::string::npos);
}

TEST_F(StatusEngineTest, NoEngineIsAnErrorNotACrash) {
  auto status = testing::RunCommand("cd '" + dir_.path() + "' && DOCKER_HOST=unix:///nonexistent/docker.sock '" NEST_BINARY
                                    "' status src");
  EXPECT_EQ(status.exit_code, 1) << status.out << status.err;
  EXPECT_NE(status.err.find("cannot reach the Docker Engine"), std::string::npos) << status.err;
}

}  // namespace
}  // namespace nest
