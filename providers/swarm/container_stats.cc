#include "providers/swarm/container_stats.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "providers/engine/query.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

double Number(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0;
}

const json& Object(const json& object, const char* key) {
  static const json kEmpty = json::object();
  if (!object.is_object()) return kEmpty;
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : kEmpty;
}

}  // namespace

std::optional<ContainerUsage> UsageFromStats(const json& stats) {
  const json& cpu = Object(stats, "cpu_stats");
  const json& pre = Object(stats, "precpu_stats");
  const json& memory = Object(stats, "memory_stats");
  if (Number(cpu, "system_cpu_usage") <= 0 && Number(memory, "usage") <= 0) return std::nullopt;
  ContainerUsage usage;
  usage.online_cpus = static_cast<int>(Number(cpu, "online_cpus"));
  if (usage.online_cpus == 0) {
    auto per_cpu = Object(cpu, "cpu_usage").find("percpu_usage");
    if (per_cpu != Object(cpu, "cpu_usage").end() && per_cpu->is_array()) usage.online_cpus = static_cast<int>(per_cpu->size());
  }
  double used = Number(Object(cpu, "cpu_usage"), "total_usage") - Number(Object(pre, "cpu_usage"), "total_usage");
  double system = Number(cpu, "system_cpu_usage") - Number(pre, "system_cpu_usage");
  if (Number(pre, "system_cpu_usage") > 0 && system > 0 && used >= 0 && usage.online_cpus > 0) {
    usage.cores = used / system * usage.online_cpus;
  }
  const json& detail = Object(memory, "stats");
  double cache = detail.contains("total_inactive_file") ? Number(detail, "total_inactive_file") : Number(detail, "inactive_file");
  double raw = Number(memory, "usage");
  usage.memory_bytes = cache < raw ? raw - cache : raw;
  usage.memory_limit_bytes = Number(memory, "limit");
  return usage;
}

std::vector<engine::Result<ContainerUsage>> ReadContainerStats(const engine::Endpoint& endpoint,
                                                               const engine::ClientOptions& options,
                                                               const std::vector<std::string>& ids, int parallel) {
  std::vector<std::optional<engine::Result<ContainerUsage>>> slots(ids.size());
  std::atomic<std::size_t> next{0};
  std::size_t threads = std::min<std::size_t>(ids.size(), static_cast<std::size_t>(std::max(parallel, 1)));
  // Each client is made before any thread starts (libcurl's handle creation
  // touches global state; requests on distinct handles do not).
  std::vector<std::unique_ptr<engine::EngineClient>> clients;
  for (std::size_t i = 0; i < threads; ++i) clients.push_back(std::make_unique<engine::EngineClient>(endpoint, options));
  auto work = [&](engine::EngineClient& client) {
    for (std::size_t i = next++; i < ids.size(); i = next++) {
      const std::string doing = "reading the stats of container " + ids[i].substr(0, 12);
      auto answer = client.Get("/containers/" + engine::UrlEncode(ids[i]) + "/stats?stream=false", doing);
      if (!answer.ok()) {
        slots[i] = answer.error();
        continue;
      }
      std::optional<ContainerUsage> usage = UsageFromStats(answer.value());
      if (usage) {
        slots[i] = *usage;
      } else {
        engine::EngineError error;
        error.kind = engine::ErrorKind::kMalformedResponse;
        error.doing = doing;
        error.endpoint = endpoint.Display();
        error.detail = "no stats: the container is not running";
        slots[i] = error;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < threads; ++i) pool.emplace_back(work, std::ref(*clients[i]));
  for (auto& thread : pool) thread.join();
  std::vector<engine::Result<ContainerUsage>> results;
  for (auto& slot : slots) results.push_back(std::move(*slot));
  return results;
}

UsageAverage AverageUsage(const std::vector<ContainerUsage>& usages, double cpu_limit) {
  UsageAverage average;
  double cpu_sum = 0, memory_sum = 0;
  int cpu_count = 0, memory_count = 0;
  for (const auto& u : usages) {
    ++average.measured;
    double capacity = cpu_limit > 0 ? cpu_limit : u.online_cpus;
    if (u.cores && capacity > 0) {
      cpu_sum += *u.cores / capacity * 100;
      ++cpu_count;
    }
    if (u.memory_limit_bytes > 0) {
      memory_sum += u.memory_bytes / u.memory_limit_bytes * 100;
      ++memory_count;
    }
  }
  if (cpu_count) average.cpu_percent = cpu_sum / cpu_count;
  if (memory_count) average.memory_percent = memory_sum / memory_count;
  return average;
}

}  // namespace nest::swarm
