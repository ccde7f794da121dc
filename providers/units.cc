#include "providers/units.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/compose_syntax/byte_size.h"
#include "compiler/compose_syntax/cpus.h"
#include "compiler/compose_syntax/duration.h"

namespace nest::providers {
namespace {

using compose_syntax::Parsed;
using compose_syntax::SyntaxError;

SyntaxError NotText(const nlohmann::ordered_json& value, std::string_view what) {
  return SyntaxError{fmt::format("`{}` is not {}", value.dump(), what)};
}

}  // namespace

Parsed<std::int64_t> DurationFromJson(const nlohmann::ordered_json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number()) return static_cast<std::int64_t>(value.get<double>());
  if (value.is_string()) return compose_syntax::ParseDuration(value.get<std::string>());
  return NotText(value, "a duration");
}

Parsed<std::int64_t> BytesFromJson(const nlohmann::ordered_json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number()) return static_cast<std::int64_t>(value.get<double>());
  if (value.is_string()) return compose_syntax::ParseByteSize(value.get<std::string>());
  return NotText(value, "a size");
}

Parsed<std::int64_t> NanoCpusFromJson(const nlohmann::ordered_json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>() * 1000000000LL;
  if (value.is_number()) return compose_syntax::ParseNanoCpus(fmt::format("{:.9f}", value.get<double>()));
  if (value.is_string()) return compose_syntax::ParseNanoCpus(value.get<std::string>());
  return NotText(value, "a number of CPUs");
}

std::string FormatNanoCpus(std::int64_t nanos) { return compose_syntax::FormatNanoCpus(nanos); }

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
