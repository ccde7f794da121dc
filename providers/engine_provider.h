// What the Swarm and Compose providers share: the Engine client they talk
// through, borrowed (tests, benchmarks: one client for several calls) or
// owned (the command line: the provider is all it keeps).
#pragma once

#include <memory>
#include <string>

#include "planner/provider.h"
#include "providers/engine/client.h"

namespace nest::providers {

class EngineProvider : public plan::Provider {
 public:
  // `client` must outlive the provider.
  explicit EngineProvider(engine::EngineClient& client) : client_(client) {}
  explicit EngineProvider(std::unique_ptr<engine::EngineClient> client)
      : owned_(std::move(client)), client_(*owned_) {}

  std::string endpoint() const override { return client_.endpoint().Display(); }
  engine::EngineClient& client() { return client_; }

 private:
  std::unique_ptr<engine::EngineClient> owned_;  // set when the provider owns its client
  engine::EngineClient& client_;
};

}  // namespace nest::providers
