#include "providers/units.h"

#include <cctype>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nest::providers {
namespace {

// "12.5" -> whole 12, fraction digits "5". False when not digits[.digits].
bool SplitDecimal(std::string_view text, std::string_view* whole, std::string_view* fraction) {
  std::size_t dot = text.find('.');
  *whole = text.substr(0, dot);
  *fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole->empty() && fraction->empty()) return false;
  for (char c : *whole) if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  for (char c : *fraction) if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// value * scale for a decimal "whole.fraction", exactly when the fraction
// fits; rounds toward zero past the scale's precision (Go does the same for
// durations). nullopt on overflow.
std::optional<std::int64_t> ScaleDecimal(std::string_view whole, std::string_view fraction,
                                         std::int64_t scale, bool require_exact) {
  std::int64_t result = 0;
  for (char c : whole) {
    if (result > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10) return std::nullopt;
    result = result * 10 + (c - '0');
  }
  if (result > std::numeric_limits<std::int64_t>::max() / scale) return std::nullopt;
  result *= scale;
  std::int64_t unit = scale;
  for (char c : fraction) {
    if (unit % 10 != 0) {
      if (require_exact && c != '0') return std::nullopt;
      continue;
    }
    unit /= 10;
    result += (c - '0') * unit;
  }
  return result;
}

}  // namespace

std::optional<std::int64_t> ParseGoDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return 0;
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!text.empty()) {
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == 0) return std::nullopt;
    std::string_view number = text.substr(0, i);
    text.remove_prefix(i);
    std::size_t j = 0;
    while (j < text.size() && !std::isdigit(static_cast<unsigned char>(text[j])) && text[j] != '.') ++j;
    std::string_view unit = text.substr(0, j);
    text.remove_prefix(j);
    std::int64_t scale;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") scale = 1000;
    else if (unit == "ms") scale = 1000000;
    else if (unit == "s") scale = 1000000000LL;
    else if (unit == "m") scale = 60LL * 1000000000LL;
    else if (unit == "h") scale = 3600LL * 1000000000LL;
    else return std::nullopt;
    std::string_view whole, fraction;
    if (!SplitDecimal(number, &whole, &fraction)) return std::nullopt;
    auto part = ScaleDecimal(whole, fraction, scale, false);
    if (!part || total > std::numeric_limits<std::int64_t>::max() - *part) return std::nullopt;
    total += *part;
  }
  return negative ? -total : total;
}

std::optional<std::int64_t> DurationFromJson(const nlohmann::ordered_json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number()) return static_cast<std::int64_t>(value.get<double>());
  if (value.is_string()) return ParseGoDuration(value.get<std::string>());
  return std::nullopt;
}

std::optional<std::int64_t> ParseRamBytes(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  std::string_view number = text.substr(0, i);
  std::string_view suffix = text.substr(i);
  if (!suffix.empty() && suffix[0] == ' ') suffix.remove_prefix(1);
  std::string unit;
  for (char c : suffix) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // [kmgtp]?i?b?
  std::int64_t scale = 1;
  std::size_t k = 0;
  if (k < unit.size()) {
    switch (unit[k]) {
      case 'k': scale = 1LL << 10; ++k; break;
      case 'm': scale = 1LL << 20; ++k; break;
      case 'g': scale = 1LL << 30; ++k; break;
      case 't': scale = 1LL << 40; ++k; break;
      case 'p': scale = 1LL << 50; ++k; break;
      default: break;
    }
  }
  if (k < unit.size() && unit[k] == 'i') ++k;
  if (k < unit.size() && unit[k] == 'b') ++k;
  if (k != unit.size()) return std::nullopt;
  std::string_view whole, fraction;
  if (!SplitDecimal(number, &whole, &fraction)) return std::nullopt;
  return ScaleDecimal(whole, fraction, scale, false);
}

std::optional<std::int64_t> BytesFromJson(const nlohmann::ordered_json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number()) return static_cast<std::int64_t>(value.get<double>());
  if (value.is_string()) return ParseRamBytes(value.get<std::string>());
  return std::nullopt;
}

std::optional<std::int64_t> ParseNanoCpus(std::string_view text) {
  std::string_view whole, fraction;
  if (!SplitDecimal(text, &whole, &fraction)) return std::nullopt;
  return ScaleDecimal(whole, fraction, 1000000000LL, true);
}

std::optional<std::int64_t> NanoCpusFromJson(const nlohmann::ordered_json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>() * 1000000000LL;
  if (value.is_number()) return ParseNanoCpus(fmt::format("{:.9f}", value.get<double>()));
  if (value.is_string()) return ParseNanoCpus(value.get<std::string>());
  return std::nullopt;
}

std::string FormatNanoCpus(std::int64_t nanos) {
  std::string out = std::to_string(nanos / 1000000000LL);
  std::int64_t rest = nanos % 1000000000LL;
  if (rest == 0) return out;
  std::string frac = fmt::format("{:09}", rest);
  while (frac.back() == '0') frac.pop_back();
  return out + "." + frac;
}

std::string FormatFileMode(std::uint32_t mode) { return fmt::format("{:04o}", mode); }

std::optional<std::uint32_t> ParseFileMode(std::string_view text) {
  if (text.starts_with("0o") || text.starts_with("0O")) text.remove_prefix(2);
  if (text.empty() || text.size() > 6) return std::nullopt;
  std::uint32_t mode = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return std::nullopt;
    mode = mode * 8 + static_cast<std::uint32_t>(c - '0');
  }
  return mode;
}

namespace {
template <typename Json>
std::string ScalarTextOf(const Json& value) {
  if (value.is_string()) return value.template get<std::string>();
  if (value.is_boolean()) return value.template get<bool>() ? "true" : "false";
  if (value.is_null()) return "";
  if (value.is_number_unsigned()) return std::to_string(value.template get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.template get<std::int64_t>());
  if (value.is_number_float()) {
    double d = value.template get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<std::int64_t>(d));
    return fmt::format("{}", d);
  }
  return value.dump();
}
}  // namespace

std::string ScalarText(const nlohmann::ordered_json& value) { return ScalarTextOf(value); }
std::string ScalarText(const nlohmann::json& value) { return ScalarTextOf(value); }

}  // namespace nest::providers
