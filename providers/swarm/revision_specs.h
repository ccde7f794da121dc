// What a swarm revision keeps so `nest rollback` can apply it again: beside
// the normalised desired state (what the plan compares), the Engine API
// specs apply sends (StackSpecs), as JSON inside the revision's document.
//
// Revisions are swarm configs, readable by anyone with Engine access, so
// nothing secret may go in:
// - secret and config objects keep only their spec (name, labels, the
//   content hash in the name), never a file path or inline content: their
//   data is on the engine under that name, and a rollback that would have
//   to create one again is refused (rollback_check.h);
// - a state holding any sensitive value (an env value from a sensitive
//   variable) would put it into the service spec in the clear: such a
//   revision keeps no specs at all and says why, and rollback refuses it.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "planner/state/state.h"
#include "providers/swarm/convert.h"

namespace nest::swarm {

// "" when `state` holds no sensitive value; otherwise why the specs must
// not be recorded, naming the first resource and attribute:
// "service.web: `env` holds a sensitive value".
std::string WhyNotRestorable(const plan::StackState& state);

// The specs as JSON, secret and config objects without file or content.
nlohmann::json RevisionSpecsJson(const StackSpecs& specs);

// The reverse; nullopt when `json` is not what RevisionSpecsJson wrote.
std::optional<StackSpecs> RevisionSpecsFromJson(const nlohmann::json& json);

}  // namespace nest::swarm
