// EngineClient: the one way nest talks to the Docker Engine.
//
// Requests go over one reused libcurl handle to the resolved Endpoint (unix
// socket, tcp, tcp+TLS). Before the first request the client asks
// GET /_ping for the daemon's API-Version and from then on prefixes every
// path with the negotiated version, min(daemon, 1.41): "/services" is sent
// as "/v1.41/services". Nothing throws; every call returns a Result whose
// error says what nest was doing (the `doing` argument, e.g. "listing
// services of stack medianest") and where.
//
// Not thread-safe: use one client per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "providers/engine/api_version.h"
#include "providers/engine/endpoint.h"
#include "providers/engine/options.h"
#include "providers/engine/result.h"

namespace nest::engine {

class HttpTransport;
struct HttpRequest;
struct HttpResponse;

class EngineClient {
 public:
  explicit EngineClient(Endpoint endpoint, ClientOptions options = {});
  ~EngineClient();
  EngineClient(EngineClient&&) noexcept;
  EngineClient& operator=(EngineClient&&) noexcept;

  // The version every path is prefixed with. Asks /_ping on the first call
  // (unless DOCKER_API_VERSION pinned it); later calls return the same
  // version without a request. Fails with kUnsupportedVersion when the daemon
  // is older than kOldestApiVersion.
  Result<ApiVersion> Negotiate(std::string_view doing = "connecting to the Docker Engine");

  // `path` is unversioned and starts with '/', query included:
  // "/services?" + LabelFilter({...}). Success is 2xx or 304; the value is the
  // parsed body, null when the body is empty.
  Result<nlohmann::json> Get(std::string_view path, std::string_view doing);
  // `body` is sent as JSON; a null body sends an empty POST.
  Result<nlohmann::json> Post(std::string_view path, const nlohmann::json& body,
                              std::string_view doing);
  Result<nlohmann::json> Delete(std::string_view path, std::string_view doing);

  const Endpoint& endpoint() const { return endpoint_; }
  // Set once Negotiate has succeeded.
  std::optional<ApiVersion> api_version() const { return version_; }
  const ClientOptions& options() const;
  // Applies to the next requests, e.g. a longer idle timeout around a call
  // the daemon blocks on.
  void set_options(ClientOptions options);

  // HTTP requests this client has sent, /_ping included (whether or not
  // they succeeded). The benchmarks print it to show reads stay constant.
  std::uint64_t request_count() const { return request_count_; }
  // The same, summed over every client in the process.
  static std::uint64_t TotalRequestCount();

 private:
  Result<nlohmann::json> Send(std::string_view method, std::string_view path,
                              const nlohmann::json* body, std::string_view doing);
  // One counted request; transport errors get the context's doing and endpoint.
  Result<HttpResponse> Exchange(const HttpRequest& request, const EngineError& context);
  EngineError Context(std::string_view doing) const;

  Endpoint endpoint_;
  std::unique_ptr<HttpTransport> transport_;
  std::optional<ApiVersion> version_;
  std::uint64_t request_count_ = 0;
};

}  // namespace nest::engine
