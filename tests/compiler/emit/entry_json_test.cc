#include "compiler/emit/entry_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compiler/emit/yaml_writer.h"

namespace nest::emit {
namespace {

Json SampleEntry() {
  Json entry = Json::object();
  entry["image"] = "registry.example.com/team/app:1.2.3";
  entry["command"] = Json::array({"/app/server", "--port", "8080"});
  entry["deploy"] = Json{{"replicas", 3}, {"labels", Json{{"nest.address", "service.app"}}}};
  return entry;
}

TEST(EntryArena, OpensOnItsThreadAndRestoresThePreviousOnClose) {
  EXPECT_EQ(CurrentEntryArena(), nullptr);
  {
    EntryArena outer;
    std::pmr::memory_resource* outer_resource = CurrentEntryArena();
    ASSERT_NE(outer_resource, nullptr);
    {
      EntryArena inner;
      EXPECT_NE(CurrentEntryArena(), outer_resource);
    }
    EXPECT_EQ(CurrentEntryArena(), outer_resource);
  }
  EXPECT_EQ(CurrentEntryArena(), nullptr);
}

TEST(EntryArena, ModelsBuiltInsideAndOutsideWriteTheSameBytes) {
  std::string outside;
  AppendYamlEntry(outside, "app", SampleEntry(), 2);
  std::string inside;
  for (int entry = 0; entry < 3; ++entry) {  // the buffer is reused from entry to entry
    EntryArena arena;
    inside.clear();
    AppendYamlEntry(inside, "app", SampleEntry(), 2);
  }
  EXPECT_EQ(inside, outside);
  EXPECT_NE(outside.find("image: registry.example.com/team/app:1.2.3"), std::string::npos) << outside;
}

TEST(EntryArena, AModelCopiedOutOfTheArenaOutlivesIt) {
  nlohmann::ordered_json kept;
  {
    EntryArena arena;
    kept = nlohmann::ordered_json(SampleEntry());
  }
  EXPECT_EQ(kept["deploy"]["replicas"], 3);
  EXPECT_EQ(kept["command"][2], "8080");
  EXPECT_EQ(kept.dump(), nlohmann::ordered_json(SampleEntry()).dump());
}

TEST(EntryArena, ALargeModelGrowsPastTheThreadBuffer) {
  EntryArena arena;
  Json big = Json::array();
  for (int i = 0; i < 20000; ++i) big.push_back("a string longer than the short-string buffer " + std::to_string(i));
  EXPECT_EQ(big.size(), 20000u);
  EXPECT_EQ(big[19999].get<std::string>(), "a string longer than the short-string buffer 19999");
}

}  // namespace
}  // namespace nest::emit
