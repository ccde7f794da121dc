// The MediaNest example applied on Compose (issue 11): every image replaced
// by a locally built stand-in (tests/medianest/build-standins, through
// tests/medianest/standins.vars), the whole stack as plain containers; the
// apply converges (every container healthy, in the graph's order: the
// database before the app and the backup), and `nest plan --platform
// compose` then says No changes.
//
// The example's health intervals are its own (the backup's first check
// comes a minute after it starts), so this apply takes about two minutes;
// its wall time is printed. Its networks have fixed subnets (172.30.1-4.0/24)
// and it publishes fixed host ports: it runs under ctest's RESOURCE_LOCK
// medianest_subnets (tests/CMakeLists.txt), and by hand under
// `flock /tmp/nest-medianest.lock`.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>

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

class MedianestComposeApplyEngineTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!applied_) return;
    test_support::RemoveStack(stack_);
    testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_ + " | xargs -r docker volume rm >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-rev-" + stack_ + "- | xargs -r docker volume rm >/dev/null 2>&1");
    // A network left behind would keep the subnets from the next run.
    auto left = testing::RunCommand("docker network ls --format '{{.Name}}' --filter label=com.docker.compose.project=" +
                                    stack_);
    EXPECT_EQ(left.out, "") << "networks of " << stack_ << " were left on the engine";
  }

  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand("'" NEST_BINARY "' " + args + " </dev/null");
  }

  std::string stack_ = test_support::UniqueName("mncompose");
  bool applied_ = false;
};

TEST_F(MedianestComposeApplyEngineTest, AppliesOnStandInImagesConvergesAndThenPlansNoChanges) {
  NEST_REQUIRE_ENGINE();
  std::string holders = NetworksHoldingTheSubnets();
  ASSERT_EQ(holders, "") << "the MediaNest example needs the subnets 172.30.1-4.0/24, but these networks hold "
                         << "them: " << holders << ". Remove that stack first (run the MediaNest tests one at a "
                         << "time: flock /tmp/nest-medianest.lock, or ctest's RESOURCE_LOCK medianest_subnets).";
  auto built = testing::RunCommand(kBuildStandins);
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;

  const std::string vars = " --platform compose --stack " + stack_ + " --var-file '" + kStandinVars + "'";
  applied_ = true;  // from here on, TearDown removes whatever the apply made
  auto start = std::chrono::steady_clock::now();
  auto applied = Nest("apply '" + kExample + "'" + vars + " --auto-approve");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ medianest ] nest apply --platform compose took %.1f s\n", seconds);
  RecordProperty("apply_seconds", std::to_string(seconds));
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  // 4 networks, 8 volumes, 10 services (compose has no secret objects).
  EXPECT_NE(applied.out.find("Apply complete! Resources: 22 added, 0 changed, 0 destroyed."), std::string::npos)
      << applied.out;
  // The database's step completes (healthy) before the app's begins.
  auto db_done = applied.out.find("module.db.service.postgres: Creation complete");
  auto app_started = applied.out.find("service.app: Creating...");
  ASSERT_NE(db_done, std::string::npos) << applied.out;
  EXPECT_LT(db_done, app_started) << applied.out;

  // The app's 3 replicas and one container of each other service, healthy.
  auto containers = testing::RunCommand("docker ps --format '{{.Names}} {{.Status}}' --filter label=com.docker.compose.project=" +
                                        stack_);
  EXPECT_EQ(CountLines(containers.out), 12u) << containers.out;
  std::istringstream lines(containers.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NE(line.find("(healthy)"), std::string::npos) << line;
  }

  auto plan = Nest("plan '" + kExample + "'" + vars + " --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
}

}  // namespace
}  // namespace nest
