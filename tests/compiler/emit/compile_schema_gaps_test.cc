// The settings issue 14 added to the language, compiled for both targets
// and read back by the judges (`docker stack config`, `docker-compose
// config`): job modes, shm_size, isolation, stop_signal, sysctls and
// ulimits, privileged and pid (NEST-E080 on swarm), port name and
// app_protocol (kept in the source, W080 on both targets), a secret's and a
// config's own name.
#include <gtest/gtest.h>

#include <filesystem>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "compiler/emit/compile.h"
#include "tests/support/run_command.h"
#include "test_paths.h"

namespace nest {
namespace {

namespace fs = std::filesystem;
using ::nest::testing::HaveProgram;
using ::nest::testing::RunCommand;
using ::nest::testing::TempDir;

struct Compiled {
  std::optional<std::string> text;
  std::string diagnostics;
};

Compiled CompileSource(const TempDir& dir, const std::string& source, Platform target) {
  dir.Write("stack/main.nest", source);
  dir.Write("stack/token.txt", "t0ken\n");
  dir.Write("stack/app.conf", "listen 80\n");
  SourceManager sources;
  Diagnostics diags;
  LoadOptions options;
  options.read_environment = false;
  options.stdlib_dir = std::string(NEST_SOURCE_DIR) + "/stdlib";
  std::string stack = dir.path() + "/stack";
  auto config = LoadStack(stack, options, sources, diags);
  Compiled out;
  if (config) {
    EmitOptions emit;
    emit.target = target;
    emit.output_dir = dir.path();
    out.text = CompileStack(*config, emit, stack, diags);
  }
  out.diagnostics = RenderText(diags, sources, TextStyle{false});
  return out;
}

constexpr const char* kJobs = R"(stack "gaps" {}

service "migrate" {
  image       = "app:1"
  command     = ["migrate"]
  mode        = replicated-job
  replicas    = 3
  stop_signal = "SIGINT"
  isolation   = default
  shm_size    = 128MiB

  security {
    sysctls = { "net.core.somaxconn" = "1024" }
    ulimits = { nofile = 4096 }

    ulimit {
      name = "nproc"
      soft = 512
      hard = 1024
    }
  }
}

service "prep" {
  image = "busybox:1"
  mode  = global-job
}

secret "token" {
  file = "token.txt"
  name = "gaps-token-v1"
}

config "app" {
  file = "app.conf"
  name = "gaps-app-v1"
}

service "web" {
  image   = "nginx:1"
  secrets = [secret.token]
  configs = [config.app]

  port {
    published    = 8080
    target       = 80
    name         = "http"
    app_protocol = "http"
  }
}
)";

TEST(CompileSchemaGaps, SwarmWritesJobsShmAsTmpfsAndOwnNames) {
  TempDir dir;
  Compiled swarm = CompileSource(dir, kJobs, Platform::kSwarm);
  ASSERT_TRUE(swarm.text) << swarm.diagnostics;
  const std::string& y = *swarm.text;
  EXPECT_NE(y.find("    isolation: default\n"), std::string::npos) << y;
  EXPECT_NE(y.find("    stop_signal: SIGINT\n"), std::string::npos) << y;
  EXPECT_NE(y.find("    ulimits:\n      nofile: 4096\n      nproc:\n        soft: 512\n        hard: 1024\n"),
            std::string::npos)
      << y;
  EXPECT_NE(y.find("    sysctls:\n      net.core.somaxconn: \"1024\"\n"), std::string::npos) << y;
  EXPECT_NE(y.find("      - type: tmpfs\n        target: /dev/shm\n        tmpfs:\n          size: 134217728\n"),
            std::string::npos)
      << y;
  EXPECT_EQ(y.find("shm_size"), std::string::npos) << y;
  EXPECT_NE(y.find("      mode: replicated-job\n      replicas: 3\n"), std::string::npos) << y;
  EXPECT_NE(y.find("      mode: global-job\n"), std::string::npos) << y;
  EXPECT_NE(y.find("    name: gaps-token-v1\n"), std::string::npos) << y;
  EXPECT_NE(y.find("    name: gaps-app-v1\n"), std::string::npos) << y;
  // Port name and app_protocol: W080 on swarm, not in the file.
  EXPECT_EQ(y.find("app_protocol"), std::string::npos) << y;
  EXPECT_NE(swarm.diagnostics.find("`port.name` is not supported by the swarm target"), std::string::npos)
      << swarm.diagnostics;
  EXPECT_NE(swarm.diagnostics.find("`port.app_protocol` is not supported by the swarm target"), std::string::npos)
      << swarm.diagnostics;

  if (!HaveProgram("docker")) return;
  auto result = RunCommand("docker stack config -c '" + dir.Write("swarm.yml", y) + "'");
  ASSERT_EQ(result.exit_code, 0) << result.err << "\n" << y;
  EXPECT_NE(result.out.find("      mode: replicated-job\n      replicas: 3\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("      mode: global-job\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("        target: /dev/shm\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("    name: gaps-token-v1\n"), std::string::npos) << result.out;
}

TEST(CompileSchemaGaps, ComposeWritesShmSizeAndWarnsForJobsAndPortNames) {
  TempDir dir;
  Compiled compose = CompileSource(dir, kJobs, Platform::kCompose);
  ASSERT_TRUE(compose.text) << compose.diagnostics;
  const std::string& y = *compose.text;
  EXPECT_NE(y.find("    shm_size: \"128M\"\n"), std::string::npos) << y;
  EXPECT_EQ(y.find("/dev/shm"), std::string::npos) << y;
  EXPECT_EQ(y.find("app_protocol"), std::string::npos) << y;
  EXPECT_NE(compose.diagnostics.find("`port.app_protocol` is not supported by the compose target"), std::string::npos)
      << compose.diagnostics;
  EXPECT_NE(compose.diagnostics.find("docker-compose 1.x has no port `name`"), std::string::npos)
      << compose.diagnostics;
  EXPECT_NE(y.find("    isolation: default\n"), std::string::npos) << y;
  EXPECT_NE(y.find("    stop_signal: SIGINT\n"), std::string::npos) << y;
  EXPECT_NE(compose.diagnostics.find("`mode = replicated-job` is not supported by the compose target"),
            std::string::npos)
      << compose.diagnostics;
  EXPECT_NE(compose.diagnostics.find("`mode = global-job` is not supported by the compose target"),
            std::string::npos)
      << compose.diagnostics;
}

constexpr const char* kHostAccess = R"(stack "gaps" {}

service "monitor" {
  image = "netdata/netdata:v1"

  security {
    privileged = true
    pid        = host
  }
}
)";

TEST(CompileSchemaGaps, PrivilegedAndPidAreAnErrorOnSwarmWithTheComposeMapping) {
  TempDir dir;
  Compiled swarm = CompileSource(dir, kHostAccess, Platform::kSwarm);
  EXPECT_FALSE(swarm.text);
  EXPECT_NE(swarm.diagnostics.find("error[NEST-E080]: service.monitor: `security.privileged` cannot run on the swarm "
                                   "target"),
            std::string::npos)
      << swarm.diagnostics;
  EXPECT_NE(swarm.diagnostics.find("error[NEST-E080]: service.monitor: `security.pid` cannot run on the swarm target"),
            std::string::npos)
      << swarm.diagnostics;
  EXPECT_NE(swarm.diagnostics.find("it writes `privileged: true`"), std::string::npos) << swarm.diagnostics;
  EXPECT_NE(swarm.diagnostics.find("main.nest:7:18"), std::string::npos) << swarm.diagnostics;

  Compiled compose = CompileSource(dir, kHostAccess, Platform::kCompose);
  ASSERT_TRUE(compose.text) << compose.diagnostics;
  EXPECT_NE(compose.text->find("    privileged: true\n    pid: host\n"), std::string::npos) << *compose.text;
  if (HaveProgram("docker-compose")) {
    auto result = RunCommand("docker-compose -p gaps -f '" + dir.Write("compose.yml", *compose.text) + "' config");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("privileged: true"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("pid: host"), std::string::npos) << result.out;
  }
}

TEST(CompileSchemaGaps, CheckerRefusesWhatSwarmRefusesForJobs) {
  TempDir dir;
  Compiled out = CompileSource(dir, R"(stack "gaps" {}

service "once" {
  image    = "app:1"
  mode     = global-job
  replicas = 2
  shm_size = 64MiB

  mount {
    type   = tmpfs
    target = "/dev/shm"
  }

  deploy "rolling" {
    parallelism = 1
  }
}
)",
                               Platform::kSwarm);
  EXPECT_FALSE(out.text);
  EXPECT_NE(out.diagnostics.find("`replicas` cannot be set on a global-job service"), std::string::npos)
      << out.diagnostics;
  EXPECT_NE(out.diagnostics.find("a global-job service has no `deploy` block"), std::string::npos) << out.diagnostics;
  EXPECT_NE(out.diagnostics.find("`shm_size` and a mount at /dev/shm both set /dev/shm"), std::string::npos)
      << out.diagnostics;
}

}  // namespace
}  // namespace nest
