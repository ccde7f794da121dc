// Where the Docker Engine listens and how to reach it, resolved the way the
// docker CLI does (docker/cli 20.10 cli/command/cli.go, opts/hosts.go):
//
//   1. DOCKER_HOST, with TLS from DOCKER_TLS_VERIFY / DOCKER_TLS and the
//      files ca.pem, cert.pem, key.pem in DOCKER_CERT_PATH (default: the
//      docker config folder, $DOCKER_CONFIG or ~/.docker);
//   2. else DOCKER_CONTEXT, else `currentContext` in config.json: the
//      context's meta.json and TLS files (see context.h);
//   3. else the default: unix:///var/run/docker.sock, or tcp://localhost:2376
//      when TLS is asked for without a host (as the docker CLI does).
//   DOCKER_API_VERSION pins the API version and skips negotiation.
//
// The environment is a parameter, so every combination is unit-testable; the
// only other input is the files under the config folder.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "providers/engine/api_version.h"
#include "providers/engine/result.h"

namespace nest::engine {

using Environment = std::map<std::string, std::string, std::less<>>;

inline constexpr std::string_view kDefaultSocketPath = "/var/run/docker.sock";

struct Endpoint {
  enum class Transport { kUnix, kTcp };

  Transport transport = Transport::kUnix;
  std::string socket_path{kDefaultSocketPath};  // kUnix
  std::string host;                             // kTcp: "10.0.0.5", "::1" (no brackets)
  int port = 0;                                 // kTcp
  std::string base_path;                        // kTcp: "/prefix" of tcp://h:p/prefix, usually ""
  bool tls = false;                             // kTcp only
  bool tls_verify = false;                      // check the daemon's certificate
  std::string ca_file;                          // empty: the system's CAs
  std::string cert_file;                        // client certificate; empty: none
  std::string key_file;                         // its key; set exactly when cert_file is
  std::string context = "default";              // the docker context it came from
  std::optional<ApiVersion> pinned_version;     // DOCKER_API_VERSION

  // What users set and errors name: "unix:///var/run/docker.sock", "tcp://10.0.0.5:2376".
  std::string Display() const;
  // What request paths are appended to: "http://localhost", "https://10.0.0.5:2376/prefix".
  std::string BaseUrl() const;
};

// The current process's environment.
Environment ProcessEnvironment();

// The endpoint nest talks to, by the rules above. Errors are kBadEndpoint:
// an unsupported scheme (ssh://, fd://, npipe://), a malformed address, a
// context that does not exist, an unreadable config.json or meta.json, a
// client certificate without its key, a bad DOCKER_API_VERSION.
Result<Endpoint> ResolveEndpoint(const Environment& env);

// Parses one address: unix:///path, tcp://host[:port][/path], http://...,
// https://... (TLS), or a bare host:port (tcp). A tcp address without a port
// gets 2376 when `tls` (or https) and 2375 otherwise. TLS files are not
// looked at here.
Result<Endpoint> ParseHost(std::string_view address, bool tls);

// Sets ca_file, cert_file and key_file to those of ca.pem, cert.pem, key.pem
// that exist in `dir`. A certificate without its key (or the reverse) is a
// kBadEndpoint error.
Result<Endpoint> WithTlsFiles(Endpoint endpoint, const std::string& dir);

// `address` with any user:password@ replaced, so errors can quote it.
std::string RedactAddress(std::string_view address);

}  // namespace nest::engine
