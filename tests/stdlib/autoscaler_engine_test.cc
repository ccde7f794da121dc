// The stdlib/autoscaler module for real: its image built from this build's
// nest binary (stdlib/autoscaler/build-image), the module applied beside an
// autoscaled service, and the service scaled to 0 by hand: the autoscaler
// running inside the stack (the engine socket mounted, on the manager) puts
// it back to its min, and says so in its log.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

constexpr const char* kImage = "nest-test/autoscaler:1";

// The lock, revisions and scale record carry no stack label: removed by name.
struct BookkeepingCleanup {
  std::string stack;
  ~BookkeepingCleanup() {
    for (const char* prefix : {"nest-lock-", "nest-rev-", "nest-autoscale-"}) {
      testing::RunCommand(std::string("docker config ls -q --filter name=") + prefix + stack +
                          " | xargs -r docker config rm >/dev/null 2>&1");
    }
  }
};

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

module "autoscaler" {
  source   = "stdlib/autoscaler"
  stack    = ")" + stack + R"("
  interval = "1s"
  image    = ")" + kImage + R"("
}
)";
}

TEST(AutoscalerModuleEngineTest, RunsInsideTheStackAndKeepsTheServiceWithinItsBounds) {
  NEST_REQUIRE_SWARM();
  auto built = testing::RunCommand("'" NEST_SOURCE_DIR "/stdlib/autoscaler/build-image' '" NEST_BINARY "' " + std::string(kImage));
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;

  const std::string stack = test_support::UniqueName("asmod");
  test_support::StackCleanup cleanup(stack);
  BookkeepingCleanup bookkeeping{stack};
  testing::TempDir dir;
  dir.Write("src/stack.nest", Source(stack));
  auto applied = testing::RunCommand("cd '" + dir.path() + "' && '" NEST_BINARY "' apply src --auto-approve </dev/null");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;

  ASSERT_EQ(testing::RunCommand("docker service scale -d " + stack + "_idle=0").exit_code, 0);
  const auto scaled_down = std::chrono::steady_clock::now();
  std::string replicas;
  for (int i = 0; i < 60 && replicas != "1\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    replicas = testing::RunCommand("docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' " + stack + "_idle").out;
  }
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - scaled_down).count();
  // The scale is on the engine before its log line reaches `docker service
  // logs` (a slow, sanitized autoscaler even more so): wait for the line.
  const std::string said = stack + "_idle: scaled 0 -> 1: below min 1";
  std::string log;
  for (int i = 0; i < 30; ++i) {
    log = testing::RunCommand("docker service logs --raw " + stack + "_autoscaler-autoscaler 2>&1").out;
    if (log.find(said) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_EQ(replicas, "1\n") << log;
  EXPECT_NE(log.find(said), std::string::npos) << log;
  std::printf("[ autoscaler module ] put the service back to its min %.1f s after the hand scale to 0\n", took);

}

}  // namespace
}  // namespace nest
