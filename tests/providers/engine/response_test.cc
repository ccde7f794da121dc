#include "providers/engine/response.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nest::engine {
namespace {

EngineError Context() {
  EngineError context;
  context.doing = "inspecting service app";
  context.endpoint = "unix:///var/run/docker.sock";
  return context;
}

HttpResponse Answer(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

TEST(ResponseTest, SuccessParsesTheBody) {
  Result<nlohmann::json> r = InterpretResponse(Answer(200, R"({"ID":"abc"})"), Context());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()["ID"], "abc");
}

TEST(ResponseTest, EmptyBodiesAndNotModifiedAreNull) {
  for (int status : {200, 201, 204, 304}) {
    Result<nlohmann::json> r = InterpretResponse(Answer(status, status == 200 ? " \n" : ""),
                                                 Context());
    ASSERT_TRUE(r.ok()) << status;
    EXPECT_TRUE(r.value().is_null()) << status;
  }
}

TEST(ResponseTest, ErrorStatusCarriesTheDaemonMessage) {
  Result<nlohmann::json> r =
      InterpretResponse(Answer(409, "{\"message\":\"service app already exists\"}\n"), Context());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kHttp);
  EXPECT_EQ(r.error().http_status, 409);
  EXPECT_EQ(r.error().daemon_message, "service app already exists");
  EXPECT_EQ(r.error().doing, "inspecting service app");
  EXPECT_EQ(r.error().Describe(),
            "the Docker Engine answered 409 Conflict while inspecting service app: "
            "service app already exists");
}

TEST(ResponseTest, RedirectsAndOtherStatusesAreErrors) {
  Result<nlohmann::json> r = InterpretResponse(Answer(301, ""), Context());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().http_status, 301);
}

TEST(ResponseTest, DaemonMessageFromPlainTextOrOddJson) {
  EXPECT_EQ(DaemonMessage("client version 1.11 is too old\n"), "client version 1.11 is too old");
  EXPECT_EQ(DaemonMessage(R"({"message":42})"), "");
  EXPECT_EQ(DaemonMessage(R"(["message"])"), "");
  EXPECT_EQ(DaemonMessage(""), "");
  EXPECT_EQ(DaemonMessage("{\"message\":\"a\\nb\"}"), "a\nb");
}

TEST(ResponseTest, MalformedBodyNamesThePositionButQuotesNothing) {
  std::string body = R"({"Env":["DB_PASSWORD=hunter2"], oops)";
  Result<nlohmann::json> r = InterpretResponse(Answer(200, body), Context());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformedResponse);
  std::string line = r.error().Describe();
  EXPECT_NE(line.find("while inspecting service app"), std::string::npos) << line;
  EXPECT_NE(line.find("not valid JSON"), std::string::npos) << line;
  EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
  EXPECT_EQ(r.error().detail, "the body is not valid JSON (error at byte 33 of 36)");
  Result<nlohmann::json> cut = InterpretResponse(Answer(200, R"([{"ID":"a"},)"), Context());
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().detail, "the body is not valid JSON (it ends early, after 12 bytes)");
}

TEST(ResponseTest, NeverCrashesOnHostileBodies) {
  std::string deep(100000, '[');
  std::string bodies[] = {deep, deep + std::string(100000, ']'), std::string("\0\xFF\xFE", 3),
                          "\"\\ud800\"", "1e999999", "{\"a\":", "nul", "\xEF\xBB\xBF{}"};
  for (const std::string& body : bodies) {
    Result<nlohmann::json> r = InterpretResponse(Answer(200, body), Context());
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::kMalformedResponse);
    }
    Result<nlohmann::json> e = InterpretResponse(Answer(500, body), Context());
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().kind, ErrorKind::kHttp);
  }
}

}  // namespace
}  // namespace nest::engine
