// What every Engine client call returns: a value or an EngineError, nest's
// one Result type (compiler/support/result.h) with the client's structured
// error.
#pragma once

#include "compiler/support/result.h"
#include "providers/engine/error.h"

namespace nest::engine {

template <typename T>
using Result = nest::Result<T, EngineError>;

}  // namespace nest::engine
