// The stack lock's rules against the fake engine: staleness by the
// manager's clock (the lock and the engine in 2031, whatever this machine's
// clock says), a takeover that claims before it deletes, and nothing
// deleted when the claim loses the race. The real engine's cases are in
// stack_lock_engine_test.cc.
#include "providers/swarm/stack_lock.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fake_engine.h"

namespace nest::swarm {
namespace {

using nest::testing::FakeEngine;
using nest::testing::FakeReply;
using nlohmann::json;
using std::chrono::milliseconds;

json LockConfig() {
  return json::array({{{"ID", "lock1"},
                       {"Version", {{"Index", 7}}},
                       {"CreatedAt", "2031-01-01T00:00:00Z"},
                       {"UpdatedAt", "2031-01-01T00:00:00Z"},
                       {"Spec",
                        {{"Name", "nest-lock-shop"},
                         {"Labels",
                          {{"nest.lock.stack", "shop"},
                           {"nest.lock.holder", "aaaabbbbccccddddeeeeffff00001111"},
                           {"nest.lock.user", "alice"},
                           {"nest.lock.host", "laptop"},
                           {"nest.lock.pid", "4242"},
                           {"nest.lock.operation", "apply"},
                           {"nest.lock.started", "2031-01-01T00:00:00Z"},
                           {"nest.lock.lease-ms", "30000"}}}}}},
                      // The name filter is a prefix match: another stack's lock comes too.
                      {{"ID", "other"}, {"Version", {{"Index", 3}}}, {"UpdatedAt", "2031-01-01T00:00:00Z"},
                       {"Spec", {{"Name", "nest-lock-shop2"}, {"Labels", json::object()}}}}});
}

void ServeLocked(FakeEngine& fake, const std::string& manager_now) {
  fake.On("POST", "/configs/create", FakeReply::Error(409, "rpc error: code = AlreadyExists desc = config nest-lock-shop already exists"));
  fake.On("GET", "/configs", FakeReply::Json(200, LockConfig().dump()));
  fake.On("GET", "/info", FakeReply::Json(200, json({{"SystemTime", manager_now}}).dump()));
}

TEST(StackLockTest, ALiveLockIsRefusedWithItsHolderByTheManagersClock) {
  FakeEngine fake;
  ServeLocked(fake, "2031-01-01T00:00:10Z");
  engine::EngineClient client(fake.endpoint());
  AcquireResult result = AcquireStackLock(client, "shop");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, LockFailure::kHeld);
  ASSERT_TRUE(result.error->lock);
  EXPECT_EQ(result.error->lock->config_id, "lock1");
  EXPECT_EQ(result.error->lock->since_renewal, milliseconds(10000));
  EXPECT_EQ(result.error->message,
            "stack shop is locked: held by alice@laptop (pid 4242) for apply since 2031-01-01T00:00:00Z, renewed "
            "10.0s ago (lease 30s), lock ID aaaabbbbccccddddeeeeffff00001111. If that run is gone, the lock goes "
            "stale 30s after its last renewal, or remove it with `nest force-unlock "
            "aaaabbbbccccddddeeeeffff00001111`");
  for (const auto& request : fake.requests()) EXPECT_NE(request.method, "DELETE");
}

TEST(StackLockTest, AStaleLockIsClaimedWithItsVersionThenDeleted) {
  FakeEngine fake;
  ServeLocked(fake, "2031-01-01T00:00:31Z");
  fake.On("POST", "/configs/lock1/update", FakeReply::Json(200, ""));
  fake.On("DELETE", "/configs/lock1", FakeReply::Json(204, ""));
  engine::EngineClient client(fake.endpoint());
  // The fake's create keeps answering 409, so every attempt finds the lock
  // again and the call ends busy; what matters is the order of the writes.
  AcquireResult result = AcquireStackLock(client, "shop");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, LockFailure::kBusy);
  ASSERT_FALSE(result.warnings.empty());
  EXPECT_NE(result.warnings[0].find("took over the stale lock of stack shop: it was held by alice@laptop (pid 4242)"),
            std::string::npos)
      << result.warnings[0];
  std::vector<std::string> writes;
  for (const auto& request : fake.requests())
    if (request.method != "GET") writes.push_back(request.method + " " + request.target);
  ASSERT_GE(writes.size(), 3u);
  EXPECT_EQ(writes[0], "POST /v1.41/configs/create");
  EXPECT_EQ(writes[1], "POST /v1.41/configs/lock1/update?version=7");
  EXPECT_EQ(writes[2], "DELETE /v1.41/configs/lock1");
  json claim;
  for (const auto& request : fake.requests())
    if (request.target.find("/configs/lock1/update") != std::string::npos) claim = json::parse(request.body);
  EXPECT_EQ(claim["Name"], "nest-lock-shop");
  EXPECT_EQ(claim["Labels"]["nest.lock.released"], "true");
  EXPECT_NE(claim["Labels"]["nest.lock.holder"], "aaaabbbbccccddddeeeeffff00001111");
  EXPECT_FALSE(claim.contains("Data"));  // only labels may change
}

