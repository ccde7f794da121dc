// The one seam between the planner and Docker. A provider reads a stack's
// live objects and turns them into StackState; apply (the next milestone)
// will add Apply(step) and WaitConverged(step) here.
#pragma once

#include <string>

#include "planner/state.h"
#include "providers/engine/result.h"

namespace nest::plan {

class Provider {
 public:
  virtual ~Provider() = default;
  virtual const char* name() const = 0;  // "swarm", "compose"
  // Every live object that belongs to `stack` (by label) or carries a name
  // the stack would use, normalised. A constant number of Engine requests,
  // whatever the stack's size.
  virtual engine::Result<StackState> ReadStack(const std::string& stack) = 0;
};

}  // namespace nest::plan
