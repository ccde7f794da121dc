// EngineClient against the fake Engine server: the happy paths, then every
// fault the daemon can show. Timeouts are shortened so the file runs in a
// few seconds.
#include "providers/engine/client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/engine/query.h"
#include "tests/support/fake_engine.h"

namespace nest::engine {
namespace {

using namespace std::chrono_literals;
using nest::testing::FakeEngine;
using nest::testing::FakeReply;
using Clock = std::chrono::steady_clock;

ClientOptions Quick() {
  ClientOptions options;
  options.connect_timeout = 1000ms;
  options.request_timeout = 2000ms;
  options.idle_timeout = 0ms;
  return options;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// --- The happy path -------------------------------------------------------

TEST(EngineClientTest, NegotiatesThenPrefixesEveryPath) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::Json(200, R"([{"ID":"s1"}])"));
  EngineClient client(engine.endpoint(), Quick());
  std::string path = "/services?" + LabelFilter({"com.docker.stack.namespace=medianest"});
  Result<nlohmann::json> r = client.Get(path, "listing services of stack medianest");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r.value()[0]["ID"], "s1");
  std::vector<nest::testing::FakeRequest> seen = engine.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/_ping");
  EXPECT_EQ(seen[1].target, "/v1.41" + path);
  EXPECT_EQ(client.api_version(), (ApiVersion{1, 41}));
  EXPECT_EQ(client.request_count(), 2u);
}

TEST(EngineClientTest, NegotiatesOnceAndReusesTheConnection) {
  FakeEngine engine;
  engine.On("GET", "/info", FakeReply::Json(200, "{}"));
  EngineClient client(engine.endpoint(), Quick());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Get("/info", "reading engine info").ok());
  EXPECT_EQ(client.request_count(), 4u);
  EXPECT_EQ(engine.connections_accepted(), 1);
}

TEST(EngineClientTest, SpeaksTheLowerOfDaemonAndNestVersions) {
  FakeEngine older;
  older.set_api_version("1.40");
  older.On("GET", "/version", FakeReply::Json(200, "{}"));
  EngineClient a(older.endpoint(), Quick());
  ASSERT_TRUE(a.Get("/version", "reading the version").ok());
  EXPECT_EQ(older.requests().back().target, "/v1.40/version");

  FakeEngine newer;
  newer.set_api_version("1.50");
  newer.On("GET", "/version", FakeReply::Json(200, "{}"));
  EngineClient b(newer.endpoint(), Quick());
  ASSERT_TRUE(b.Get("/version", "reading the version").ok());
  EXPECT_EQ(newer.requests().back().target, "/v1.41/version");
}

TEST(EngineClientTest, RefusesADaemonOlderThanNestNeeds) {
  FakeEngine engine;
  engine.set_api_version("1.29");
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnsupportedVersion);
  EXPECT_NE(r.error().Describe().find("it speaks API 1.29; nest needs 1.30 or newer"),
            std::string::npos);
  EXPECT_EQ(engine.requests().size(), 1u);  // nothing after the ping
}

TEST(EngineClientTest, PingWithoutVersionHeaderMeans124) {
  FakeEngine engine;
  engine.set_api_version("");
  EngineClient client(engine.endpoint(), Quick());
  Result<ApiVersion> v = client.Negotiate();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::kUnsupportedVersion);
  EXPECT_NE(v.error().detail.find("1.24"), std::string::npos);
}

TEST(EngineClientTest, PingWithAGarbageVersionIsMalformed) {
  FakeEngine engine;
  engine.set_api_version("banana");
  EngineClient client(engine.endpoint(), Quick());
  Result<ApiVersion> v = client.Negotiate("checking the engine");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(v.error().doing, "checking the engine");
}

TEST(EngineClientTest, PingAnswering500WithoutVersionIsAnHttpError) {
  FakeEngine engine;
  engine.On("GET", "/_ping", FakeReply::Error(500, "daemon is shutting down"));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kHttp);
  EXPECT_EQ(r.error().Describe(), "the Docker Engine answered 500 Internal Server Error while "
                                  "reading engine info: daemon is shutting down");
}

TEST(EngineClientTest, PinnedVersionSkipsThePing) {
  FakeEngine engine;
  engine.On("GET", "/info", FakeReply::Json(200, "{}"));
  Endpoint endpoint = engine.endpoint();
  endpoint.pinned_version = ApiVersion{1, 40};
  EngineClient client(endpoint, Quick());
  ASSERT_TRUE(client.Get("/info", "reading engine info").ok());
  ASSERT_EQ(engine.requests().size(), 1u);
  EXPECT_EQ(engine.requests()[0].target, "/v1.40/info");
}

