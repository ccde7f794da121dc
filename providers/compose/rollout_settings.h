// How `nest apply` replaces one compose service's containers: the service's
// `deploy "rolling"` block (which the compose file cannot carry: Compose
// recreates containers stop-first, one service at a time) and its ports.
//
// Checked when the desired state is built, so `nest plan` already says what
// apply will do: a service publishing a fixed host port is replaced
// stop-first (two containers cannot bind one host port), with a warning; one
// that would run several containers on a fixed host port is an error.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"

namespace nest::compose {

struct RolloutSettings {
  // Containers replaced at once; 0 means all of them in one batch.
  int parallelism = 1;
  // start-first: the new containers run and are healthy before the old ones
  // stop. Forced off where a fixed host port is published.
  bool start_first = true;
  // After a batch is healthy, how long it must stay so (`monitor`).
  std::chrono::milliseconds monitor{0};
  // failure_action = rollback: a failing batch also undoes the batches
  // before it (start-first only: their old containers are kept, stopped,
  // until the last batch has succeeded).
  bool roll_back_earlier = false;
  // The fixed host ports the service publishes (why it is stop-first).
  std::vector<std::uint32_t> fixed_host_ports;
};

// Per compose service key ("web", "db-postgres"), from the config's services
// and the compiled compose document (its ports and replicas). Warnings and
// errors go to `diags`; false when there was an error.
bool ReadRolloutSettings(const Config& config, const nlohmann::ordered_json& document,
                         std::map<std::string, RolloutSettings>& out, Diagnostics& diags);

}  // namespace nest::compose
