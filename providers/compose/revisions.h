// A numbered record of each successful apply to a compose project, for
// `nest history` and `nest rollback`: the volume `nest-rev-<project>-<N>`
// (a plain engine has no configs; see project_lock.h for why a volume),
// whose labels hold the number, the engine's time, the config hash, the
// summary and the applied desired state (JSON, sensitive values as their
// kind only). The newest `keep` are kept.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "compiler/support/result.h"
#include "providers/engine/client.h"

namespace nest::compose {

struct ProjectRevision {
  std::string config_hash;
  std::string summary;
  nlohmann::json document;
};

// Returns the revision's number.
Result<int> RecordProjectRevision(engine::EngineClient& client, const std::string& project,
                                  const ProjectRevision& revision, int keep = 20);

}  // namespace nest::compose
