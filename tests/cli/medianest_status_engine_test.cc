// `nest status` on the MediaNest example (stand-in images,
// tests/medianest/build-standins) after `nest apply`: every service healthy
// and `in sync`, exit 0; after `docker service scale` by hand: the drift is
// shown and the exit code is 1. The app is autoscaled (2-8): its live count
// is the autoscaler's, so the hand scale is on alertmanager.
//
// The example's networks have fixed subnets, 172.30.1-4.0/24: CTest runs
// this under the RESOURCE_LOCK medianest_subnets (tests/CMakeLists.txt), and
// by hand it runs under `flock /tmp/nest-medianest.lock`. The apply takes
// about two minutes (the example's own health intervals).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

const std::string kExample = NEST_SOURCE_DIR "/examples/medianest";
const std::string kStandinVars = NEST_SOURCE_DIR "/tests/medianest/standins.vars";
const std::string kBuildStandins = NEST_SOURCE_DIR "/tests/medianest/build-standins";

class MedianestStatusEngineTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!applied_) return;
    test_support::RemoveStack(stack_);
    for (const char* prefix : {"nest-lock-", "nest-rev-", "nest-autoscale-"}) {
      testing::RunCommand(std::string("docker config ls -q --filter name=") + prefix + stack_ +
                          " | xargs -r docker config rm >/dev/null 2>&1");
    }
  }

  testing::CommandResult Nest(const std::string& command, const std::string& extra = "") {
    return testing::RunCommand("'" NEST_BINARY "' " + command + " '" + kExample + "' --stack " + stack_ +
                               " --var-file '" + kStandinVars + "' " + extra + " </dev/null");
  }

  std::string stack_ = test_support::UniqueName("medianest");
  bool applied_ = false;
};

TEST_F(MedianestStatusEngineTest, HealthyAndInSyncAfterApplyThenDriftAfterAHandScale) {
  NEST_REQUIRE_SWARM();
  auto built = testing::RunCommand(kBuildStandins);
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;

  applied_ = true;
  auto applied = Nest("apply", "--auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;

  auto start = std::chrono::steady_clock::now();
  auto status = Nest("status", "--json");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ medianest ] nest status took %.2f s\n", seconds);
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  nlohmann::json j = nlohmann::json::parse(status.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << status.out << status.err;
  EXPECT_EQ(j["healthy"], true) << status.out;
  EXPECT_EQ(j["in_sync"], true) << status.out;
  EXPECT_EQ(j["services"].size(), 10u);
  for (const auto& service : j["services"]) {
    EXPECT_EQ(service["healthy"], true) << service.dump();
    EXPECT_EQ(service["running"], service["desired"]) << service.dump();
  }
  for (const auto& resource : j["resources"]) EXPECT_EQ(resource["present"], true) << resource.dump();
  bool app_autoscaled = false;
  for (const auto& service : j["services"]) {
    if (service["address"] == "service.app") app_autoscaled = service["autoscale"]["policy"]["max"] == 8;
  }
  EXPECT_TRUE(app_autoscaled) << status.out;

  auto scaled = testing::RunCommand("docker service scale -d " + stack_ + "_alertmanager=2");
  ASSERT_EQ(scaled.exit_code, 0) << scaled.err;
  auto drifted = Nest("status");
  EXPECT_EQ(drifted.exit_code, 1) << drifted.out << drifted.err;
  EXPECT_NE(drifted.out.find("Drift: 1 change (run `nest plan` for details):\n  update service.alertmanager"),
            std::string::npos)
      << drifted.out;
}

}  // namespace
}  // namespace nest
