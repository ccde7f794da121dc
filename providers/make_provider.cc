#include "providers/make_provider.h"

#include "providers/compose/read.h"
#include "providers/engine/endpoint.h"
#include "providers/swarm/read.h"

namespace nest::plan {

std::unique_ptr<Provider> MakeProvider(Platform platform, engine::EngineClient& client) {
  if (platform == Platform::kCompose) return std::make_unique<compose::ComposeProvider>(client);
  return std::make_unique<swarm::SwarmProvider>(client);
}

Result<std::unique_ptr<Provider>> ConnectProvider(Platform platform) {
  auto endpoint = engine::ResolveEndpoint(engine::ProcessEnvironment());
  if (!endpoint.ok()) return Error{endpoint.error().Describe()};
  auto client = std::make_unique<engine::EngineClient>(endpoint.value());
  if (platform == Platform::kCompose) return {std::make_unique<compose::ComposeProvider>(std::move(client))};
  return {std::make_unique<swarm::SwarmProvider>(std::move(client))};
}

}  // namespace nest::plan
