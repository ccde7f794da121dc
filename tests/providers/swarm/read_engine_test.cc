// The swarm provider against a real engine: a compose document deployed by
// `docker stack deploy` reads back exactly as convert + normalize describe
// it (no phantom differences), and reading takes a constant number of
// requests.
#include <cstdlib>
#include <iostream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/swarm/convert.h"
#include "providers/swarm/normalize.h"
#include "providers/swarm/read.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/state_compare.h"

namespace nest::swarm {
namespace {

using nlohmann::ordered_json;
using test_support::DescribeDifferences;
using test_support::DescribeState;

// Every ServiceSpec feature docker stack deploy converts, on services that
// start fast and stop at once (init, short grace period).
ordered_json FullDocument(const std::string& stack) {
  return ordered_json::parse(R"({
  "version": "3.9",
  "services": {
    "web": {
      "image": "nest-test/busybox:1",
      "command": ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"],
      "entrypoint": ["/bin/env"],
      "environment": {"B": "2", "A": "1", "EMPTY": ""},
      "working_dir": "/",
      "hostname": "web-{{.Task.Slot}}",
      "user": "0:0",
      "stop_signal": "SIGTERM",
      "stop_grace_period": "2s",
      "init": true,
      "read_only": false,
      "cap_add": ["net_admin"],
      "cap_drop": ["CAP_MKNOD", "sys_time"],
      "ulimits": {"nofile": {"soft": 1024, "hard": 2048}, "nproc": 512},
      "extra_hosts": ["somehost:10.1.2.3"],
      "healthcheck": {"test": ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
                      "interval": "5s", "timeout": "3s", "retries": 3, "start_period": "1s"},
      "logging": {"driver": "json-file", "options": {"max-size": "1m"}},
      "labels": {"ctr.label": "x"},
      "ports": [{"target": 8080, "published": 18461, "protocol": "tcp", "mode": "host"}],
      "networks": {"front": {"aliases": ["www"]}, "back": {}},
      "volumes": [
        {"type": "volume", "source": "data", "target": "/data"},
        {"type": "tmpfs", "target": "/scratch", "tmpfs": {"size": 1048576}},
        {"type": "bind", "source": "/tmp", "target": "/host-tmp", "read_only": true}
      ],
      "secrets": [{"source": "token", "target": "api_token", "uid": "0", "gid": "0", "mode": 256}, "token"],
      "configs": [{"source": "motd", "target": "/etc/motd"}],
      "deploy": {
        "replicas": 1,
        "endpoint_mode": "dnsrr",
        "labels": {"svc.label": "y", "nest.address": "service.web"},
        "resources": {"limits": {"cpus": "0.5", "memory": "64M", "pids": 100},
                      "reservations": {"cpus": "0.1", "memory": "16M"}},
        "restart_policy": {"condition": "on-failure", "delay": "1s", "max_attempts": 3, "window": "10s"},
        "placement": {"constraints": ["node.role == manager"], "preferences": [{"spread": "node.id"}],
                      "max_replicas_per_node": 2},
        "update_config": {"parallelism": 2, "delay": "1s", "failure_action": "rollback",
                          "monitor": "2s", "max_failure_ratio": 0.5, "order": "stop-first"},
        "rollback_config": {"parallelism": 0, "order": "stop-first"}
      }
    },
    "worker": {
      "image": "nest-test/busybox:1",
      "command": "sleep 3600",
      "init": true,
      "stop_grace_period": "1s",
      "deploy": {"mode": "global", "endpoint_mode": "dnsrr", "update_config": {}}
    },
    "idle": {
      "image": "nest-test/busybox:1",
      "deploy": {"replicas": 0}
    }
  },
  "networks": {
    "front": {"driver": "overlay", "attachable": true, "labels": {"nest.address": "network.front", "net.label": "z"}},
    "back": {"driver": "overlay", "internal": true, "driver_opts": {"com.docker.network.driver.mtu": "1400"},
             "ipam": {"config": [{"subnet": "172.31.251.0/24"}]}}
  },
  "volumes": {"data": {"labels": {"nest.address": "volume.data"}}},
  "secrets": {"token": {"file": "./token.txt", "name": ")" + stack + R"(_token_0123456789"}},
  "configs": {"motd": {"file": "./motd.txt", "labels": {"nest.address": "config.motd"}}}
})");
}

TEST(SwarmReadEngineTest, DeployedDocumentReadsBackAsConverted) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("read");
  test_support::StackCleanup cleanup(stack);
  test_support::ScratchDir dir(stack);
  dir.Write("token.txt", "s3cr3t-value\n");
  dir.Write("motd.txt", "hello\n");
  ordered_json document = FullDocument(stack);
  test_support::DeployDocument(dir, document, stack);

