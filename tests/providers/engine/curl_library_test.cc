#include "providers/engine/curl_library.h"

#include <gtest/gtest.h>

namespace nest::engine {
namespace {

TEST(CurlLibrary, LoadsOnceWithEveryFunction) {
  std::string error;
  const CurlLibrary* curl = LoadCurl(&error);
  ASSERT_NE(curl, nullptr) << error;
  EXPECT_EQ(LoadCurl(nullptr), curl);
  EXPECT_NE(curl->easy_init, nullptr);
  EXPECT_NE(curl->easy_setopt, nullptr);
  EXPECT_NE(curl->easy_perform, nullptr);
  EXPECT_NE(curl->easy_getinfo, nullptr);
  EXPECT_NE(curl->easy_reset, nullptr);
  EXPECT_NE(curl->easy_cleanup, nullptr);
  EXPECT_NE(curl->easy_strerror, nullptr);
  EXPECT_NE(curl->slist_append, nullptr);
  EXPECT_NE(curl->slist_free_all, nullptr);
  // The functions are libcurl's own: a handle can be made and freed.
  CURL* handle = curl->easy_init();
  ASSERT_NE(handle, nullptr);
  curl->easy_cleanup(handle);
  EXPECT_STREQ(curl->easy_strerror(CURLE_OK), "No error");
}

}  // namespace
}  // namespace nest::engine
