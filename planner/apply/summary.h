// What an apply did, counted as Terraform counts (a replacement is one
// added and one destroyed), and the closing text: Terraform's
// `Apply complete! Resources: 1 added, 2 changed, 0 destroyed.`, or
// `Apply failed: ...` naming each failed step with its error, each skipped
// step with the failed step it waited on, and the steps a stop held back.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "planner/apply/executor.h"
#include "planner/apply/walk.h"

namespace nest::plan::apply {

struct ApplyCounts {
  int added = 0;      // creates that succeeded (a replacement's new object too)
  int changed = 0;    // updates that succeeded
  int destroyed = 0;  // deletes that succeeded (a replacement's old object too)
  int failed = 0;
  int skipped = 0;
  int not_started = 0;
};

ApplyCounts CountSteps(const Walk& walk, const WalkReport& report);

// "complete" (every step succeeded, also for an empty walk), "failed" (a
// step failed), "stopped" (none failed, the stop flag held some back).
const char* ApplyOutcome(const WalkReport& report);

// "Resources: 1 added, 2 changed, 0 destroyed."
std::string ResourcesLine(const ApplyCounts& counts);

// One line per failed, skipped and not started step, in walk order:
// "update service.app failed: task exited (1)",
// "create service.web skipped: it waited on update service.app, which failed",
// "delete network.old not started: the apply was stopped".
std::vector<std::string> ProblemLines(const Walk& walk, const WalkReport& report);

// The closing text, newline-terminated. Complete:
//   Apply complete! Resources: 1 added, 2 changed, 0 destroyed.
// Otherwise:
//   Apply failed: 1 step failed, 2 skipped.
//     update service.app failed: task exited (1)
//     ...
//   Resources: 0 added, 0 changed, 0 destroyed.
std::string RenderApplySummary(const Walk& walk, const WalkReport& report);

}  // namespace nest::plan::apply
