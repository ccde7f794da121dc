// The networks and volumes of a compose project as Compose creates them:
// named PROJECT_KEY unless the document names them, labelled
// com.docker.compose.project, .network / .volume = the key, and .version
// (docker-compose 1.29 checks these labels before it uses an object it did
// not create), on top of nest's and the user's labels.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nest::compose {

// POST /networks/create for the document's network `key` (or the project's
// `default` network, which the document does not list); nullopt when the
// document has no such network, or it is external.
std::optional<nlohmann::json> NetworkCreateBody(const nlohmann::ordered_json& document, const std::string& project,
                                                const std::string& key);

// POST /volumes/create for the document's volume `key`; nullopt when absent
// or external.
std::optional<nlohmann::json> VolumeCreateBody(const nlohmann::ordered_json& document, const std::string& project,
                                               const std::string& key);

}  // namespace nest::compose
