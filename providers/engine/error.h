// Errors from talking to the Docker Engine, as values.
//
// Every failure of the Engine client (nothing listening, a timeout, an HTTP
// error status, a body that is not JSON, a dropped connection, a TLS failure,
// an unusable DOCKER_HOST or context) becomes one EngineError. It carries what
// nest was doing and which endpoint it tried, so the one line Describe()
// prints is enough for a user to act on. Nothing secret goes into it: no
// request bodies, no credentials from the endpoint.
#pragma once

#include <string>
#include <string_view>

namespace nest::engine {

enum class ErrorKind {
  kUnreachable,         // nothing answered: refused, no socket, no route, connect timeout
  kTimeout,             // connected, but the answer did not come in time
  kHttp,                // the daemon answered with an error status
  kMalformedResponse,   // the answer is not what the API promises (bad JSON, bad HTTP)
  kConnectionDropped,   // the connection closed before the answer was complete
  kTls,                 // TLS handshake, certificate or key problem
  kBadEndpoint,         // DOCKER_HOST, DOCKER_CONTEXT or the TLS files cannot be used
  kUnsupportedVersion,  // the daemon's API is older than nest can work with
};

// "unreachable", "timeout", "http", ... (stable; used in JSON output and tests).
const char* KindName(ErrorKind kind);

struct EngineError {
  ErrorKind kind = ErrorKind::kUnreachable;
  int http_status = 0;         // set for kHttp (and whenever a status was seen)
  std::string daemon_message;  // the daemon's own words: `message` of the error body
  std::string doing;           // "listing services of stack medianest"
  std::string endpoint;        // "unix:///var/run/docker.sock", credentials removed
  std::string detail;          // the low-level cause: "connection refused (is dockerd running?)"

  // One line, e.g.
  //   cannot reach the Docker Engine at unix:///var/run/docker.sock while
  //   listing services: connection refused (is dockerd running?)
  std::string Describe() const;
};

// The reason phrase for an HTTP status: 500 -> "Internal Server Error";
// "" for a status nest has no name for.
std::string_view HttpReason(int status);

}  // namespace nest::engine
