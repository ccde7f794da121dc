// Saved plans (`nest plan -out FILE`, `nest show FILE`, and later `nest
// apply FILE`): a JSON file holding the plan's changes with their before and
// after states, the config hash, the engine endpoint and every live version
// the plan saw, so apply can refuse a stale plan.
//
// Never a secret: every sensitive value is written as its kind and
// `"sensitive": true`, without its content. A plan read back therefore holds
// sensitive values with empty content; apply takes them from the config
// again, after checking that the config still hashes to config_hash and
// its sensitive values to sensitive_hash (a digest kept only in this file).
#pragma once

#include <string>

#include "planner/plan.h"
#include "compiler/support/result.h"

namespace nest::plan {

inline constexpr int kPlanFileFormatVersion = 1;

// Writes `plan` to `path` atomically (a temporary file in the same folder,
// then rename) with mode 0600; on failure nothing is left behind.
Status WritePlanFile(const Plan& plan, const std::string& path);

// Reads a file written by WritePlanFile. Errors say which file and what is
// wrong: missing, unreadable, not JSON, not a nest plan, a format this nest
// does not read, or a damaged structure.
Result<Plan> ReadPlanFile(const std::string& path);

// A state in the file's encoding, sensitive values as their kind only: what
// a revision records of the desired state it applied.
std::string StackStateJsonText(const StackState& state);

// The reverse: a state read back from StackStateJsonText's encoding (extra
// fields are ignored). Sensitive values come back with their kind and no
// content. The error says what is damaged.
Result<StackState> StackStateFromJsonText(const std::string& text);

// The file's text, for tests and for callers writing elsewhere.
std::string PlanFileText(const Plan& plan);
Result<Plan> ParsePlanFile(const std::string& text, const std::string& path);

}  // namespace nest::plan
