// The compose platform's canonical state, both sides: a stack run as plain
// containers with Compose's labels (com.docker.compose.project = the stack,
// .service, .container-number, .oneoff), its networks and volumes.
//
// Deliberately less than the swarm provider compares (docs/plan.md): per
// service the image, the number of containers, whether they all run, and
// the nest.spec-hash label, which covers every other setting of the
// compiled service (env, ports, mounts, ...). A change to the config changes
// the hash; a container changed by hand but keeping its labels is only seen
// through image, count and state. Networks: driver, internal and the hash;
// volumes: driver, options and the hash. Compose has no secret or config
// objects (it mounts files), so there are none here.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "planner/state/state.h"

namespace nest::compose {

inline constexpr const char* kProjectLabel = "com.docker.compose.project";
inline constexpr const char* kServiceLabel = "com.docker.compose.service";
inline constexpr const char* kNetworkLabel = "com.docker.compose.network";
inline constexpr const char* kVolumeLabel = "com.docker.compose.volume";
inline constexpr const char* kOneoffLabel = "com.docker.compose.oneoff";

// The desired side, from the document `nest compile --target compose` writes.
plan::StackState StateFromDocument(const nlohmann::ordered_json& document, const std::string& stack);

// The live side, from GET /containers/json?all=1, /networks and /volumes
// (Volumes[]) filtered by the project label.
plan::StackState BuildLiveState(const std::string& stack, const nlohmann::json& containers,
                                const nlohmann::json& networks, const nlohmann::json& volumes);

}  // namespace nest::compose
