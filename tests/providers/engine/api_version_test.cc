#include "providers/engine/api_version.h"

#include <gtest/gtest.h>

namespace nest::engine {
namespace {

TEST(ApiVersionTest, ParsesMajorDotMinor) {
  EXPECT_EQ(ApiVersion::Parse("1.41"), (ApiVersion{1, 41}));
  EXPECT_EQ(ApiVersion::Parse("1.9"), (ApiVersion{1, 9}));
  EXPECT_EQ(ApiVersion::Parse("2.0"), (ApiVersion{2, 0}));
  EXPECT_EQ((ApiVersion{1, 41}).ToString(), "1.41");
}

TEST(ApiVersionTest, RejectsAnythingElse) {
  for (const char* bad : {"", "1", "v1.41", "1.41.0", "1.", ".41", "-1.41", "1.-4", "1.4x",
                          " 1.41", "99999.1"})
    EXPECT_FALSE(ApiVersion::Parse(bad).has_value()) << bad;
}

TEST(ApiVersionTest, ComparesNumerically) {
  EXPECT_LT((ApiVersion{1, 9}), (ApiVersion{1, 41}));
  EXPECT_LT((ApiVersion{1, 41}), (ApiVersion{2, 0}));
}

TEST(ApiVersionTest, NegotiatesTheLowerOfServerAndNest) {
  EXPECT_EQ(NegotiateApiVersion(ApiVersion{1, 50}), kNewestApiVersion);
  EXPECT_EQ(NegotiateApiVersion(ApiVersion{1, 41}), (ApiVersion{1, 41}));
  EXPECT_EQ(NegotiateApiVersion(ApiVersion{1, 40}), (ApiVersion{1, 40}));
  // No API-Version header: the docker client's assumption.
  EXPECT_EQ(NegotiateApiVersion(std::nullopt), (ApiVersion{1, 24}));
}

}  // namespace
}  // namespace nest::engine
