#include "compiler/compose_syntax/byte_size.h"

#include <fmt/format.h>

#include <cctype>
#include <limits>
#include <string>

#include "compiler/compose_syntax/decimal.h"

namespace nest::compose_syntax {
namespace {

SyntaxError NotASize(std::string_view text, std::string_view why) {
  return SyntaxError{fmt::format("`{}` is not a size: {}", text, why)};
}

// The multiplier of a lower-case suffix; 0 when it is not one.
std::uint64_t SuffixBytes(std::string_view suffix) {
  if (suffix.empty() || suffix == "b") return 1;
  static constexpr std::string_view kPrefixes = "kmgtp";
  std::size_t power = kPrefixes.find(suffix[0]);
  if (power == std::string_view::npos) return 0;
  std::string_view rest = suffix.substr(1);
  if (!rest.empty() && rest != "b" && rest != "ib") return 0;
  return std::uint64_t{1} << (10 * (power + 1));
}

}  // namespace

Parsed<std::int64_t> ParseByteSize(std::string_view text) {
  if (text.empty()) return SyntaxError{"a size cannot be empty: write one such as 512m or 1g"};
  std::size_t n = 0;
  while (n < text.size() && ((text[n] >= '0' && text[n] <= '9') || text[n] == '.')) ++n;
  std::string_view number = text.substr(0, n);
  std::string_view suffix = text.substr(n);
  if (!suffix.empty() && suffix[0] == ' ') suffix.remove_prefix(1);
  auto decimal = SplitDecimal(number);
  if (!decimal) return NotASize(text, "it must start with a number of bytes");
  std::string lower;
  for (char c : suffix) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::uint64_t unit = SuffixBytes(lower);
  if (unit == 0) return NotASize(text, fmt::format("unknown unit `{}` (b, k, m, g, t or p, optionally with b or ib)", suffix));
  auto bytes = ScaleDecimal(*decimal, unit, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!bytes) return NotASize(text, "more bytes than fit in 64 bits");
  return static_cast<std::int64_t>(bytes->value);
}

}  // namespace nest::compose_syntax
