// Container stats as `docker stats` reads them, and the service averages the
// autoscaler decides on.
#include "providers/swarm/container_stats.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nest::swarm {
namespace {

using nlohmann::json;

// Half a core of 2 (0.5 s of CPU in 1 s of system time summed over 2 CPUs:
// 2e9 ns), 100 MiB used of which 20 MiB is inactive file cache, of 400 MiB.
json Stats(const char* cache_key) {
  return {{"cpu_stats",
           {{"cpu_usage", {{"total_usage", 1500000000}}}, {"system_cpu_usage", 12000000000}, {"online_cpus", 2}}},
          {"precpu_stats", {{"cpu_usage", {{"total_usage", 1000000000}}}, {"system_cpu_usage", 10000000000}}},
          {"memory_stats",
           {{"usage", 100 << 20}, {"limit", 400 << 20}, {"stats", {{cache_key, 20 << 20}}}}}};
}

TEST(ContainerStats, ReadsCoresAndMemoryAsDockerStatsDoes) {
  for (const char* key : {"total_inactive_file", "inactive_file"}) {  // cgroup v1, v2
    std::optional<ContainerUsage> usage = UsageFromStats(Stats(key));
    ASSERT_TRUE(usage) << key;
    ASSERT_TRUE(usage->cores);
    EXPECT_DOUBLE_EQ(*usage->cores, 0.5);
    EXPECT_EQ(usage->online_cpus, 2);
    EXPECT_DOUBLE_EQ(usage->memory_bytes, 80 << 20);
    EXPECT_DOUBLE_EQ(usage->memory_limit_bytes, 400 << 20);
  }
}

TEST(ContainerStats, AStoppedContainerHasNoStatsAndAFreshOneNoRate) {
  EXPECT_FALSE(UsageFromStats(json::parse(R"({"read":"0001-01-01T00:00:00Z","cpu_stats":{},"memory_stats":{}})")));
  EXPECT_FALSE(UsageFromStats(json("nonsense")));
  json fresh = Stats("inactive_file");
  fresh["precpu_stats"] = json::object();  // the first sample of a container just started
  std::optional<ContainerUsage> usage = UsageFromStats(fresh);
  ASSERT_TRUE(usage);
  EXPECT_FALSE(usage->cores);
}

TEST(ContainerStats, AveragesCpuOfTheLimitOrOfEveryCore) {
  ContainerUsage busy{0.5, 50, 100, 2};
  ContainerUsage idle{0.0, 10, 100, 2};
  UsageAverage limited = AverageUsage({busy, idle}, 0.5);  // limit: half a core
  EXPECT_EQ(limited.measured, 2);
  EXPECT_DOUBLE_EQ(*limited.cpu_percent, 50);  // (100% + 0%) / 2
  EXPECT_DOUBLE_EQ(*limited.memory_percent, 30);
  UsageAverage unlimited = AverageUsage({busy}, 0);  // of 2 cores
  EXPECT_DOUBLE_EQ(*unlimited.cpu_percent, 25);
  UsageAverage none = AverageUsage({}, 0.5);
  EXPECT_EQ(none.measured, 0);
  EXPECT_FALSE(none.cpu_percent);
}

}  // namespace
}  // namespace nest::swarm
