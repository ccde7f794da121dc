// The swarm manager's clock, read from the Engine.
//
// A lock's age is UpdatedAt (written by the manager) against the manager's
// "now", so a client whose clock is minutes off (a CI runner, a laptop)
// judges staleness as every other client does. GET /info's SystemTime has
// nanoseconds; the HTTP Date header only seconds.
#pragma once

#include <string_view>

#include "providers/engine/client.h"
#include "providers/swarm/timestamp.h"

namespace nest::swarm {

// GET /info SystemTime; kMalformedResponse when it is missing or not RFC 3339.
engine::Result<EngineTime> ManagerTime(engine::EngineClient& client, std::string_view doing);

}  // namespace nest::swarm
