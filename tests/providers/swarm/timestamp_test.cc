// Engine timestamps: Go's RFC 3339 as the daemon writes it (fraction
// trimmed, Z or an offset), compared as times, not as text.
#include "providers/swarm/timestamp.h"

#include <gtest/gtest.h>

namespace nest::swarm {
namespace {

using namespace std::chrono;

TEST(EngineTimeTest, ParsesWhatTheEngineWrites) {
  auto time = ParseEngineTime("2026-12-03T14:13:15.334517953Z");
  ASSERT_TRUE(time);
  EXPECT_EQ(FormatEngineTime(*time), "2026-12-03T14:13:15.334517953Z");
  EXPECT_EQ(FormatEngineTime(*ParseEngineTime("2026-12-03T14:13:15Z")), "2026-12-03T14:13:15.000000000Z");
  EXPECT_EQ(FormatEngineTime(*ParseEngineTime("2026-12-03T14:13:15.5Z")), "2026-12-03T14:13:15.500000000Z");
}

TEST(EngineTimeTest, TrimmedFractionsCompareAsTimesNotText) {
  // As text "...15.3345Z" sorts after "...15.33451Z"; as times it is before.
  EXPECT_LT(*ParseEngineTime("2026-12-03T14:13:15.3345Z"), *ParseEngineTime("2026-12-03T14:13:15.33451Z"));
}

TEST(EngineTimeTest, OffsetsAreAppliedAndMoreThanNineDigitsIgnored) {
  EXPECT_EQ(*ParseEngineTime("2026-12-03T15:13:15+01:00"), *ParseEngineTime("2026-12-03T14:13:15Z"));
  EXPECT_EQ(*ParseEngineTime("2026-12-03T09:43:15-04:30"), *ParseEngineTime("2026-12-03T14:13:15Z"));
  EXPECT_EQ(*ParseEngineTime("2026-12-03T14:13:15.1234567891Z"), *ParseEngineTime("2026-12-03T14:13:15.123456789Z"));
  EXPECT_EQ(*ParseEngineTime("2026-01-01T00:00:00Z") - *ParseEngineTime("2025-12-31T23:59:59Z"), seconds(1));
}

TEST(EngineTimeTest, GoZeroTimeIsLongAgo) {
  auto zero = ParseEngineTime("0001-01-01T00:00:00Z");
  ASSERT_TRUE(zero);
  EXPECT_LT(*zero, *ParseEngineTime("1970-01-01T00:00:00Z"));
}

TEST(EngineTimeTest, RejectsWhatIsNotRfc3339) {
  for (const char* text : {"", "2026-12-03", "2026-12-03T14:13:15", "2026-13-03T14:13:15Z", "2026-02-30T00:00:00Z",
                           "2026-12-03T25:00:00Z", "2026-12-03T14:13:15.Z", "2026-12-03T14:13:15Zjunk",
                           "2026-12-03T14:13:15+0100", "yesterday"}) {
    EXPECT_FALSE(ParseEngineTime(text)) << text;
  }
}

}  // namespace
}  // namespace nest::swarm
