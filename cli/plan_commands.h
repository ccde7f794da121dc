// `nest plan` and `nest show`: the argument structs and the commands, in the
// style of commands.h. Each Run* prints its own output and returns the exit
// code: 0 on success, 1 for any problem, and with --detailed-exitcode 2 when
// the plan has changes.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "compiler/support/platform.h"
#include "compiler/support/result.h"
#include "planner/provider.h"

namespace nest {

struct PlanArgs {
  StackArgs stack;
  Platform platform = Platform::kSwarm;  // --platform swarm|compose
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

// Where `nest plan` gets its provider, as a function so the command can be
// tested without an engine (and wired in one place: plan_sources.cc).
struct PlanSources {
  std::function<Result<std::unique_ptr<plan::Provider>>(Platform platform)> provider;
};

// The real sources: the platform's provider over the engine DOCKER_HOST names.
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
