#include "providers/compose/service_dns.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/engine/query.h"

namespace nest::compose {
namespace {

using nlohmann::json;

Error Failed(const std::string& container, const engine::EngineError& error) {
  return Error{fmt::format("container {}: {}", container, error.Describe())};
}

// NetworkSettings.Networks of the container: {network name: endpoint};
// none for a container that is gone.
Result<json> Endpoints(engine::EngineClient& client, const std::string& id, const std::string& name) {
  auto inspected = client.Get("/containers/" + id + "/json", "inspecting container " + name);
  if (!inspected.ok()) {
    if (inspected.error().http_status == 404) return json::object();
    return Failed(name, inspected.error());
  }
  const json& settings = inspected.value().contains("NetworkSettings") ? inspected.value()["NetworkSettings"] : json();
  if (!settings.is_object() || !settings.contains("Networks") || !settings["Networks"].is_object()) return json::object();
  return settings["Networks"];
}

std::string Address(const json& endpoint) {
  return endpoint.is_object() ? endpoint.value("IPAddress", "") : "";
}

bool HasAlias(const json& endpoint, const std::string& alias) {
  if (!endpoint.is_object() || !endpoint.contains("Aliases") || !endpoint["Aliases"].is_array()) return false;
  for (const auto& a : endpoint["Aliases"]) {
    if (a.is_string() && a.get<std::string>() == alias) return true;
  }
  return false;
}

// Aliases of the endpoint other than the short container ID the daemon
// adds by itself.
bool HasOwnAliases(const json& endpoint, const std::string& id) {
  if (!endpoint.is_object() || !endpoint.contains("Aliases") || !endpoint["Aliases"].is_array()) return false;
  for (const auto& a : endpoint["Aliases"]) {
    if (a.is_string() && a.get<std::string>() != id.substr(0, 12)) return true;
  }
  return false;
}

bool CarriesAll(const json& endpoint, const json& wanted) {
  if (!wanted.contains("Aliases") || !wanted["Aliases"].is_array()) return true;
  for (const auto& alias : wanted["Aliases"]) {
    if (alias.is_string() && !HasAlias(endpoint, alias.get<std::string>())) return false;
  }
  return true;
}

// Recreates the container's endpoint on `network` with `config`: the
// disconnect and the connect follow each other at once.
Status Reattach(engine::EngineClient& client, const std::string& id, const std::string& name,
                const std::string& network, const json& config) {
  auto off = client.Post("/networks/" + engine::UrlEncode(network) + "/disconnect",
                         json{{"Container", id}, {"Force", false}},
                         fmt::format("disconnecting container {} from network {}", name, network));
  if (!off.ok()) return Failed(name, off.error());
  auto on = client.Post("/networks/" + engine::UrlEncode(network) + "/connect",
                        json{{"Container", id}, {"EndpointConfig", config}},
                        fmt::format("connecting container {} to network {}", name, network));
  if (!on.ok()) return Failed(name, on.error());
  return Done{};
}

// Says so where a reattached endpoint came back under another address.
Status ReportMoved(engine::EngineClient& client, const std::string& id, const std::string& name,
                   const std::map<std::string, std::string>& before, const plan::StepContext& context) {
  if (before.empty()) return Done{};
  Result<json> after = Endpoints(client, id, name);
  if (!after.ok()) return after.error();
  for (const auto& [network, address] : before) {
    std::string now = after.value().contains(network) ? Address(after.value()[network]) : "";
    if (now != address && context.progress) {
      context.progress(fmt::format("container {} came back on network {} as {}, not {} (the address was taken "
                                   "meanwhile): a request resolved to the old one in that instant fails",
                                   name, network, now, address));
    }
  }
  return Done{};
}

}  // namespace

ContainerSpec WithoutServiceAliases(const ContainerSpec& spec) {
  ContainerSpec out = spec;
  for (auto& attachment : out.networks) attachment.endpoint.erase("Aliases");
  if (!out.networks.empty() && out.create.contains("NetworkingConfig")) {
    out.create["NetworkingConfig"] =
        json{{"EndpointsConfig", {{out.networks.front().network, out.networks.front().endpoint}}}};
  }
  return out;
}

Result<bool> AnswersToServiceName(engine::EngineClient& client, const ContainerSpec& spec, const std::string& id,
                                  const std::string& name) {
  Result<json> live = Endpoints(client, id, name);
  if (!live.ok()) return live.error();
  for (const auto& attachment : spec.networks) {
    if (!live.value().contains(attachment.network)) return false;
    if (!CarriesAll(live.value()[attachment.network], attachment.endpoint)) return false;
  }
  return true;
}

Status JoinServiceName(engine::EngineClient& client, const ContainerSpec& spec, const std::string& id,
                       const std::string& name, const plan::StepContext& context) {
  return JoinServiceName(client, spec.networks, id, name, context);
}

Result<std::vector<NetworkAttachment>> CurrentAttachments(engine::EngineClient& client, const std::string& id,
                                                          const std::string& name) {
  Result<json> live = Endpoints(client, id, name);
  if (!live.ok()) return live.error();
  std::vector<NetworkAttachment> out;
  for (const auto& [network, endpoint] : live.value().items()) {
    json config = json::object();
    for (const char* key : {"IPAMConfig", "Links"}) {
      if (endpoint.contains(key) && !endpoint[key].is_null()) config[key] = endpoint[key];
    }
    if (endpoint.contains("Aliases") && endpoint["Aliases"].is_array()) {
      json aliases = json::array();
      for (const auto& a : endpoint["Aliases"]) {
        if (a.is_string() && a.get<std::string>() != id.substr(0, 12)) aliases.push_back(a);
      }
      if (!aliases.empty()) config["Aliases"] = std::move(aliases);
    }
    out.push_back({network, std::move(config)});
  }
  return out;
}

Status JoinServiceName(engine::EngineClient& client, const std::vector<NetworkAttachment>& attachments,
                       const std::string& id, const std::string& name, const plan::StepContext& context) {
  Result<json> live = Endpoints(client, id, name);
  if (!live.ok()) return live.error();
  std::map<std::string, std::string> before;
  for (const auto& attachment : attachments) {
    const bool attached = live.value().contains(attachment.network);
    if (attached && CarriesAll(live.value()[attachment.network], attachment.endpoint)) continue;
    if (attached) {
      before[attachment.network] = Address(live.value()[attachment.network]);
      if (Status done = Reattach(client, id, name, attachment.network, attachment.endpoint); !done.ok()) return done;
      continue;
    }
    auto on = client.Post("/networks/" + engine::UrlEncode(attachment.network) + "/connect",
                          json{{"Container", id}, {"EndpointConfig", attachment.endpoint}},
                          fmt::format("connecting container {} to network {}", name, attachment.network));
    if (!on.ok()) return Failed(name, on.error());
  }
  return ReportMoved(client, id, name, before, context);
}

Status LeaveServiceName(engine::EngineClient& client, const std::string& id, const std::string& name,
                        const plan::StepContext& context) {
  Result<json> live = Endpoints(client, id, name);
  if (!live.ok()) return live.error();
  std::map<std::string, std::string> before;
  for (const auto& [network, endpoint] : live.value().items()) {
    if (!HasOwnAliases(endpoint, id)) continue;
    // What the endpoint was given besides its aliases stays (a fixed
    // address on a network with a configured subnet, links).
    json config = json::object();
    for (const char* key : {"IPAMConfig", "Links"}) {
      if (endpoint.contains(key) && !endpoint[key].is_null()) config[key] = endpoint[key];
    }
    before[network] = Address(endpoint);
    if (Status done = Reattach(client, id, name, network, config); !done.ok()) return done;
  }
  return ReportMoved(client, id, name, before, context);
}

}  // namespace nest::compose
