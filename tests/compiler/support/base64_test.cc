// Base64 as the Engine API carries secret and config Data: RFC 4648 vectors both ways.
#include "compiler/support/base64.h"

#include <gtest/gtest.h>

namespace nest {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, BinaryRoundTrips) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes);
}

TEST(Base64Test, RejectsWhatIsNotBase64) {
  EXPECT_FALSE(Base64Decode("Zm9"));   // not a multiple of four
  EXPECT_FALSE(Base64Decode("Zm9!"));  // not in the alphabet
}

}  // namespace
}  // namespace nest