TEST(EngineClientTest, PostSendsJsonAndReturnsTheCreatedId) {
  FakeEngine engine;
  engine.On("POST", "/services/create", FakeReply::Json(201, R"({"ID":"new1"})"));
  EngineClient client(engine.endpoint(), Quick());
  nlohmann::json spec = {{"Name", "medianest_app"}, {"Labels", {{"a", "b"}}}};
  spec["Pad"] = std::string(4096, 'x');  // over 1 KiB: no Expect: 100-continue round trip
  Result<nlohmann::json> r = client.Post("/services/create", spec, "creating service app");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r.value()["ID"], "new1");
  nest::testing::FakeRequest sent = engine.requests().back();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.headers["content-type"], "application/json");
  EXPECT_EQ(sent.headers.count("expect"), 0u);
  EXPECT_EQ(nlohmann::json::parse(sent.body), spec);
}

TEST(EngineClientTest, PostWithNullBodySendsNothing) {
  FakeEngine engine;
  engine.On("POST", "/containers/c1/start", FakeReply::Json(204, ""));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Post("/containers/c1/start", nullptr, "starting c1");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_TRUE(r.value().is_null());
  EXPECT_EQ(engine.requests().back().body, "");
  EXPECT_EQ(engine.requests().back().headers.count("content-type"), 0u);
}

TEST(EngineClientTest, DeleteSendsDelete) {
  FakeEngine engine;
  engine.On("DELETE", "/services/app", FakeReply::Json(200, ""));
  EngineClient client(engine.endpoint(), Quick());
  ASSERT_TRUE(client.Delete("/services/app", "removing service app").ok());
  EXPECT_EQ(engine.requests().back().method, "DELETE");
  EXPECT_EQ(engine.requests().back().target, "/v1.41/services/app");
}

TEST(EngineClientTest, ChunkedBodiesAreReassembled) {
  FakeEngine engine;
  engine.On("GET", "/services",
            FakeReply::Chunked(200, {"[{\"I", "D\":\"s", "1\"},", "{\"ID\":\"s2\"}]"}));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r.value().size(), 2u);
  EXPECT_EQ(r.value()[1]["ID"], "s2");
}

TEST(EngineClientTest, WorksOverTcp) {
  FakeEngine engine(FakeEngine::Listen::kTcp);
  engine.On("GET", "/info", FakeReply::Json(200, R"({"ID":"x"})"));
  Result<Endpoint> endpoint = ResolveEndpoint({{"DOCKER_HOST", engine.address()}});
  ASSERT_TRUE(endpoint.ok());
  EngineClient client(endpoint.value(), Quick());
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r.value()["ID"], "x");
}

// --- Answers that are errors ----------------------------------------------

TEST(EngineClientTest, ErrorStatusCarriesStatusMessageDoingAndEndpoint) {
  FakeEngine engine;
  engine.On("GET", "/services/x",
            FakeReply::Error(500, "rpc error: code = Unknown desc = update out of sequence"));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/services/x", "inspecting service x");
  ASSERT_FALSE(r.ok());
  const EngineError& e = r.error();
  EXPECT_EQ(e.kind, ErrorKind::kHttp);
  EXPECT_EQ(e.http_status, 500);
  EXPECT_EQ(e.daemon_message, "rpc error: code = Unknown desc = update out of sequence");
  EXPECT_EQ(e.doing, "inspecting service x");
  EXPECT_EQ(e.endpoint, engine.address());
  EXPECT_EQ(e.Describe(), "the Docker Engine answered 500 Internal Server Error while "
                          "inspecting service x: rpc error: code = Unknown desc = update out "
                          "of sequence");
}

TEST(EngineClientTest, UnknownPathIs404WithTheDaemonsWords) {
  FakeEngine engine;
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/nope", "probing");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().http_status, 404);
  EXPECT_EQ(r.error().daemon_message, "page not found");
}

TEST(EngineClientTest, PlainTextErrorBodyBecomesTheMessage) {
  FakeEngine engine;
  engine.On("GET", "/info", FakeReply::Text(400, "client version 1.11 is too old\n"));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().daemon_message, "client version 1.11 is too old");
}

