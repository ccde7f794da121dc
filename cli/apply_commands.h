// `nest apply` and `nest force-unlock`: the argument structs and the
// commands, in the style of plan_commands.h. Exit 0 when every change was
// applied and converged; 1 for anything else.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/plan_commands.h"
#include "compiler/support/platform.h"

namespace nest {

struct ApplyArgs {
  StackArgs stack;                   // PATH (a stack folder or file) or PLANFILE (from nest plan -out)
  Platform platform = Platform::kSwarm;
  std::string stack_name;            // --stack NAME; empty: the config's
  std::vector<std::string> targets;  // --target ADDRESS (repeatable)
  bool auto_approve = false;         // --auto-approve: no question (CI)
  int parallelism = 10;              // -parallelism N: steps sending engine requests at once
  bool json = false;                 // --json: one JSON event per line
  std::string timeout = "10m";       // --timeout DURATION: the whole apply's deadline
  std::chrono::milliseconds lock_lease{30000};  // --lock-lease-ms / NEST_LOCK_LEASE_MS (hidden; tests shorten it)
  // `nest rollback`: apply the desired state revision N recorded, not the
  // config (which is then not read: stack_name must be set). 0: the config.
  std::int64_t revision = 0;
  // --promote SERVICE / --abort SERVICE: a canary waiting at a manual gate
  // goes on to its next step, or is removed (the stable service untouched)
  // and nothing else is applied. SERVICE: the short name or the address.
  std::string promote;
  std::string abort;
};

// `nest rollback`: ApplyArgs' options, and which revision.
struct RollbackArgs {
  ApplyArgs apply;                    // PATH gives the stack's name when --stack is not given
  std::optional<std::int64_t> to;     // --to N; default: the revision before the newest
};

// `nest history`.
struct HistoryArgs {
  StackArgs stack;
  std::string stack_name;
  bool json = false;
};

struct ForceUnlockArgs {
  StackArgs stack;
  Platform platform = Platform::kSwarm;
  std::string stack_name;
  std::string lock_id;
};

// Plans (or reads the saved plan and checks it still applies), asks on a
// terminal (only `yes` proceeds; no terminal and no --auto-approve: refused
// before anything is read), takes the stack's lock, walks the changes in
// dependency order through the provider, waits for each service to
// converge, records a revision and prints Terraform's summary. `in` is
// where the answer is read from.
int RunApply(const ApplyArgs& args, const PlanSources& sources, std::FILE* in = stdin, std::FILE* out = stdout,
             std::FILE* err = stderr);

// Picks the revision (cli/rollback.h), then runs RunApply towards it: the
// same lock, plan shown, approval, walk, waits and a new revision.
int RunRollback(const RollbackArgs& args, const PlanSources& sources, std::FILE* in = stdin,
                std::FILE* out = stdout, std::FILE* err = stderr);

// Lists the stack's revisions, newest first. Swarm only.
int RunHistory(const HistoryArgs& args, std::FILE* out = stdout, std::FILE* err = stderr);

int RunForceUnlock(const ForceUnlockArgs& args, const PlanSources& sources, std::FILE* out = stdout,
                   std::FILE* err = stderr);

}  // namespace nest
