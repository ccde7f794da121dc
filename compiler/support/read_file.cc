#include "compiler/support/read_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nest {

bool ReadWholeFile(const std::string& path, std::string& text, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  auto fail = [&] {
    if (error != nullptr) *error = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  };
  if (fd < 0) return fail();
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail();
  if (S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    return fail();
  }
  // The size is a hint (a pipe has none, a file may grow): read until the
  // end, growing when the hint was short.
  std::size_t capacity = S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) + 1 : std::size_t{1} << 16;
  text.clear();
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) text.resize(std::max(capacity, text.size() * 2));
    ssize_t n = ::read(fd, text.data() + used, text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail();
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  text.resize(used);
  ::close(fd);
  return true;
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::string text;
  if (!ReadWholeFile(path, text, nullptr)) return std::nullopt;
  return text;
}

}  // namespace nest
