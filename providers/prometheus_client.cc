#include "providers/prometheus_client.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "providers/engine/endpoint.h"
#include "providers/engine/http.h"
#include "providers/engine/query.h"

namespace nest::providers {
namespace {

using nlohmann::json;

QueryFailure EndpointError(std::string message) { return QueryFailure{true, std::move(message)}; }
QueryFailure QueryError(std::string message) { return QueryFailure{false, std::move(message)}; }

// A sample's value as the API writes it: a string ("1", "0.25", "NaN", "+Inf").
bool ReadValue(const json& sample, double& value) {
  if (!sample.is_array() || sample.size() != 2 || !sample[1].is_string()) return false;
  const std::string& text = sample[1].get_ref<const std::string&>();
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);  // strtod reads NaN, +Inf and -Inf too
  return !text.empty() && end == text.c_str() + text.size();
}

QueryResult ReadData(const json& data) {
  const json* type = data.is_object() && data.contains("resultType") ? &data["resultType"] : nullptr;
  const json* result = data.is_object() && data.contains("result") ? &data["result"] : nullptr;
  if (type == nullptr || !type->is_string() || result == nullptr)
    return EndpointError("the answer has no data.resultType or data.result");
  const std::string& kind = type->get_ref<const std::string&>();
  QueryAnswer answer;
  double value = 0;
  if (kind == "scalar") {
    if (!ReadValue(*result, value)) return EndpointError("the scalar result is not [time, \"value\"]");
    answer.values.push_back(value);
    return answer;
  }
  if (kind == "vector") {
    if (!result->is_array()) return EndpointError("the vector result is not a list");
    for (const json& series : *result) {
      if (!series.is_object() || !series.contains("value") || !ReadValue(series["value"], value))
        return EndpointError("a series of the vector result has no [time, \"value\"]");
      answer.values.push_back(value);
    }
    return answer;
  }
  // A range vector or a string answers no check's question.
  return QueryError(fmt::format("the query returned a {}; it must return a scalar or an instant vector",
                                kind == "matrix" ? "range vector" : kind));
}

// answer[key] when it is a string, else `fallback` (json::value would throw on a number).
std::string StringField(const json& answer, const char* key, const char* fallback) {
  auto it = answer.find(key);
  return it != answer.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// The port the user wrote, if any: "host:9090", "[::1]:9090" have one; "host", "[::1]" do not.
bool HasPort(std::string_view authority) {
  std::size_t bracket = authority.rfind(']');
  std::size_t colon = authority.rfind(':');
  return colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
}

Result<engine::Endpoint> ParseBaseUrl(const std::string& base_url) {
  if (base_url.empty()) return Error{"no Prometheus URL: the analysis block has no `prometheus`"};
  const bool tls = base_url.starts_with("https://");
  if (!tls && !base_url.starts_with("http://"))
    return Error{fmt::format("prometheus `{}`: not an http:// or https:// URL", base_url)};
  auto parsed = engine::ParseHost(base_url, tls);
  if (!parsed.ok()) return Error{fmt::format("prometheus `{}`: {}", base_url, parsed.error().detail)};
  engine::Endpoint endpoint = std::move(parsed).value();
  std::string_view rest = std::string_view(base_url).substr(base_url.find("://") + 3);
  if (!HasPort(rest.substr(0, rest.find('/')))) endpoint.port = tls ? 443 : 80;
  endpoint.tls_verify = tls;  // the system's CAs check the server, as a browser would
  return endpoint;
}

// What went wrong between nest and the endpoint, in one line.
std::string Describe(const engine::EngineError& error) {
  if (error.kind == engine::ErrorKind::kTimeout) return error.detail;
  return error.detail.empty() ? engine::KindName(error.kind) : error.detail;
}

}  // namespace

QueryResult ParseQueryResponse(int http_status, std::string_view body) {
  json answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("status")) {
    std::string_view phrase = engine::HttpReason(http_status);
    std::string reason = http_status == 200 ? "the answer is not the Prometheus API's JSON"
                         : phrase.empty()   ? fmt::format("HTTP {}", http_status)
                                            : fmt::format("HTTP {} {}", http_status, phrase);
    return EndpointError(http_status == 404 ? reason + " (is this the Prometheus HTTP API's base URL?)" : reason);
  }
  if (answer["status"] == "success") {
    if (!answer.contains("data")) return EndpointError("the answer has no data");
    return ReadData(answer["data"]);
  }
  std::string type = StringField(answer, "errorType", "error");
  std::string message = StringField(answer, "error", "no reason given");
  // bad_data: the query does not parse or is invalid; every other type
  // (execution, timeout, canceled, internal, unavailable) may pass.
  if (type == "bad_data") return QueryError(fmt::format("Prometheus refused the query: {}", message));
  return EndpointError(fmt::format("Prometheus could not run the query ({}): {}", type, message));
}

PrometheusClient::PrometheusClient(std::string base_url, std::unique_ptr<engine::HttpTransport> transport)
    : base_url_(std::move(base_url)), transport_(std::move(transport)) {}
PrometheusClient::PrometheusClient(PrometheusClient&&) noexcept = default;
PrometheusClient& PrometheusClient::operator=(PrometheusClient&&) noexcept = default;
PrometheusClient::~PrometheusClient() = default;

Result<PrometheusClient> PrometheusClient::Connect(const std::string& base_url, std::chrono::milliseconds timeout) {
  auto endpoint = ParseBaseUrl(base_url);
  if (!endpoint.ok()) return endpoint.error();
  engine::ClientOptions options;
  options.connect_timeout = std::min(timeout, options.connect_timeout);
  options.request_timeout = timeout;
  options.idle_timeout = std::chrono::milliseconds(0);  // the request timeout is short already
  options.max_body_bytes = std::size_t{16} << 20;
  options.docker_hints = false;
  return PrometheusClient(base_url, std::make_unique<engine::HttpTransport>(std::move(endpoint).value(), options));
}

QueryResult PrometheusClient::Query(const std::string& query) {
  engine::HttpRequest request;
  request.path = "/api/v1/query?query=" + engine::UrlEncode(query);
  auto response = transport_->Perform(request);
  if (!response.ok()) return EndpointError(fmt::format("cannot query {}: {}", base_url_, Describe(response.error())));
  QueryResult result = ParseQueryResponse(response.value().status, response.value().body);
  if (!result.ok() && result.error().endpoint_error)
    return EndpointError(fmt::format("cannot query {}: {}", base_url_, result.error().message));
  return result;
}

QueryFunction PrometheusQueryFunction(const std::string& base_url, std::chrono::milliseconds timeout) {
  auto client = PrometheusClient::Connect(base_url, timeout);
  if (!client.ok()) {
    std::string reason = client.error().message;
    return [reason](const std::string&) -> QueryResult { return QueryError(reason); };
  }
  // std::function must be copyable; the client (one curl handle) is shared.
  auto shared = std::make_shared<PrometheusClient>(std::move(client).value());
  return [shared](const std::string& query) { return shared->Query(query); };
}

}  // namespace nest::providers
