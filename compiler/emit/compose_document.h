// A Config as a compose document model: the exact content of the compiled
// file, as JSON. `nest compile` writes it as YAML; the planner turns the
// swarm model into Engine API ServiceSpecs the way `docker stack deploy`
// does, so the model holds exactly what the YAML holds.
//
// Keys come in a fixed order: `version` (swarm only, "3.9"), `services`,
// `networks`, `volumes`, `secrets`, `configs`; entries sorted by name; inside
// an entry a fixed key order; maps (environment, labels, options) sorted.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/emit/target.h"

namespace nest {

// The compose file format version of the swarm target: the newest that
// docker CLI 20.10 reads (and that carries `pids` and `max_replicas_per_node`).
inline constexpr const char* kSwarmComposeVersion = "3.9";

// Builds the document. Warnings (NEST-W080, W082) and errors (NEST-E081,
// NEST-E070 for an unreadable secret file) go to `diags`; nullopt on errors.
std::optional<nlohmann::ordered_json> BuildComposeDocument(const Config& config, const EmitOptions& options,
                                                           Diagnostics& diags);

}  // namespace nest
