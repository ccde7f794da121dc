// What a task's container uses, from GET /containers/{id}/stats?stream=false
// (the Engine samples twice, about a second apart, so one request gives a
// CPU rate: `precpu_stats` is the first sample). Measured as `docker stats`
// does (docker/cli's stats_helpers.go):
//   cores used  = Δ cpu_usage.total_usage / Δ system_cpu_usage × online_cpus
//   memory used = usage − inactive file cache (total_inactive_file on cgroup
//                 v1, inactive_file on v2), of memory_stats.limit (the
//                 container's limit, or the host's memory without one).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "providers/engine/client.h"

namespace nest::swarm {

struct ContainerUsage {
  std::optional<double> cores;  // none when the two samples give no rate (a container just started)
  double memory_bytes = 0;
  double memory_limit_bytes = 0;  // 0: unknown
  int online_cpus = 0;
};

// Pure. nullopt when the answer is not a running container's stats (a
// stopped container answers with zeros).
std::optional<ContainerUsage> UsageFromStats(const nlohmann::json& stats);

// The stats of every container, `parallel` requests at once (each takes
// about a second), one client per thread, at the endpoint's pinned version.
// One result per ID, in order.
std::vector<engine::Result<ContainerUsage>> ReadContainerStats(const engine::Endpoint& endpoint,
                                                               const engine::ClientOptions& options,
                                                               const std::vector<std::string>& container_ids,
                                                               int parallel = 8);

// The service-level averages the autoscaler decides on: CPU as a percentage
// of `cpu_limit` cores (of every core when 0), memory of the limit.
struct UsageAverage {
  std::optional<double> cpu_percent;
  std::optional<double> memory_percent;
  int measured = 0;
};
UsageAverage AverageUsage(const std::vector<ContainerUsage>& usages, double cpu_limit);

}  // namespace nest::swarm
