// One apply per stack: a lock held ON THE ENGINE, so every client of the
// swarm (a laptop, two CI runners) sees the same one.
//
// The lock is a swarm config named `nest-lock-<stack>`. Creating a config
// is atomic (a second create of the name gets 409), and configs carry
// labels, which can be updated with optimistic concurrency (`?version=N`:
// a stale N gets "update out of sequence"). The labels say who holds it:
// holder ID (random), user, host, pid, start time, operation and lease.
//
// - Renewal updates the labels; the manager stamps UpdatedAt. A lock whose
//   UpdatedAt is older than its holder's lease by the MANAGER's clock (GET
//   /info SystemTime) is stale, so a CI job killed with -9 blocks the next
//   one for one lease at most, and no client's clock matters.
// - Every removal deletes by config ID, and only right after a successful
//   versioned label update of that ID (a "claim"): a takeover claims the
//   stale lock, deletes it and creates a new one (a new ID); a release marks
//   its own lock released and deletes it. A holder that renews in between
//   makes the claim fail, so a live lock is never removed, and an old
//   holder's release can never delete its successor's lock (another ID).
//
// Not labelled `com.docker.stack.namespace`: the lock is no part of the
// stack, so `nest plan` never sees it and `docker stack rm` leaves it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "providers/engine/client.h"
#include "providers/swarm/timestamp.h"

namespace nest::swarm {

inline constexpr std::chrono::milliseconds kDefaultLockLease{30000};

// Who holds (or wants) a lock: what its labels carry.
struct LockHolder {
  std::string holder_id;  // 32 hex digits, random per acquisition: `nest force-unlock ID`
  std::string user;
  std::string host;
  std::int64_t pid = 0;
  std::string operation;  // "apply"
  std::string started;    // the holder's wall clock at acquisition (for people; never compared)
  std::chrono::milliseconds lease = kDefaultLockLease;
};

// A lock as found on the engine.
struct LockInfo {
  std::string stack;
  std::string config_id;
  std::int64_t version = 0;
  LockHolder holder;
  bool released = false;  // its holder is deleting it
  // Manager time since the last renewal, when it was read.
  std::chrono::milliseconds since_renewal{0};
  bool stale = false;

  // "held by alice@ci-3 (pid 4242) for apply since 2026-12-03T14:10:26Z,
  // renewed 2.1s ago (lease 30s), lock ID 4f2a..."
  std::string Describe() const;
};

// The lock this process holds.
struct HeldLock {
  std::string stack;
  std::string config_id;
  std::int64_t version = 0;  // Version.Index after our last write
  std::int64_t renewals = 0;
  LockHolder holder;
};

enum class LockFailure {
  kHeld,     // another holder's live lock: refused
  kLost,     // ours no longer: taken over, or removed (force-unlock)
  kMissing,  // no lock to act on (force-unlock)
  kInvalid,  // the stack name cannot name a config
  kEngine,   // the Engine failed
  kBusy,     // the lock kept changing under us (many contenders)
};

struct LockError {
  LockFailure kind = LockFailure::kEngine;
  std::string message;                      // one line for the user
  std::optional<LockInfo> lock;             // the other holder's lock (kHeld, kLost)
  std::optional<engine::EngineError> engine;  // kEngine
};

// What a lock operation did: an error, or not; warnings either way
// ("took over the stale lock of ...", "the lock was taken over by ...").
struct LockOutcome {
  std::optional<LockError> error;
  std::vector<std::string> warnings;
  bool ok() const { return !error.has_value(); }
};

struct AcquireResult : LockOutcome {
  std::optional<HeldLock> lock;  // set when ok()
};

struct LockOptions {
  std::string operation = "apply";
  std::chrono::milliseconds lease = kDefaultLockLease;
  // Empty / 0: this process's ($USER or the passwd entry, gethostname, getpid).
  std::string user;
  std::string host;
  std::int64_t pid = 0;
};

// "nest-lock-<stack>"; "" when the result would not be a valid config name
// (64 characters at most, [A-Za-z0-9] first and last, then -_. too).
std::string LockConfigName(const std::string& stack);

// Takes the stack's lock: creates it, or takes over a stale one (with a
// warning naming the old holder); kHeld with the holder's details when a
// live lock is held by someone else.
AcquireResult AcquireStackLock(engine::EngineClient& client, const std::string& stack,
                               const LockOptions& options = {});

// Renews `lock` (its version is updated). kLost when the lock was taken
// over or removed: the caller must stop what the lock protected.
LockOutcome RenewStackLock(engine::EngineClient& client, HeldLock& lock);

// Deletes the lock if this process still holds it; when it was taken over,
// leaves it alone and says so in a warning.
LockOutcome ReleaseStackLock(engine::EngineClient& client, const HeldLock& lock);

// The stack's lock as it is now; nullopt inside a good result when there is none.
engine::Result<std::optional<LockInfo>> ReadStackLock(engine::EngineClient& client, const std::string& stack,
                                                      std::chrono::milliseconds default_lease = kDefaultLockLease);

// `nest force-unlock ID`: deletes the stack's lock if its holder ID is
// `holder_id` (or starts with it, at least 8 digits). kMissing when there is
// no lock; kHeld naming the real holder when the ID does not match.
LockOutcome ForceUnlock(engine::EngineClient& client, const std::string& stack, const std::string& holder_id);

}  // namespace nest::swarm
