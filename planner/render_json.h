// A plan for tools: Terraform's plan JSON (`terraform show -json`) where it
// fits, so tooling that scans `resource_changes[].change.actions` keeps
// working. Sensitive values are null in before/after and true in the
// before_sensitive/after_sensitive masks. docs/plan-json.md describes every
// field.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "planner/plan.h"

namespace nest::plan {

// 1.3: resource_changes[].depends_on; 1.4: change.before_display/after_display
inline constexpr const char* kPlanJsonFormatVersion = "1.4";

// The plan as a JSON document (pretty-printed, newline-terminated).
std::string RenderPlanJson(const Plan& plan);

// The same document as a value, for callers that embed or inspect it.
nlohmann::ordered_json PlanToJson(const Plan& plan);

// Terraform's `change.actions` for a change: ["update"], ["delete","create"],
// ["create","delete"] (create before destroy), ["no-op"], ...
std::vector<std::string> TerraformActions(const ResourceChange& change);

}  // namespace nest::plan
