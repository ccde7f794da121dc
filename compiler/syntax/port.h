// The protocol and publish mode of a port mapping: closed sets, shared by the
// syntax tree's port literals (`53/udp`) and the checked values. One byte
// each, so neither an ast::Expr nor a Value carries strings for them.
#pragma once

#include <cstdint>

namespace nest {

enum class PortProtocol : std::uint8_t { kTcp, kUdp, kSctp };
enum class PortMode : std::uint8_t { kIngress, kHost };

// "tcp", "udp", "sctp": as written in .nest files and in compose files.
inline const char* PortProtocolName(PortProtocol protocol) {
  switch (protocol) {
    case PortProtocol::kTcp: return "tcp";
    case PortProtocol::kUdp: return "udp";
    case PortProtocol::kSctp: return "sctp";
  }
  return "tcp";
}

// "ingress", "host".
inline const char* PortModeName(PortMode mode) { return mode == PortMode::kHost ? "host" : "ingress"; }

}  // namespace nest
