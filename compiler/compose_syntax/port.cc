#include "compiler/compose_syntax/port.h"

#include <fmt/format.h>

#include <cctype>
#include <vector>

namespace nest::compose_syntax {
namespace {

// Splits on `separator` outside `${...}`.
std::vector<std::string> SplitOutsideBraces(std::string_view text, char separator) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') ++depth;
    else if (c == '}' && depth > 0) --depth;
    if (c == separator && depth == 0) parts.emplace_back();
    else parts.back() += c;
  }
  return parts;
}

std::optional<std::uint16_t> PortNumber(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Parsed<ShortPortText> SplitShortPort(std::string_view text) {
  std::vector<std::string> parts = SplitOutsideBraces(text, ':');
  ShortPortText out;
  std::string last = parts.back();
  if (parts.size() >= 2) out.published = parts[parts.size() - 2];
  for (std::size_t i = 0; i + 2 < parts.size(); ++i) out.host_ip += (i == 0 ? "" : ":") + parts[i];
  std::vector<std::string> pieces = SplitOutsideBraces(last, '/');
  out.target = pieces[0];
  if (pieces.size() >= 2) {
    // docker reads only the piece after the first `/`.
    out.protocol = pieces[1];
  }
  if (out.target.empty()) return SyntaxError{fmt::format("`{}` names no container port", text)};
  return out;
}

std::optional<std::string> PortProtocol(std::string_view protocol) {
  std::string lower = Lower(protocol);
  if (lower == "tcp" || lower == "udp" || lower == "sctp") return lower;
  return std::nullopt;
}

Parsed<PortRange> ParsePortRange(std::string_view text) {
  std::size_t dash = text.find('-');
  auto first = PortNumber(text.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : PortNumber(text.substr(dash + 1));
  if (!first || !last) return SyntaxError{fmt::format("`{}` is not a port (0-65535) or a range such as 8000-8010", text)};
  if (*last < *first) return SyntaxError{fmt::format("the range `{}` ends before it starts", text)};
  return PortRange{*first, *last};
}

Parsed<PortMapping> ParseShortPort(std::string_view text) {
  auto pieces = SplitShortPort(text);
  if (!pieces) return SyntaxError{pieces.error().message};
  const ShortPortText& p = pieces.value();
  auto fail = [&](const std::string& why) { return SyntaxError{fmt::format("`{}` is not a port mapping: {}", text, why)}; };
  PortMapping out;
  out.host_ip = p.host_ip;
  if (!p.protocol.empty()) {
    auto protocol = PortProtocol(p.protocol);
    if (!protocol) return fail(fmt::format("`{}` is not a protocol (tcp, udp or sctp)", p.protocol));
    out.protocol = *protocol;
    out.protocol_written = true;
  }
  auto target = ParsePortRange(p.target);
  if (!target) return fail(target.error().message);
  out.target = target.value();
  if (!p.published.empty()) {
    auto published = ParsePortRange(p.published);
    if (!published) return fail(published.error().message);
    out.published = published.value();
    bool target_range = out.target.last != out.target.first;
    if (target_range && out.target.last - out.target.first != out.published->last - out.published->first)
      return fail(fmt::format("the ranges `{}` and `{}` have different lengths", p.published, p.target));
  }
  return out;
}

}  // namespace nest::compose_syntax
