#include "providers/compose/containers.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "providers/compose/labels.h"
#include "providers/compose/normalize.h"
#include "providers/engine/query.h"

namespace nest::compose {
namespace {

using nlohmann::json;

std::string Label(const json& container, const char* key) {
  if (!container.contains("Labels") || !container["Labels"].is_object()) return "";
  auto it = container["Labels"].find(key);
  return it != container["Labels"].end() && it->is_string() ? it->get<std::string>() : "";
}

Error Failed(const std::string& container, const engine::EngineError& error) {
  return Error{fmt::format("container {}: {}", container, error.Describe())};
}

}  // namespace

Result<std::vector<LiveContainer>> ListServiceContainers(engine::EngineClient& client, const std::string& project,
                                                         const std::string& service) {
  std::string path = "/containers/json?all=1&" +
                     engine::LabelFilter({std::string(kProjectLabel) + "=" + project,
                                          std::string(kServiceLabel) + "=" + service});
  auto listed = client.Get(path, fmt::format("listing the containers of service {}", service));
  if (!listed.ok()) return Error{listed.error().Describe()};
  std::vector<LiveContainer> out;
  if (!listed.value().is_array()) return out;
  for (const auto& c : listed.value()) {
    if (Label(c, kOneoffLabel) == "True") continue;
    LiveContainer live;
    live.id = c.value("Id", "");
    if (c.contains("Names") && c["Names"].is_array() && !c["Names"].empty()) {
      live.name = c["Names"][0].get<std::string>();
      if (!live.name.empty() && live.name.front() == '/') live.name.erase(0, 1);
    }
    try {
      live.number = std::stoi(Label(c, kContainerNumberLabel));
    } catch (const std::logic_error&) {
      live.number = 0;
    }
    live.config_hash = Label(c, kConfigHashLabel);
    live.state = c.value("State", "");
    out.push_back(std::move(live));
  }
  std::sort(out.begin(), out.end(), [](const LiveContainer& a, const LiveContainer& b) {
    return a.number != b.number ? a.number < b.number : a.name < b.name;
  });
  return out;
}

Result<std::string> StartContainer(engine::EngineClient& client, const ContainerSpec& spec, const std::string& project,
                                   int number) {
  return StartContainerAs(client, spec, ContainerName(project, spec.service, number), ContainerCreateBody(spec, number));
}

Result<std::string> StartContainerAs(engine::EngineClient& client, const ContainerSpec& spec, const std::string& name,
                                     const json& body) {
  auto created = client.Post("/containers/create?name=" + engine::UrlEncode(name), body, "creating container " + name);
  if (!created.ok()) return Failed(name, created.error());
  const std::string id = created.value().value("Id", "");
  auto remove = [&] { (void)client.Delete("/containers/" + id + "?force=1", "removing container " + name); };
  for (std::size_t i = 1; i < spec.networks.size(); ++i) {
    const auto& attachment = spec.networks[i];
    json body{{"Container", id}, {"EndpointConfig", attachment.endpoint}};
    auto connected = client.Post("/networks/" + engine::UrlEncode(attachment.network) + "/connect", body,
                                 fmt::format("connecting container {} to network {}", name, attachment.network));
    if (!connected.ok()) {
      remove();
      return Failed(name, connected.error());
    }
  }
  auto started = client.Post("/containers/" + id + "/start", nullptr, "starting container " + name);
  if (!started.ok()) {
    remove();
    return Failed(name, started.error());
  }
  return id;
}

Status StartExisting(engine::EngineClient& client, const LiveContainer& container) {
  auto started = client.Post("/containers/" + container.id + "/start", nullptr, "starting container " + container.name);
  if (!started.ok() && started.error().http_status != 304) return Failed(container.name, started.error());
  return Done{};
}

Status Stop(engine::EngineClient& client, const LiveContainer& container, int grace_seconds) {
  // The daemon answers a stop only once the container is down: up to the
  // grace period, so the idle timeout must outlast it.
  engine::ClientOptions options = client.options();
  engine::ClientOptions waiting = options;
  auto grace = std::chrono::seconds(grace_seconds + 15);
  waiting.idle_timeout = std::max(options.idle_timeout, std::chrono::milliseconds(grace));
  waiting.request_timeout = std::max(options.request_timeout, std::chrono::milliseconds(grace));
  client.set_options(waiting);
  auto stopped = client.Post(fmt::format("/containers/{}/stop?t={}", container.id, grace_seconds), nullptr,
                             "stopping container " + container.name);
  client.set_options(options);
  if (!stopped.ok() && stopped.error().http_status != 404 && stopped.error().http_status != 304) {
    return Failed(container.name, stopped.error());
  }
  return Done{};
}

Status StopAndRemove(engine::EngineClient& client, const LiveContainer& container, int grace_seconds) {
  if (Status stopped = Stop(client, container, grace_seconds); !stopped.ok()) return stopped;
  auto removed = client.Delete("/containers/" + container.id + "?force=1", "removing container " + container.name);
  if (!removed.ok() && removed.error().http_status != 404) return Failed(container.name, removed.error());
  return Done{};
}

Result<int> OwnStopGrace(engine::EngineClient& client, const LiveContainer& container) {
  auto inspected = client.Get("/containers/" + container.id + "/json", "inspecting container " + container.name);
  if (!inspected.ok()) {
    if (inspected.error().http_status == 404) return 0;
    return Failed(container.name, inspected.error());
  }
  constexpr int kDockerDefault = 10;
  const json& config = inspected.value().contains("Config") ? inspected.value()["Config"] : json();
  if (!config.is_object() || !config.contains("StopTimeout") || !config["StopTimeout"].is_number_integer()) {
    return kDockerDefault;
  }
  return config["StopTimeout"].get<int>();
}

Status RenameContainer(engine::EngineClient& client, const LiveContainer& container, const std::string& name) {
  auto renamed = client.Post(fmt::format("/containers/{}/rename?name={}", container.id, engine::UrlEncode(name)),
                             nullptr, fmt::format("renaming container {} to {}", container.name, name));
  if (!renamed.ok()) return Failed(container.name, renamed.error());
  return Done{};
}

}  // namespace nest::compose
