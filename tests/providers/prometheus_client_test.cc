// Reading the Prometheus HTTP API's answers, and the base URL. Real queries
// against a real Prometheus: metric_analysis_engine_test.cc.
#include "providers/prometheus_client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>

namespace nest::providers {
namespace {

TEST(PrometheusClientTest, AScalarIsOneValue) {
  QueryResult r = ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"0.25"]}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().values, std::vector<double>{0.25});
}

TEST(PrometheusClientTest, AVectorIsOneValuePerSeriesNaNAndInfinityKept) {
  QueryResult r = ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"job":"a"},"value":[1700000000,"1"]},
      {"metric":{"job":"b"},"value":[1700000000,"NaN"]},
      {"metric":{},"value":[1700000000,"+Inf"]}]}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r.value().values.size(), 3u);
  EXPECT_EQ(r.value().values[0], 1);
  EXPECT_TRUE(std::isnan(r.value().values[1]));
  EXPECT_TRUE(std::isinf(r.value().values[2]));
}

TEST(PrometheusClientTest, AnEmptyVectorIsNoValues) {
  QueryResult r = ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"vector","result":[]}})");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().values.empty());
}

TEST(PrometheusClientTest, ABadQueryIsTheQuerysFault) {
  QueryResult r = ParseQueryResponse(
      400, R"({"status":"error","errorType":"bad_data","error":"1:6: parse error: unexpected end of input"})");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().endpoint_error);
  EXPECT_EQ(r.error().message, "Prometheus refused the query: 1:6: parse error: unexpected end of input");
}

TEST(PrometheusClientTest, ARangeVectorIsTheQuerysFault) {
  QueryResult r = ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().endpoint_error);
  EXPECT_EQ(r.error().message, "the query returned a range vector; it must return a scalar or an instant vector");
}

TEST(PrometheusClientTest, TimeoutsServerErrorsAndNonJsonAreTheEndpointsFault) {
  QueryResult timeout = ParseQueryResponse(503, R"({"status":"error","errorType":"timeout","error":"query timed out"})");
  ASSERT_FALSE(timeout.ok());
  EXPECT_TRUE(timeout.error().endpoint_error);
  EXPECT_EQ(timeout.error().message, "Prometheus could not run the query (timeout): query timed out");

  QueryResult html = ParseQueryResponse(502, "<html>Bad Gateway</html>");
  ASSERT_FALSE(html.ok());
  EXPECT_TRUE(html.error().endpoint_error);
  EXPECT_EQ(html.error().message, "HTTP 502 Bad Gateway");

  QueryResult missing = ParseQueryResponse(404, "404 page not found");
  EXPECT_EQ(missing.error().message, "HTTP 404 Not Found (is this the Prometheus HTTP API's base URL?)");

  QueryResult strange = ParseQueryResponse(200, R"({"status":"success","data":{"resultType":"vector","result":[{"value":[1]}]}})");
  ASSERT_FALSE(strange.ok());
  EXPECT_TRUE(strange.error().endpoint_error);

  QueryResult odd_error = ParseQueryResponse(500, R"({"status":"error","errorType":7})");
  ASSERT_FALSE(odd_error.ok());
  EXPECT_EQ(odd_error.error().message, "Prometheus could not run the query (error): no reason given");
}

TEST(PrometheusClientTest, BaseUrlsMustBeHttpOrHttps) {
  EXPECT_EQ(PrometheusClient::Connect("prom:9090").error().message,
            "prometheus `prom:9090`: not an http:// or https:// URL");
  EXPECT_EQ(PrometheusClient::Connect("unix:///run/prom.sock").error().message,
            "prometheus `unix:///run/prom.sock`: not an http:// or https:// URL");
  EXPECT_EQ(PrometheusClient::Connect("").error().message, "no Prometheus URL: the analysis block has no `prometheus`");
  EXPECT_TRUE(PrometheusClient::Connect("http://127.0.0.1:9090").ok());
  EXPECT_TRUE(PrometheusClient::Connect("https://metrics.example.com/prometheus/").ok());
}

TEST(PrometheusClientTest, NothingListeningIsAnEndpointErrorWithoutDockerHints) {
  // Port 1 on loopback: nothing listens there, the connect is refused at once.
  auto client = PrometheusClient::Connect("http://127.0.0.1:1", std::chrono::seconds(2));
  ASSERT_TRUE(client.ok());
  QueryResult r = client.value().Query("up");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().endpoint_error);
  EXPECT_EQ(r.error().message, "cannot query http://127.0.0.1:1: connection refused");
}

TEST(PrometheusClientTest, AnEndpointThatNeverAnswersTimesOut) {
  // A listener that never accepts: the kernel completes the connect, the
  // request is sent, no answer ever comes.
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));

  auto client = PrometheusClient::Connect(url, std::chrono::milliseconds(1000));
  ASSERT_TRUE(client.ok());
  const auto start = std::chrono::steady_clock::now();
  QueryResult r = client.value().Query("up");
  const auto took = std::chrono::steady_clock::now() - start;
  close(listener);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().endpoint_error);
  EXPECT_EQ(r.error().message, "cannot query " + url + ": no complete answer within 1 s");
  EXPECT_LT(took, std::chrono::seconds(3));
}

}  // namespace
}  // namespace nest::providers
