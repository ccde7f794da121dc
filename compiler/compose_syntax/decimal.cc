#include "compiler/compose_syntax/decimal.h"

namespace nest::compose_syntax {
namespace {

bool AllDigits(std::string_view text) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

constexpr int kMaxFractionDigits = 18;

}  // namespace

std::optional<Decimal> SplitDecimal(std::string_view text) {
  std::size_t dot = text.find('.');
  Decimal d{text.substr(0, dot), dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1)};
  if (d.whole.empty() && d.fraction.empty()) return std::nullopt;
  if (!AllDigits(d.whole) || !AllDigits(d.fraction)) return std::nullopt;
  return d;
}

std::optional<Scaled> ScaleDecimal(const Decimal& decimal, std::uint64_t unit, std::uint64_t limit) {
  Scaled out;
  std::uint64_t whole = 0;
  for (char c : decimal.whole) {
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (whole > (limit - digit) / 10) return std::nullopt;
    whole = whole * 10 + digit;
  }
  if (unit != 0 && whole > limit / unit) return std::nullopt;
  out.value = whole * unit;
  // 0.d1d2...dk * unit, digit by digit: with D_i the first i digits as a
  // number, D_i * unit = q * 10^i + r and r < 10^i, so q is floor(0.d1..di *
  // unit). The next digit d makes n = 10 * r + d * unit the new remainder
  // over 10^(i+1): q grows by n / 10^(i+1). Every intermediate stays below
  // 10^19 for units up to 2^53.
  std::uint64_t q = 0, r = 0, power = 1;
  int digits = 0;
  for (char c : decimal.fraction) {
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (digits == kMaxFractionDigits) {
      if (digit != 0) out.exact = false;
      continue;
    }
    ++digits;
    power *= 10;
    std::uint64_t n = 10 * r + digit * unit;
    q += n / power;
    r = n % power;
  }
  if (r != 0) out.exact = false;
  if (q > limit - out.value) return std::nullopt;
  out.value += q;
  return out;
}

}  // namespace nest::compose_syntax
