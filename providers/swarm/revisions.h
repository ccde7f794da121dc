// Revisions: a record on the engine of every successful apply of a stack,
// for `nest status` (the last apply) and the rollback command to come.
//
// Revision N of stack S is the swarm config `nest-rev-S-N`: its labels
// carry the number, the time (the manager's clock), the config hash and a
// one-line summary; its data is a JSON document the caller gives (the
// desired state applied). The caller guarantees the document holds no
// secret values: config data is readable by anyone with Engine access.
// Only the newest `keep` revisions are kept.
//
// Like the lock, revisions carry no `com.docker.stack.namespace` label: they
// are no part of the stack's state, so `nest plan` never diffs them.
// Numbers only grow: the next is one more than the highest kept, and the
// apply lock makes one writer per stack (a 409 still moves to the next).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/engine/client.h"

namespace nest::swarm {

inline constexpr int kDefaultRevisionsKept = 20;

struct Revision {
  std::int64_t number = 0;
  std::string config_id;
  std::string time;  // RFC 3339, the manager's clock when it was recorded
  std::string config_hash;
  std::string summary;  // "1 added, 2 changed, 0 destroyed"
};

struct RevisionRecord {
  std::string config_hash;
  std::string summary;  // cut to 200 characters (labels are for short text)
  nlohmann::json document;
};

// "nest-rev-<stack>-<number>"; "" when that is no valid config name.
std::string RevisionConfigName(const std::string& stack, std::int64_t number);

// Records the next revision, then deletes all but the newest `keep`.
engine::Result<Revision> RecordRevision(engine::EngineClient& client, const std::string& stack,
                                        const RevisionRecord& record, int keep = kDefaultRevisionsKept);

// The stack's revisions, oldest first.
engine::Result<std::vector<Revision>> ListRevisions(engine::EngineClient& client, const std::string& stack);

// The document revision `number` recorded; kHttp 404 when there is none.
engine::Result<nlohmann::json> ReadRevisionDocument(engine::EngineClient& client, const std::string& stack,
                                                    std::int64_t number);

// Deletes all but the newest `keep` revisions; returns how many went.
engine::Result<int> PruneRevisions(engine::EngineClient& client, const std::string& stack, int keep);

}  // namespace nest::swarm
