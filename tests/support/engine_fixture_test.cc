#include "tests/support/engine_fixture.h"

#include <gtest/gtest.h>

namespace nest::test_support {
namespace {

TEST(EngineFixture, TheTestImageRunsBusyboxApplets) {
  NEST_REQUIRE_ENGINE();
  std::string out;
  ASSERT_EQ(RunCommand(std::string("docker run --rm ") + kTestImage + " sh -c 'wget --help >/dev/null 2>&1; echo ok'", &out), 0)
      << out;
  EXPECT_NE(out.find("ok"), std::string::npos) << out;
}

TEST(EngineFixture, UniqueNamesDiffer) {
  EXPECT_NE(UniqueName("x"), UniqueName("x"));
}

}  // namespace
}  // namespace nest::test_support
