// One compose service entry (of the document `nest compile --target compose`
// writes) as the Engine API body Compose would send to create each of its
// containers: POST /containers/create, then one POST /networks/{id}/connect
// per further network (API 1.41 takes one network at create), then start.
//
// What Compose does and nest does too:
// - names `PROJECT_SERVICE_N`, labels com.docker.compose.project, .service,
//   .container-number, .oneoff=False, .config-hash, .version, on top of the
//   service's labels (nest.address, nest.spec-hash, the user's);
// - every network endpoint gets the alias SERVICE (plus the service's own
//   aliases), so the name resolves to every container of the service;
// - secrets are bind mounts of their files at /run/secrets/TARGET, configs
//   at their target (default /NAME), read-only;
// - the config hash covers the body and the content of every mounted
//   secret and config file, so a changed file replaces the containers.
// The files are read to be hashed only; their content never leaves here.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/support/result.h"

namespace nest::compose {

struct NetworkAttachment {
  std::string network;     // Docker name: "shop_back"
  nlohmann::json endpoint;  // EndpointSettings: {"Aliases": [...]}
};

struct ContainerSpec {
  std::string service;   // the compose key: "web"
  nlohmann::json create;  // the create body, without the per-container labels
  std::vector<NetworkAttachment> networks;  // the first goes into the create body
  std::string config_hash;  // 64 hex digits
  int stop_grace_seconds = 10;
  bool has_healthcheck = false;
  int replicas = 1;
};

// `service` is the compose key; relative file paths are taken from the
// current folder, as the document was compiled there. An error names the
// service and what cannot be built (an unreadable secret file, a bad value).
Result<ContainerSpec> BuildContainerSpec(const nlohmann::ordered_json& document, const std::string& project,
                                         const std::string& service);

// "shop_web_2".
std::string ContainerName(const std::string& project, const std::string& service, int number);

// The create body of container `number`: the spec's, with the labels of the
// number and the hash.
nlohmann::json ContainerCreateBody(const ContainerSpec& spec, int number);

}  // namespace nest::compose