TEST(EngineClientTest, MalformedJsonIsReportedWithWhatWasBeingDone) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::Json(200, R"([{"ID":"s1", "Env":["PW=hunter2")"));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/services", "listing services of stack medianest");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformedResponse);
  std::string line = r.error().Describe();
  EXPECT_NE(line.find("while listing services of stack medianest"), std::string::npos) << line;
  EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
}

TEST(EngineClientTest, OversizedBodyIsRefused) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::Json(200, "[" + std::string(300000, ' ') + "]"));
  ClientOptions options = Quick();
  options.max_body_bytes = 100000;
  EngineClient client(engine.endpoint(), options);
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_NE(r.error().detail.find("larger than"), std::string::npos);
}

TEST(EngineClientTest, NonHttpAnswerIsMalformed) {
  FakeEngine engine;
  engine.On("GET", "/info", FakeReply::Raw("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformedResponse) << r.error().Describe();
  EXPECT_EQ(r.error().detail, "the answer is not HTTP (is this address a Docker Engine?)");
}

// --- Faults of the connection -------------------------------------------

TEST(EngineClientTest, DaemonThatHangsTimesOut) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::Hang());
  ClientOptions options = Quick();
  options.request_timeout = 500ms;
  EngineClient client(engine.endpoint(), options);
  Clock::time_point start = Clock::now();
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  double took = SecondsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTimeout);
  EXPECT_EQ(r.error().Describe(),
            "the Docker Engine at " + engine.address() +
                " did not answer in time while listing services: no complete answer within 0.5 s");
  EXPECT_LT(took, 1.5);
}

TEST(EngineClientTest, IdleGuardFiresBeforeTheRequestTimeout) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::Hang());
  ClientOptions options = Quick();
  options.request_timeout = 10000ms;
  options.idle_timeout = 300ms;
  EngineClient client(engine.endpoint(), options);
  Clock::time_point start = Clock::now();
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  double took = SecondsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTimeout);
  EXPECT_NE(r.error().detail.find("nothing received for 0.3 s"), std::string::npos)
      << r.error().detail;
  EXPECT_LT(took, 2.5);  // the guard is checked about once a second
}

TEST(EngineClientTest, SlowButSteadyAnswerIsNotIdle) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::Trickle("[1,2,3,4,5]", 100ms));
  ClientOptions options = Quick();
  options.request_timeout = 5000ms;  // ~1.1 s of trickle, with room for a loaded machine
  options.idle_timeout = 700ms;
  EngineClient client(engine.endpoint(), options);
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r.value().size(), 5u);
}

TEST(EngineClientTest, ClientRecoversAfterATimeout) {
  FakeEngine engine;
  engine.On("GET", "/slow", FakeReply::Hang());
  engine.On("GET", "/info", FakeReply::Json(200, "{}"));
  ClientOptions options = Quick();
  options.request_timeout = 300ms;
  EngineClient client(engine.endpoint(), options);
  ASSERT_FALSE(client.Get("/slow", "waiting").ok());
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  EXPECT_TRUE(r.ok()) << r.error().Describe();
}

TEST(EngineClientTest, ConnectionDroppedMidResponse) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::DropMidBody(R"([{"ID":"s1"},{"ID":"s2"}])", 8));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConnectionDropped) << r.error().Describe();
  EXPECT_TRUE(r.error().Describe().starts_with("the Docker Engine at " + engine.address() +
                                               " dropped the connection while listing services"))
      << r.error().Describe();
}

TEST(EngineClientTest, ConnectionClosedWithoutAnAnswer) {
  FakeEngine engine;
  engine.On("GET", "/services", FakeReply::Close());
  engine.On("GET", "/info", FakeReply::Json(200, "{}"));
  EngineClient client(engine.endpoint(), Quick());
  Result<nlohmann::json> r = client.Get("/services", "listing services");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConnectionDropped) << r.error().Describe();
  EXPECT_EQ(r.error().detail, "the connection closed without an answer");
  // A fresh connection works again.
  EXPECT_TRUE(client.Get("/info", "reading engine info").ok());
}

TEST(EngineClientTest, TlsToAPlainHttpDaemonIsATlsError) {
  FakeEngine engine(FakeEngine::Listen::kTcp);
  Endpoint endpoint = engine.endpoint();
  endpoint.tls = true;
  endpoint.tls_verify = false;
  EngineClient client(endpoint, Quick());
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTls) << r.error().Describe();
}

