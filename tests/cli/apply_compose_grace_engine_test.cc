// An old container replaced by `nest apply --platform compose` is stopped
// with the grace period it was created with, not its successor's: the app
// was told it may drain that long. The old spec gives 5 s and the app
// drains 2 s after SIGTERM, then exits 0; the new spec gives 1 s, which
// would SIGKILL it mid-drain (exit 137). The engine's `die` event of the
// old container says which happened.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

std::string Source(const std::string& stack, int grace_seconds, const std::string& version) {
  return R"(stack ")" + stack + R"(" {}

network "back" {}

service "web" {
  image    = "nest-test/busybox:1"
  command  = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && httpd -f -p 8080 -h /www & pid=$!; trap 'sleep 2; kill $pid; exit 0' TERM; wait $pid; wait $pid"]
  networks = [network.back]
  env      = { VERSION = ")" + version + R"(" }

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/index.html || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    init              = true
    stop_grace_period = )" + std::to_string(grace_seconds) + R"(s
  }
}
)";
}

class ApplyComposeGraceEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("cgrace");
    cleanup_.emplace(stack_);
  }
  void TearDown() override {
    testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_ + " | xargs -r docker volume rm >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-rev-" + stack_ + "- | xargs -r docker volume rm >/dev/null 2>&1");
  }

  testing::CommandResult Apply(int grace_seconds, const std::string& version) {
    dir_.Write("src/stack.nest", Source(stack_, grace_seconds, version));
    return testing::RunCommand("cd '" + dir_.path() + "' && NEST_LOCK_LEASE_MS=5000 '" NEST_BINARY
                               "' apply src --platform compose --auto-approve </dev/null");
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyComposeGraceEngineTest, AnOldContainerIsStoppedWithItsOwnGracePeriod) {
  NEST_REQUIRE_ENGINE();
  auto created = Apply(5, "1");
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  const long since = static_cast<long>(std::time(nullptr)) - 1;
  auto updated = Apply(1, "2");
  ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
  const long until = static_cast<long>(std::time(nullptr)) + 1;

  auto died = testing::RunCommand("docker events --since " + std::to_string(since) + " --until " +
                                  std::to_string(until) + " --filter type=container --filter event=die --filter label=" +
                                  "com.docker.compose.project=" + stack_ +
                                  " --format '{{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}'");
  ASSERT_EQ(died.exit_code, 0) << died.err;
  // One die: the old container, moved aside as ID_PROJECT_web_1, drained.
  EXPECT_NE(died.out.find("_" + stack_ + "_web_1 0\n"), std::string::npos)
      << "the old container did not drain within its own grace period:\n" << died.out << updated.out;
  EXPECT_EQ(died.out.find(" 137\n"), std::string::npos) << died.out;
}

}  // namespace
}  // namespace nest
