// The short form of a compose port, "[[host_ip:]published:]target[/protocol]"
// with published and target a port or a range ("8000-8001"): docker's
// nat.ParsePortSpec, as `docker stack deploy` reads `ports:` entries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/compose_syntax/parsed.h"

namespace nest::compose_syntax {

// The pieces of a short port as written, before any is read as a number.
// A `${...}` interpolation is one opaque piece: its `:` and `/` do not split.
struct ShortPortText {
  std::string host_ip;    // "" unless three or more pieces ("127.0.0.1", "[::1]")
  std::string published;  // "" when only the target is written
  std::string target;
  std::string protocol;   // as written after `/`; "" when none
};

// An error only when no target is written ("", ":", "8080:", "/udp").
Parsed<ShortPortText> SplitShortPort(std::string_view text);

// "tcp", "udp" or "sctp" for those names in any case ("UDP"); nullopt for
// anything else.
std::optional<std::string> PortProtocol(std::string_view protocol);

struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;  // == first for one port
  bool operator==(const PortRange&) const = default;
};

// "80" or "8000-8010": numbers 0-65535, the first not above the last.
Parsed<PortRange> ParsePortRange(std::string_view text);

struct PortMapping {
  std::string host_ip;                 // as written, "" for every address
  std::optional<PortRange> published;  // nullopt: the engine picks (or none)
  PortRange target;
  std::string protocol = "tcp";        // lower case
  bool protocol_written = false;       // "80/tcp" rather than "80"
};

// The whole short form. Errors: no target, a piece that is not a port or
// range, an unknown protocol, or ranges of different lengths (a published
// range for one target port is allowed: the engine picks one of them).
// The host address is kept as written, not checked.
Parsed<PortMapping> ParseShortPort(std::string_view text);

}  // namespace nest::compose_syntax
