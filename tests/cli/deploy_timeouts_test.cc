// A service's deploy timeout and the apply's --timeout: the wait ends at
// whichever comes first.
#include "cli/deploy_timeouts.h"

#include <gtest/gtest.h>

#include "compiler/check/load.h"
#include "tests/support/run_command.h"
#include "test_paths.h"

namespace nest {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

TEST(DeployTimeoutsTest, EveryServiceThatSetsOneByAddress) {
  testing::TempDir dir;
  dir.Write("stack/main.nest", R"(stack "shop" {}
service "web" {
  image = "nginx"
  deploy "rolling" {
    timeout = 90s
  }
}
service "api" {
  image = "api"
  deploy "canary" {
    steps   = [50%, 100%]
    timeout = 2m
  }
}
service "plain" {
  image = "plain"
  deploy "rolling" {
    parallelism = 1
  }
}
service "none" {
  image = "none"
}
)");
  SourceManager sources;
  Diagnostics diags;
  LoadOptions options;
  options.read_environment = false;
  options.stdlib_dir = std::string(NEST_SOURCE_DIR) + "/stdlib";
  auto config = LoadStack(dir.path() + "/stack", options, sources, diags);
  ASSERT_TRUE(config.has_value());
  auto timeouts = DeployTimeouts(*config);
  EXPECT_EQ(timeouts, (std::map<std::string, std::chrono::nanoseconds>{{"service.api", minutes(2)},
                                                                      {"service.web", seconds(90)}}));
}

TEST(DeployTimeoutsTest, TheEarlierOfTheServicesOwnAndTheApplys) {
  const Clock::time_point now = Clock::now();
  const std::map<std::string, std::chrono::nanoseconds> timeouts{{"service.web", seconds(30)},
                                                                 {"service.slow", minutes(20)}};
  const Clock::time_point apply_deadline = now + minutes(10);
  EXPECT_EQ(StepDeadline(apply_deadline, timeouts, "service.web", now), now + seconds(30));
  EXPECT_EQ(StepDeadline(apply_deadline, timeouts, "service.slow", now), apply_deadline);
  EXPECT_EQ(StepDeadline(apply_deadline, timeouts, "service.other", now), apply_deadline);
  // Counted from when the step starts.
  EXPECT_EQ(StepDeadline(apply_deadline, timeouts, "service.web", now + minutes(1)), now + minutes(1) + seconds(30));
  EXPECT_EQ(StepDeadline(apply_deadline, timeouts, "service.web", now + minutes(11)), apply_deadline);
  // No apply deadline at all: the service's own.
  EXPECT_EQ(StepDeadline(Clock::time_point::max(), timeouts, "service.web", now), now + seconds(30));
}

}  // namespace
}  // namespace nest
