// Docker CLI contexts, read from the docker config folder:
//   config.json                                  {"currentContext": "NAME"}
//   contexts/meta/<sha256(NAME)>/meta.json       {"Endpoints":{"docker":{"Host":..,"SkipTLSVerify":..}}}
//   contexts/tls/<sha256(NAME)>/docker/{ca,cert,key}.pem
// (docker/cli cli/context/store; the folder name is the hex SHA-256 of the
// context name.) TLS is on when the context has TLS files or SkipTLSVerify.
#pragma once

#include <string>
#include <string_view>

#include "providers/engine/endpoint.h"
#include "providers/engine/result.h"

namespace nest::engine {

// $DOCKER_CONFIG, else $HOME/.docker; "" when neither is set.
std::string DockerConfigDir(const Environment& env);

// Lower-case hex SHA-256 of `name`: the context's folder name.
std::string ContextDirName(std::string_view name);

// DOCKER_CONTEXT, else `currentContext` of config.json, else "default".
// Fails only when config.json exists but cannot be read as JSON.
Result<std::string> SelectedContext(const Environment& env);

// The endpoint of context `name` (not "default") stored under `config_dir`.
Result<Endpoint> LoadContext(std::string_view name, const std::string& config_dir);

}  // namespace nest::engine
