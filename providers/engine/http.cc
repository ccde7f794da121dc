#include "providers/engine/http.h"

#include <cctype>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "providers/engine/curl_library.h"

namespace nest::engine {
namespace {

using Clock = std::chrono::steady_clock;

// What the curl callbacks of one exchange share.
struct Exchange {
  HttpResponse* response = nullptr;
  const ClientOptions* options = nullptr;
  Clock::time_point last_activity = Clock::now();
  curl_off_t last_progress = 0;
  bool body_too_large = false;
  bool idle_expired = false;
};

bool HeaderIs(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  return true;
}

std::string HeaderValue(std::string_view line) {
  line.remove_prefix(line.find(':') + 1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
    line.remove_suffix(1);
  return std::string(line);
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  x->last_activity = Clock::now();
  // A new status line (after 100 Continue) starts a new set of headers.
  if (line.starts_with("HTTP/")) *x->response = HttpResponse{};
  if (HeaderIs(line, "api-version")) x->response->api_version = HeaderValue(line);
  if (HeaderIs(line, "content-type")) x->response->content_type = HeaderValue(line);
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  size_t bytes = size * count;
  x->last_activity = Clock::now();
  if (x->response->body.size() + bytes > x->options->max_body_bytes) {
    x->body_too_large = true;
    return 0;  // curl aborts with CURLE_WRITE_ERROR
  }
  x->response->body.append(data, bytes);
  return bytes;
}

// Called by curl about once a second even when nothing moves: the idle guard.
int OnProgress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
               curl_off_t ulnow) {
  (void)dltotal;
  (void)ultotal;
  auto* x = static_cast<Exchange*>(user);
  Clock::time_point now = Clock::now();
  if (dlnow + ulnow != x->last_progress) {
    x->last_progress = dlnow + ulnow;
    x->last_activity = now;
  }
  if (x->options->idle_timeout.count() <= 0) return 0;
  if (now - x->last_activity < x->options->idle_timeout) return 0;
  x->idle_expired = true;
  return 1;  // curl aborts with CURLE_ABORTED_BY_CALLBACK
}

std::string Seconds(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return fmt::format("{} s", ms.count() / 1000);
  return fmt::format("{:g} s", static_cast<double>(ms.count()) / 1000.0);
}

// The socket-level reason a connect failed, worded for a user, with a hint
// for a Docker Engine when `docker_hints`.
std::string ConnectFailure(long os_errno, const char* curl_text, bool docker_hints) {
  const char* is_dockerd_running = docker_hints ? " (is dockerd running?)" : "";
  const char* socket_access = docker_hints ? " (is this user allowed to use the socket, e.g. in the docker group?)" : "";
  switch (os_errno) {
    case ECONNREFUSED: return fmt::format("connection refused{}", is_dockerd_running);
    case ENOENT: return fmt::format("no such socket file{}", is_dockerd_running);
    case EACCES:
    case EPERM:
      return fmt::format("permission denied{}", socket_access);
    case ETIMEDOUT: return "connection timed out";
    case EHOSTUNREACH: return "no route to host";
    case ENETUNREACH: return "network is unreachable";
    case EAGAIN:
      return fmt::format("the {} is not accepting connections (its backlog is full)", docker_hints ? "daemon" : "server");
    default: break;
  }
  if (os_errno != 0) return std::strerror(static_cast<int>(os_errno));
  return *curl_text ? curl_text : "connection failed";
}

bool IsTlsError(CURLcode rc) {
  switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

EngineError Failure(ErrorKind kind, std::string detail) {
  EngineError e;
  e.kind = kind;
  e.detail = std::move(detail);
  return e;
}

// libcurl's functions, once HttpTransport has loaded it (it does not
// perform a request otherwise).
const CurlLibrary& Curl() { return *LoadCurl(nullptr); }

// Never connected: curl reports no time to the start of the transfer.
bool NeverConnected(CURL* curl) {
  curl_off_t pretransfer = 0;
  Curl().easy_getinfo(curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
  return pretransfer == 0;
}

EngineError TimeoutFailure(CURL* curl, const ClientOptions& options) {
  if (NeverConnected(curl))
    return Failure(ErrorKind::kUnreachable,
                   fmt::format("no connection within {}", Seconds(options.connect_timeout)));
  return Failure(ErrorKind::kTimeout,
                 fmt::format("no complete answer within {}", Seconds(options.request_timeout)));
}

EngineError CurlFailure(CURLcode rc, CURL* curl, const Exchange& x, const char* text) {
  const ClientOptions& options = *x.options;
  if (x.body_too_large)
    return Failure(ErrorKind::kMalformedResponse,
                   fmt::format("the response is larger than {} MiB", options.max_body_bytes >> 20));
  if (x.idle_expired && NeverConnected(curl))
    return Failure(ErrorKind::kUnreachable,
                   fmt::format("no connection within {}", Seconds(options.idle_timeout)));
  if (x.idle_expired)
    return Failure(ErrorKind::kTimeout, fmt::format("nothing received for {} (request timeout "
                                                    "{})", Seconds(options.idle_timeout),
                                                    Seconds(options.request_timeout)));
  if (*text == '\0') text = Curl().easy_strerror(rc);
  long os_errno = 0;
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
      Curl().easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
      return Failure(ErrorKind::kUnreachable, ConnectFailure(os_errno, text, options.docker_hints));
    case CURLE_COULDNT_RESOLVE_HOST:
      return Failure(ErrorKind::kUnreachable, text);
    case CURLE_OPERATION_TIMEDOUT:
      return TimeoutFailure(curl, options);
    case CURLE_GOT_NOTHING:
      return Failure(ErrorKind::kConnectionDropped, "the connection closed without an answer");
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return Failure(ErrorKind::kConnectionDropped, text);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:  // also what curl says to a reply without a status line
      return Failure(ErrorKind::kMalformedResponse,
                     options.docker_hints ? "the answer is not HTTP (is this address a Docker Engine?)"
                                          : "the answer is not HTTP");
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
      return Failure(ErrorKind::kMalformedResponse, text);
    default:
      break;
  }
  if (IsTlsError(rc))
    return Failure(ErrorKind::kTls, options.docker_hints
                                        ? fmt::format("{} (check DOCKER_CERT_PATH and DOCKER_TLS_VERIFY)", text)
                                        : std::string(text));
  return Failure(ErrorKind::kUnreachable, text);
}

}  // namespace

struct HttpTransport::Easy {
  const CurlLibrary* lib = nullptr;  // null when libcurl could not be loaded
  std::string load_error;
  CURL* curl = nullptr;
  curl_slist* headers = nullptr;
  std::string url;
  char error[CURL_ERROR_SIZE] = {};

