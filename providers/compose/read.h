// The Provider for a stack run by Compose (or by nest as Compose would):
// plain containers, networks and volumes labelled
// com.docker.compose.project=<stack>. Three Engine requests whatever the
// stack's size: the containers (all, stopped ones too: a stopped container
// is drift), the networks and the volumes, each filtered by that label.
#pragma once

#include <string>

#include "planner/provider.h"
#include "providers/engine/client.h"

namespace nest::compose {

class ComposeProvider : public plan::Provider {
 public:
  explicit ComposeProvider(engine::EngineClient& client) : client_(client) {}
  const char* name() const override { return "compose"; }
  engine::Result<plan::StackState> ReadStack(const std::string& stack) override;

 private:
  engine::EngineClient& client_;
};

}  // namespace nest::compose
