// The result of reading one compose value: the value, or an Error whose
// message says what is wrong with the text, as a sentence fragment a caller
// can put after "service app: ": "`1d` is not a duration: unknown unit `d`".
// Every reader of compose syntax returns one, so `nest import` and the
// providers refuse the same texts with the same words. It is nest's one
// Result type (compiler/support/result.h).
#pragma once

#include "compiler/support/result.h"

namespace nest::compose_syntax {

using SyntaxError = Error;

template <typename T>
using Parsed = Result<T>;

}  // namespace nest::compose_syntax
