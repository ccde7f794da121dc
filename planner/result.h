// A value or a one-line error message: what the planner's file operations
// return (the Engine client has its own Result carrying an EngineError).
// Reading the wrong side aborts with a message, as engine::Result does.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace nest::plan {

struct Error {
  std::string message;  // one line, for people: "cannot read the plan file `x`: ..."
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { Require(true); return std::get<0>(state_); }
  T& value() & { Require(true); return std::get<0>(state_); }
  T&& value() && { Require(true); return std::get<0>(std::move(state_)); }
  const std::string& error() const { Require(false); return std::get<1>(state_).message; }

 private:
  void Require(bool want_value) const {
    if (ok() == want_value) return;
    std::fprintf(stderr, "nest: plan Result read as %s but holds %s\n", want_value ? "a value" : "an error",
                 ok() ? "a value" : "an error");
    std::abort();
  }

  std::variant<T, Error> state_;
};

}  // namespace nest::plan
