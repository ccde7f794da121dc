#include "providers/engine/response.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nest::engine {
namespace {

bool Successful(int status) { return (status >= 200 && status < 300) || status == 304; }

std::string_view TrimText(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<nlohmann::json> ParseBody(std::string_view body, const EngineError& context) {
  if (TrimText(body).empty()) return nlohmann::json();
  // nlohmann's parser is iterative, so deep nesting cannot overflow the
  // stack; the exception carries the byte offset and stays in this file.
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    EngineError error = context;
    error.kind = ErrorKind::kMalformedResponse;
    error.detail = "the body is not valid JSON";
    const auto* parse = dynamic_cast<const nlohmann::json::parse_error*>(&e);
    if (parse && parse->byte > body.size())
      error.detail += fmt::format(" (it ends early, after {} bytes)", body.size());
    else if (parse)
      error.detail += fmt::format(" (error at byte {} of {})", parse->byte, body.size());
    return error;
  }
}

std::string DaemonMessage(std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    auto it = doc.find("message");
    if (it != doc.end() && it->is_string()) return it->get<std::string>();
  }
  if (!doc.is_discarded()) return "";  // JSON without a message says nothing useful
  return std::string(TrimText(body));
}

Result<nlohmann::json> InterpretResponse(const HttpResponse& response,
                                         const EngineError& context) {
  if (Successful(response.status)) return ParseBody(response.body, context);
  EngineError error = context;
  error.kind = ErrorKind::kHttp;
  error.http_status = response.status;
  error.daemon_message = DaemonMessage(response.body);
  return error;
}

}  // namespace nest::engine
