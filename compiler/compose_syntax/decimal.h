// Decimal numbers scaled by a unit with integer arithmetic only: the shared
// step of durations ("1.5h"), byte sizes ("1.5g") and CPUs ("0.5"). Exact
// where the result is whole; otherwise rounded toward zero, as Go's
// time.ParseDuration and docker's units do.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nest::compose_syntax {

// "12.5" -> {"12", "5"}, "1." -> {"1", ""}, ".5" -> {"", "5"}.
struct Decimal {
  std::string_view whole;
  std::string_view fraction;
};

// nullopt unless `text` is digits[.digits] with at least one digit (no sign,
// no exponent).
std::optional<Decimal> SplitDecimal(std::string_view text);

struct Scaled {
  std::uint64_t value = 0;  // floor(decimal * unit)
  bool exact = true;        // false when a fraction of a unit was dropped
};

// decimal * unit; nullopt when the result exceeds `limit`. Fraction digits
// past the 18th are dropped (they count for `exact`), as Go drops digits
// that overflow its accumulator.
std::optional<Scaled> ScaleDecimal(const Decimal& decimal, std::uint64_t unit, std::uint64_t limit);

}  // namespace nest::compose_syntax