  ~Easy() {
    if (lib == nullptr) return;
    lib->slist_free_all(headers);
    if (curl) lib->easy_cleanup(curl);
  }

  // Everything but the method: target, limits, callbacks.
  void SetCommon(const Endpoint& endpoint, const ClientOptions& options, Exchange* x) {
    lib->easy_setopt(curl, CURLOPT_URL, url.c_str());
    lib->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    lib->easy_setopt(curl, CURLOPT_USERAGENT, "nest/" NEST_VERSION);
    lib->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts; threads are safe
    error[0] = '\0';
    lib->easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    lib->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    lib->easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
    lib->easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    lib->easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
    lib->easy_setopt(curl, CURLOPT_XFERINFODATA, x);
    lib->easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    lib->easy_setopt(curl, CURLOPT_HEADERDATA, x);
    lib->easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    lib->easy_setopt(curl, CURLOPT_WRITEDATA, x);
    if (endpoint.transport == Endpoint::Transport::kUnix)
      lib->easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, endpoint.socket_path.c_str());
    else
      lib->easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  }

  void SetTls(const Endpoint& endpoint) {
    if (!endpoint.ca_file.empty()) lib->easy_setopt(curl, CURLOPT_CAINFO, endpoint.ca_file.c_str());
    if (!endpoint.cert_file.empty()) {
      lib->easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
      lib->easy_setopt(curl, CURLOPT_SSLCERT, endpoint.cert_file.c_str());
      lib->easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
      lib->easy_setopt(curl, CURLOPT_SSLKEY, endpoint.key_file.c_str());
    }
    lib->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, endpoint.tls_verify ? 1L : 0L);
    lib->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, endpoint.tls_verify ? 2L : 0L);
  }

  void SetMethod(const HttpRequest& request) {
    lib->slist_free_all(headers);
    // An empty Expect: stops curl waiting for 100-continue on bodies > 1 KiB.
    headers = lib->slist_append(nullptr, "Expect:");
    // Without a body, "Content-Type:" stops curl adding its form-urlencoded
    // default, which the daemon's JSON check would reject.
    headers = lib->slist_append(headers, request.has_body ? "Content-Type: application/json"
                                                          : "Content-Type:");
    lib->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (request.method == "POST") {
      lib->easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      lib->easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    } else if (request.method == "HEAD") {
      lib->easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.method != "GET") {
      lib->easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  }
};

HttpTransport::HttpTransport(Endpoint endpoint, ClientOptions options)
    : endpoint_(std::move(endpoint)), options_(options), easy_(std::make_unique<Easy>()) {
  easy_->lib = LoadCurl(&easy_->load_error);
  if (easy_->lib != nullptr) easy_->curl = easy_->lib->easy_init();
}

HttpTransport::~HttpTransport() = default;

Result<HttpResponse> HttpTransport::Perform(const HttpRequest& request) {
  if (easy_->lib == nullptr) return Failure(ErrorKind::kUnreachable, easy_->load_error);
  const CurlLibrary& lib = *easy_->lib;
  CURL* curl = easy_->curl;
  if (!curl) return Failure(ErrorKind::kUnreachable, "libcurl could not create a handle");
  HttpResponse response;
  Exchange x{&response, &options_};
  // reset() keeps the open connection, so keep-alive still works.
  lib.easy_reset(curl);
  easy_->url = endpoint_.BaseUrl() + request.path;
  easy_->SetCommon(endpoint_, options_, &x);
  if (endpoint_.tls) easy_->SetTls(endpoint_);
  easy_->SetMethod(request);
  CURLcode rc = lib.easy_perform(curl);
  if (rc != CURLE_OK) return CurlFailure(rc, curl, x, easy_->error);
  long status = 0;
  lib.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace nest::engine