TEST(EngineClientTest, MissingCaFileIsATlsError) {
  FakeEngine engine(FakeEngine::Listen::kTcp);
  Endpoint endpoint = engine.endpoint();
  endpoint.tls = true;
  endpoint.tls_verify = true;
  endpoint.ca_file = "/nonexistent/ca.pem";
  EngineClient client(endpoint, Quick());
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTls) << r.error().Describe();
  EXPECT_NE(r.error().detail.find("DOCKER_CERT_PATH"), std::string::npos);
}

// --- A dead daemon, with the default timeouts ----------------------------

// Fails fast enough and says where it looked, with the default options.
void ExpectUnreachableWithin5s(const Endpoint& endpoint, const std::string& cause) {
  EngineClient client(endpoint);
  Clock::time_point start = Clock::now();
  Result<nlohmann::json> r = client.Get("/services", "listing services of stack medianest");
  double took = SecondsSince(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnreachable) << r.error().Describe();
  EXPECT_EQ(r.error().Describe(), "cannot reach the Docker Engine at " + endpoint.Display() +
                                      " while listing services of stack medianest: " + cause);
  EXPECT_LT(took, 5.0);
  std::printf("[ time-to-fail ] %s: %.3f s\n", endpoint.Display().c_str(), took);
}

TEST(EngineClientTest, DeadDaemonNoSocketFile) {
  Endpoint endpoint;
  endpoint.socket_path = "/tmp/nest-no-such-dir-" + std::to_string(::getpid()) + "/docker.sock";
  ExpectUnreachableWithin5s(endpoint, "no such socket file (is dockerd running?)");
}

TEST(EngineClientTest, DeadDaemonStaleSocketFile) {
  // A socket file left behind by a daemon that died: bound, never listening.
  char dir[] = "/tmp/nest-stale-sock-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/docker.sock";
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
  Endpoint endpoint;
  endpoint.socket_path = path;
  ExpectUnreachableWithin5s(endpoint, "connection refused (is dockerd running?)");
  std::filesystem::remove_all(dir);
}

TEST(EngineClientTest, DeadDaemonClosedTcpPort) {
  // Bind an ephemeral port, then close it: nothing listens there now.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  Result<Endpoint> endpoint =
      ResolveEndpoint({{"DOCKER_HOST", "tcp://127.0.0.1:" + std::to_string(port)}});
  ASSERT_TRUE(endpoint.ok());
  ExpectUnreachableWithin5s(endpoint.value(), "connection refused (is dockerd running?)");
}

TEST(EngineClientTest, DaemonThatNeverAcceptsHitsTheConnectTimeout) {
  // A listener whose backlog is full: the kernel drops further SYNs, so a
  // connect neither succeeds nor fails — as with a firewalled host.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t length = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &length);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(filler);
  }
  Endpoint endpoint;
  endpoint.transport = Endpoint::Transport::kTcp;
  endpoint.host = "127.0.0.1";
  endpoint.port = ntohs(addr.sin_port);
  ClientOptions options = Quick();
  options.connect_timeout = 400ms;
  EngineClient client(endpoint, options);
  Clock::time_point start = Clock::now();
  Result<nlohmann::json> r = client.Get("/info", "reading engine info");
  double took = SecondsSince(start);
  for (int filler : fillers) ::close(filler);
  ::close(listener);
  ASSERT_FALSE(r.ok());
  if (r.error().detail.starts_with("connection refused"))
    GTEST_SKIP() << "this kernel refuses connections to a full backlog instead of dropping them";
  EXPECT_EQ(r.error().kind, ErrorKind::kUnreachable) << r.error().Describe();
  EXPECT_EQ(r.error().detail, "no connection within 0.4 s");
  EXPECT_LT(took, 1.5);
}

TEST(EngineClientTest, CountsEveryRequestIncludingFailures) {
  std::uint64_t before = EngineClient::TotalRequestCount();
  Endpoint endpoint;
  endpoint.socket_path = "/tmp/nest-no-such-dir/docker.sock";
  EngineClient client(endpoint, Quick());
  ASSERT_FALSE(client.Get("/info", "reading engine info").ok());
  ASSERT_FALSE(client.Get("/info", "reading engine info").ok());
  EXPECT_EQ(client.request_count(), 2u);  // two pings, nothing after them
  EXPECT_EQ(EngineClient::TotalRequestCount() - before, 2u);
}

}  // namespace
}  // namespace nest::engine
