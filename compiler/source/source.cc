#include "compiler/source/source.h"

#include <algorithm>
#include <cstring>

namespace nest {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  // memchr skips a line at a time: this runs over every byte of every file.
  // Room for lines of 16 bytes on average, so a large file's table is not
  // copied as it grows (room never written costs nothing).
  line_starts_.reserve(text_.size() / 16 + 1);
  line_starts_.push_back(0);
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr;) {
    ++p;
    line_starts_.push_back(static_cast<std::uint32_t>(p - begin));
  }
}

LineCol SourceFile::Locate(std::uint32_t byte) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte);
  auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  return {line, byte - line_starts_[line - 1] + 1};
}

std::string_view SourceFile::Line(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t begin = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                                 : static_cast<std::uint32_t>(text_.size());
  std::string_view text = std::string_view(text_).substr(begin, end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

FileId SourceManager::Add(std::string path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return static_cast<FileId>(files_.size() - 1);
}

std::string_view SourceManager::Text(Span span) const {
  if (!span.valid()) return {};
  return files_[span.file]->text().substr(span.begin, span.end - span.begin);
}

}  // namespace nest
