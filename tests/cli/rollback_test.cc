// The pure rules of `nest rollback` and `nest history` (cli/rollback.h).
#include "cli/rollback.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace nest {
namespace {

TEST(RollbackRevisionTest, DefaultsToTheOneBeforeTheNewest) {
  auto picked = RollbackRevision({3, 4, 5}, std::nullopt, "web");
  ASSERT_TRUE(picked.ok()) << picked.error().message;
  EXPECT_EQ(picked.value(), 4);
}

TEST(RollbackRevisionTest, TakesAKeptRevisionAndRefusesOthers) {
  EXPECT_EQ(RollbackRevision({3, 4, 5}, 3, "web").value(), 3);
  auto pruned = RollbackRevision({3, 4, 5}, 1, "web");
  ASSERT_FALSE(pruned.ok());
  EXPECT_NE(pruned.error().message.find("no revision 1; kept: 3 to 5"), std::string::npos) << pruned.error().message;
}

TEST(RollbackRevisionTest, NeedsARevisionBeforeTheCurrentOne) {
  auto none = RollbackRevision({}, std::nullopt, "web");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no revisions"), std::string::npos);
  auto one = RollbackRevision({1}, std::nullopt, "web");
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.error().message.find("only revision 1"), std::string::npos) << one.error().message;
}

plan::ResourceChange Change(ResourceKind kind, const std::string& address, plan::Action action) {
  plan::ResourceChange change;
  change.kind = kind;
  change.address = address;
  change.docker_name = "web_" + address.substr(address.find('.') + 1) + "_0123abcd";
  change.action = action;
  return change;
}

TEST(CheckRollbackObjectsTest, RefusesToCreateASecretOrConfigAgainNamingThem) {
  plan::Plan plan;
  plan.changes.push_back(Change(ResourceKind::kService, "service.app", plan::Action::kCreate));
  plan.changes.push_back(Change(ResourceKind::kSecret, "secret.token", plan::Action::kDelete));
  EXPECT_TRUE(CheckRollbackObjects(plan, 2).ok());

  plan.changes.push_back(Change(ResourceKind::kSecret, "secret.old", plan::Action::kCreate));
  plan.changes.push_back(Change(ResourceKind::kConfig, "config.motd", plan::Action::kReplace));
  Status refused = CheckRollbackObjects(plan, 2);
  ASSERT_FALSE(refused.ok());
  const std::string& message = refused.error().message;
  EXPECT_NE(message.find("revision 2 needs objects that no longer exist"), std::string::npos) << message;
  EXPECT_NE(message.find("secret.old (web_old_0123abcd)"), std::string::npos) << message;
  EXPECT_NE(message.find("config.motd (web_motd_0123abcd)"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret.token"), std::string::npos) << message;
}

std::vector<swarm::Revision> TwoRevisions() {
  return {{1, "id1", "2026-12-04T20:00:00Z", "aaaaaaaaaaaaaaaaaaaa", "4 added, 0 changed, 0 destroyed"},
          {2, "id2", "2026-12-04T20:05:00Z", "bbbbbbbbbbbbbbbbbbbb", "0 added, 1 changed, 0 destroyed"}};
}

TEST(RenderHistoryTest, TextListsNewestFirstWithShortHashes) {
  std::string text = RenderHistoryText(TwoRevisions(), "web");
  auto second = text.find("   2  2026-12-04T20:05:00Z");
  auto first = text.find("   1  2026-12-04T20:00:00Z");
  ASSERT_NE(second, std::string::npos) << text;
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_LT(second, first);
  EXPECT_NE(text.find("bbbbbbbbbbbb  0 added, 1 changed"), std::string::npos) << text;
  EXPECT_EQ(RenderHistoryText({}, "web"), "Stack web has no revisions.\n");
}

TEST(RenderHistoryTest, JsonHasEveryFieldNewestFirst) {
  auto json = nlohmann::json::parse(RenderHistoryJson(TwoRevisions(), "web"));
  EXPECT_EQ(json["stack"], "web");
  ASSERT_EQ(json["revisions"].size(), 2u);
  EXPECT_EQ(json["revisions"][0]["number"], 2);
  EXPECT_EQ(json["revisions"][0]["config_hash"], "bbbbbbbbbbbbbbbbbbbb");
  EXPECT_EQ(json["revisions"][1]["summary"], "4 added, 0 changed, 0 destroyed");
  EXPECT_EQ(json["revisions"][1]["time"], "2026-12-04T20:00:00Z");
}

}  // namespace
}  // namespace nest
