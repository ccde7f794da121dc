// The compose provider against a real engine: the file `nest compile
// --target compose` writes, brought up by docker-compose, plans as no
// changes; a container stopped by hand shows as drift.
#include <gtest/gtest.h>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "compiler/emit/compile.h"
#include "providers/desired.h"
#include "planner/diff.h"
#include "providers/make_provider.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/state_compare.h"

namespace nest::plan {
namespace {

TEST(ComposeEngineTest, ComposeUpPlansNoChangesAndStoppedContainersDrift) {
  NEST_REQUIRE_ENGINE();
  if (test_support::RunCommand("docker-compose version >/dev/null") != 0) GTEST_SKIP() << "no docker-compose";
  const std::string stack = test_support::UniqueName("compose");
  test_support::StackCleanup cleanup(stack);
  test_support::ScratchDir dir(stack);
  dir.Write("src/stack.nest", R"(stack "x" {}

network "back" {}

volume "data" {}

service "web" {
  image    = "nest-test/busybox:1"
  command  = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
  replicas = 2
  networks = [network.back]
  env      = { A = "1" }

  mount {
    source = volume.data
    target = "/data"
  }

  security {
    init              = true
    stop_grace_period = 1s
  }
}

service "worker" {
  image   = "nest-test/busybox:1"
  command = "sleep 3600"

  security {
    init = true
  }
}
)");
  SourceManager sources;
  Diagnostics diags;
  LoadOptions options;
  options.read_environment = false;
  auto config = LoadStack((dir.path() / "src").string(), options, sources, diags);
  ASSERT_TRUE(config.has_value()) << RenderText(diags, sources, {});
  EmitOptions emit;
  emit.target = Platform::kCompose;
  emit.stack_name = stack;
  emit.output_dir = dir.path().string();
  auto text = CompileStack(*config, emit, (dir.path() / "src").string(), diags);
  ASSERT_TRUE(text.has_value()) << RenderText(diags, sources, {});
  std::string file = dir.Write("docker-compose.yml", *text);
  std::string out;
  ASSERT_EQ(test_support::RunCommand("docker-compose -p " + stack + " -f " + file + " up -d", &out), 0) << out;

  auto plan_now = [&] {
    auto desired = BuildDesiredState(*config, Platform::kCompose, stack, diags);
    EXPECT_TRUE(desired.has_value());
    engine::EngineClient client = test_support::LocalClient();
    auto live = MakeProvider(Platform::kCompose, client)->ReadStack(stack);
    EXPECT_TRUE(live.ok()) << live.error().message;
    EXPECT_EQ(client.request_count(), 4u);  // /_ping + containers, networks, volumes
    return std::pair{Diff(*desired, live.value(), {}), test_support::DescribeDifferences(*desired, live.value())};
  };
  auto [plan, differences] = plan_now();
  EXPECT_FALSE(plan.HasChanges()) << differences;

  ASSERT_EQ(test_support::RunCommand("docker ps -q --filter label=com.docker.compose.project=" + stack +
                                         " --filter label=com.docker.compose.service=web | head -1 | xargs docker stop -t 1",
                                     &out),
            0)
      << out;
  auto [drifted, why] = plan_now();
  ASSERT_EQ(drifted.Count(Action::kUpdate), 1) << why;
  for (const auto& change : drifted.changes) {
    if (change.action != Action::kUpdate) continue;
    EXPECT_EQ(change.address, "service.web");
    EXPECT_EQ(change.reason, Reason::kDrift);
    ASSERT_EQ(change.changes.size(), 1u) << why;
    EXPECT_EQ(change.changes[0].name, "state");
    EXPECT_EQ(change.changes[0].before->scalar, "1 of 2 running");
  }
}

}  // namespace
}  // namespace nest::plan
