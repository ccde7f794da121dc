#include "providers/engine/query.h"

#include <gtest/gtest.h>

namespace nest::engine {
namespace {

TEST(QueryTest, UrlEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UrlEncode("{\"a\": [1]}"), "%7B%22a%22%3A%20%5B1%5D%7D");
  EXPECT_EQ(UrlEncode("k=v&x/y+z"), "k%3Dv%26x%2Fy%2Bz");
  EXPECT_EQ(UrlEncode("\xC3\xA9"), "%C3%A9");
}

TEST(QueryTest, LabelFilterForAStack) {
  // {"label":["com.docker.stack.namespace=medianest"]}
  EXPECT_EQ(LabelFilter({"com.docker.stack.namespace=medianest"}),
            "filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%3Dmedianest%22%5D%7D");
}

TEST(QueryTest, SeveralKeysAreSortedValuesKeepTheirOrder) {
  EXPECT_EQ(EncodeFilters({{"name", {"b", "a"}}, {"label", {"x"}}}),
            "filters=" + UrlEncode(R"({"label":["x"],"name":["b","a"]})"));
}

TEST(QueryTest, InvalidUtf8DoesNotThrow) {
  EXPECT_EQ(LabelFilter({"bad\xFF"}), "filters=" + UrlEncode("{\"label\":[\"bad\xEF\xBF\xBD\"]}"));
}

}  // namespace
}  // namespace nest::engine
