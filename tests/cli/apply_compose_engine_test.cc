// `nest apply --platform compose` against the real engine, through the
// built binary: a project created as Compose would have made it (so
// docker-compose 1.29 lists it), then planned as No changes; a secret's
// content change replaces the containers; scaling touches no other
// container; a failing health check leaves the old containers serving;
// the lock refuses a second apply. Health checks poll every second.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "test_paths.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

constexpr const char* kSecretValue = "compose-secret-value-51c9";

struct Options {
  std::string page = "index.html";  // the health check's page: anything else fails
  std::string greeting = "hello";
  int replicas = 2;
};

// A network, a volume, a secret, a config, a healthy web service and a
// worker that starts after it.
std::string Source(const std::string& stack, const Options& o) {
  return R"(stack ")" + stack + R"(" {}

network "back" {}

volume "data" {}

secret "token" {
  file = "token.txt"
}

config "motd" {
  file = "motd.txt"
}

service "web" {
  image    = "nest-test/busybox:1"
  command  = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
  replicas = )" + std::to_string(o.replicas) + R"(
  networks = [network.back]
  secrets  = [secret.token]
  env      = { GREETING = ")" + o.greeting + R"(" }

  config {
    source = config.motd
    target = "/etc/motd"
  }

  mount {
    source = volume.data
    target = "/data"
  }

  healthcheck {
    test     = ["CMD-SHELL", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/)" + o.page + R"( || exit 1"]
    interval = 1s
    timeout  = 3s
    retries  = 2
  }

  security {
    init              = true
    stop_grace_period = 1s
  }

  deploy "rolling" {
    parallelism = 1
    order       = start-first
  }
}

service "worker" {
  image      = "nest-test/busybox:1"
  command    = ["sleep", "3600"]
  networks   = [network.back]
  depends_on = [service.web]

  security {
    init              = true
    stop_grace_period = 1s
  }
}
)";
}

class ApplyComposeEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = test_support::UniqueName("capply");
    cleanup_.emplace(stack_);
    Write(Options{});
    dir_.Write("src/token.txt", std::string(kSecretValue) + "\n");
    dir_.Write("src/motd.txt", "welcome\n");
  }
  void TearDown() override {
    // The lock and revisions carry no project label: remove them by name.
    testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_ + " | xargs -r docker volume rm >/dev/null 2>&1");
    testing::RunCommand("docker volume ls -q --filter name=nest-rev-" + stack_ + "- | xargs -r docker volume rm >/dev/null 2>&1");
  }

  void Write(const Options& o) { dir_.Write("src/stack.nest", Source(stack_, o)); }

  testing::CommandResult Nest(const std::string& args) {
    return testing::RunCommand("cd '" + dir_.path() + "' && NEST_LOCK_LEASE_MS=3000 '" NEST_BINARY "' " + args +
                               " </dev/null");
  }
  testing::CommandResult Apply() { return Nest("apply src --platform compose --auto-approve"); }

  // "name id state hash" per container of the service, sorted by name.
  std::string Containers(const std::string& service) {
    return testing::RunCommand("docker ps -a --filter label=com.docker.compose.project=" + stack_ +
                               " --filter label=com.docker.compose.service=" + service +
                               " --format '{{.Names}} {{.ID}} {{.State}}' | sort")
        .out;
  }

  std::string stack_;
  testing::TempDir dir_;
  std::optional<test_support::StackCleanup> cleanup_;
};

