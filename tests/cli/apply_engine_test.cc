// `nest apply` on Swarm against the real engine, through the built binary:
// a stack created and converged (then `nest plan` says No changes), a
// failing health check rolled back with exit 1, the approval rules, the
// lock refusing a second apply, and saved plans (applied; refused when stale).
// Health checks poll every second and monitor windows are short, so each
// apply takes seconds.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/cli/apply_stack_fixture.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

constexpr const char* kSecretValue = "apply-secret-value-7d1e";
constexpr const char* kSecretFile = "apply-secret-value-7d1e\n";  // the file holds the value and a newline

// A network, a secret, a config and a healthy web service. `page` is what
// the health check asks for: "index.html" passes, anything else fails.
std::string Source(const std::string& stack, const std::string& page = "index.html",
                   const std::string& greeting = "hello") {
  testing::HttpdStack web;
  web.stack = stack;
  web.health_page = page;
  web.env_value = greeting;
  return testing::HttpdStackSource(web);
}

class ApplyEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("apply");
    cleanup_.emplace(stack_);
    Write(Source(stack_));
    dir_.Write("src/token.txt", kSecretFile);
    dir_.Write("src/motd.txt", "welcome\n");
  }
  void TearDown() override { testing::RemoveLockAndRevisions(stack_); }

  void Write(const std::string& source) { dir_.Write("src/stack.nest", source); }

  // Runs nest in the test's folder, with no terminal on stdin.
  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand(testing::NestCommandLine(dir_.path(), 3000, args));
  }

  std::string Inspect(const std::string& format) {
    auto r = testing::RunCommand("docker service inspect --format '" + format + "' " + stack_ + "_web");
    return r.out;
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyEngineTest, CreatesConvergesAndThenPlansNoChanges) {
  NEST_REQUIRE_SWARM();
  auto applied = Nest("apply src --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("Apply complete! Resources: 4 added, 0 changed, 0 destroyed."), std::string::npos)
      << applied.out;
  EXPECT_NE(applied.out.find("service.web: Creation complete"), std::string::npos) << applied.out;
  EXPECT_EQ(applied.out.find(kSecretValue), std::string::npos);
  EXPECT_EQ(applied.err.find(kSecretValue), std::string::npos);
  // Both tasks run: apply returned only after they converged.
  EXPECT_EQ(Inspect("{{.Spec.Mode.Replicated.Replicas}}"), "2\n");
  auto running = testing::RunCommand("docker service ps -q --filter desired-state=running " + stack_ + "_web | wc -l");
  EXPECT_EQ(running.out, "2\n");

  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  // A revision was recorded.
  auto revisions = testing::RunCommand("docker config ls --format '{{.Name}}' --filter name=nest-rev-" + stack_ + "-");
  EXPECT_NE(revisions.out.find("nest-rev-" + stack_ + "-1"), std::string::npos) << revisions.out;
}

TEST_F(ApplyEngineTest, AFailingHealthCheckIsRolledBackAndReported) {
  NEST_REQUIRE_SWARM();
  ASSERT_EQ(Nest("apply src --auto-approve").exit_code, 0);
  std::string before = Inspect("{{json .Spec.TaskTemplate.ContainerSpec.Env}}");

  Write(Source(stack_, "missing.html", "broken"));
  auto applied = Nest("apply src --auto-approve");
  EXPECT_EQ(applied.exit_code, 1) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("rollback"), std::string::npos) << applied.out;
  EXPECT_NE(applied.out.find("Apply failed"), std::string::npos) << applied.out;
  // The old spec is live again, and the change is still planned.
  EXPECT_EQ(Inspect("{{json .Spec.TaskTemplate.ContainerSpec.Env}}"), before);
  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
}

TEST_F(ApplyEngineTest, WithoutATerminalApprovalMustBeGiven) {
  NEST_REQUIRE_SWARM();
  auto refused = Nest("apply src");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("--auto-approve"), std::string::npos) << refused.err;
  auto services = testing::RunCommand("docker service ls -q --filter name=" + stack_ + "_ | wc -l");
  EXPECT_EQ(services.out, "0\n");
}

TEST_F(ApplyEngineTest, ASecondApplyIsRefusedWithTheHolder) {
  NEST_REQUIRE_SWARM();
  std::thread first([&] { Nest("apply src --auto-approve"); });
  // Wait until the first apply holds the lock.
  std::string locks;
  for (int i = 0; i < 100 && locks.find("nest-lock-") == std::string::npos; ++i) {
    locks = testing::RunCommand("docker config ls --format '{{.Name}}' --filter name=nest-lock-" + stack_).out;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto second = Nest("apply src --auto-approve");
  first.join();
  ASSERT_NE(locks.find("nest-lock-" + stack_), std::string::npos) << "the first apply never took the lock";
  EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
  EXPECT_NE(second.err.find("held by"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("force-unlock"), std::string::npos) << second.err;
}

TEST_F(ApplyEngineTest, CtrlCStopsTheWaitReleasesTheLockAndExitsOne) {
  NEST_REQUIRE_SWARM();
  // The health check never passes, so the apply waits until interrupted.
  Write(Source(stack_, "missing.html"));
  auto interrupted = testing::RunCommand(
      "cd '" + dir_.path() + "' && ('" NEST_BINARY "' apply src --auto-approve </dev/null & pid=$!; "
      "for i in $(seq 1 100); do docker service inspect " + stack_ + "_web >/dev/null 2>&1 && break; sleep 0.1; done; "
      "sleep 1; kill -INT $pid; wait $pid; echo \"exit=$?\")");
  EXPECT_NE(interrupted.out.find("exit=1"), std::string::npos) << interrupted.out << interrupted.err;
  EXPECT_NE(interrupted.err.find("stopping"), std::string::npos) << interrupted.err;
  EXPECT_NE(interrupted.out.find("interrupted"), std::string::npos) << interrupted.out;
  // The lock is gone: the next apply is not refused.
  auto locks = testing::RunCommand("docker config ls -q --filter name=nest-lock-" + stack_ + " | wc -l");
  EXPECT_EQ(locks.out, "0\n");
}

TEST_F(ApplyEngineTest, ASavedPlanAppliesAndAStaleOneIsRefused) {
  NEST_REQUIRE_SWARM();
  auto saved = Nest("plan src -out first.plan");
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  auto applied = Nest("apply first.plan");  // no question for a saved plan
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("Apply complete!"), std::string::npos) << applied.out;

  Write(Source(stack_, "index.html", "changed"));
  ASSERT_EQ(Nest("plan src -out second.plan").exit_code, 0);
  // Someone scales the service by hand after the plan was made.
  ASSERT_EQ(testing::RunCommand("docker service scale --detach " + stack_ + "_web=3").exit_code, 0);
  auto stale = Nest("apply second.plan");
  EXPECT_EQ(stale.exit_code, 1) << stale.out << stale.err;
  EXPECT_NE(stale.err.find("the saved plan is stale: service.web changed on the engine"), std::string::npos)
      << stale.err;
}

}  // namespace
}  // namespace nest
