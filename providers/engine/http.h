// One HTTP/1.1 exchange with the Engine over libcurl: the only file that
// knows curl. It maps transport failures to EngineError kinds (refused,
// timed out, dropped, TLS) and knows nothing of JSON or API versions.
#pragma once

#include <memory>
#include <string>

#include "providers/engine/endpoint.h"
#include "providers/engine/options.h"
#include "providers/engine/result.h"

namespace nest::engine {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, DELETE or HEAD
  std::string path;            // "/v1.41/services?filters=...", appended to the base URL
  bool has_body = false;       // POST: send `body` as application/json
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string api_version;   // the API-Version header, "" when absent
  std::string content_type;  // the Content-Type header, "" when absent
};

// Holds one curl easy handle, so consecutive requests reuse the connection.
// Not thread-safe: one transport per thread.
class HttpTransport {
 public:
  HttpTransport(Endpoint endpoint, ClientOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Any HTTP status is a successful exchange. Errors carry kind, detail and
  // endpoint; the caller adds what it was doing.
  Result<HttpResponse> Perform(const HttpRequest& request);

  void set_options(ClientOptions options) { options_ = options; }
  const ClientOptions& options() const { return options_; }

 private:
  struct Easy;
  Endpoint endpoint_;
  ClientOptions options_;
  std::unique_ptr<Easy> easy_;
};

}  // namespace nest::engine
