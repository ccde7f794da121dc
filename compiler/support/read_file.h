// Reading a whole file into memory, with the reason when it cannot be read.
#pragma once

#include <string>

namespace nest {

// Reads the file at `path` (a regular file, or a pipe such as <(...)) into
// `text`. On failure returns false with strerror's text in `*error`.
// Straight into the string, in one read where the size is known: the
// stream classes copy through a buffer of their own, which on a large stack
// cost more than the read itself.
bool ReadWholeFile(const std::string& path, std::string& text, std::string* error);

}  // namespace nest
