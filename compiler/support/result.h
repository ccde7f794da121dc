// A value or an error: what every nest function returns where the world can
// fail (a file, the Docker Engine, a saved plan). One type for the whole
// pipeline; user errors in .nest sources are Diagnostics instead, because
// they accumulate and point at source spans.
//
// Nothing throws: callers branch on ok(). Reading value() of a failed result
// (or error() of a good one) is a programming error and aborts with a
// message instead of throwing std::bad_variant_access.
//
//   Result<Plan> plan = ReadPlanFile(path);
//   if (!plan.ok()) return plan.error();        // Error converts to any Result<U>
//   Status status = WritePlanFile(plan.value(), out);  // Result<Done>
//
// The error type is a parameter: the Engine client keeps its structured
// EngineError (kind, HTTP status, the daemon's words) as
// Result<T, EngineError>; everything else uses Error, one line for people.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace nest {

struct Error {
  std::string message;  // one line, for people: "cannot read the plan file `x`: ..."
};

// The value of a Result that carries none: `return Done{};`.
struct Done {};

namespace result_detail {
[[noreturn]] void WrongSide(bool wanted_value);
}  // namespace result_detail

template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { Require(true); return std::get<0>(state_); }
  T& value() & { Require(true); return std::get<0>(state_); }
  T&& value() && { Require(true); return std::get<0>(std::move(state_)); }
  const E& error() const { Require(false); return std::get<1>(state_); }

 private:
  void Require(bool want_value) const {
    if (ok() != want_value) result_detail::WrongSide(want_value);
  }

  std::variant<T, E> state_;
};

// Success or an Error, with nothing to return.
using Status = Result<Done>;

}  // namespace nest
