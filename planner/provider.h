// The one seam between the planner and Docker. A provider owns both sides of
// a plan for its platform: the desired state (the config as the platform
// would run it, in the same canonical shape) and the live state (the stack's
// objects on the engine, normalised). The planner diffs the two and never
// sees the Engine API; apply will drive the provider one step at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/support/platform.h"
#include "compiler/support/result.h"
#include "planner/apply/walk.h"
#include "planner/plan.h"
#include "planner/state/state.h"

namespace nest::plan {

// What one apply step does to its resource (planner/apply/walk.h): a
// replace is a create and a delete, ordered by create_before_destroy.
using StepOp = apply::Operation;

// How one step runs: until when, whether the user asked to stop, and where
// its progress goes. Steps of one walk run on several threads at once.
struct StepContext {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Set by the first SIGINT: a wait returns at once with an error saying so
  // (the change itself is never cut off halfway).
  const std::atomic<bool>* cancel = nullptr;
  // One line for people: "2/3 tasks running and healthy". Called on the
  // step's thread; may be empty.
  std::function<void(const std::string& line)> progress;
  // `nest apply --promote SERVICE` / `--abort SERVICE`, set on that
  // service's step only: the user's word on a canary waiting at a manual
  // gate (providers/swarm/canary.h).
  enum class Gate { kNone, kPromote, kAbort };
  Gate gate = Gate::kNone;

  bool cancelled() const { return cancel != nullptr && cancel->load(); }
  bool expired() const { return std::chrono::steady_clock::now() >= deadline; }
};

// One apply at a time per stack, held on the engine while this object
// lives: renewed in the background, released when it is destroyed (a
// process killed with -9 leaves it to go stale after its lease).
class StackLock {
 public:
  virtual ~StackLock() = default;
  // True once the lock was lost (taken over after renewals failed for a
  // whole lease, or force-unlocked): the apply must stop starting steps.
  virtual bool lost() const = 0;
};

struct LockRequest {
  std::string stack;
  std::string operation = "apply";
  std::chrono::milliseconds lease{30000};
};

// What a successful apply leaves on the engine for `nest history` and
// `nest rollback`.
struct RevisionRecord {
  std::string stack;
  std::string config_hash;
  std::string summary;  // "1 added, 2 changed, 0 destroyed"
  // The desired state applied, without any sensitive value's content.
  const StackState* desired = nullptr;
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual Platform platform() const = 0;
  // Where the live side comes from, for the plan and for errors:
  // "unix:///var/run/docker.sock".
  virtual std::string endpoint() const = 0;

  // What `config` deployed as `stack` would be, sorted by address. nullopt
  // when it cannot be built (an unreadable secret file, a setting the
  // platform cannot carry): the reasons are in `diags`, with locations, and
  // the caller must not plan (an empty desired state would delete
  // everything). Warnings go to `diags` too.
  virtual std::optional<StackState> DesiredState(const Config& config, const std::string& stack,
                                                 Diagnostics& diags) = 0;

  // Every live object that belongs to `stack` (by label) or carries a name
  // the stack would use, normalised. A constant number of Engine requests,
  // whatever the stack's size. The error names what was being done and the
  // endpoint.
  virtual Result<StackState> ReadStack(const std::string& stack) = 0;

  // Applies one change of a plan this provider computed (DesiredState must
  // have run for the same config and stack). Returns once the engine has
  // accepted it; for a delete, once the object is gone.
  virtual Status Apply(const ResourceChange& change, StepOp op, const StepContext& context) = 0;
  // Waits until the change has converged: a service's tasks up to date,
  // running and healthy, stable for its monitor window. A rollback, a pause
  // or the deadline is a failure naming the reason.
  virtual Status WaitConverged(const ResourceChange& change, const StepContext& context) = 0;

  // Takes the stack's lock; refused (naming the holder) while another
  // process holds a live one. A stale lock is taken over, with a warning
  // naming its holder in `warnings`.
  virtual Result<std::unique_ptr<StackLock>> Lock(const LockRequest& request,
                                                  std::vector<std::string>& warnings) = 0;
  // `nest force-unlock ID`: removes the stack's lock if ID names its holder.
  virtual Status ForceUnlock(const std::string& stack, const std::string& lock_id) = 0;
  // Records a revision after an apply converged; returns its number.
  virtual Result<int> RecordRevision(const RevisionRecord& record) = 0;
  // `nest rollback`: the desired state revision `number` of `stack`
  // recorded, in place of DesiredState (Apply then sends what that revision
  // applied). An error when there is no such revision or it cannot be
  // restored; platforms without revisions say so.
  virtual Result<StackState> RevisionDesiredState(const std::string& stack, std::int64_t number) {
    (void)stack;
    (void)number;
    return Error{fmt::format("{} keeps no revisions to roll back to", PlatformName(platform()))};
  }
};

}  // namespace nest::plan
