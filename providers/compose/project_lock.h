// One apply per compose project, held on the engine, without a swarm.
//
// A plain engine has no swarm configs, so the lock is a VOLUME, named
// `nest-lock-<project>`, with the holder in its labels (nest.lock.*):
// - Acquiring is atomic: the Engine creates volumes one name at a time, and
//   a create of an existing name answers with the EXISTING volume (201, its
//   labels). So nest creates the volume with its own holder ID and reads
//   the answer: its own ID means it holds the lock, another ID is the
//   holder to refuse (or to take over, when stale).
// - Renewal: volumes cannot change, so the holder creates a heartbeat
//   volume `nest-lock-<project>.<n>` (labels: whose, which renewal) every
//   lease/3 and removes the one before. The engine stamps each volume's
//   CreatedAt with ITS clock; the lock is stale when the newest of the
//   lock's and its holder's heartbeats' CreatedAt is older than the
//   holder's lease by the engine's clock (GET /info SystemTime), so a run
//   killed with -9 blocks the next for one lease at most and no client's
//   clock matters. CreatedAt has whole seconds: the age is up to 1 s more.
// - Takeover of a stale lock: the taker first creates a claim volume
//   `nest-lock-<project>.takeover-<old holder ID>` (the same atomic create:
//   one taker wins per stale holder), then, if the lock still names the
//   stale holder, removes it and its heartbeats and acquires afresh. The
//   claim lives until the new holder releases, so a slow second taker that
//   read the same stale holder can never remove the new lock.
// - Release removes the lock (if it is still ours), our heartbeats and our
//   claim. A holder finds out it lost the lock at its next renewal.
//
// Why a volume: it is the one Engine object that is atomic to create by
// name, carries labels, needs no image (a container does) and no address
// space (a bridge network takes a subnet from the engine's small local
// pool). The price: `docker volume prune` removes an unused volume, lock
// included; nest's labels say what it is. None carries the compose project
// label, so `nest plan` and `docker-compose down -v` never see them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "providers/engine/client.h"
#include "providers/swarm/stack_lock.h"

namespace nest::compose {

struct HeldProjectLock {
  std::string project;
  swarm::LockHolder holder;
  std::int64_t renewals = 0;
  std::string claim;  // the takeover claim volume this holder made, if any
};

struct ProjectLockResult {
  std::optional<HeldProjectLock> lock;  // set on success
  std::optional<std::string> error;     // refused (the holder) or the Engine failed
  std::vector<std::string> warnings;    // "took over the stale lock of ..."
};

std::string ProjectLockName(const std::string& project);

ProjectLockResult AcquireProjectLock(engine::EngineClient& client, const std::string& project,
                                     const swarm::LockOptions& options);

enum class RenewOutcome { kRenewed, kLost, kFailed };
// Writes the next heartbeat; kLost when the lock is no longer ours.
RenewOutcome RenewProjectLock(engine::EngineClient& client, HeldProjectLock& lock);

// Removes the lock if it is still ours; warnings otherwise.
std::vector<std::string> ReleaseProjectLock(engine::EngineClient& client, const HeldProjectLock& lock);

// `nest force-unlock ID`: removes the lock if its holder ID starts with `id`
// (8 digits at least); otherwise an error naming the real holder.
Status ForceUnlockProject(engine::EngineClient& client, const std::string& project, const std::string& id);

}  // namespace nest::compose
