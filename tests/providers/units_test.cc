// Compose value syntaxes read as the docker CLI reads them.
#include "providers/units.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nest::providers {
namespace {

TEST(UnitsTest, GoDurations) {
  EXPECT_EQ(ParseGoDuration("1m30s"), 90000000000LL);
  EXPECT_EQ(ParseGoDuration("500ms"), 500000000LL);
  EXPECT_EQ(ParseGoDuration("1.5h"), 5400000000000LL);
  EXPECT_EQ(ParseGoDuration("10us"), 10000LL);
  EXPECT_EQ(ParseGoDuration("0"), 0);
  EXPECT_EQ(ParseGoDuration("-2s"), -2000000000LL);
  EXPECT_FALSE(ParseGoDuration("30"));
  EXPECT_FALSE(ParseGoDuration("1d"));
  EXPECT_FALSE(ParseGoDuration(""));
  EXPECT_EQ(DurationFromJson(nlohmann::ordered_json(7)), 7);
}

TEST(UnitsTest, RamBytes) {
  EXPECT_EQ(ParseRamBytes("512M"), 536870912LL);
  EXPECT_EQ(ParseRamBytes("512m"), 536870912LL);
  EXPECT_EQ(ParseRamBytes("512MiB"), 536870912LL);
  EXPECT_EQ(ParseRamBytes("1g"), 1073741824LL);
  EXPECT_EQ(ParseRamBytes("1536K"), 1572864LL);
  EXPECT_EQ(ParseRamBytes("100B"), 100);
  EXPECT_EQ(ParseRamBytes("100"), 100);
  EXPECT_FALSE(ParseRamBytes("12X"));
}

TEST(UnitsTest, CpusAndModes) {
  EXPECT_EQ(ParseNanoCpus("0.5"), 500000000LL);
  EXPECT_EQ(ParseNanoCpus("1.0"), 1000000000LL);
  EXPECT_EQ(ParseNanoCpus("2"), 2000000000LL);
  EXPECT_FALSE(ParseNanoCpus("0.0000000001"));
  EXPECT_EQ(NanoCpusFromJson(nlohmann::ordered_json(0.25)), 250000000LL);
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
