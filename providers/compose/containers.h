// The containers of one compose service on the engine: listing them, and the
// calls Compose makes for one container (create, connect the further
// networks, start; stop with the grace period, remove; rename). Each
// returns an Error naming the container and what failed.
#pragma once

#include <string>
#include <vector>

#include "compiler/support/result.h"
#include "providers/compose/container_spec.h"
#include "providers/engine/client.h"

namespace nest::compose {

struct LiveContainer {
  std::string id;
  std::string name;         // without the leading "/"
  int number = 0;           // com.docker.compose.container-number; 0 when missing
  std::string config_hash;  // com.docker.compose.config-hash
  std::string state;        // "running", "exited", "created", ...
};

// Every container of the service, stopped ones too, one-off `run` ones
// excluded; sorted by number, then name.
Result<std::vector<LiveContainer>> ListServiceContainers(engine::EngineClient& client, const std::string& project,
                                                         const std::string& service);

// Creates container `number` of the spec, attaches it to the spec's other
// networks and starts it; returns its ID. A container that was created but
// could not be started is removed again.
Result<std::string> StartContainer(engine::EngineClient& client, const ContainerSpec& spec, const std::string& project,
                                   int number);

// Starts a container that exists (one stopped to be rolled back to).
Status StartExisting(engine::EngineClient& client, const LiveContainer& container);

// Stops the container (SIGTERM, then SIGKILL after `grace_seconds`); one
// already stopped or gone counts as stopped.
Status Stop(engine::EngineClient& client, const LiveContainer& container, int grace_seconds);

// The same, under `name` with the create `body` given (a canary container:
// canary.h), attached to the spec's networks.
Result<std::string> StartContainerAs(engine::EngineClient& client, const ContainerSpec& spec, const std::string& name,
                                     const nlohmann::json& body);

// Stops the container (SIGTERM, then SIGKILL after `grace_seconds`) and
// removes it; a container already gone counts as removed.
Status StopAndRemove(engine::EngineClient& client, const LiveContainer& container, int grace_seconds);

// The container's own stop grace period in seconds: Config.StopTimeout, set
// from the stop_grace_period it was created with, else Docker's 10 s; 0 for
// a container that is gone. An old container is stopped with it, not with
// its successor's.
Result<int> OwnStopGrace(engine::EngineClient& client, const LiveContainer& container);

// Renames the container (Compose moves an old container out of the way so
// its replacement takes its name).
Status RenameContainer(engine::EngineClient& client, const LiveContainer& container, const std::string& name);

}  // namespace nest::compose
