#include "providers/engine/api_version.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace nest::engine {
namespace {

// Digits only, no sign, no leading '+', at most 4 of them.
std::optional<int> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text[0] == '-') return std::nullopt;
  return value;
}

}  // namespace

std::string ApiVersion::ToString() const { return fmt::format("{}.{}", major, minor); }

std::optional<ApiVersion> ApiVersion::Parse(std::string_view text) {
  std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<int> major = ParseNumber(text.substr(0, dot));
  std::optional<int> minor = ParseNumber(text.substr(dot + 1));
  if (!major || !minor) return std::nullopt;
  return ApiVersion{*major, *minor};
}

ApiVersion NegotiateApiVersion(std::optional<ApiVersion> server) {
  return std::min(server.value_or(kPingDefaultApiVersion), kNewestApiVersion);
}

}  // namespace nest::engine
