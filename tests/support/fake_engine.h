// A fake Docker Engine for tests: a tiny HTTP/1.1 server on a unix socket in
// a fresh temp folder (or on 127.0.0.1 with an ephemeral port), run in its
// own thread and scripted per test with routes. It serves the faults a real
// daemon can show — error statuses, hangs, dropped connections, malformed and
// chunked bodies — so the client's handling of each is tested in
// milliseconds. The destructor stops the thread, closes every connection and
// removes the temp folder.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "providers/engine/endpoint.h"

namespace nest::testing {

struct FakeRequest {
  std::string method;
  std::string target;                          // "/v1.41/services?filters=..."
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The target without its query and without a leading /vX.Y: "/services".
  std::string Route() const;
};

// What the fake does with one request.
struct FakeReply {
  enum class Kind {
    kRespond,   // a complete response, connection kept alive
    kHang,      // read the request, never answer
    kDrop,      // headers promising `body`, `drop_after` bytes of it, then close
    kClose,     // close without a byte
    kChunked,   // Transfer-Encoding: chunked, one chunk per entry of `chunks`
    kRaw,       // `body` written as-is, then close
    kTrickle,   // headers, then the body one byte per `interval`
  };

  Kind kind = Kind::kRespond;
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> chunks;
  std::size_t drop_after = 0;
  std::chrono::milliseconds interval{0};

  static FakeReply Json(int status, std::string body);
  // {"message": message}, as the daemon words its errors.
  static FakeReply Error(int status, const std::string& message);
  static FakeReply Text(int status, std::string body);
  static FakeReply Hang();
  static FakeReply DropMidBody(std::string body, std::size_t sent);
  static FakeReply Close();
  static FakeReply Chunked(int status, std::vector<std::string> chunks);
  static FakeReply Raw(std::string bytes);
  static FakeReply Trickle(std::string body, std::chrono::milliseconds interval);
};

class FakeEngine {
 public:
  enum class Listen { kUnix, kTcp };

  // Starts listening and serving at once. GET /_ping answers 200 "OK" with
  // API-Version 1.41 unless a route for it is set.
  explicit FakeEngine(Listen listen = Listen::kUnix);
  ~FakeEngine();
  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  // Answers `method` requests whose Route() is `route` with `reply`, every
  // time. A later call for the same method and route replaces the reply.
  void On(const std::string& method, const std::string& route, FakeReply reply);
  // The API-Version header of the default /_ping answer; "" sends none.
  void set_api_version(std::string version);

  // "unix:///tmp/nest-fake-engine-XXXXXX/docker.sock" or "tcp://127.0.0.1:PORT".
  std::string address() const;
  engine::Endpoint endpoint() const;
  // Every request received so far, in order.
  std::vector<FakeRequest> requests() const;
  int connections_accepted() const { return accepted_.load(); }

 private:
  struct Connection;

  void Serve();
  void AcceptOne();
  // Reads what is available; false when the connection is done with.
  bool ReadFrom(Connection& connection);
  // Answers every complete request in the buffer; false to close.
  bool AnswerBuffered(Connection& connection);
  bool Answer(Connection& connection, const FakeReply& reply);
  FakeReply ReplyFor(const FakeRequest& request);
  bool Trickle(int fd, const FakeReply& reply);

  Listen listen_;
  std::string dir_;
  std::string socket_path_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};

  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, FakeReply> routes_;
  std::string api_version_ = "1.41";
  std::vector<FakeRequest> requests_;

  std::vector<std::unique_ptr<Connection>> connections_;  // the server thread's only
  std::thread thread_;
};

}  // namespace nest::testing
