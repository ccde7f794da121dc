// Revisions on the real engine: numbered from 1, the document read back as
// recorded, only the newest `keep` kept, stacks apart even when one name
// is a prefix of the other.
#include "providers/swarm/revisions.h"

#include <gtest/gtest.h>

#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using test_support::LocalClient;

// Removes every revision config of the stack whatever the test did.
class RevisionCleanup {
 public:
  explicit RevisionCleanup(std::string stack) : stack_(std::move(stack)) {}
  ~RevisionCleanup() {
    test_support::RunCommand("docker config ls -q --filter label=nest.revision.stack=" + stack_ +
                             " | xargs -r docker config rm >/dev/null 2>&1");
  }

 private:
  std::string stack_;
};

RevisionRecord Record(int n) {
  return {"sha256:" + std::to_string(n), std::to_string(n) + " changed",
          json({{"apply", n}, {"services", {{"web", {{"image", "nest-test/busybox:1"}}}}}})};
}

TEST(RevisionsEngineTest, RecordListReadAndKeepTheNewest) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("rev");
  const std::string longer = stack + "-x";  // a name prefix of stack's revisions' names
  RevisionCleanup cleanup(stack), cleanup_longer(longer);
  engine::EngineClient client = LocalClient();

  auto empty = ListRevisions(client, stack);
  ASSERT_TRUE(empty.ok()) << empty.error().Describe();
  EXPECT_TRUE(empty.value().empty());

  for (int n = 1; n <= 3; ++n) {
    auto revision = RecordRevision(client, stack, Record(n), /*keep=*/2);
    ASSERT_TRUE(revision.ok()) << revision.error().Describe();
    EXPECT_EQ(revision.value().number, n);
    EXPECT_EQ(revision.value().config_hash, "sha256:" + std::to_string(n));
  }
  ASSERT_TRUE(RecordRevision(client, longer, Record(9)).ok());

  auto listed = ListRevisions(client, stack);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed.value().size(), 2u);
  EXPECT_EQ(listed.value()[0].number, 2);
  EXPECT_EQ(listed.value()[1].number, 3);
  EXPECT_EQ(listed.value()[1].summary, "3 changed");
  EXPECT_EQ(listed.value()[1].time.size(), 30u);  // 2026-12-03T14:13:15.334517953Z

  auto document = ReadRevisionDocument(client, stack, 3);
  ASSERT_TRUE(document.ok()) << document.error().Describe();
  EXPECT_EQ(document.value(), Record(3).document);
  auto pruned = ReadRevisionDocument(client, stack, 1);
  ASSERT_FALSE(pruned.ok());
  EXPECT_EQ(pruned.error().http_status, 404);

  // The next number follows the newest kept, after pruning.
  auto fourth = RecordRevision(client, stack, Record(4), 2);
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth.value().number, 4);
  auto other = ListRevisions(client, longer);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other.value().size(), 1u);
  EXPECT_EQ(other.value()[0].number, 1);

  auto removed = PruneRevisions(client, stack, 0);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed.value(), 2);
  EXPECT_TRUE(ListRevisions(client, stack).value().empty());
}

TEST(RevisionsTest, RevisionNames) {
  EXPECT_EQ(RevisionConfigName("shop", 12), "nest-rev-shop-12");
  EXPECT_EQ(RevisionConfigName("shop", 0), "");
  EXPECT_EQ(RevisionConfigName("", 1), "");
  EXPECT_EQ(RevisionConfigName(std::string(60, 'x'), 1), "");
}

}  // namespace
}  // namespace nest::swarm
