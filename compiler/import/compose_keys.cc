#include "compiler/import/compose_keys.h"

#include <array>
#include <utility>

namespace nest::import {
namespace {

using Reason = std::pair<std::string_view, std::string_view>;

// Service keys of the compose specification that nest does not express,
// each with the reason. Sorted by key.
constexpr std::array kServiceKeys{
    Reason{"annotations", "a Swarm service's containers carry no OCI annotations; use `labels`"},
    Reason{"attach", "whether `docker compose up` follows the service's logs: a client setting, not part of the stack"},
    Reason{"blkio_config", "a Swarm service has no block IO limits (ContainerSpec and Resources have none)"},
    Reason{"cgroup", "a Swarm service has no cgroup namespace setting"},
    Reason{"cgroup_parent", "a Swarm service has no parent cgroup setting; the engine places its tasks"},
    Reason{"container_name", "Swarm names each task's container itself, and one fixed name would allow one container only"},
    Reason{"cpu_count", "a Windows CPU setting a Swarm service does not have; use `resources { cpus }`"},
    Reason{"cpu_percent", "a Windows CPU setting a Swarm service does not have; use `resources { cpus }`"},
    Reason{"cpu_period", "CFS tuning a Swarm service does not have (only CPU limits and reservations); use `resources { cpus }`"},
    Reason{"cpu_quota", "CFS tuning a Swarm service does not have (only CPU limits and reservations); use `resources { cpus }`"},
    Reason{"cpu_rt_period", "real-time CPU scheduling a Swarm service does not have"},
    Reason{"cpu_rt_runtime", "real-time CPU scheduling a Swarm service does not have"},
    Reason{"cpu_shares", "relative CPU weights a Swarm service does not have; use `resources { reserve_cpus }`"},
    Reason{"cpuset", "pinning to CPUs a Swarm service does not have"},
    Reason{"credential_spec", "Windows managed service accounts are not in nest's language"},
    Reason{"develop", "Compose's development mode (file watch, sync, rebuild) is a local workflow, not part of a deployed stack"},
    Reason{"device_cgroup_rules", "a Swarm service has no device rules (Engine API 1.41 has no devices for services)"},
    Reason{"devices", "a Swarm service has no devices (Engine API 1.41); bind-mount the device node with a `mount` where that is enough"},
    Reason{"domainname", "a Swarm service has no domain name setting; use `hostname` or `dns_search`"},
    Reason{"extends", "`extends` merges another service's keys: resolve it first (`docker compose config` writes the merged file), then import that"},
    Reason{"external_links", "links to containers outside the stack: services on a shared network reach each other by name; use `networks`"},
    Reason{"gpus", "GPUs are reserved on Swarm as generic resources, which nest does not express"},
    Reason{"group_add", "supplementary groups are not in nest's language"},
    Reason{"ipc", "a Swarm service has no IPC mode: each task has its own IPC namespace"},
    Reason{"label_file", "labels read from files: write them as `labels` (they become `container_labels`)"},
    Reason{"links", "legacy links: services on a shared network reach each other by name; use `networks` (and aliases)"},
    Reason{"mac_address", "a Swarm task's address is assigned by the network; there is no fixed MAC"},
    Reason{"mem_swappiness", "a Swarm service has memory limits and reservations only, no swap tuning"},
    Reason{"memswap_limit", "a Swarm service has memory limits and reservations only, no swap limit"},
    Reason{"models", "AI models are a Compose v2 feature with no Docker object behind them"},
    Reason{"network_mode", "a Swarm service joins networks; it has no host, none or container network mode; use `networks`"},
    Reason{"oom_kill_disable", "a Swarm service cannot turn the OOM killer off"},
    Reason{"oom_score_adj", "the OOM score of a service needs Engine API 1.46; nest speaks 1.41"},
    Reason{"platform", "Swarm picks the image's platform from its manifest; pin nodes with `placement { constraints = [\"node.platform.arch == x86_64\"] }`"},
    Reason{"post_start", "lifecycle hooks are a Compose v2 feature; Swarm runs no commands around a task"},
    Reason{"pre_stop", "lifecycle hooks are a Compose v2 feature; Swarm runs no commands around a task"},
    Reason{"profiles", "profiles choose services at `docker compose up`; a nest stack deploys every service it declares"},
    Reason{"provider", "a service run by an external Compose provider plugin is not a container nest can deploy"},
    Reason{"pull_policy", "Swarm resolves and pulls the image at deploy time; there is no pull policy"},
    Reason{"pull_refresh_after", "Swarm resolves and pulls the image at deploy time; there is no pull policy"},
    Reason{"runtime", "a Swarm service has no OCI runtime setting; the engine's default runtime runs it"},
    Reason{"stdin_open", "an open stdin is for a terminal session; nest deploys services nobody attaches to"},
    Reason{"storage_opt", "a Swarm service has no storage driver options"},
    Reason{"tty", "a terminal is for a session; nest deploys services nobody attaches to"},
    Reason{"use_api_socket", "it mounts the Docker socket with the client's credentials (Compose v2); bind-mount /var/run/docker.sock with a `mount` if the service needs the API"},
    Reason{"userns_mode", "a Swarm service has no user namespace mode"},
    Reason{"uts", "a Swarm service has no UTS namespace mode"},
    Reason{"volumes_from", "a Swarm task cannot mount another container's volumes: mount the same named volume in both services"},
};

constexpr std::array kTopLevelKeys{
    Reason{"include", "`include` merges other compose files: resolve it first (`docker compose config` writes the merged file), then import that"},
    Reason{"models", "AI models are a Compose v2 feature with no Docker object behind them"},
};

template <std::size_t N>
std::string_view Find(const std::array<Reason, N>& table, std::string_view key) {
  for (const auto& [k, reason] : table) {
    if (k == key) return reason;
  }
  return {};
}

}  // namespace

std::string_view UnmappedServiceKeyReason(std::string_view key) { return Find(kServiceKeys, key); }

std::string_view UnmappedTopLevelKeyReason(std::string_view key) { return Find(kTopLevelKeys, key); }

}  // namespace nest::import
