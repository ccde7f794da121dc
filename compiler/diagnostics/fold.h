// Folding repeated warnings: one warning per kind in full, the rest as notes.
#pragma once

#include "compiler/diagnostics/diagnostic.h"

namespace nest {

// One NEST-W080 per setting and target in full; every other place the same
// setting appears becomes an "also ADDRESS at FILE:LINE:COL" note on it (as
// Terraform folds similar warnings). A W080 summary reads "ADDRESS: what";
// two warnings fold when their "what" is the same. Nothing is hidden, the
// list is short. Errors and other warnings pass through unchanged, in order.
// `nest compile`, `nest plan` and `nest apply` print their warnings through it.
Diagnostics FoldRepeatedWarnings(const Diagnostics& diags, const SourceManager& sources);

}  // namespace nest
