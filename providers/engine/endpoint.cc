#include "providers/engine/endpoint.h"

#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include "providers/engine/context.h"

extern char** environ;

namespace nest::engine {
namespace {

constexpr int kPlainPort = 2375;
constexpr int kTlsPort = 2376;

EngineError BadEndpoint(std::string_view address, std::string detail) {
  EngineError e;
  e.kind = ErrorKind::kBadEndpoint;
  e.endpoint = RedactAddress(address);
  e.detail = std::move(detail);
  return e;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Get(const Environment& env, std::string_view name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

bool FileExists(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

std::optional<int> ParsePort(std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535)
    return std::nullopt;
  return port;
}

// "host:port", "[::1]:port", "host", ":port" -> host and port (0 = none given).
Result<Endpoint> ParseAuthority(std::string_view address, std::string_view authority,
                                Endpoint endpoint) {
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadEndpoint(address, "unclosed `[` in the host");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':'))
      return BadEndpoint(address, "unexpected text after `]`");
    port = rest.empty() ? rest : rest.substr(1);
  } else if (std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  endpoint.host = host.empty() ? "localhost" : std::string(host);
  if (!port.empty()) {
    std::optional<int> number = ParsePort(port);
    if (!number) return BadEndpoint(address, fmt::format("invalid port `{}`", port));
    endpoint.port = *number;
  }
  return endpoint;
}

Result<Endpoint> ParseTcp(std::string_view address, std::string_view rest, bool tls) {
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos)
    return BadEndpoint(address, "user names and passwords in the address are not supported");
  Endpoint endpoint;
  endpoint.transport = Endpoint::Transport::kTcp;
  endpoint.tls = tls;
  while (path.ends_with('/')) path.remove_suffix(1);
  endpoint.base_path = std::string(path);
  Result<Endpoint> parsed = ParseAuthority(address, authority, std::move(endpoint));
  if (parsed && parsed.value().port == 0) parsed.value().port = tls ? kTlsPort : kPlainPort;
  return parsed;
}

Result<Endpoint> ParseUnix(std::string_view rest) {
  Endpoint endpoint;
  if (!rest.empty()) endpoint.socket_path = std::string(rest);
  return endpoint;
}

Result<std::optional<ApiVersion>> PinnedVersion(const Environment& env) {
  std::string text = Get(env, "DOCKER_API_VERSION");
  if (text.empty()) return std::optional<ApiVersion>();
  std::optional<ApiVersion> version = ApiVersion::Parse(text);
  std::string where = "DOCKER_API_VERSION=" + text;
  if (!version) return BadEndpoint(where, "expected a version such as 1.41");
  if (*version > kNewestApiVersion || *version < kOldestApiVersion)
    return BadEndpoint(where, fmt::format("nest speaks API {} down to {}",
                                          kNewestApiVersion.ToString(),
                                          kOldestApiVersion.ToString()));
  return version;
}

// The "default" context: DOCKER_HOST and the TLS variables.
Result<Endpoint> FromEnvironment(const Environment& env) {
  std::string verify = Get(env, "DOCKER_TLS_VERIFY");
  // As the docker CLI: any non-empty DOCKER_TLS_VERIFY, even "0", turns on
  // verification; DOCKER_TLS alone means TLS without verification.
  bool tls = !verify.empty() || !Get(env, "DOCKER_TLS").empty();
  std::string host = Get(env, "DOCKER_HOST");
  if (host.empty()) host = tls ? fmt::format("tcp://localhost:{}", kTlsPort)
                               : fmt::format("unix://{}", kDefaultSocketPath);
  Result<Endpoint> endpoint = ParseHost(host, tls);
  if (!endpoint || !endpoint.value().tls) return endpoint;
  endpoint.value().tls_verify = !verify.empty();
  std::string cert_dir = Get(env, "DOCKER_CERT_PATH");
  if (cert_dir.empty()) cert_dir = DockerConfigDir(env);
  if (cert_dir.empty()) return endpoint;
  return WithTlsFiles(std::move(endpoint).value(), cert_dir);
}

Result<Endpoint> FromContextOrEnvironment(const Environment& env) {
  // DOCKER_HOST beats DOCKER_CONTEXT and currentContext, as in the docker CLI.
  if (!Get(env, "DOCKER_HOST").empty()) return FromEnvironment(env);
  Result<std::string> name = SelectedContext(env);
  if (!name) return name.error();
  if (name.value() == "default") return FromEnvironment(env);
  return LoadContext(name.value(), DockerConfigDir(env));
}

}  // namespace

