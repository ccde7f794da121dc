#include "compiler/support/read_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace nest {
namespace {

namespace fs = std::filesystem;

fs::path TempPath(const std::string& name) {
  return fs::temp_directory_path() / ("nest-read-file-" + std::to_string(::getpid()) + "-" + name);
}

TEST(ReadWholeFile, ReadsEveryByteOfAFile) {
  fs::path path = TempPath("bytes");
  std::string written(300000, 'x');
  for (std::size_t i = 0; i < written.size(); i += 7) written[i] = static_cast<char>(i % 251);
  std::ofstream(path, std::ios::binary) << written;
  std::string text = "old content", error;
  ASSERT_TRUE(ReadWholeFile(path.string(), text, &error)) << error;
  EXPECT_EQ(text, written);
  fs::remove(path);
}

TEST(ReadWholeFile, ReadsAnEmptyFileAndAPipe) {
  fs::path path = TempPath("empty");
  std::ofstream(path, std::ios::binary).close();
  std::string text = "old", error;
  ASSERT_TRUE(ReadWholeFile(path.string(), text, &error)) << error;
  EXPECT_EQ(text, "");
  fs::remove(path);

  // A pipe has no size: the read grows until the end.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string sent(100000, 'p');
  FILE* writer = ::fdopen(fds[1], "w");
  std::thread feed([&] {
    std::fwrite(sent.data(), 1, sent.size(), writer);
    std::fclose(writer);
  });
  ASSERT_TRUE(ReadWholeFile("/dev/fd/" + std::to_string(fds[0]), text, &error)) << error;
  feed.join();
  ::close(fds[0]);
  EXPECT_EQ(text, sent);
}

TEST(ReadWholeFile, SaysWhyAFileCannotBeRead) {
  std::string text, error;
  EXPECT_FALSE(ReadWholeFile(TempPath("missing").string(), text, &error));
  EXPECT_EQ(error, "No such file or directory");
  EXPECT_FALSE(ReadWholeFile(fs::temp_directory_path().string(), text, &error));
  EXPECT_EQ(error, "Is a directory");
}

}  // namespace
}  // namespace nest
