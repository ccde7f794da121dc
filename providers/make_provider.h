// The provider for a platform: the one place the command line, the tests and
// the benchmarks get one.
#pragma once

#include <memory>

#include "compiler/support/platform.h"
#include "compiler/support/result.h"
#include "planner/provider.h"
#include "providers/engine/client.h"

namespace nest::plan {

// Over a borrowed client; `client` must outlive the provider.
std::unique_ptr<Provider> MakeProvider(Platform platform, engine::EngineClient& client);

// Over a client of its own, for the engine DOCKER_HOST / DOCKER_CONTEXT
// choose (the Docker CLI's rules). Fails when they name no usable endpoint;
// nothing is sent to the engine yet.
Result<std::unique_ptr<Provider>> ConnectProvider(Platform platform);

}  // namespace nest::plan
