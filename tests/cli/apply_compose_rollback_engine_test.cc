// failure_action = rollback on Compose: when a later batch of a rolling
// update fails, the batches before it are undone too. Three replicas, one
// at a time; the new version's health check passes for the first new
// container only (the first to claim a marker on a shared volume), so batch
// 2 fails. After the apply: exit 1 saying so, and the three containers of
// the previous version running under their names, nothing else left.
#include <gtest/gtest.h>

#include <string>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

std::string Source(const std::string& stack, const std::string& version, bool only_first_healthy) {
  std::string check = only_first_healthy
                          ? "[ -e /data/ok-$(hostname) ] || mkdir /data/first 2>/dev/null && touch /data/ok-$(hostname); "
                            "[ -e /data/ok-$(hostname) ]"
                          : "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/index.html || exit 1";
  return R"(stack ")" + stack + R"(" {}

network "back" {}

volume "data" {}

service "web" {
  image    = "nest-test/busybox:1"
  command  = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
  replicas = 3
  networks = [network.back]
  env      = { VERSION = ")" + version + R"(" }

  mount {
    source = volume.data
    target = "/data"
  }

  healthcheck {
    test     = ["CMD-SHELL", ")" + check + R"("]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    stop_grace_period = 1s
  }

  deploy "rolling" {
    parallelism    = 1
    order          = start-first
    failure_action = rollback
  }
}
)";
}

class ApplyComposeRollbackEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("croll");
    cleanup_.emplace(stack_);
  }
  void TearDown() override {
    testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_ + " | xargs -r docker volume rm >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-rev-" + stack_ + "- | xargs -r docker volume rm >/dev/null 2>&1");
  }

  testing::CommandResult Apply(const std::string& version, bool only_first_healthy) {
    dir_.Write("src/stack.nest", Source(stack_, version, only_first_healthy));
    return testing::RunCommand("cd '" + dir_.path() + "' && NEST_LOCK_LEASE_MS=5000 '" NEST_BINARY
                               "' apply src --platform compose --auto-approve </dev/null");
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyComposeRollbackEngineTest, AFailingLaterBatchRollsBackTheBatchesBeforeIt) {
  NEST_REQUIRE_ENGINE();
  auto created = Apply("1", false);
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  auto updated = Apply("2", true);
  EXPECT_EQ(updated.exit_code, 1) << updated.out << updated.err;
  EXPECT_NE((updated.out + updated.err).find("rolled back"), std::string::npos) << updated.out << updated.err;

  // Every container of the project, stopped ones too: "NAME STATE VERSION".
  auto listed = testing::RunCommand(
      "docker ps -a --filter label=com.docker.compose.project=" + stack_ +
      " --format '{{.Names}}' | sort | xargs -r -n1 docker inspect --format "
      "'{{.Name}} {{.State.Status}} {{range .Config.Env}}{{if eq (index (split . \"=\") 0) \"VERSION\"}}{{.}}{{end}}{{end}}'");
  EXPECT_EQ(listed.out, "/" + stack_ + "_web_1 running VERSION=1\n/" + stack_ + "_web_2 running VERSION=1\n/" + stack_ +
                            "_web_3 running VERSION=1\n")
      << updated.out << updated.err;
  // And each answers to the service name again.
  auto aliases = testing::RunCommand("docker inspect --format '{{range .NetworkSettings.Networks}}{{.Aliases}}{{end}}' " +
                                     stack_ + "_web_1");
  EXPECT_NE(aliases.out.find("web"), std::string::npos) << aliases.out;
}

}  // namespace
}  // namespace nest
