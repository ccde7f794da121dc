#include "compiler/compose_syntax/duration.h"

#include <fmt/format.h>

#include <limits>

#include "compiler/compose_syntax/decimal.h"

namespace nest::compose_syntax {
namespace {

bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.'; }

// Nanoseconds per unit; 0 when `unit` is not one.
std::uint64_t UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1000;
  if (unit == "ms") return 1000000;
  if (unit == "s") return 1000000000ULL;
  if (unit == "m") return 60ULL * 1000000000ULL;
  if (unit == "h") return 3600ULL * 1000000000ULL;
  return 0;
}

SyntaxError NotADuration(std::string_view text, std::string_view why) {
  return SyntaxError{fmt::format("`{}` is not a duration: {}", text, why)};
}

}  // namespace

Parsed<std::int64_t> ParseDuration(std::string_view text) {
  const std::string_view original = text;
  if (text.empty()) return SyntaxError{"a duration cannot be empty: write one such as 30s or 1m30s"};
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return std::int64_t{0};
  if (text.empty()) return NotADuration(original, "a sign needs a number and a unit after it");
  // Go allows -2^63 ns but at most 2^63-1 ns.
  const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  std::uint64_t total = 0;
  while (!text.empty()) {
    std::size_t n = 0;
    while (n < text.size() && IsNumberChar(text[n])) ++n;
    if (n == 0) return NotADuration(original, fmt::format("expected a number at `{}`", text));
    std::string_view number = text.substr(0, n);
    text.remove_prefix(n);
    std::size_t u = 0;
    while (u < text.size() && !IsNumberChar(text[u])) ++u;
    std::string_view unit = text.substr(0, u);
    text.remove_prefix(u);
    if (unit.empty())
      return NotADuration(original, fmt::format("`{}` has no unit (ns, us, ms, s, m or h)", number));
    std::uint64_t nanos = UnitNanos(unit);
    if (nanos == 0) return NotADuration(original, fmt::format("unknown unit `{}` (ns, us, ms, s, m or h)", unit));
    auto decimal = SplitDecimal(number);
    if (!decimal) return NotADuration(original, fmt::format("`{}` is not a number", number));
    auto part = ScaleDecimal(*decimal, nanos, limit);
    if (!part || part->value > limit - total) return NotADuration(original, "longer than Go's limit of about 292 years");
    total += part->value;
  }
  if (negative) return static_cast<std::int64_t>(0 - total);  // two's complement: -2^63 included
  return static_cast<std::int64_t>(total);
}

}  // namespace nest::compose_syntax
