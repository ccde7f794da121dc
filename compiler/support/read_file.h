// Reading a whole file into memory, with the reason when it cannot be read.
#pragma once

#include <optional>
#include <string>

namespace nest {

// Reads the file at `path` (a regular file, or a pipe such as <(...)) into
// `text`. On failure returns false with strerror's text in `*error`.
// Straight into the string, in one read where the size is known: the
// stream classes copy through a buffer of their own, which on a large stack
// cost more than the read itself.
bool ReadWholeFile(const std::string& path, std::string& text, std::string* error);
// The same for a caller that needs no reason: nullopt when it cannot be read.
std::optional<std::string> ReadWholeFile(const std::string& path);

}  // namespace nest
