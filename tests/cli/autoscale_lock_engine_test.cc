// `nest autoscale` and `nest apply` never change a stack at once: while the
// stack's lock is held (as an apply holds it), a due change is `skipped`,
// naming the holder, and the count is left alone; once the lock is free the
// next round makes it. The change is due at once because the count was set
// below `min` by hand (no measuring needed).
#include <gtest/gtest.h>

#include <string>

#include "providers/engine/endpoint.h"
#include "providers/swarm/stack_lock.h"
#include "test_paths.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

std::string Source(const std::string& stack) {
  return R"(stack ")" + stack + R"(" {}

service "idle" {
  image         = "nest-test/busybox:1"
  command       = ["sleep", "100000"]
  endpoint_mode = dnsrr

  security {
    stop_grace_period = 1s
  }

  autoscale {
    min = 1
    max = 2
  }
}
)";
}

class AutoscaleLockEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("aslock");
    cleanup_.emplace(stack_);
    dir_.Write("src/stack.nest", Source(stack_));
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
  std::string Replicas() {
    return testing::RunCommand("docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' " + stack_ + "_idle")
        .out;
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(AutoscaleLockEngineTest, ADueChangeWaitsForTheLock) {
  NEST_REQUIRE_SWARM();
  ASSERT_EQ(Nest("apply src --auto-approve").exit_code, 0);
  ASSERT_EQ(testing::RunCommand("docker service scale -d " + stack_ + "_idle=0").exit_code, 0);

  engine::EngineClient client = test_support::LocalClient();
  swarm::AcquireResult held = swarm::AcquireStackLock(client, stack_, {.operation = "apply"});
  ASSERT_TRUE(held.ok()) << held.error->message;
  auto skipped = Nest("autoscale src --once");
  EXPECT_EQ(skipped.exit_code, 1) << skipped.out << skipped.err;
  EXPECT_NE(skipped.out.find(stack_ + "_idle: skipped 0 -> 1: below min 1; not scaled: stack " + stack_ + " is locked: held by"),
            std::string::npos)
      << skipped.out;
  EXPECT_NE(skipped.out.find("for apply"), std::string::npos) << skipped.out;
  EXPECT_EQ(Replicas(), "0\n");
  ASSERT_TRUE(swarm::ReleaseStackLock(client, *held.lock).ok());

  auto scaled = Nest("autoscale src --once");
  EXPECT_EQ(scaled.exit_code, 0) << scaled.out << scaled.err;
  EXPECT_NE(scaled.out.find(stack_ + "_idle: scaled 0 -> 1: below min 1"), std::string::npos) << scaled.out;
  EXPECT_EQ(Replicas(), "1\n");
  // The lock was given back: an apply can take it (nothing to change).
  auto applied = Nest("apply src --auto-approve");
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
}

}  // namespace
}  // namespace nest
