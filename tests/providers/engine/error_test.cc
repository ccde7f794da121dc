#include "providers/engine/error.h"

#include <gtest/gtest.h>

namespace nest::engine {
namespace {

EngineError Make(ErrorKind kind, std::string detail) {
  EngineError e;
  e.kind = kind;
  e.endpoint = "unix:///var/run/docker.sock";
  e.doing = "listing services of stack medianest";
  e.detail = std::move(detail);
  return e;
}

TEST(EngineErrorTest, UnreachableNamesEndpointDoingAndCause) {
  EXPECT_EQ(Make(ErrorKind::kUnreachable, "connection refused (is dockerd running?)").Describe(),
            "cannot reach the Docker Engine at unix:///var/run/docker.sock while listing "
            "services of stack medianest: connection refused (is dockerd running?)");
}

TEST(EngineErrorTest, HttpQuotesStatusReasonAndDaemonMessage) {
  EngineError e = Make(ErrorKind::kHttp, "");
  e.http_status = 500;
  e.doing = "inspecting service x";
  e.daemon_message = "rpc error: code = Unknown desc = update out of sequence";
  EXPECT_EQ(e.Describe(),
            "the Docker Engine answered 500 Internal Server Error while inspecting service x: "
            "rpc error: code = Unknown desc = update out of sequence");
}

TEST(EngineErrorTest, HttpWithoutMessageOrKnownReason) {
  EngineError e = Make(ErrorKind::kHttp, "");
  e.http_status = 418;
  e.doing = "";
  EXPECT_EQ(e.Describe(), "the Docker Engine answered HTTP 418");
}

TEST(EngineErrorTest, EveryKindHasItsOwnWording) {
  EXPECT_EQ(Make(ErrorKind::kTimeout, "no complete answer within 30 s").Describe(),
            "the Docker Engine at unix:///var/run/docker.sock did not answer in time while "
            "listing services of stack medianest: no complete answer within 30 s");
  EXPECT_EQ(Make(ErrorKind::kMalformedResponse, "bad").Describe(),
            "the Docker Engine at unix:///var/run/docker.sock sent a malformed response while "
            "listing services of stack medianest: bad");
  EXPECT_EQ(Make(ErrorKind::kConnectionDropped, "gone").Describe(),
            "the Docker Engine at unix:///var/run/docker.sock dropped the connection while "
            "listing services of stack medianest: gone");
  EXPECT_EQ(Make(ErrorKind::kTls, "bad cert").Describe(),
            "TLS with the Docker Engine at unix:///var/run/docker.sock failed while listing "
            "services of stack medianest: bad cert");
  EXPECT_EQ(Make(ErrorKind::kUnsupportedVersion, "it speaks API 1.24").Describe(),
            "the Docker Engine at unix:///var/run/docker.sock is too old while listing "
            "services of stack medianest: it speaks API 1.24");
  EngineError bad = Make(ErrorKind::kBadEndpoint, "ssh:// endpoints are not supported");
  bad.doing.clear();
  bad.endpoint = "ssh://me@host";
  EXPECT_EQ(bad.Describe(),
            "cannot use the Docker endpoint ssh://me@host: ssh:// endpoints are not supported");
}

TEST(EngineErrorTest, DescriptionIsOneLineAndBounded) {
  EngineError e = Make(ErrorKind::kHttp, "");
  e.http_status = 400;
  e.daemon_message = "first line\r\n  second\tline\n";
  EXPECT_EQ(e.Describe(),
            "the Docker Engine answered 400 Bad Request while listing services of stack "
            "medianest: first line second line");
  e.daemon_message = std::string(5000, 'x');
  std::string line = e.Describe();
  EXPECT_LT(line.size(), 600u);
  EXPECT_TRUE(line.ends_with("..."));
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(EngineErrorTest, KindNamesAndReasons) {
  EXPECT_STREQ(KindName(ErrorKind::kUnreachable), "unreachable");
  EXPECT_STREQ(KindName(ErrorKind::kMalformedResponse), "malformed_response");
  EXPECT_STREQ(KindName(ErrorKind::kConnectionDropped), "connection_dropped");
  EXPECT_EQ(HttpReason(404), "Not Found");
  EXPECT_EQ(HttpReason(409), "Conflict");
  EXPECT_EQ(HttpReason(501), "Not Implemented");
  EXPECT_EQ(HttpReason(299), "");
}

}  // namespace
}  // namespace nest::engine
