// Apply's progress for people and for tools. A terminal line per event, in
// Terraform's words ("service.app: Modifying...", "service.app:
// Modifications complete after 2s"), and `--json`'s JSON lines: one object
// per event and a closing summary object, each on one line. docs/apply.md
// lists every field.
#pragma once

#include <chrono>
#include <string>

#include "planner/apply/executor.h"
#include "planner/apply/walk.h"

namespace nest::plan::apply {

// "1s", "2m5s", "1h0m3s": whole seconds, rounded down, as Terraform prints.
std::string FormatElapsed(Clock::duration duration);

// The terminal line for an event, without a newline:
//   network.backend: Creating...
//   network.backend: Creation complete after 0s
//   service.app: Modifications failed after 3s: task exited (1)
//   secret.db (old object): Destroying...
//   service.web: Skipped: it waited on create network.backend, which failed
//   service.web: Not started: the apply was stopped
std::string EventText(const WalkEvent& event);

// One JSON object and a newline. `now` is the event's wall-clock time
// (`@timestamp`); the caller passes it so tests are repeatable.
std::string EventJsonLine(const WalkEvent& event, std::chrono::system_clock::time_point now);

// The closing object (`"type": "apply_summary"`) and a newline.
std::string SummaryJsonLine(const Walk& walk, const WalkReport& report, std::chrono::system_clock::time_point now);

}  // namespace nest::plan::apply
