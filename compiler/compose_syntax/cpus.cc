#include "compiler/compose_syntax/cpus.h"

#include <fmt/format.h>

#include <limits>

#include "compiler/compose_syntax/decimal.h"

namespace nest::compose_syntax {

Parsed<std::int64_t> ParseNanoCpus(std::string_view text) {
  auto decimal = SplitDecimal(text);
  if (!decimal) return SyntaxError{fmt::format("`{}` is not a number of CPUs such as 0.5 or 2", text)};
  auto nanos = ScaleDecimal(*decimal, 1000000000ULL, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!nanos) return SyntaxError{fmt::format("`{}` CPUs is more than fits in 64 bits of nano-CPUs", text)};
  if (!nanos->exact) return SyntaxError{fmt::format("`{}` is finer than a billionth of a CPU", text)};
  return static_cast<std::int64_t>(nanos->value);
}

std::string FormatNanoCpus(std::int64_t nanos) {
  std::string out = std::to_string(nanos / 1000000000LL);
  std::int64_t rest = nanos % 1000000000LL;
  if (rest == 0) return out;
  std::string fraction = fmt::format("{:09}", rest);
  while (fraction.back() == '0') fraction.pop_back();
  return out + "." + fraction;
}

}  // namespace nest::compose_syntax
