// ReadStack against the fake engine: the exact requests it sends, and errors
// that say what nest was doing; answers of the wrong shape never crash it.
#include <set>

#include <gtest/gtest.h>

#include "providers/compose/read.h"
#include "providers/swarm/read.h"
#include "tests/support/fake_engine.h"

namespace nest::swarm {
namespace {

using nest::testing::FakeEngine;
using nest::testing::FakeReply;

void ServeEmptyStack(FakeEngine& fake) {
  fake.On("GET", "/swarm", FakeReply::Json(200, R"({"DefaultAddrPool":["10.0.0.0/8"],"SubnetSize":24})"));
  for (const char* route : {"/services", "/networks", "/secrets", "/configs", "/tasks", "/containers/json"}) {
    fake.On("GET", route, FakeReply::Json(200, "[]"));
  }
  fake.On("GET", "/volumes", FakeReply::Json(200, R"({"Volumes":null,"Warnings":null})"));
}

TEST(SwarmReadFakeTest, TwelveListingRequestsAndNothingElse) {
  FakeEngine fake;
  ServeEmptyStack(fake);
  fake.On("GET", "/services", FakeReply::Json(200, R"([{"ID":"s1","Version":{"Index":7},
    "Spec":{"Name":"shop_app","Labels":{"com.docker.stack.namespace":"shop","nest.address":"service.app"},
            "TaskTemplate":{"ContainerSpec":{"Image":"x:1"}}}}])"));
  engine::EngineClient client(fake.endpoint());
  SwarmProvider provider(client);
  auto state = provider.ReadLive("shop");
  ASSERT_TRUE(state.ok()) << state.error().Describe();
  ASSERT_EQ(state.value().resources.size(), 1u);
  EXPECT_EQ(state.value().resources[0].address, "service.app");
  const auto requests = fake.requests();
  ASSERT_GE(requests.size(), 2u);
  // /_ping and /swarm first on the caller's connection; the listings after
  // them come over three connections at once, in any order.
  EXPECT_EQ(requests[0].Route(), "/_ping");
  EXPECT_EQ(requests[1].Route(), "/swarm");
  std::multiset<std::string> routes;
  for (std::size_t i = 2; i < requests.size(); ++i) routes.insert(requests[i].method + " " + requests[i].Route());
  EXPECT_EQ(routes, (std::multiset<std::string>{"GET /services", "GET /services", "GET /networks", "GET /secrets",
                                                "GET /secrets", "GET /configs", "GET /configs", "GET /volumes",
                                                "GET /volumes", "GET /tasks", "GET /containers/json"}));
  int by_label = 0, by_name = 0, pings = 0;
  for (const auto& request : requests) {
    if (request.target.find("com.docker.stack.namespace%3Dshop") != std::string::npos) ++by_label;
    if (request.target.find("%22name%22%3A%5B%22shop_%22%5D") != std::string::npos) ++by_name;
    if (request.Route() == "/_ping") ++pings;
    EXPECT_EQ(request.target.rfind("/v1.41/", 0) == 0, request.Route() != "/_ping") << request.target;
  }
  EXPECT_EQ(by_label, 6);  // services, secrets, configs, volumes, tasks, containers
  EXPECT_EQ(by_name, 4);   // services, secrets, configs, volumes
  EXPECT_EQ(pings, 1);     // the extra connections reuse the negotiated version
  EXPECT_EQ(fake.connections_accepted(), 3);
}

TEST(SwarmReadFakeTest, ErrorsSayWhatNestWasDoing) {
  FakeEngine fake;
  ServeEmptyStack(fake);
  fake.On("GET", "/tasks", FakeReply::Error(500, "rpc error: code = Unknown desc = boom"));
  engine::EngineClient client(fake.endpoint());
  auto state = SwarmProvider(client).ReadLive("shop");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().http_status, 500);
  EXPECT_EQ(state.error().doing, "listing tasks of stack shop");
  EXPECT_NE(state.error().Describe().find("boom"), std::string::npos);
}

TEST(SwarmReadFakeTest, NotASwarmManager) {
  FakeEngine fake;
  ServeEmptyStack(fake);
  fake.On("GET", "/swarm", FakeReply::Error(503, "This node is not a swarm manager."));
  engine::EngineClient client(fake.endpoint());
  auto state = SwarmProvider(client).ReadLive("shop");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().http_status, 503);
  EXPECT_NE(state.error().Describe().find("swarm manager"), std::string::npos) << state.error().Describe();
}

TEST(SwarmReadFakeTest, AnswersOfTheWrongShapeDoNotCrash) {
  FakeEngine fake;
  ServeEmptyStack(fake);
  fake.On("GET", "/swarm", FakeReply::Json(200, "[]"));
  fake.On("GET", "/services", FakeReply::Json(200, R"({"unexpected":"object"})"));
  fake.On("GET", "/networks", FakeReply::Json(200, "null"));
  fake.On("GET", "/secrets", FakeReply::Json(200, R"([1, "two", null, {"Spec":5}])"));
  fake.On("GET", "/volumes", FakeReply::Json(200, "[]"));
  fake.On("GET", "/tasks", FakeReply::Json(200, R"("text")"));
  engine::EngineClient client(fake.endpoint());
  auto state = SwarmProvider(client).ReadLive("shop");
  ASSERT_TRUE(state.ok()) << state.error().Describe();
  EXPECT_TRUE(state.value().resources.empty());
}

TEST(ComposeReadFakeTest, ThreeRequestsFilteredByProject) {
  FakeEngine fake;
  ServeEmptyStack(fake);
  engine::EngineClient client(fake.endpoint());
  auto state = compose::ComposeProvider(client).ReadLive("Shop");
  ASSERT_TRUE(state.ok()) << state.error().Describe();
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 4u);  // /_ping first
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_NE(requests[i].target.find("com.docker.compose.project%3Dshop"), std::string::npos) << requests[i].target;
  }
}

}  // namespace
}  // namespace nest::swarm
