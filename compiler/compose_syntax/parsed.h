// The result of reading one compose value: the value, or a message that says
// what is wrong with the text. Every reader of compose syntax returns one, so
// `nest import` and the providers refuse the same texts with the same words.
//
// Reading value() of a failed result (or error() of a good one) is a
// programming error and aborts with a message.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace nest::compose_syntax {

// What is wrong with a text, as a sentence fragment a caller can put after
// "service app: ": "`1d` is not a duration: unknown unit `d`".
struct SyntaxError {
  std::string message;
};

template <typename T>
class [[nodiscard]] Parsed {
 public:
  Parsed(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Parsed(SyntaxError error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { Require(true); return std::get<0>(state_); }
  T&& value() && { Require(true); return std::get<0>(std::move(state_)); }
  const std::string& error() const { Require(false); return std::get<1>(state_).message; }

 private:
  void Require(bool want_value) const {
    if (ok() == want_value) return;
    std::fprintf(stderr, "nest: compose_syntax::Parsed read as %s but holds %s\n",
                 want_value ? "a value" : "an error", ok() ? "a value" : "an error");
    std::abort();
  }

  std::variant<T, SyntaxError> state_;
};

}  // namespace nest::compose_syntax
