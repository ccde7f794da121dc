// Compose values in the JSON document model: numbers as they are, strings
// through compiler/compose_syntax (whose texts are tested in
// tests/compiler/compose_syntax), and the canonical text nest compares in.
#include "providers/units.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nest::providers {
namespace {

using nlohmann::ordered_json;

TEST(UnitsTest, JsonNumbersAndStrings) {
  EXPECT_EQ(DurationFromJson(ordered_json(7)).value(), 7);
  EXPECT_EQ(DurationFromJson(ordered_json("1m30s")).value(), 90000000000LL);
  EXPECT_EQ(DurationFromJson(ordered_json::array()).error().message, "`[]` is not a duration");
  EXPECT_EQ(BytesFromJson(ordered_json(1024)).value(), 1024);
  EXPECT_EQ(BytesFromJson(ordered_json("512M")).value(), 536870912LL);
  EXPECT_FALSE(BytesFromJson(ordered_json("12X")));
  EXPECT_EQ(NanoCpusFromJson(ordered_json(0.25)).value(), 250000000LL);
  EXPECT_EQ(NanoCpusFromJson(ordered_json(2)).value(), 2000000000LL);
  EXPECT_EQ(NanoCpusFromJson(ordered_json("0.5")).value(), 500000000LL);
  EXPECT_EQ(NanoCpusFromJson(ordered_json("1.0")).value(), 1000000000LL);
  EXPECT_NE(NanoCpusFromJson(ordered_json("0.0000000001")).error().message.find("finer than a billionth"), std::string::npos);
  EXPECT_FALSE(NanoCpusFromJson(ordered_json(true)));
}

TEST(UnitsTest, CpusAndModes) {
  EXPECT_EQ(FormatNanoCpus(500000000), "0.5");
  EXPECT_EQ(FormatNanoCpus(2000000000), "2");
  EXPECT_EQ(FormatNanoCpus(1250000000), "1.25");
  EXPECT_EQ(FormatFileMode(292), "0444");
  EXPECT_EQ(ParseFileMode("0440"), 288u);
  EXPECT_EQ(ParseFileMode("0o400"), 256u);
  EXPECT_FALSE(ParseFileMode("0948"));
  EXPECT_EQ(ScalarText(nlohmann::json(3.0)), "3");
  EXPECT_EQ(ScalarText(nlohmann::json(0.5)), "0.5");
  EXPECT_EQ(ScalarText(nlohmann::json(true)), "true");
}

}  // namespace
}  // namespace nest::providers
