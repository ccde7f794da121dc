#include "providers/swarm/service_runtime.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/engine/query.h"
#include "providers/swarm/normalize.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

constexpr int kScaleAttempts = 3;

const json& Field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string Text(const json& value) { return value.is_string() ? value.get<std::string>() : ""; }

std::string ModeOf(const json& mode) {
  if (Field(mode, "Global").is_object()) return "global";
  if (Field(mode, "ReplicatedJob").is_object()) return "replicated-job";
  if (Field(mode, "GlobalJob").is_object()) return "global-job";
  return "replicated";
}

std::string WithoutDigest(const std::string& image) { return image.substr(0, image.find('@')); }

// Container ID -> its Status text ("Up 3 minutes (healthy)").
std::map<std::string, std::string> ContainerStatuses(const json& containers) {
  std::map<std::string, std::string> statuses;
  if (!containers.is_array()) return statuses;
  for (const json& c : containers) statuses[Text(Field(c, "Id"))] = Text(Field(c, "Status"));
  return statuses;
}

bool HealthFailingOrStarting(const std::string& status) {
  return status.find("(unhealthy)") != std::string::npos || status.find("(health: starting)") != std::string::npos;
}

ServiceRuntime FromSpec(const json& service) {
  ServiceRuntime s;
  const json& spec = Field(service, "Spec");
  s.id = Text(Field(service, "ID"));
  s.name = Text(Field(spec, "Name"));
  s.version = Field(Field(service, "Version"), "Index").is_number_integer()
                  ? Field(Field(service, "Version"), "Index").get<std::int64_t>()
                  : 0;
  const json& labels = Field(spec, "Labels");
  if (labels.is_object())
    for (const auto& [key, value] : labels.items())
      if (value.is_string()) s.labels[key] = value.get<std::string>();
  if (auto it = s.labels.find(kAddressLabel); it != s.labels.end()) s.address = it->second;
  const json& task = Field(spec, "TaskTemplate");
  s.image = WithoutDigest(Text(Field(Field(task, "ContainerSpec"), "Image")));
  const json& nano = Field(Field(Field(task, "Resources"), "Limits"), "NanoCPUs");
  if (nano.is_number() && nano.get<double>() > 0) s.cpu_limit = nano.get<double>() / 1e9;
  s.mode = ModeOf(Field(spec, "Mode"));
  const json& replicas = Field(Field(Field(spec, "Mode"), "Replicated"), "Replicas");
  if (replicas.is_number_integer()) s.desired = replicas.get<int>();
  const json& update = Field(service, "UpdateStatus");
  s.update_state = Text(Field(update, "State"));
  s.update_message = Text(Field(update, "Message"));
  return s;
}

}  // namespace

bool ServiceRuntime::Healthy() const {
  bool failed_update = update_state == "paused" || update_state.rfind("rollback", 0) == 0;
  return !failed_update && running == desired && healthy == desired;
}

std::vector<ServiceRuntime> SummarizeServices(const json& services, const json& tasks, const json& containers) {
  std::map<std::string, ServiceRuntime> by_id;
  if (services.is_array())
    for (const json& service : services) {
      ServiceRuntime s = FromSpec(service);
      if (!s.id.empty()) by_id[s.id] = std::move(s);
    }
  std::map<std::string, std::string> statuses = ContainerStatuses(containers);
  std::map<std::string, std::set<std::string>> global_nodes;
  if (tasks.is_array())
    for (const json& task : tasks) {
      auto it = by_id.find(Text(Field(task, "ServiceID")));
      if (it == by_id.end() || Text(Field(task, "DesiredState")) != "running") continue;
      ServiceRuntime& s = it->second;
      global_nodes[s.id].insert(Text(Field(task, "NodeID")));
      if (Text(Field(Field(task, "Status"), "State")) != "running") continue;
      ++s.running;
      std::string container = Text(Field(Field(Field(task, "Status"), "ContainerStatus"), "ContainerID"));
      auto status = statuses.find(container);
      // A container of another node is not listed: Swarm's `running` stands.
      if (status == statuses.end() || !HealthFailingOrStarting(status->second)) ++s.healthy;
      if (!container.empty()) s.running_containers.push_back(container);
    }
  std::vector<ServiceRuntime> result;
  for (auto& [id, s] : by_id) {
    if (s.mode == "global") s.desired = static_cast<int>(global_nodes[id].size());
    result.push_back(std::move(s));
  }
  std::sort(result.begin(), result.end(), [](const ServiceRuntime& a, const ServiceRuntime& b) { return a.name < b.name; });
  return result;
}

engine::Result<std::vector<ServiceRuntime>> ReadServiceRuntimes(engine::EngineClient& client, const std::string& stack) {
  const std::string of = " of stack " + stack;
  auto services = client.Get("/services?" + engine::LabelFilter({std::string(kStackLabel) + "=" + stack}),
                             "listing services" + of);
  if (!services.ok()) return services.error();
  std::vector<std::string> ids;
  if (services.value().is_array())
    for (const json& service : services.value()) ids.push_back(Text(Field(service, "ID")));
  json tasks = json::array();
  json containers = json::array();
  if (!ids.empty()) {
    auto listed = client.Get("/tasks?" + engine::EncodeFilters({{"service", ids}, {"desired-state", {"running"}}}),
                             "listing tasks" + of);
    if (!listed.ok()) return listed.error();
    tasks = std::move(listed).value();
    auto local = client.Get("/containers/json?" + engine::EncodeFilters({{"is-task", {"true"}}}),
                            "listing task containers" + of);
    if (!local.ok()) return local.error();
    containers = std::move(local).value();
  }
  return SummarizeServices(services.value(), tasks, containers);
}

engine::Result<int> ScaleService(engine::EngineClient& client, const std::string& service_id, int replicas) {
  engine::EngineError last;
  for (int attempt = 0; attempt < kScaleAttempts; ++attempt) {
    const std::string path = "/services/" + engine::UrlEncode(service_id);
    auto service = client.Get(path, "reading service " + service_id + " to scale it");
    if (!service.ok()) return service.error();
    json spec = Field(service.value(), "Spec");
    std::string name = Text(Field(spec, "Name"));
    json& count = spec["Mode"]["Replicated"]["Replicas"];
    int before = count.is_number_integer() ? count.get<int>() : 0;
    count = replicas;
    std::int64_t version = Field(Field(service.value(), "Version"), "Index").is_number_integer()
                               ? Field(Field(service.value(), "Version"), "Index").get<std::int64_t>()
                               : 0;
    auto updated = client.Post(fmt::format("{}/update?version={}", path, version), spec,
                               fmt::format("scaling service {} to {}", name, replicas));
    if (updated.ok()) return before;
    last = updated.error();
    if (last.daemon_message.find("update out of sequence") == std::string::npos) return last;
  }
  return last;
}

}  // namespace nest::swarm
