// A stack's services as they run right now: replicas wanted, tasks running
// and healthy, the update in progress, the containers to measure. What
// `nest status` shows and `nest autoscale` measures and scales; the plan's
// live state (read.h) holds the settings instead.
//
// ReadServiceRuntimes makes three requests whatever the stack's size: the
// stack's services (by the stack label), their tasks that should be running
// (by service ID), and the task containers of the node nest talks to (for
// their health). Containers on other nodes are not visible there: their
// tasks count as healthy when Swarm says running (Swarm starts a task with
// a health check as `starting` and marks it running once healthy).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "providers/engine/client.h"

namespace nest::swarm {

struct ServiceRuntime {
  std::string id;
  std::string name;     // "shop_web"
  std::string address;  // "service.web" (the nest.address label); "" when not applied by nest
  std::int64_t version = 0;
  std::string mode;     // replicated, global, replicated-job, global-job
  std::string image;    // without the @sha256 digest Docker pins
  int desired = 0;      // Replicas; global: nodes with a task to run
  int running = 0;      // tasks that should run and do
  int healthy = 0;      // of those, not failing or still starting their health check
  std::string update_state;    // UpdateStatus.State: updating, completed, paused, rollback_*; "" none
  std::string update_message;  // UpdateStatus.Message
  std::map<std::string, std::string> labels;  // the service's labels (nest.autoscale.*)
  double cpu_limit = 0;        // cores a task may use (Resources.Limits.NanoCPUs); 0: no limit
  // Running tasks' containers, the IDs to ask /containers/{id}/stats for.
  std::vector<std::string> running_containers;

  // Every task wanted is running and healthy, and no update failed or paused.
  bool Healthy() const;
};

// Pure: GET /services, GET /tasks (desired-state running) and GET
// /containers/json (task containers) -> one entry per service, by name.
// Shapes it does not expect count as "not running", never crash.
std::vector<ServiceRuntime> SummarizeServices(const nlohmann::json& services, const nlohmann::json& tasks,
                                              const nlohmann::json& containers);

engine::Result<std::vector<ServiceRuntime>> ReadServiceRuntimes(engine::EngineClient& client,
                                                                 const std::string& stack);

// Sets the replica count of a replicated service (GET, then update at the
// version read, retried when someone else updated in between). Returns the
// count it had. An error names the service; a service gone is kHttp 404.
engine::Result<int> ScaleService(engine::EngineClient& client, const std::string& service_id, int replicas);

}  // namespace nest::swarm
