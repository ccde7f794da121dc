// A container of the current spec that does not answer to the service name
// (an apply killed between a new container's start and its join leaves one)
// joins it at the next rollout of the service, at the same address.
#include <gtest/gtest.h>

#include <string>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

std::string Source(const std::string& stack, int replicas) {
  return R"(stack ")" + stack + R"(" {}

network "back" {}

service "web" {
  image    = "nest-test/busybox:1"
  command  = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
  replicas = )" + std::to_string(replicas) + R"(
  networks = [network.back]

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/index.html || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    stop_grace_period = 1s
  }
}
)";
}

class ApplyComposeServiceNameEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("cname");
    cleanup_.emplace(stack_);
  }
  void TearDown() override {
    testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_ + " | xargs -r docker volume rm >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-rev-" + stack_ + "- | xargs -r docker volume rm >/dev/null 2>&1");
  }

  testing::CommandResult Apply(int replicas) {
    dir_.Write("src/stack.nest", Source(stack_, replicas));
    return testing::RunCommand("cd '" + dir_.path() + "' && NEST_LOCK_LEASE_MS=5000 '" NEST_BINARY
                               "' apply src --platform compose --auto-approve </dev/null");
  }

  // "ADDRESS ALIASES" of the container on the project's network.
  std::string Endpoint(const std::string& container) {
    return testing::RunCommand("docker inspect -f '{{with index .NetworkSettings.Networks \"" + stack_ +
                               "_back\"}}{{.IPAddress}} {{.Aliases}}{{end}}' " + container)
        .out;
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyComposeServiceNameEngineTest, AKeptContainerOutOfTheServiceNameJoinsItAtTheSameAddress) {
  NEST_REQUIRE_ENGINE();
  auto created = Apply(2);
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  const std::string first = stack_ + "_web_1";
  const std::string before = Endpoint(first);
  // "ADDRESS [web SHORT_ID]": a short ID is hex, so "web" is the alias.
  ASSERT_NE(before.find("web"), std::string::npos) << before;
  const std::string address = before.substr(0, before.find(' '));

  // What a killed apply leaves: the container on its network, without the alias.
  auto stripped = testing::RunCommand("docker network disconnect " + stack_ + "_back " + first + " && docker network connect " +
                                      stack_ + "_back " + first);
  ASSERT_EQ(stripped.exit_code, 0) << stripped.err;
  ASSERT_EQ(Endpoint(first).find("web"), std::string::npos) << Endpoint(first);

  auto scaled = Apply(3);
  ASSERT_EQ(scaled.exit_code, 0) << scaled.out << scaled.err;
  const std::string after = Endpoint(first);
  EXPECT_NE(after.find("web"), std::string::npos) << after << scaled.out;
  EXPECT_EQ(after.substr(0, after.find(' ')), address) << after;
  EXPECT_NE(Endpoint(stack_ + "_web_3").find("web"), std::string::npos);
}

}  // namespace
}  // namespace nest
