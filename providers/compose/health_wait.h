// Waiting for new containers to be ready: running and, where the image or
// the service has a health check, healthy (the wait Compose makes for
// `depends_on: condition: service_healthy`, and the gate of a rolling
// replacement). Then, for `monitor`, still so.
//
// A container that exits, restarts or turns unhealthy is a failure naming
// it and the reason (its exit code, or the health check's last output);
// so are the step's deadline and the user's Ctrl-C. Polls every 250 ms:
// one GET /containers/{id}/json per container.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "compiler/support/result.h"
#include "planner/provider.h"
#include "providers/engine/client.h"

namespace nest::compose {

struct WaitTarget {
  std::string id;
  std::string name;
};

// How many of `containers` are ready at this moment (running, and healthy
// where checked): a canary's min_healthy sample. `not_ready` gets the
// first one that is not, with why ("shop_web_canary_1 unhealthy: ...").
// An error: the engine could not be asked.
Result<int> CountReady(engine::EngineClient& client, const std::vector<WaitTarget>& containers,
                       std::string* not_ready);

Status WaitReady(engine::EngineClient& client, const std::vector<WaitTarget>& containers,
                 std::chrono::milliseconds monitor, const plan::StepContext& context);

}  // namespace nest::compose
