// The MediaNest example applied for real (issue 10): every image replaced by
// a locally built stand-in (tests/medianest/build-standins) that passes the
// same health checks, through tests/medianest/standins.vars; the apply
// converges, and `nest plan` then says No changes. Then `nest status` on it
// (issue 13): every service healthy and `in sync`, exit 0; after `docker
// service scale` by hand, the drift is shown and the exit code is 1. (One
// test, so that the two-minute apply is paid once.)
//
// The example's health intervals are its own (10 s to 1 min: the backup's
// first check comes a minute after it starts, behind the database), so this
// one apply takes about two minutes. Its wall time is printed.
//
// The example's networks have fixed subnets, 172.30.1-4.0/24: only one stack
// on the engine can hold them, so this is the only test that applies the
// example, and it fails at once, naming the network, when another holds them.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

const std::string kExample = NEST_SOURCE_DIR "/examples/medianest";
const std::string kStandinVars = NEST_SOURCE_DIR "/tests/medianest/standins.vars";
const std::string kBuildStandins = NEST_SOURCE_DIR "/tests/medianest/build-standins";
constexpr const char* kSubnets[] = {"172.30.1.0/24", "172.30.2.0/24", "172.30.3.0/24", "172.30.4.0/24"};

// "NAME (SUBNET)" for every network on the engine holding one of the
// example's subnets; empty when they are free.
std::string NetworksHoldingTheSubnets() {
  auto listed = testing::RunCommand(
      "docker network ls -q | xargs -r docker network inspect "
      "--format '{{.Name}}{{range .IPAM.Config}} {{.Subnet}}{{end}}' 2>/dev/null");
  std::string holders;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name, subnet;
    words >> name;
    while (words >> subnet) {
      for (const char* wanted : kSubnets) {
        if (subnet == wanted) holders += (holders.empty() ? "" : ", ") + name + " (" + subnet + ")";
      }
    }
  }
  return holders;
}

std::size_t CountLines(const std::string& text) {
  std::size_t n = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) n += !line.empty();
  return n;
}

class MedianestApplyEngineTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!applied_) return;
    test_support::RemoveStack(stack_);
    // The lock and revisions carry no stack label: removed by name.
    testing::RunCommand("docker config ls -q --filter name=nest-lock-" + stack_ +
                        " | xargs -r docker config rm >/dev/null 2>&1");
    testing::RunCommand("docker config ls -q --filter name=nest-rev-" + stack_ +
                        "- | xargs -r docker config rm >/dev/null 2>&1");
    testing::RunCommand("docker config ls -q --filter name=nest-autoscale-" + stack_ +
                        " | xargs -r docker config rm >/dev/null 2>&1");
    // A network left behind would keep the subnets from the next run.
    auto left = testing::RunCommand("docker network ls --format '{{.Name}}' --filter label=com.docker.stack.namespace=" +
                                    stack_);
    EXPECT_EQ(left.out, "") << "networks of " << stack_ << " were left on the engine";
  }

  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand("'" NEST_BINARY "' " + args + " </dev/null");
  }

  std::string stack_ = test_support::UniqueName("medianest");
  bool applied_ = false;
};

TEST_F(MedianestApplyEngineTest, AppliesOnStandInImagesConvergesPlansNoChangesAndStatusIsHealthy) {
  NEST_REQUIRE_SWARM();
  std::string holders = NetworksHoldingTheSubnets();
  ASSERT_EQ(holders, "") << "the MediaNest example needs the subnets 172.30.1-4.0/24, but these networks hold "
                         << "them: " << holders << ". Remove that stack first (this test must be the only one "
                         << "applying the example).";

  auto built = testing::RunCommand(kBuildStandins);
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  EXPECT_EQ(CountLines(built.out), 10u) << built.out;  // one image per role

  const std::string vars = " --stack " + stack_ + " --var-file '" + kStandinVars + "'";
  applied_ = true;  // from here on, TearDown removes whatever the apply made
  auto start = std::chrono::steady_clock::now();
  auto applied = Nest("apply '" + kExample + "'" + vars + " --auto-approve");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ medianest ] nest apply took %.1f s\n", seconds);
  RecordProperty("apply_seconds", std::to_string(seconds));
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  // 4 networks, 7 secrets, 5 configs, 8 volumes, 10 services.
  EXPECT_NE(applied.out.find("Apply complete! Resources: 34 added, 0 changed, 0 destroyed."), std::string::npos)
      << applied.out;

  // Every container passed its health check: the app's 3 replicas and one
  // task of each of the other nine services (the two global ones on the
  // one node).
  auto containers = testing::RunCommand("docker ps --format '{{.Names}} {{.Status}}' --filter label=com.docker.stack.namespace=" +
                                        stack_);
  EXPECT_EQ(CountLines(containers.out), 12u) << containers.out;
  std::istringstream lines(containers.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NE(line.find("(healthy)"), std::string::npos) << line;
  }

  auto plan = Nest("plan '" + kExample + "'" + vars + " --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  // nest status: healthy and in sync. The app is autoscaled (2-8): its live
  // count is the autoscaler's, so the hand scale below is on alertmanager.
  start = std::chrono::steady_clock::now();
  auto status = Nest("status '" + kExample + "'" + vars + " --json");
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ medianest ] nest status took %.2f s\n", seconds);
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  nlohmann::json report = nlohmann::json::parse(status.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << status.out << status.err;
  EXPECT_EQ(report["healthy"], true) << status.out;
  EXPECT_EQ(report["in_sync"], true) << status.out;
  EXPECT_EQ(report["services"].size(), 10u);
  bool app_autoscaled = false;
  for (const auto& service : report["services"]) {
    EXPECT_EQ(service["healthy"], true) << service.dump();
    EXPECT_EQ(service["running"], service["desired"]) << service.dump();
    if (service["address"] == "service.app") app_autoscaled = service["autoscale"]["policy"]["max"] == 8;
  }
  EXPECT_TRUE(app_autoscaled) << status.out;
  for (const auto& resource : report["resources"]) EXPECT_EQ(resource["present"], true) << resource.dump();

  auto scaled = testing::RunCommand("docker service scale -d " + stack_ + "_alertmanager=2");
  ASSERT_EQ(scaled.exit_code, 0) << scaled.err;
  auto drifted = Nest("status '" + kExample + "'" + vars);
  EXPECT_EQ(drifted.exit_code, 1) << drifted.out << drifted.err;
  EXPECT_NE(drifted.out.find("Drift: 1 change (run `nest plan` for details):\n  update service.alertmanager"),
            std::string::npos)
      << drifted.out;
}

}  // namespace
}  // namespace nest
