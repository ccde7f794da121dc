// A plan as a pull-request comment (Atlantis/tfcmt layout): the summary
// line first, a destroy warning when anything is destroyed or replaced, and
// the text plan in a collapsed ```diff block. The comment never exceeds
// `limit` characters (GitHub refuses comments over 65,536): when the plan is
// longer, the middle of the block is cut and the cut says how many lines it
// removed. The summary and the warning are never cut.
#pragma once

#include <cstddef>
#include <string>

#include "planner/plan.h"

namespace nest::plan {

inline constexpr std::size_t kMarkdownLimit = 65000;

std::string RenderPlanMarkdown(const Plan& plan, std::size_t limit = kMarkdownLimit);

}  // namespace nest::plan
