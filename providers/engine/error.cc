#include "providers/engine/error.h"

#include <algorithm>

#include <fmt/format.h>

namespace nest::engine {
namespace {

// Daemon messages and curl texts may span lines or be pages of HTML; the
// description must stay one readable line.
constexpr std::size_t kMaxPartLength = 400;

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxPartLength + 3));
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (out.size() >= kMaxPartLength) {
      out += "...";
      return out;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// " while listing services", or nothing when the caller said nothing.
std::string While(const EngineError& e) {
  return e.doing.empty() ? std::string() : " while " + OneLine(e.doing);
}

// ": connection refused", or nothing.
std::string Because(std::string_view detail) {
  std::string line = OneLine(detail);
  return line.empty() ? line : ": " + line;
}

std::string DescribeHttp(const EngineError& e) {
  std::string_view reason = HttpReason(e.http_status);
  std::string status = reason.empty() ? fmt::format("HTTP {}", e.http_status)
                                      : fmt::format("{} {}", e.http_status, reason);
  std::string cause = e.daemon_message.empty() ? e.detail : e.daemon_message;
  return fmt::format("the Docker Engine answered {}{}{}", status, While(e), Because(cause));
}

}  // namespace

const char* KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUnreachable: return "unreachable";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kHttp: return "http";
    case ErrorKind::kMalformedResponse: return "malformed_response";
    case ErrorKind::kConnectionDropped: return "connection_dropped";
    case ErrorKind::kTls: return "tls";
    case ErrorKind::kBadEndpoint: return "bad_endpoint";
    case ErrorKind::kUnsupportedVersion: return "unsupported_version";
  }
  return "unknown";
}

std::string EngineError::Describe() const {
  const std::string at = OneLine(endpoint);
  switch (kind) {
    case ErrorKind::kUnreachable:
      return fmt::format("cannot reach the Docker Engine at {}{}{}", at, While(*this),
                         Because(detail));
    case ErrorKind::kTimeout:
      return fmt::format("the Docker Engine at {} did not answer in time{}{}", at, While(*this),
                         Because(detail));
    case ErrorKind::kHttp:
      return DescribeHttp(*this);
    case ErrorKind::kMalformedResponse:
      return fmt::format("the Docker Engine at {} sent a malformed response{}{}", at,
                         While(*this), Because(detail));
    case ErrorKind::kConnectionDropped:
      return fmt::format("the Docker Engine at {} dropped the connection{}{}", at, While(*this),
                         Because(detail));
    case ErrorKind::kTls:
      return fmt::format("TLS with the Docker Engine at {} failed{}{}", at, While(*this),
                         Because(detail));
    case ErrorKind::kBadEndpoint:
      return fmt::format("cannot use the Docker endpoint {}{}{}", at, While(*this),
                         Because(detail));
    case ErrorKind::kUnsupportedVersion:
      return fmt::format("the Docker Engine at {} is too old{}{}", at, While(*this),
                         Because(detail));
  }
  return "unknown Docker Engine error";
}

std::string_view HttpReason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

}  // namespace nest::engine