TEST(StackLockTest, ALostClaimDeletesNothing) {
  // The holder renewed between our read and our claim: out of sequence.
  FakeEngine fake;
  ServeLocked(fake, "2031-01-01T00:00:31Z");
  fake.On("POST", "/configs/lock1/update", FakeReply::Error(500, "rpc error: code = Unknown desc = update out of sequence"));
  engine::EngineClient client(fake.endpoint());
  AcquireResult result = AcquireStackLock(client, "shop");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, LockFailure::kBusy);
  EXPECT_TRUE(result.warnings.empty());
  for (const auto& request : fake.requests()) EXPECT_NE(request.method, "DELETE");
}

TEST(StackLockTest, TheHoldersLeaseDecidesNotTheCallers) {
  // Alice declared 30 s; a caller with a 5 s default must still wait for it.
  FakeEngine fake;
  ServeLocked(fake, "2031-01-01T00:00:10Z");
  engine::EngineClient client(fake.endpoint());
  LockOptions options;
  options.lease = milliseconds(5000);
  AcquireResult result = AcquireStackLock(client, "shop", options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, LockFailure::kHeld);
}

TEST(StackLockTest, EngineErrorsAreReportedAsSuch) {
  FakeEngine fake;
  fake.On("POST", "/configs/create", FakeReply::Error(503, "This node is not a swarm manager."));
  engine::EngineClient client(fake.endpoint());
  AcquireResult result = AcquireStackLock(client, "shop");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, LockFailure::kEngine);
  ASSERT_TRUE(result.error->engine);
  EXPECT_EQ(result.error->engine->http_status, 503);
  EXPECT_NE(result.error->message.find("taking the lock of stack shop"), std::string::npos) << result.error->message;
}

TEST(StackLockTest, LockNamesAreValidConfigNames) {
  EXPECT_EQ(LockConfigName("shop"), "nest-lock-shop");
  EXPECT_EQ(LockConfigName("media_nest.v2"), "nest-lock-media_nest.v2");
  EXPECT_EQ(LockConfigName(""), "");
  EXPECT_EQ(LockConfigName("shop-"), "");  // must end with a letter or digit
  EXPECT_EQ(LockConfigName("a b"), "");
  EXPECT_EQ(LockConfigName(std::string(54, 'x')), "nest-lock-" + std::string(54, 'x'));
  EXPECT_EQ(LockConfigName(std::string(55, 'x')), "");  // over 64 characters
  FakeEngine fake;
  engine::EngineClient client(fake.endpoint());
  AcquireResult result = AcquireStackLock(client, "bad name");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, LockFailure::kInvalid);
  EXPECT_TRUE(fake.requests().empty());
}

}  // namespace
}  // namespace nest::swarm