TEST_F(ApplyComposeEngineTest, CreatesWhatDockerComposeListsAndThenPlansNoChanges) {
  NEST_REQUIRE_ENGINE();
  auto applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("Apply complete! Resources: 4 added, 0 changed, 0 destroyed."), std::string::npos)
      << applied.out;
  EXPECT_EQ(applied.out.find(kSecretValue), std::string::npos);
  EXPECT_EQ(applied.err.find(kSecretValue), std::string::npos);

  // Compose's names, all running.
  std::string web = Containers("web");
  EXPECT_NE(web.find(stack_ + "_web_1 "), std::string::npos) << web;
  EXPECT_NE(web.find(stack_ + "_web_2 "), std::string::npos) << web;
  EXPECT_EQ(web.find("exited"), std::string::npos) << web;
  EXPECT_NE(Containers("worker").find(stack_ + "_worker_1 "), std::string::npos);

  // The worker started only once web was healthy (its dependency): web's
  // step completes after its containers are healthy.
  auto web_done = applied.out.find("service.web: Creation complete");
  auto worker_started = applied.out.find("service.worker: Creating...");
  ASSERT_NE(web_done, std::string::npos) << applied.out;
  ASSERT_NE(worker_started, std::string::npos) << applied.out;
  EXPECT_LT(web_done, worker_started) << applied.out;

  // docker-compose 1.29 sees the project it would have made.
  if (testing::HaveProgram("docker-compose")) {
    ASSERT_EQ(Nest("compile src --target compose -o compose.yml").exit_code, 0);
    auto ps = testing::RunCommand("cd '" + dir_.path() + "' && docker-compose -p " + stack_ + " -f compose.yml ps");
    EXPECT_EQ(ps.exit_code, 0) << ps.err;
    EXPECT_NE(ps.out.find(stack_ + "_web_1"), std::string::npos) << ps.out << ps.err;
    EXPECT_NE(ps.out.find(stack_ + "_web_2"), std::string::npos) << ps.out;
    EXPECT_NE(ps.out.find(stack_ + "_worker_1"), std::string::npos) << ps.out;
    EXPECT_NE(ps.out.find("(healthy)"), std::string::npos) << ps.out;
  }

  // The secret and the config are read-only files in the container.
  auto secret = testing::RunCommand("docker exec " + stack_ + "_web_1 cat /run/secrets/token /etc/motd");
  EXPECT_EQ(secret.out, std::string(kSecretValue) + "\nwelcome\n");
  auto write = testing::RunCommand("docker exec " + stack_ + "_web_1 sh -c 'echo x > /run/secrets/token'");
  EXPECT_NE(write.exit_code, 0);
  // On the project network, the service name resolves to its containers.
  auto resolved = testing::RunCommand("docker exec " + stack_ + "_worker_1 timeout 3 wget -q -O - http://web:8080/index.html");
  EXPECT_EQ(resolved.out, "ok\n") << resolved.err;

  auto plan = Nest("plan src --platform compose --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;

  // A revision was recorded; the lock is gone.
  auto volumes = testing::RunCommand("docker volume ls -q --filter name=nest-");
  EXPECT_NE(volumes.out.find("nest-rev-" + stack_ + "-1"), std::string::npos) << volumes.out;
  EXPECT_EQ(volumes.out.find("nest-lock-" + stack_), std::string::npos) << volumes.out;
}

TEST_F(ApplyComposeEngineTest, ASecretChangeReplacesAndScalingTouchesNoOtherContainer) {
  NEST_REQUIRE_ENGINE();
  ASSERT_EQ(Apply().exit_code, 0);
  std::string before = Containers("web");

  // The secret's content: every web container is replaced (new IDs).
  dir_.Write("src/token.txt", "another-value\n");
  auto replaced = Apply();
  ASSERT_EQ(replaced.exit_code, 0) << replaced.out << replaced.err;
  std::string after = Containers("web");
  EXPECT_NE(after, before);
  for (const char* n : {"_web_1 ", "_web_2 "}) {
    auto at = before.find(stack_ + n);
    ASSERT_NE(at, std::string::npos) << before;
    std::string line = before.substr(at, before.find('\n', at) - at);
    EXPECT_EQ(after.find(line), std::string::npos) << "not replaced: " << line << "\n" << after;
  }
  auto secret = testing::RunCommand("docker exec " + stack_ + "_web_1 cat /run/secrets/token");
  EXPECT_EQ(secret.out, "another-value\n");
  EXPECT_EQ(Nest("plan src --platform compose --detailed-exitcode").exit_code, 0);

  // Scale up: one new container, the others untouched.
  Options three;
  three.replicas = 3;
  Write(three);
  std::string two = Containers("web");
  ASSERT_EQ(Apply().exit_code, 0);
  std::string up = Containers("web");
  std::istringstream kept(two);
  for (std::string line; std::getline(kept, line);) EXPECT_NE(up.find(line), std::string::npos) << line << "\n" << up;
  EXPECT_NE(up.find(stack_ + "_web_3 "), std::string::npos) << up;

  // Scale down to one: _1 stays as it was.
  Options one;
  one.replicas = 1;
  Write(one);
  ASSERT_EQ(Apply().exit_code, 0);
  std::string down = Containers("web");
  std::string first = up.substr(0, up.find('\n') + 1);
  EXPECT_EQ(down, first);
  EXPECT_EQ(Nest("plan src --platform compose --detailed-exitcode").exit_code, 0);
}

