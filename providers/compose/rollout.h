// Bringing one compose service's containers to its spec: what `nest apply`
// does for a service's create and update steps, and again after a run
// killed halfway (it starts from whatever containers it finds).
//
// The containers whose config hash is the spec's and that run are kept (as
// many as the replicas ask for); the others are replaced or removed:
// - Replacement is rolling, in batches of `parallelism`. Start-first (the
//   default): the old container moves out of the way (renamed
//   ID_PROJECT_SERVICE_N, as Compose does), the new one starts under its
//   number and name under its own name only, and once every new container
//   of the batch is running and healthy (and stays so for `monitor`) it
//   gets the service name, the old ones lose it (service_dns.h), and are
//   stopped with their grace period and removed.
//   Stop-first (a fixed host port): the old container goes first.
// - A batch that fails (a container exits, turns unhealthy, or the
//   deadline passes): its new containers are removed, the old ones keep
//   running under their names, and the error says why. Batches before it
//   stay replaced, unless failure_action = rollback (start-first): their old
//   containers were kept stopped, start again and take their names back.
// - Scaling adds containers under the lowest free numbers, or removes the
//   highest; the other containers are not touched.
#pragma once

#include <string>

#include "compiler/support/result.h"
#include "planner/provider.h"
#include "providers/compose/container_spec.h"
#include "providers/compose/rollout_settings.h"
#include "providers/engine/client.h"

namespace nest::compose {

Status RollOutService(engine::EngineClient& client, const std::string& project, const ContainerSpec& spec,
                      const RolloutSettings& settings, const plan::StepContext& context);

// Stops (with `grace_seconds`) and removes every container of the service.
Status RemoveServiceContainers(engine::EngineClient& client, const std::string& project, const std::string& service,
                               int grace_seconds, const plan::StepContext& context);

}  // namespace nest::compose
