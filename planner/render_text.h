// A plan for people, in Terraform's layout: a destroy warning first, the
// symbol legend, one block per change (`+ ~ - -/+ +/-`, one line per
// changed attribute, unchanged ones folded), then the summary line and the
// plan's warnings. Sensitive values print as `(sensitive value)`, always.
#pragma once

#include <string>
#include <vector>

#include "compiler/diagnostics/render.h"
#include "planner/plan.h"

namespace nest::plan {

// The whole plan as text. ANSI colour only when style.color (the caller
// decides with ShouldColor and --no-color).
std::string RenderPlanText(const Plan& plan, TextStyle style);

// "Plan: 1 to add, 2 to change, 0 to destroy." or
// "No changes. Your stack matches the configuration."
std::string SummaryLine(const Plan& plan);

// The changes that destroy something: deletes and replaces, in plan order.
std::vector<const ResourceChange*> DestructiveChanges(const Plan& plan);

// One attribute value on one line, as the text shows it: `"medianest/app:1.3.0"`,
// `3`, `(sensitive value)`, `["a", "b"]`, `{ A = "1" }`.
std::string InlineValue(const AttributeValue& value);

}  // namespace nest::plan
