// `nest rollback` and `nest history` on Swarm against the real engine,
// through the built binary: three applies, then a rollback to the first
// restores it exactly (the first config plans `No changes.`) and is itself
// recorded; a revision whose secret was rotated away is refused, naming it.
// Health checks poll every second and the monitor is 2 s, so each apply
// takes seconds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "test_paths.h"
#include "tests/cli/apply_stack_fixture.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

class RollbackEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("rollback");
    cleanup_.emplace(stack_);
    dir_.Write("src/token.txt", "rollback-token-1\n");
    dir_.Write("src/motd.txt", "welcome\n");
  }
  void TearDown() override { testing::RemoveLockAndRevisions(stack_); }

  void Write(const std::string& greeting) {
    testing::HttpdStack web;
    web.stack = stack_;
    web.env_value = greeting;
    dir_.Write("src/stack.nest", testing::HttpdStackSource(web));
  }

  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand(testing::NestCommandLine(dir_.path(), 3000, args));
  }

  std::string Greeting() {
    auto r = testing::RunCommand("docker service inspect --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' " +
                                 stack_ + "_web");
    return r.out;
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(RollbackEngineTest, RollbackToTheFirstOfThreeAppliesRestoresItExactly) {
  NEST_REQUIRE_SWARM();
  for (const std::string greeting : {"v1", "v2", "v3"}) {
    Write(greeting);
    auto applied = Nest("apply src --auto-approve");
    ASSERT_EQ(applied.exit_code, 0) << greeting << "\n" << applied.out << applied.err;
  }
  EXPECT_NE(Greeting().find("GREETING=v3"), std::string::npos) << Greeting();

  auto before = Nest("history src");
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_NE(before.out.find("   3  "), std::string::npos) << before.out;
  EXPECT_LT(before.out.find("   3  "), before.out.find("   1  ")) << before.out;

  // The plan is shown (the env change), then applied through the walk.
  auto rolled = Nest("rollback src --to 1 --auto-approve");
  ASSERT_EQ(rolled.exit_code, 0) << rolled.out << rolled.err;
  EXPECT_NE(rolled.out.find("Rolling stack " + stack_ + " back to revision 1."), std::string::npos) << rolled.out;
  EXPECT_NE(rolled.out.find("service.web"), std::string::npos) << rolled.out;
  EXPECT_NE(rolled.out.find("Apply complete! Resources: 0 added, 1 changed, 0 destroyed."), std::string::npos)
      << rolled.out;
  EXPECT_NE(Greeting().find("GREETING=v1"), std::string::npos) << Greeting();

  // Revision 1's config sees nothing to do: the rollback restored it exactly.
  Write("v1");
  auto plan = Nest("plan src --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  // The rollback is a revision of its own, with revision 1's config hash.
  auto history = Nest("history --stack " + stack_ + " --json");
  ASSERT_EQ(history.exit_code, 0) << history.err;
  auto json = nlohmann::json::parse(history.out);
  ASSERT_EQ(json["revisions"].size(), 4u) << history.out;
  EXPECT_EQ(json["revisions"][0]["number"], 4);
  EXPECT_EQ(json["revisions"][0]["config_hash"], json["revisions"][3]["config_hash"]) << history.out;
  EXPECT_NE(json["revisions"][0]["config_hash"], json["revisions"][1]["config_hash"]) << history.out;

  // Nothing left to do: a second rollback to 1 changes nothing.
  auto again = Nest("rollback src --to 1 --auto-approve");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("No changes."), std::string::npos) << again.out;
}

TEST_F(RollbackEngineTest, ARevisionWhoseSecretWasRotatedAwayIsRefusedNamingIt) {
  NEST_REQUIRE_SWARM();
  Write("v1");
  auto first = Nest("apply src --auto-approve");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto old_secret = testing::RunCommand("docker secret ls --format '{{.Name}}' --filter label=com.docker.stack.namespace=" +
                                        stack_);
  ASSERT_FALSE(old_secret.out.empty());
  // A new token: a new secret name; the old secret is deleted by the apply.
  dir_.Write("src/token.txt", "rollback-token-2\n");
  auto rotated = Nest("apply src --auto-approve");
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;

  auto refused = Nest("rollback src --auto-approve");  // default: revision 1
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("revision 1 needs an object that no longer exists"), std::string::npos) << refused.err;
  std::string name = old_secret.out.substr(0, old_secret.out.find('\n'));
  EXPECT_NE(refused.err.find("secret.token (" + name + ")"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out.find("Apply complete"), std::string::npos) << refused.out;
  // Refused before anything changed: still two revisions, the new token live.
  auto history = Nest("history src --json");
  EXPECT_EQ(nlohmann::json::parse(history.out)["revisions"].size(), 2u) << history.out;
}

}  // namespace
}  // namespace nest