TEST_F(ApplyComposeEngineTest, AFailingHealthCheckLeavesTheOldContainersServing) {
  NEST_REQUIRE_ENGINE();
  ASSERT_EQ(Apply().exit_code, 0);
  std::string before = Containers("web");

  Options broken;
  broken.page = "missing.html";
  broken.greeting = "broken";
  Write(broken);
  auto applied = Apply();
  EXPECT_EQ(applied.exit_code, 1) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("unhealthy"), std::string::npos) << applied.out;
  EXPECT_NE(applied.out.find("the old ones keep running"), std::string::npos) << applied.out;
  EXPECT_NE(applied.out.find("Apply failed"), std::string::npos) << applied.out;
  // The same containers, under their names, still serving.
  EXPECT_EQ(Containers("web"), before);
  auto env = testing::RunCommand("docker exec " + stack_ + "_web_1 sh -c 'echo $GREETING'");
  EXPECT_EQ(env.out, "hello\n");
  auto served = testing::RunCommand("docker exec " + stack_ + "_worker_1 timeout 3 wget -q -O - http://web:8080/index.html");
  EXPECT_EQ(served.out, "ok\n");
  EXPECT_EQ(Nest("plan src --platform compose --detailed-exitcode").exit_code, 2);
}

TEST_F(ApplyComposeEngineTest, ASecondApplyIsRefusedWithTheHolderAndForceUnlockWorks) {
  NEST_REQUIRE_ENGINE();
  std::thread first([&] { Apply(); });
  std::string locks;
  for (int i = 0; i < 100 && locks.find("nest-lock-" + stack_) == std::string::npos; ++i) {
    locks = testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_).out;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto second = Apply();
  first.join();
  ASSERT_NE(locks.find("nest-lock-" + stack_), std::string::npos) << "the first apply never took the lock";
  EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
  EXPECT_NE(second.err.find("held by"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("force-unlock"), std::string::npos) << second.err;

  // A lock left behind (as by a run killed with -9) is removed by ID.
  testing::RunCommand("docker volume create --label nest.lock.stack=" + stack_ +
                      " --label nest.lock.holder=0123456789abcdef0123456789abcdef --label nest.lock.lease-ms=600000 "
                      "nest-lock-" + stack_ + " >/dev/null");
  auto refused = Apply();
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("0123456789abcdef"), std::string::npos) << refused.err;
  auto unlocked = Nest("force-unlock 01234567 src --platform compose");
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.out << unlocked.err;
  EXPECT_EQ(Nest("plan src --platform compose --detailed-exitcode").exit_code, 0);
  EXPECT_EQ(Apply().exit_code, 0);
}

TEST_F(ApplyComposeEngineTest, CtrlCDuringARolloutKeepsTheOldContainersAndReleasesTheLock) {
  NEST_REQUIRE_ENGINE();
  ASSERT_EQ(Apply().exit_code, 0);
  std::string before = Containers("web");
  // The new containers never turn healthy, so the apply waits until
  // interrupted; --json shows the same events as on Swarm.
  Options broken;
  broken.page = "missing.html";
  broken.greeting = "broken";
  Write(broken);
  auto interrupted = testing::RunCommand(
      "cd '" + dir_.path() + "' && ('" NEST_BINARY "' apply src --platform compose --auto-approve --json </dev/null & "
      "pid=$!; for i in $(seq 1 100); do docker ps -q --filter name=" + stack_ + "_web_1 | wc -l | grep -q 2 && break; "
      "docker ps -a --format '{{.Names}}' | grep -q '_" + stack_ + "_web_1' && break; sleep 0.1; done; "
      "sleep 1; kill -INT $pid; wait $pid; echo \"exit=$?\")");
  EXPECT_NE(interrupted.out.find("exit=1"), std::string::npos) << interrupted.out << interrupted.err;
  EXPECT_NE(interrupted.out.find("\"type\":\"step_failed\""), std::string::npos) << interrupted.out;
  EXPECT_NE(interrupted.out.find("interrupted"), std::string::npos) << interrupted.out;
  EXPECT_NE(interrupted.out.find("\"type\":\"apply_summary\""), std::string::npos) << interrupted.out;
  // The old containers are back under their names, serving; no new one is left.
  EXPECT_EQ(Containers("web"), before);
  auto env = testing::RunCommand("docker exec " + stack_ + "_web_1 sh -c 'echo $GREETING'");
  EXPECT_EQ(env.out, "hello\n");
  EXPECT_EQ(testing::RunCommand("docker volume ls -q --filter name=nest-lock-" + stack_).out, "");
}

