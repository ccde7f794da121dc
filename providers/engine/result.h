// A value or an EngineError: what every Engine client call returns.
//
// The client never throws; callers branch on ok(). Reading value() of a
// failed result (or error() of a good one) is a programming error and aborts
// with a message instead of throwing std::bad_variant_access.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <utility>
#include <variant>

#include "providers/engine/error.h"

namespace nest::engine {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(EngineError error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { Require(true); return std::get<0>(state_); }
  T& value() & { Require(true); return std::get<0>(state_); }
  T&& value() && { Require(true); return std::get<0>(std::move(state_)); }
  const EngineError& error() const { Require(false); return std::get<1>(state_); }

 private:
  void Require(bool want_value) const {
    if (ok() == want_value) return;
    std::fprintf(stderr, "nest: engine Result read as %s but holds %s\n",
                 want_value ? "a value" : "an error", ok() ? "a value" : "an error");
    std::abort();
  }

  std::variant<T, EngineError> state_;
};

}  // namespace nest::engine
