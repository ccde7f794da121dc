// Limits for every request the Engine client makes.
#pragma once

#include <chrono>
#include <cstddef>

namespace nest::engine {

struct ClientOptions {
  // Time to establish the connection (socket connect, TLS handshake). Three
  // seconds is plenty for a local or LAN daemon and lets a dead one fail
  // well within five.
  std::chrono::milliseconds connect_timeout{3000};
  // The whole exchange, connect included.
  std::chrono::milliseconds request_timeout{30000};
  // Longest stretch with no byte moving either way, so a daemon that accepts
  // and then hangs is reported as such instead of waiting out the full
  // request timeout. 0 disables. Calls the daemon legitimately blocks on
  // (container stop with a grace period, wait) need it raised. Checked about
  // once a second, so it is coarse below that.
  std::chrono::milliseconds idle_timeout{15000};
  // A response body larger than this is refused as malformed rather than
  // read into memory without bound.
  std::size_t max_body_bytes = std::size_t{256} << 20;
  // Transport errors end with a hint for a Docker Engine ("is dockerd
  // running?", "check DOCKER_CERT_PATH"). Off when the transport talks to
  // another HTTP server (the Prometheus client): the hints would mislead.
  bool docker_hints = true;
};

}  // namespace nest::engine