std::string Endpoint::Display() const {
  if (transport == Transport::kUnix) return "unix://" + socket_path;
  bool v6 = host.find(':') != std::string::npos;
  return fmt::format("tcp://{}{}{}:{}{}", v6 ? "[" : "", host, v6 ? "]" : "", port, base_path);
}

std::string Endpoint::BaseUrl() const {
  // Over a unix socket the host only fills the Host header; the daemon ignores it.
  if (transport == Transport::kUnix) return "http://localhost";
  bool v6 = host.find(':') != std::string::npos;
  return fmt::format("{}://{}{}{}:{}{}", tls ? "https" : "http", v6 ? "[" : "", host,
                     v6 ? "]" : "", port, base_path);
}

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

Result<Endpoint> ResolveEndpoint(const Environment& env) {
  Result<std::optional<ApiVersion>> pinned = PinnedVersion(env);
  if (!pinned) return pinned.error();
  Result<Endpoint> endpoint = FromContextOrEnvironment(env);
  if (endpoint) endpoint.value().pinned_version = pinned.value();
  return endpoint;
}

Result<Endpoint> ParseHost(std::string_view address, bool tls) {
  address = Trim(address);
  if (address.empty()) return BadEndpoint(address, "the address is empty");
  if (address.starts_with('/'))
    return BadEndpoint(address, fmt::format("a path is not an address; did you mean unix://{}?",
                                            address));
  std::size_t sep = address.find("://");
  // A bare "host:port" is tcp, as in the docker CLI.
  std::string_view scheme = sep == std::string_view::npos ? "tcp" : address.substr(0, sep);
  std::string_view rest = sep == std::string_view::npos ? address : address.substr(sep + 3);
  if (scheme == "unix") return ParseUnix(rest);
  if (scheme == "tcp" || scheme == "http") return ParseTcp(address, rest, tls);
  if (scheme == "https") return ParseTcp(address, rest, true);
  if (scheme == "ssh" || scheme == "fd" || scheme == "npipe")
    return BadEndpoint(address, fmt::format("{}:// endpoints are not supported by nest; "
                                            "use unix:// or tcp://", scheme));
  return BadEndpoint(address, fmt::format("unknown scheme `{}://`; use unix:// or tcp://",
                                          scheme));
}

Result<Endpoint> WithTlsFiles(Endpoint endpoint, const std::string& dir) {
  std::filesystem::path folder(dir);
  bool ca = FileExists(folder / "ca.pem");
  bool cert = FileExists(folder / "cert.pem");
  bool key = FileExists(folder / "key.pem");
  if (cert != key)
    return BadEndpoint(endpoint.Display(),
                       fmt::format("{} has {} but no {}", dir, cert ? "cert.pem" : "key.pem",
                                   cert ? "key.pem" : "cert.pem"));
  if (ca) endpoint.ca_file = (folder / "ca.pem").string();
  if (cert) endpoint.cert_file = (folder / "cert.pem").string();
  if (key) endpoint.key_file = (folder / "key.pem").string();
  return endpoint;
}

std::string RedactAddress(std::string_view address) {
  std::size_t sep = address.find("://");
  std::size_t start = sep == std::string_view::npos ? 0 : sep + 3;
  std::size_t at = address.find('@', start);
  std::size_t slash = address.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at))
    return std::string(address);
  return fmt::format("{}***{}", address.substr(0, start), address.substr(at));
}

}  // namespace nest::engine
