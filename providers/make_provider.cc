#include "providers/make_provider.h"

#include "providers/compose/read.h"
#include "providers/swarm/read.h"

namespace nest::plan {

std::unique_ptr<Provider> MakeProvider(Platform platform, engine::EngineClient& client) {
  if (platform == Platform::kCompose) return std::make_unique<compose::ComposeProvider>(client);
  return std::make_unique<swarm::SwarmProvider>(client);
}

}  // namespace nest::plan
