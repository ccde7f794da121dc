// Asking before apply changes anything, as `terraform apply` does: on a
// terminal the plan is shown and only the answer `yes` proceeds; without a
// terminal (CI) apply refuses unless --auto-approve said yes beforehand.
#pragma once

#include <cstdio>

namespace nest {

// Prints the question on `out` and reads one line from `in`: true only for
// "yes" (surrounding blanks ignored).
bool AskApproval(std::FILE* out, std::FILE* in);

}  // namespace nest
