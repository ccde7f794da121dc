// The provider for a platform, over one Engine client.
#pragma once

#include <memory>

#include "planner/platform.h"
#include "planner/provider.h"
#include "providers/engine/client.h"

namespace nest::plan {

// `client` must outlive the provider.
std::unique_ptr<Provider> MakeProvider(Platform platform, engine::EngineClient& client);

}  // namespace nest::plan