TEST_F(ApplyComposeEngineTest, AFixedHostPortIsReplacedStopFirstAndRefusesSeveralReplicas) {
  NEST_REQUIRE_ENGINE();
  auto source = [&](int replicas, const std::string& seconds = "3600") {
    return "stack \"" + stack_ + "\" {}\n\nservice \"web\" {\n  image    = \"nest-test/busybox:1\"\n"
           "  command  = [\"sleep\", \"" + seconds + "\"]\n  replicas = " + std::to_string(replicas) +
           "\n  ports    = [18093:8080]\n\n  security {\n    init = true\n  }\n\n  deploy \"rolling\" {\n    order = start-first\n  }\n}\n";
  };
  dir_.Write("src/stack.nest", source(1));
  auto plan = Nest("plan src --platform compose");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.err.find("service.web: publishes host port 18093, so nest apply replaces its container stop-first"),
            std::string::npos) << plan.err;
  // Replaced stop-first: a start-first replacement could not bind the port.
  ASSERT_EQ(Apply().exit_code, 0);
  std::string before = Containers("web");
  dir_.Write("src/stack.nest", source(1, "3601"));
  auto replaced = Apply();
  EXPECT_EQ(replaced.exit_code, 0) << replaced.out << replaced.err;
  std::string after = Containers("web");
  EXPECT_NE(after, before);
  EXPECT_NE(after.find(stack_ + "_web_1 "), std::string::npos) << after;
  EXPECT_EQ(testing::RunCommand("docker port " + stack_ + "_web_1 8080").out.find("18093") == std::string::npos, false);

  dir_.Write("src/stack.nest", source(2));
  auto refused = Nest("plan src --platform compose");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("2 containers cannot all publish host port 18093"), std::string::npos) << refused.err;
}

TEST_F(ApplyComposeEngineTest, AProjectStartedByDockerComposeUpIsAppliedOnto) {
  NEST_REQUIRE_ENGINE();
  if (!testing::HaveProgram("docker-compose")) GTEST_SKIP() << "no docker-compose";
  // GitOps on Compose: the compiled file brought up by docker-compose...
  ASSERT_EQ(Nest("compile src --target compose -o compose.yml").exit_code, 0);
  auto up = testing::RunCommand("cd '" + dir_.path() + "' && docker-compose -p " + stack_ + " -f compose.yml up -d");
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  auto plan = Nest("plan src --platform compose --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  // ...then changed and applied by nest: Compose's containers are replaced
  // rolling, and docker-compose still lists the project.
  Options changed;
  changed.greeting = "changed";
  Write(changed);
  auto applied = Apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  auto env = testing::RunCommand("docker exec " + stack_ + "_web_1 sh -c 'echo $GREETING'");
  EXPECT_EQ(env.out, "changed\n");
  EXPECT_EQ(Nest("plan src --platform compose --detailed-exitcode").exit_code, 0);
  ASSERT_EQ(Nest("compile src --target compose -o compose.yml").exit_code, 0);
  auto ps = testing::RunCommand("cd '" + dir_.path() + "' && docker-compose -p " + stack_ + " -f compose.yml ps");
  EXPECT_NE(ps.out.find(stack_ + "_web_2"), std::string::npos) << ps.out << ps.err;
  EXPECT_EQ(Containers("web").find("exited"), std::string::npos);
}

}  // namespace
}  // namespace nest
