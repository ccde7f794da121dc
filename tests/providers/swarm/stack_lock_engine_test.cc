// The stack lock on the real engine: acquire / refuse / release, a stale
// lock taken over (2 s leases), a renewer keeping a lock live past its
// lease, a taken-over holder's release leaving the new lock alone, and
// force-unlock by lock ID.
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/swarm/lock_renewer.h"
#include "providers/swarm/stack_lock.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"

namespace nest::swarm {
namespace {

using std::chrono::milliseconds;
using test_support::LocalClient;

// Removes the stack's lock config whatever the test did.
class LockCleanup {
 public:
  explicit LockCleanup(std::string stack) : name_(LockConfigName(stack)) {}
  ~LockCleanup() { test_support::RunCommand("docker config rm " + name_ + " >/dev/null 2>&1"); }

 private:
  std::string name_;
};

LockOptions As(const std::string& user, std::int64_t pid, milliseconds lease = kDefaultLockLease) {
  LockOptions options;
  options.user = user;
  options.host = "ci-runner-3";
  options.pid = pid;
  options.lease = lease;
  return options;
}

std::string HolderNow(engine::EngineClient& client, const std::string& stack) {
  auto lock = ReadStackLock(client, stack);
  EXPECT_TRUE(lock.ok());
  return lock.ok() && lock.value() ? lock.value()->holder.holder_id : "";
}

TEST(StackLockEngineTest, AcquireRefuseRelease) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("lock");
  LockCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();

  AcquireResult alice = AcquireStackLock(client, stack, As("alice", 4242));
  ASSERT_TRUE(alice.ok()) << alice.error->message;
  EXPECT_TRUE(alice.warnings.empty());
  EXPECT_EQ(alice.lock->holder.holder_id.size(), 32u);
  EXPECT_EQ(HolderNow(client, stack), alice.lock->holder.holder_id);

  AcquireResult bob = AcquireStackLock(client, stack, As("bob", 777));
  ASSERT_FALSE(bob.ok());
  EXPECT_EQ(bob.error->kind, LockFailure::kHeld);
  ASSERT_TRUE(bob.error->lock);
  EXPECT_EQ(bob.error->lock->holder.user, "alice");
  EXPECT_EQ(bob.error->lock->holder.pid, 4242);
  EXPECT_FALSE(bob.error->lock->stale);
  EXPECT_NE(bob.error->message.find("stack " + stack + " is locked: held by alice@ci-runner-3 (pid 4242) for apply since "),
            std::string::npos)
      << bob.error->message;
  EXPECT_NE(bob.error->message.find("nest force-unlock " + alice.lock->holder.holder_id), std::string::npos);

  HeldLock held = *alice.lock;
  LockOutcome renewed = RenewStackLock(client, held);
  ASSERT_TRUE(renewed.ok()) << renewed.error->message;
  EXPECT_GT(held.version, alice.lock->version);
  EXPECT_EQ(held.renewals, 1);

  LockOutcome released = ReleaseStackLock(client, held);
  ASSERT_TRUE(released.ok()) << released.error->message;
  EXPECT_TRUE(released.warnings.empty());
  EXPECT_EQ(HolderNow(client, stack), "");

  bob = AcquireStackLock(client, stack, As("bob", 777));
  ASSERT_TRUE(bob.ok()) << bob.error->message;
  EXPECT_TRUE(ReleaseStackLock(client, *bob.lock).ok());
}

TEST(StackLockEngineTest, AStaleLockIsTakenOverAndTheOldHoldersReleaseLeavesTheNewLock) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("lock-stale");
  LockCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();

  // Alice takes a 2 s lease and is "killed": she never renews.
  AcquireResult alice = AcquireStackLock(client, stack, As("alice", 4242, milliseconds(2000)));
  ASSERT_TRUE(alice.ok()) << alice.error->message;
  std::this_thread::sleep_for(milliseconds(2500));

  AcquireResult bob = AcquireStackLock(client, stack, As("bob", 777));
  ASSERT_TRUE(bob.ok()) << bob.error->message;
  ASSERT_EQ(bob.warnings.size(), 1u);
  EXPECT_NE(bob.warnings[0].find("took over the stale lock of stack " + stack + ": it was held by alice@ci-runner-3 (pid 4242)"),
            std::string::npos)
      << bob.warnings[0];
  EXPECT_NE(bob.lock->config_id, alice.lock->config_id);  // a new object: alice's ID is gone
  EXPECT_EQ(HolderNow(client, stack), bob.lock->holder.holder_id);

