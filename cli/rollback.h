// The pure rules of `nest rollback` and `nest history` (docs/apply.md,
// "Rollback and history"), apart from the commands so they are tested
// without an engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/support/result.h"
#include "planner/plan.h"
#include "providers/swarm/revisions.h"

namespace nest {

// The revision to roll back to, from the kept revisions' numbers (oldest
// first): `to` when given and kept; otherwise the one before the newest
// (the newest is what the stack runs now, if the last apply converged).
Result<std::int64_t> RollbackRevision(const std::vector<std::int64_t>& kept, std::optional<std::int64_t> to,
                                      const std::string& stack);

// Revisions keep secrets and configs by name only (their data never goes
// into a revision): a rollback plan that would create one again, because it
// was removed since (after a rotation), is refused, naming every such object.
Status CheckRollbackObjects(const plan::Plan& plan, std::int64_t revision);

// `nest history`: newest first, one line each, under a header.
std::string RenderHistoryText(const std::vector<swarm::Revision>& oldest_first, const std::string& stack);
// The same as one JSON document: {"stack": ..., "revisions": [{number, time, config_hash, summary}]}.
std::string RenderHistoryJson(const std::vector<swarm::Revision>& oldest_first, const std::string& stack);

}  // namespace nest
