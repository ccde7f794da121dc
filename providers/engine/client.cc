#include "providers/engine/client.h"

#include <atomic>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/engine/http.h"
#include "providers/engine/response.h"

namespace nest::engine {
namespace {

std::atomic<std::uint64_t> total_requests{0};

// A ping without API-Version must still be a 200 to count as a daemon.
Result<ApiVersion> VersionFromPing(const HttpResponse& ping, const EngineError& context) {
  if (ping.api_version.empty() && ping.status != 200) {
    Result<nlohmann::json> failed = InterpretResponse(ping, context);
    if (!failed) return failed.error();
  }
  std::optional<ApiVersion> server;
  if (!ping.api_version.empty()) {
    server = ApiVersion::Parse(ping.api_version);
    if (!server) {
      EngineError error = context;
      error.kind = ErrorKind::kMalformedResponse;
      error.detail = "/_ping answered with an API-Version header that is not a version";
      return error;
    }
  }
  ApiVersion version = NegotiateApiVersion(server);
  if (version >= kOldestApiVersion) return version;
  EngineError error = context;
  error.kind = ErrorKind::kUnsupportedVersion;
  error.detail = fmt::format("it speaks API {}; nest needs {} or newer", version.ToString(),
                             kOldestApiVersion.ToString());
  return error;
}

}  // namespace

EngineClient::EngineClient(Endpoint endpoint, ClientOptions options)
    : endpoint_(std::move(endpoint)),
      transport_(std::make_unique<HttpTransport>(endpoint_, options)) {}

EngineClient::~EngineClient() = default;
EngineClient::EngineClient(EngineClient&&) noexcept = default;
EngineClient& EngineClient::operator=(EngineClient&&) noexcept = default;

const ClientOptions& EngineClient::options() const { return transport_->options(); }

void EngineClient::set_options(ClientOptions options) { transport_->set_options(options); }

std::uint64_t EngineClient::TotalRequestCount() { return total_requests.load(); }

EngineError EngineClient::Context(std::string_view doing) const {
  EngineError context;
  context.doing = std::string(doing);
  context.endpoint = endpoint_.Display();
  return context;
}

Result<ApiVersion> EngineClient::Negotiate(std::string_view doing) {
  if (version_) return *version_;
  if (endpoint_.pinned_version) return *(version_ = endpoint_.pinned_version);
  EngineError context = Context(doing);
  // Unversioned: the one path that must work before the version is known.
  Result<HttpResponse> ping = Exchange({.method = "GET", .path = "/_ping"}, context);
  if (!ping) return ping.error();
  Result<ApiVersion> version = VersionFromPing(ping.value(), context);
  if (version) version_ = version.value();
  return version;
}

Result<nlohmann::json> EngineClient::Send(std::string_view method, std::string_view path,
                                          const nlohmann::json* body, std::string_view doing) {
  Result<ApiVersion> version = Negotiate(doing);
  if (!version) return version.error();
  HttpRequest request;
  request.method = std::string(method);
  request.path = fmt::format("/v{}{}{}", version.value().ToString(),
                             path.starts_with('/') ? "" : "/", path);
  if (body && !body->is_null()) {
    request.has_body = true;
    // Invalid UTF-8 becomes U+FFFD, as the daemon's Go decoder would make it.
    request.body = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  EngineError context = Context(doing);
  Result<HttpResponse> response = Exchange(request, context);
  if (!response) return response.error();
  return InterpretResponse(response.value(), context);
}

Result<HttpResponse> EngineClient::Exchange(const HttpRequest& request,
                                            const EngineError& context) {
  ++request_count_;
  ++total_requests;
  Result<HttpResponse> response = transport_->Perform(request);
  if (response) return response;
  EngineError error = response.error();
  error.doing = context.doing;
  error.endpoint = context.endpoint;
  return error;
}

Result<nlohmann::json> EngineClient::Get(std::string_view path, std::string_view doing) {
  return Send("GET", path, nullptr, doing);
}

Result<nlohmann::json> EngineClient::Post(std::string_view path, const nlohmann::json& body,
                                          std::string_view doing) {
  return Send("POST", path, &body, doing);
}

Result<nlohmann::json> EngineClient::Delete(std::string_view path, std::string_view doing) {
  return Send("DELETE", path, nullptr, doing);
}

}  // namespace nest::engine