  // Alice comes back: her renewal says she lost it, her release leaves bob's lock.
  HeldLock stale = *alice.lock;
  LockOutcome renewed = RenewStackLock(client, stale);
  ASSERT_FALSE(renewed.ok());
  EXPECT_EQ(renewed.error->kind, LockFailure::kLost);
  EXPECT_NE(renewed.error->message.find("held by bob@ci-runner-3"), std::string::npos) << renewed.error->message;
  LockOutcome released = ReleaseStackLock(client, *alice.lock);
  EXPECT_TRUE(released.ok());
  ASSERT_EQ(released.warnings.size(), 1u);
  EXPECT_NE(released.warnings[0].find("did not release the lock of stack " + stack), std::string::npos);
  EXPECT_EQ(HolderNow(client, stack), bob.lock->holder.holder_id);

  EXPECT_TRUE(ReleaseStackLock(client, *bob.lock).ok());
  EXPECT_EQ(HolderNow(client, stack), "");
}

TEST(StackLockEngineTest, TheRenewerKeepsALockLivePastItsLease) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("lock-renew");
  LockCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();

  AcquireResult alice = AcquireStackLock(client, stack, As("alice", 4242, milliseconds(1500)));
  ASSERT_TRUE(alice.ok()) << alice.error->message;
  int problems = 0;
  LockRenewer renewer(client.endpoint(), client.options(), *alice.lock, [&](const LockError&) { ++problems; });
  std::this_thread::sleep_for(milliseconds(2500));  // past the lease: only renewals keep it

  AcquireResult bob = AcquireStackLock(client, stack, As("bob", 777));
  ASSERT_FALSE(bob.ok());
  EXPECT_EQ(bob.error->kind, LockFailure::kHeld);
  EXPECT_LT(bob.error->lock->since_renewal, milliseconds(1500));

  auto started = std::chrono::steady_clock::now();
  HeldLock last = renewer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(400));  // no waiting out a tick
  EXPECT_GE(renewer.renewals(), 3);
  EXPECT_EQ(problems, 0);
  EXPECT_FALSE(renewer.lost());
  EXPECT_EQ(last.renewals, renewer.renewals());
  LockOutcome released = ReleaseStackLock(client, last);  // the renewed version: no conflict
  EXPECT_TRUE(released.ok());
  EXPECT_TRUE(released.warnings.empty());
  EXPECT_EQ(HolderNow(client, stack), "");
}

TEST(StackLockEngineTest, TheRenewerReportsALostLock) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("lock-lost");
  LockCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();

  AcquireResult alice = AcquireStackLock(client, stack, As("alice", 4242, milliseconds(900)));
  ASSERT_TRUE(alice.ok()) << alice.error->message;
  std::atomic<int> lost{0};
  LockRenewer renewer(client.endpoint(), client.options(), *alice.lock, [&](const LockError& error) {
    if (error.kind == LockFailure::kLost) ++lost;
  });
  LockOutcome forced = ForceUnlock(client, stack, alice.lock->holder.holder_id);
  ASSERT_TRUE(forced.ok()) << forced.error->message;
  for (int i = 0; i < 40 && !renewer.lost(); ++i) std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(renewer.lost());
  renewer.Stop();
  EXPECT_EQ(lost.load(), 1);
}

TEST(StackLockEngineTest, ForceUnlockNeedsTheLockId) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("lock-force");
  LockCleanup cleanup(stack);
  engine::EngineClient client = LocalClient();

  LockOutcome none = ForceUnlock(client, stack, "0123456789abcdef");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error->kind, LockFailure::kMissing);

  AcquireResult alice = AcquireStackLock(client, stack, As("alice", 4242));
  ASSERT_TRUE(alice.ok()) << alice.error->message;
  const std::string id = alice.lock->holder.holder_id;
  LockOutcome wrong = ForceUnlock(client, stack, "ffffffffffffffff");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error->kind, LockFailure::kHeld);
  EXPECT_NE(wrong.error->message.find("lock ID " + id), std::string::npos) << wrong.error->message;
  EXPECT_FALSE(ForceUnlock(client, stack, id.substr(0, 4)).ok());  // too short a prefix to be sure

  LockOutcome forced = ForceUnlock(client, stack, id.substr(0, 8));
  ASSERT_TRUE(forced.ok()) << forced.error->message;
  ASSERT_EQ(forced.warnings.size(), 1u);
  EXPECT_NE(forced.warnings[0].find("removed the lock of stack " + stack + ": it was held by alice@ci-runner-3"),
            std::string::npos);
  EXPECT_EQ(HolderNow(client, stack), "");
}

}  // namespace
}  // namespace nest::swarm
