#include "tests/support/fake_engine.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "providers/engine/error.h"

namespace nest::testing {
namespace {

[[noreturn]] void Fail(const char* what) {
  throw std::runtime_error(fmt::format("fake engine: {}: {}", what, std::strerror(errno)));
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Head(int status, const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string_view reason = engine::HttpReason(status);
  std::string head = fmt::format("HTTP/1.1 {} {}\r\nServer: Docker/20.10.24 (fake)\r\n", status,
                                 reason.empty() ? "Status" : reason);
  for (const auto& [name, value] : headers) head += fmt::format("{}: {}\r\n", name, value);
  return head;
}

// "GET /x HTTP/1.1\r\nA: b\r\n" -> the request without its body.
FakeRequest ParseHead(std::string_view head) {
  FakeRequest request;
  std::size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.find(' ', sp1 + 1);
  request.method = std::string(line.substr(0, sp1));
  request.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  while (line_end != std::string_view::npos && line_end + 2 < head.size()) {
    std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view header = head.substr(start, line_end - start);
    std::size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = header.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers[Lower(std::string(header.substr(0, colon)))] = std::string(value);
  }
  return request;
}

// A request line starts with an upper-case method; anything else (a TLS
// ClientHello starts with 0x16) is not HTTP and gets the connection closed.
bool LooksLikeHttp(std::string_view buffer) {
  return buffer.empty() || (buffer[0] >= 'A' && buffer[0] <= 'Z');
}

}  // namespace

std::string FakeRequest::Route() const {
  std::string_view path(target);
  path = path.substr(0, path.find('?'));
  // "/v1.41/services" -> "/services"
  if (path.size() > 2 && path[1] == 'v' && std::isdigit(static_cast<unsigned char>(path[2]))) {
    std::size_t slash = path.find('/', 1);
    path = slash == std::string_view::npos ? "/" : path.substr(slash);
  }
  return std::string(path);
}

FakeReply FakeReply::Json(int status, std::string body) {
  FakeReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.headers = {{"Content-Type", "application/json"}};
  return reply;
}

FakeReply FakeReply::Error(int status, const std::string& message) {
  return Json(status, fmt::format("{{\"message\":\"{}\"}}\n", message));
}

FakeReply FakeReply::Text(int status, std::string body) {
  FakeReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  return reply;
}

FakeReply FakeReply::Hang() {
  FakeReply reply;
  reply.kind = Kind::kHang;
  return reply;
}

FakeReply FakeReply::DropMidBody(std::string body, std::size_t sent) {
  FakeReply reply = Json(200, std::move(body));
  reply.kind = Kind::kDrop;
  reply.drop_after = sent;
  return reply;
}

FakeReply FakeReply::Close() {
  FakeReply reply;
  reply.kind = Kind::kClose;
  return reply;
}

FakeReply FakeReply::Chunked(int status, std::vector<std::string> chunks) {
  FakeReply reply = Json(status, "");
  reply.kind = Kind::kChunked;
  reply.chunks = std::move(chunks);
  return reply;
}

FakeReply FakeReply::Raw(std::string bytes) {
  FakeReply reply;
  reply.kind = Kind::kRaw;
  reply.body = std::move(bytes);
  return reply;
}

FakeReply FakeReply::Trickle(std::string body, std::chrono::milliseconds interval) {
  FakeReply reply = Json(200, std::move(body));
  reply.kind = Kind::kTrickle;
  reply.interval = interval;
  return reply;
}

struct FakeEngine::Connection {
  int fd = -1;
  std::string buffer;
  bool hung = false;  // answered with kHang: read and discard until the peer closes
  ~Connection() {
    if (fd >= 0) ::close(fd);
  }
};

FakeEngine::FakeEngine(Listen listen) : listen_(listen) {
  if (::pipe2(wake_, O_CLOEXEC) != 0) Fail("pipe");
  if (listen_ == Listen::kUnix) {
    char dir[] = "/tmp/nest-fake-engine-XXXXXX";
    if (!::mkdtemp(dir)) Fail("mkdtemp");
    dir_ = dir;
    socket_path_ = dir_ + "/docker.sock";
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path_.c_str());
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Fail("bind");
  } else {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Fail("bind");
    socklen_t length = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
  }
  if (::listen(listen_fd_, 16) != 0) Fail("listen");
  thread_ = std::thread([this] { Serve(); });
}

FakeEngine::~FakeEngine() {
  stopping_ = true;
  [[maybe_unused]] ssize_t n = ::write(wake_[1], "x", 1);
  thread_.join();
  connections_.clear();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
  if (!socket_path_.empty()) ::unlink(socket_path_.c_str());
  if (!dir_.empty()) ::rmdir(dir_.c_str());
}

void FakeEngine::On(const std::string& method, const std::string& route, FakeReply reply) {
  std::lock_guard lock(mu_);
  routes_.insert_or_assign({method, route}, std::move(reply));
}

void FakeEngine::set_api_version(std::string version) {
  std::lock_guard lock(mu_);
  api_version_ = std::move(version);
}

std::string FakeEngine::address() const {
  if (listen_ == Listen::kUnix) return "unix://" + socket_path_;
  return fmt::format("tcp://127.0.0.1:{}", port_);
}

engine::Endpoint FakeEngine::endpoint() const {
  engine::Endpoint endpoint;
  if (listen_ == Listen::kUnix) {
    endpoint.socket_path = socket_path_;
  } else {
    endpoint.transport = engine::Endpoint::Transport::kTcp;
    endpoint.host = "127.0.0.1";
    endpoint.port = port_;
  }
  return endpoint;
}

std::vector<FakeRequest> FakeEngine::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeEngine::Serve() {
  while (!stopping_) {
    std::vector<pollfd> fds = {{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const auto& connection : connections_) fds.push_back({connection->fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) return;
    std::vector<std::unique_ptr<Connection>> open;
    for (std::size_t i = 0; i < connections_.size(); ++i) {
      bool ready = fds[i + 2].revents != 0;
      if (!ready || ReadFrom(*connections_[i])) open.push_back(std::move(connections_[i]));
    }
    connections_ = std::move(open);
    if (fds[1].revents & POLLIN) AcceptOne();
  }
}

void FakeEngine::AcceptOne() {
  int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  ++accepted_;
  auto connection = std::make_unique<Connection>();
  connection->fd = fd;
  connections_.push_back(std::move(connection));
}

bool FakeEngine::ReadFrom(Connection& connection) {
  char buffer[65536];
  ssize_t n = ::recv(connection.fd, buffer, sizeof buffer, 0);
  if (n < 0 && errno == EINTR) return true;
  if (n <= 0) return false;
  if (connection.hung) return true;
  connection.buffer.append(buffer, static_cast<std::size_t>(n));
  return AnswerBuffered(connection);
}

bool FakeEngine::AnswerBuffered(Connection& connection) {
  std::string& buffer = connection.buffer;
  while (!connection.hung) {
    if (!LooksLikeHttp(buffer)) return false;
    std::size_t head_end = buffer.find("\r\n\r\n");
    if (head_end == std::string::npos) return true;
    FakeRequest request = ParseHead(std::string_view(buffer).substr(0, head_end + 2));
    std::size_t length = std::strtoul(request.headers["content-length"].c_str(), nullptr, 10);
    if (buffer.size() < head_end + 4 + length) return true;
    request.body = buffer.substr(head_end + 4, length);
    buffer.erase(0, head_end + 4 + length);
    FakeReply reply = ReplyFor(request);
    {
      std::lock_guard lock(mu_);
      requests_.push_back(std::move(request));
    }
    if (!Answer(connection, reply)) return false;
  }
  return true;
}

FakeReply FakeEngine::ReplyFor(const FakeRequest& request) {
  std::lock_guard lock(mu_);
  auto it = routes_.find({request.method, request.Route()});
  if (it != routes_.end()) return it->second;
  if (request.Route() == "/_ping") {
    FakeReply ping = FakeReply::Text(200, "OK");
    if (!api_version_.empty()) ping.headers.emplace_back("Api-Version", api_version_);
    return ping;
  }
  return FakeReply::Error(404, "page not found");
}

bool FakeEngine::Answer(Connection& connection, const FakeReply& reply) {
  using Kind = FakeReply::Kind;
  std::string head = Head(reply.status, reply.headers);
  switch (reply.kind) {
    case Kind::kRespond:
      return WriteAll(connection.fd, fmt::format("{}Content-Length: {}\r\n\r\n{}", head,
                                                 reply.body.size(), reply.body));
    case Kind::kHang:
      connection.hung = true;
      return true;
    case Kind::kDrop:
      WriteAll(connection.fd, fmt::format("{}Content-Length: {}\r\n\r\n{}", head,
                                          reply.body.size(),
                                          reply.body.substr(0, reply.drop_after)));
      return false;
    case Kind::kClose:
      return false;
    case Kind::kChunked: {
      std::string out = head + "Transfer-Encoding: chunked\r\n\r\n";
      for (const std::string& chunk : reply.chunks)
        out += fmt::format("{:x}\r\n{}\r\n", chunk.size(), chunk);
      return WriteAll(connection.fd, out + "0\r\n\r\n");
    }
    case Kind::kRaw:
      WriteAll(connection.fd, reply.body);
      return false;
    case Kind::kTrickle:
      return Trickle(connection.fd, reply);
  }
  return false;
}

// Blocks the server thread, which is fine: a test drives one client.
bool FakeEngine::Trickle(int fd, const FakeReply& reply) {
  std::string head = Head(reply.status, reply.headers);
  if (!WriteAll(fd, fmt::format("{}Content-Length: {}\r\n\r\n", head, reply.body.size())))
    return false;
  for (char c : reply.body) {
    std::this_thread::sleep_for(reply.interval);
    if (stopping_ || !WriteAll(fd, std::string_view(&c, 1))) return false;
  }
  return true;
}

}  // namespace nest::testing
