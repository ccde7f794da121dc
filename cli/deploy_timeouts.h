// Per-service deadlines of `nest apply`. A service's deploy block may set
// `timeout`: how long apply waits for that service to converge after its
// change is sent. The whole apply's --timeout bounds every wait as well, so
// a service's wait ends at whichever comes first.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "compiler/config/config.h"

namespace nest {

// `deploy "..." { timeout = ... }` of every service that sets one, by address.
std::map<std::string, std::chrono::nanoseconds> DeployTimeouts(const Config& config);

// When the step of `address` that starts at `now` must be done: its own
// timeout from now, or the apply's deadline if that comes first.
std::chrono::steady_clock::time_point StepDeadline(std::chrono::steady_clock::time_point apply_deadline,
                                                   const std::map<std::string, std::chrono::nanoseconds>& timeouts,
                                                   const std::string& address,
                                                   std::chrono::steady_clock::time_point now);

}  // namespace nest
