// `nest apply` against a daemon that fails mid-apply (the fake engine answers
// the plan and the lock, then 500 to the service's create, or drops the
// connection) and against no daemon at all: the built binary exits 1 within
// seconds, naming the step and the engine's words, and releases its lock.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "test_paths.h"
#include "tests/support/fake_engine.h"
#include "tests/support/run_command.h"

namespace nest {
namespace {

using nest::testing::FakeEngine;
using nest::testing::FakeReply;
using std::chrono::milliseconds;

constexpr const char* kSource = R"(stack "shop" {}

service "web" {
  image    = "nest-test/busybox:1"
  replicas = 1
}
)";

constexpr const char* kLockConfig = R"({"ID":"lock1","Version":{"Index":11},
  "CreatedAt":"2031-01-01T00:00:00Z","UpdatedAt":"2031-01-01T00:00:00Z",
  "Spec":{"Name":"nest-lock-shop","Labels":{"nest.lock.stack":"shop"}}})";

// An empty swarm stack, and the lock's create, reads, renewals and release.
// A service that names no network gets the stack's default one, so the plan
// is two creates: network.default, then service.web.
void ServeEmptyStackAndLock(FakeEngine& fake) {
  fake.On("GET", "/swarm", FakeReply::Json(200, R"({"DefaultAddrPool":["10.0.0.0/8"],"SubnetSize":24})"));
  for (const char* route : {"/services", "/networks", "/secrets", "/configs", "/tasks", "/containers/json", "/nodes"}) {
    fake.On("GET", route, FakeReply::Json(200, "[]"));
  }
  fake.On("GET", "/volumes", FakeReply::Json(200, R"({"Volumes":null,"Warnings":null})"));
  fake.On("GET", "/info", FakeReply::Json(200, R"({"SystemTime":"2031-01-01T00:00:01Z"})"));
  fake.On("POST", "/configs/create", FakeReply::Json(201, R"({"ID":"lock1"})"));
  fake.On("GET", "/configs/lock1", FakeReply::Json(200, kLockConfig));
  fake.On("POST", "/configs/lock1/update", FakeReply::Json(200, ""));
  fake.On("DELETE", "/configs/lock1", FakeReply::Json(200, ""));
  fake.On("POST", "/networks/create", FakeReply::Json(201, R"({"Id":"net1","Warning":""})"));
}

struct Timed {
  testing::CommandResult result;
  milliseconds took{0};
};

Timed NestApply(const testing::TempDir& dir, const std::string& docker_host) {
  auto started = std::chrono::steady_clock::now();
  Timed timed;
  timed.result = testing::RunCommand("cd '" + dir.path() + "' && DOCKER_HOST='" + docker_host +
                                     "' NEST_LOCK_LEASE_MS=3000 '" NEST_BINARY "' apply src --auto-approve");
  timed.took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  return timed;
}

int Count(const FakeEngine& fake, const std::string& method, const std::string& route) {
  int count = 0;
  for (const auto& request : fake.requests()) count += request.method == method && request.Route() == route;
  return count;
}

class ApplyFakeEngineTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_.Write("src/stack.nest", kSource); }
  testing::TempDir dir_;
};

TEST_F(ApplyFakeEngineTest, A500ToTheServiceCreateIsReportedWithTheStepAndTheEnginesWords) {
  FakeEngine fake;
  ServeEmptyStackAndLock(fake);
  fake.On("POST", "/services/create",
          FakeReply::Error(500, "rpc error: code = Unknown desc = raft: failed to commit the service"));
  Timed applied = NestApply(dir_, fake.address());
  const std::string all = applied.result.out + applied.result.err;
  EXPECT_EQ(applied.result.exit_code, 1) << all;
  EXPECT_LT(applied.took, milliseconds(5000));
  EXPECT_NE(all.find("create service.web failed: service shop_web: the Docker Engine answered 500 Internal Server "
                     "Error while creating service shop_web: rpc error: code = Unknown desc = raft: failed to commit "
                     "the service"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("Apply failed: 1 step failed."), std::string::npos) << all;
  EXPECT_EQ(Count(fake, "POST", "/services/create"), 1);
  // The lock was taken and released again.
  EXPECT_EQ(Count(fake, "POST", "/configs/create"), 1);
  EXPECT_EQ(Count(fake, "DELETE", "/configs/lock1"), 1);
  std::printf("[ fake 500 ] exit %d after %lld ms\n", applied.result.exit_code,
              static_cast<long long>(applied.took.count()));
}

TEST_F(ApplyFakeEngineTest, ADaemonThatDropsTheConnectionMidApplyIsReported) {
  FakeEngine fake;
  ServeEmptyStackAndLock(fake);
  fake.On("POST", "/services/create", FakeReply::Close());
  Timed applied = NestApply(dir_, fake.address());
  const std::string all = applied.result.out + applied.result.err;
  EXPECT_EQ(applied.result.exit_code, 1) << all;
  EXPECT_LT(applied.took, milliseconds(5000));
  EXPECT_NE(all.find("create service.web failed"), std::string::npos) << all;
  EXPECT_NE(all.find("Apply failed: 1 step failed."), std::string::npos) << all;
  EXPECT_NE(all.find(fake.address().substr(7)), std::string::npos) << "names the endpoint:\n" << all;
  std::printf("[ fake drop ] exit %d after %lld ms\n", applied.result.exit_code,
              static_cast<long long>(applied.took.count()));
}

TEST_F(ApplyFakeEngineTest, NoDaemonAtAllIsAClearErrorWithinSeconds) {
  const std::string socket = dir_.path() + "/nothing-listens.sock";
  Timed applied = NestApply(dir_, "unix://" + socket);
  const std::string all = applied.result.out + applied.result.err;
  EXPECT_EQ(applied.result.exit_code, 1) << all;
  EXPECT_LT(applied.took, milliseconds(5000));
  EXPECT_NE(applied.result.err.find("cannot reach the Docker Engine at unix://" + socket), std::string::npos)
      << applied.result.err;
  EXPECT_NE(applied.result.err.find("is dockerd running?"), std::string::npos) << applied.result.err;
  EXPECT_EQ(applied.result.out.find("Apply complete"), std::string::npos) << applied.result.out;
  std::printf("[ no daemon ] exit %d after %lld ms: %s", applied.result.exit_code,
              static_cast<long long>(applied.took.count()), applied.result.err.c_str());
}

}  // namespace
}  // namespace nest
