// What an Engine HTTP answer means: the JSON body, or an EngineError with
// the daemon's own message. Pure functions, so every odd body is testable
// without a server; never throws, whatever the bytes.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "providers/engine/http.h"
#include "providers/engine/result.h"

namespace nest::engine {

// 2xx and 304: the parsed body (null when empty). 4xx/5xx and other
// statuses: kHttp with daemon_message. A success body that is not JSON:
// kMalformedResponse, naming the byte where parsing failed but quoting none
// of the body (it may hold secrets such as a service's environment).
// `context` supplies doing and endpoint for the error.
Result<nlohmann::json> InterpretResponse(const HttpResponse& response,
                                         const EngineError& context);

// The daemon's message in an error body: `message` of a JSON object, or the
// text itself when the body is not JSON (some errors are plain text).
std::string DaemonMessage(std::string_view body);

// Parses a JSON body; errors as InterpretResponse.
Result<nlohmann::json> ParseBody(std::string_view body, const EngineError& context);

}  // namespace nest::engine
