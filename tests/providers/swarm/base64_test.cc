// Base64 as the Engine API carries config Data: RFC 4648 vectors both ways.
#include "providers/swarm/base64.h"

#include <gtest/gtest.h>

namespace nest::swarm {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(EncodeBase64(plain), encoded);
    auto decoded = DecodeBase64(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, BinaryRoundTrips) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  EXPECT_EQ(DecodeBase64(EncodeBase64(bytes)), bytes);
}

TEST(Base64Test, RejectsWhatIsNotBase64) {
  EXPECT_FALSE(DecodeBase64("Zm9"));   // not a multiple of four
  EXPECT_FALSE(DecodeBase64("Zm9!"));  // not in the alphabet
}

}  // namespace
}  // namespace nest::swarm
