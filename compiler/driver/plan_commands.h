// `nest plan` and `nest show`: the argument structs and the commands, in the
// style of commands.h. Each Run* prints its own output and returns the exit
// code: 0 on success, 1 for any problem, and with --detailed-exitcode 2 when
// the plan has changes.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/commands.h"
#include "planner/result.h"
#include "planner/state.h"
#include "providers/engine/result.h"

namespace nest {

struct PlanArgs {
  StackArgs stack;
  std::string platform = "swarm";    // --platform swarm|compose
  std::string stack_name;            // --stack NAME; empty: the config's
  std::vector<std::string> targets;  // --target ADDRESS (repeatable)
  bool json = false;                 // Terraform-shaped plan JSON on stdout
  bool markdown = false;             // a pull-request comment on stdout
  std::string out;                   // -out FILE: save the plan
  bool detailed_exitcode = false;    // 0 no changes, 1 error, 2 changes
};

struct ShowArgs {
  std::string file;
  bool json = false;
  bool markdown = false;
  bool no_color = false;
};

// What `nest plan` needs from the rest of nest, as functions so the command
// can be tested without an engine (and wired in one place: plan_sources.cc).
struct PlanSources {
  // The desired state of a checked config for a platform, under a stack
  // name. User errors go to `diags`; anything else is the Error (with an
  // empty message when `diags` already says why: nothing more is printed).
  std::function<plan::Result<plan::StackState>(const Config& config, const std::string& platform,
                                               const std::string& stack, Diagnostics& diags)>
      desired;
  // The live state of the stack on the platform; `*endpoint` is set to the
  // endpoint it tried ("unix:///var/run/docker.sock"), whether or not it answered.
  std::function<engine::Result<plan::StackState>(const std::string& platform, const std::string& stack,
                                                 std::string* endpoint)>
      live;
};

// The real sources: the desired-state builder and the platform's provider.
PlanSources DefaultPlanSources();

// Loads and checks the stack, builds its desired state, reads the live one,
// diffs them and prints the plan (text, --json or --markdown) on `out`;
// diagnostics and errors (an Engine error's one-line description) go to `err`.
// With -out FILE also saves the plan.
int RunPlan(const PlanArgs& args, const PlanSources& sources, std::FILE* out = stdout,
            std::FILE* err = stderr);

// Renders a saved plan in any of the three formats.
int RunShow(const ShowArgs& args, std::FILE* out = stdout, std::FILE* err = stderr);

// Terraform spells long options with one dash (`-out=FILE`,
// `-detailed-exitcode`); CLI11 would read them as bundles of short flags.
// Rewrites those `nest plan` knows to their two-dash form.
std::vector<std::string> TerraformStyleOptions(std::vector<std::string> args);

}  // namespace nest
