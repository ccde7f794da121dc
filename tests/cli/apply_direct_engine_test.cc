// What `nest apply` sets through the Engine API because the compose format
// cannot carry it: a network's gateway and IP range and a config's inline
// content, each read back from the engine, then `nest plan` says No changes;
// changing them replaces the object (a config create-before-destroy, a
// network with the services on it). And a service's deploy timeout ending
// its wait before --timeout does. Against the real engine, through the
// built binary.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <sstream>
#include <string>

#include "compiler/support/digest.h"
#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

// The third octet of a /24 in 172.29.0.0/16 no network of the engine uses
// (the test's network has a fixed subnet, as a gateway needs one). Starts
// from the pid, so concurrent test processes pick different ones.
int FreeSubnetOctet() {
  auto used = testing::RunCommand(
      "docker network ls -q | xargs -r docker network inspect --format "
      "'{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null");
  std::set<std::string> subnets;
  std::istringstream words(used.out);
  for (std::string subnet; words >> subnet;) subnets.insert(subnet);
  int start = static_cast<int>(::getpid() % 200) + 20;
  for (int i = 0; i < 200; ++i) {
    int octet = 20 + (start - 20 + i) % 200;
    if (!subnets.contains("172.29." + std::to_string(octet) + ".0/24")) return octet;
  }
  return -1;
}

class ApplyDirectEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("direct");
    cleanup_.emplace(stack_);
    octet_ = FreeSubnetOctet();
    ASSERT_GE(octet_, 0) << "no free /24 in 172.29.0.0/16";
  }
  void TearDown() override {
    testing::RunCommand("docker config ls -q --filter name=nest-lock-" + stack_ +
                        " | xargs -r docker config rm >/dev/null 2>&1");
    testing::RunCommand("docker config ls -q --filter name=nest-rev-" + stack_ +
                        "- | xargs -r docker config rm >/dev/null 2>&1");
  }

  std::string Net(const std::string& host) const { return "172.29." + std::to_string(octet_) + "." + host; }

  // A network with a gateway and a range of its own, an inline config, and
  // a service on both.
  void Write(const std::string& gateway_host, const std::string& content) {
    dir_.Write("src/stack.nest", R"(stack ")" + stack_ + R"(" {}

network "back" {
  subnet   = )" + Net("0/24") + R"(
  gateway  = )" + Net(gateway_host) + R"(
  ip_range = )" + Net("128/25") + R"(
}

config "motd" {
  content = ")" + content + R"(\n"
}

service "web" {
  image         = "nest-test/busybox:1"
  command       = ["sleep", "3600"]
  endpoint_mode = dnsrr
  networks      = [network.back]

  config {
    source = config.motd
    target = "/etc/motd"
  }

  security {
    init              = true
    stop_grace_period = 1s
  }

  deploy "rolling" {
    order   = start-first
    monitor = 1s
  }
}
)");
  }

  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand("cd '" + dir_.path() + "' && NEST_LOCK_LEASE_MS=3000 '" NEST_BINARY "' " + args +
                               " </dev/null");
  }

  std::string Docker(const std::string& args) { return testing::RunCommand("docker " + args).out; }

  std::string ConfigName(const std::string& content) const {
    return stack_ + "_motd_" + Sha256Hex(content + "\n").substr(0, 10);
  }

  void ExpectNoChanges() {
    auto plan = Nest("plan src --detailed-exitcode");
    EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
    EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
    EXPECT_EQ(plan.err.find("NEST-W080"), std::string::npos) << plan.err;  // nothing left for apply to promise
  }

  std::string stack_;
  int octet_ = -1;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyDirectEngineTest, GatewayRangeAndInlineContentAreSetThenPlanSaysNoChanges) {
  NEST_REQUIRE_SWARM();
  Write("254", "welcome to the direct stack");
  auto applied = Nest("apply src --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(applied.err.find("NEST-W080"), std::string::npos) << applied.err;

  EXPECT_EQ(Docker("network inspect --format '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}}' " +
                   stack_ + "_back"),
            Net("0/24") + " " + Net("254") + " " + Net("128/25") + "\n");
  // The task took its address from the range.
  std::string address = Docker("inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' $(docker ps -q "
                               "--filter label=com.docker.swarm.service.name=" + stack_ + "_web)");
  EXPECT_NE(address.find(Net("")), std::string::npos) << address;
  std::size_t at = address.find(Net(""));
  if (at != std::string::npos) EXPECT_GE(std::stoi(address.substr(at + Net("").size())), 128) << address;

  // The config: named by its content's hash, holding the content.
  const std::string name = ConfigName("welcome to the direct stack");
  EXPECT_EQ(Docker("config inspect --format '{{printf \"%s\" .Spec.Data}}' " + name), "welcome to the direct stack\n\n");
  EXPECT_EQ(Docker("exec $(docker ps -q --filter label=com.docker.swarm.service.name=" + stack_ + "_web) cat /etc/motd"),
            "welcome to the direct stack\n");

  ExpectNoChanges();
}

TEST_F(ApplyDirectEngineTest, ChangedContentRotatesTheConfigCreateBeforeDestroy) {
  NEST_REQUIRE_SWARM();
  Write("254", "first");
  ASSERT_EQ(Nest("apply src --auto-approve").exit_code, 0);
  const std::string old_name = ConfigName("first"), new_name = ConfigName("second");

  Write("254", "second");
  auto plan = Nest("plan src");
  EXPECT_NE(plan.out.find("its content changed: `" + new_name + "` is created, its users move to it, then `" +
                          old_name + "` is removed"),
            std::string::npos)
      << plan.out;

  auto applied = Nest("apply src --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("Apply complete! Resources: 1 added, 1 changed, 1 destroyed."), std::string::npos)
      << applied.out;
  std::size_t created = applied.out.find("config.motd (new object): Creation complete");
  std::size_t moved = applied.out.find("service.web: Modifications complete");
  std::size_t removed = applied.out.find("config.motd (old object): Destruction complete");
  ASSERT_NE(created, std::string::npos) << applied.out;
  ASSERT_NE(moved, std::string::npos) << applied.out;
  ASSERT_NE(removed, std::string::npos) << applied.out;
  EXPECT_LT(created, moved);
  EXPECT_LT(moved, removed);

  EXPECT_EQ(Docker("config ls --format '{{.Name}}' --filter label=com.docker.stack.namespace=" + stack_), new_name + "\n");
  EXPECT_EQ(Docker("config inspect --format '{{printf \"%s\" .Spec.Data}}' " + new_name), "second\n\n");
  EXPECT_EQ(Docker("service inspect --format '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}}{{end}}' " +
                   stack_ + "_web"),
            new_name + "\n");
  ExpectNoChanges();
}

TEST_F(ApplyDirectEngineTest, ChangedGatewayReplacesTheNetworkAndTheServiceOnIt) {
  NEST_REQUIRE_SWARM();
  Write("254", "hello");
  ASSERT_EQ(Nest("apply src --auto-approve").exit_code, 0);

  Write("253", "hello");
  auto plan = Nest("plan src");
  EXPECT_NE(plan.out.find("`gateway` cannot change in place (Docker cannot update a network); service.web attached "
                          "to it is replaced with it"),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("it is attached to network.back, which is replaced"), std::string::npos) << plan.out;

  auto applied = Nest("apply src --auto-approve --timeout 2m");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("Apply complete! Resources: 2 added, 0 changed, 2 destroyed."), std::string::npos)
      << applied.out;
  EXPECT_EQ(Docker("network inspect --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}' " + stack_ + "_back"),
            Net("253") + "\n");
  EXPECT_EQ(Docker("service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' " + stack_ + "_web"), "1\n");
  ExpectNoChanges();
}

// Part of `nest apply`'s deadlines: the service's own timeout (its deploy
// block) ends the wait long before --timeout. The health check fails, but
// within a long start period, so Swarm keeps the task starting and nothing
// but a deadline ends the wait.
TEST_F(ApplyDirectEngineTest, ADeployTimeoutEndsTheServicesWaitBeforeTheApplyTimeout) {
  NEST_REQUIRE_SWARM();
  dir_.Write("src/stack.nest", R"(stack ")" + stack_ + R"(" {}

service "slow" {
  image         = "nest-test/busybox:1"
  command       = ["sleep", "3600"]
  endpoint_mode = dnsrr

  healthcheck {
    test         = ["CMD-SHELL", "exit 1"]
    interval     = 1s
    retries      = 1
    start_period = 5m
  }

  security {
    init              = true
    stop_grace_period = 1s
  }

  deploy "rolling" {
    timeout = 3s
  }
}
)");
  auto start = std::chrono::steady_clock::now();
  auto applied = Nest("apply src --auto-approve --timeout 10m");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(applied.exit_code, 1) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("service.slow: Creation failed"), std::string::npos) << applied.out;
  EXPECT_NE(applied.out.find("not converged after"), std::string::npos) << applied.out;
  // 3 s of waiting, plus the plan, the lock and the create.
  EXPECT_LT(seconds, 20.0) << applied.out;
  EXPECT_GE(seconds, 3.0) << applied.out;
}

}  // namespace
}  // namespace nest