  plan::StackState desired = StateFromSpecs(ConvertComposeDocument(document, stack));
  engine::EngineClient client = test_support::LocalClient();
  SwarmProvider provider(client);
  auto live = provider.ReadStack(stack);
  ASSERT_TRUE(live.ok()) << live.error().message;

  if (std::getenv("NEST_TEST_VERBOSE")) std::cout << DescribeState(live.value());
  EXPECT_EQ(DescribeDifferences(desired, live.value()), "")
      << "desired:\n" << DescribeState(desired) << "live:\n" << DescribeState(live.value());
  // Addressed by label where the document sets one, by name otherwise.
  for (const char* address : {"service.web", "service.worker", "service.idle", "network.front", "network.back",
                              "network.default", "volume.data", "secret.token_0123456789", "config.motd"}) {
    EXPECT_NE(live.value().Find(address), nullptr) << address;
  }
  const plan::ResourceState* web = live.value().Find("service.web");
  ASSERT_NE(web, nullptr);
  EXPECT_TRUE(web->managed);
  EXPECT_TRUE(web->stack_label);
  ASSERT_TRUE(web->version.has_value());
  EXPECT_GT(web->version->index, 0u);
  EXPECT_TRUE(web->problems.empty());
  const plan::ResourceState* idle = live.value().Find("service.idle");
  ASSERT_NE(idle, nullptr);
  EXPECT_FALSE(idle->managed);
  EXPECT_FALSE(idle->problems.empty());
  // The implicit default network is not a problem.
  EXPECT_TRUE(live.value().Find("network.default")->problems.empty());
}

// A document of `services` replicas-0 services sharing one network.
ordered_json ManyServices(int services) {
  ordered_json document = {{"version", "3.9"}, {"services", ordered_json::object()}};
  for (int i = 0; i < services; ++i) {
    document["services"]["s" + std::to_string(i)] = {
        {"image", "nest-test/busybox:1"},
        {"deploy", {{"replicas", 0}, {"endpoint_mode", "dnsrr"}, {"labels", {{"nest.address", "service.s" + std::to_string(i)}}}}}};
  }
  return document;
}

TEST(SwarmReadEngineTest, RequestsDoNotGrowWithTheStack) {
  NEST_REQUIRE_SWARM();
  std::uint64_t counts[2] = {0, 0};
  std::size_t resources[2] = {0, 0};
  const int sizes[2] = {2, 10};
  for (int i = 0; i < 2; ++i) {
    const std::string stack = test_support::UniqueName("count");
    test_support::StackCleanup cleanup(stack);
    test_support::ScratchDir dir(stack);
    test_support::DeployDocument(dir, ManyServices(sizes[i]), stack);
    engine::EngineClient client = test_support::LocalClient();
    ASSERT_TRUE(client.Negotiate().ok());
    std::uint64_t before = engine::EngineClient::TotalRequestCount();
    SwarmProvider provider(client);
    auto live = provider.ReadStack(stack);
    ASSERT_TRUE(live.ok()) << live.error().message;
    counts[i] = engine::EngineClient::TotalRequestCount() - before;
    EXPECT_EQ(provider.last_request_count(), counts[i]);
    resources[i] = live.value().resources.size();
  }
  EXPECT_EQ(resources[0], 3u);   // 2 services + the default network
  EXPECT_EQ(resources[1], 11u);
  EXPECT_EQ(counts[0], counts[1]);
  EXPECT_EQ(counts[0], 12u);
}

}  // namespace
}  // namespace nest::swarm
