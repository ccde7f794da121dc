#include "compiler/source/source.h"

#include <algorithm>
#include <cstring>

namespace nest {

SourceFile::SourceFile(std::string path, std::string text, std::string shown)
    : path_(std::move(path)), shown_(std::move(shown)), text_(std::move(text)) {}

const std::vector<std::uint32_t>& SourceFile::LineStarts() const {
  std::call_once(lines_found_, [this] {
    // memchr skips a line at a time. Room for lines of 16 bytes on average,
    // so a large file's table is not copied as it grows (room never
    // written costs nothing).
    line_starts_.reserve(text_.size() / 16 + 1);
    line_starts_.push_back(0);
    const char* begin = text_.data();
    const char* end = begin + text_.size();
    for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr;) {
      ++p;
      line_starts_.push_back(static_cast<std::uint32_t>(p - begin));
    }
  });
  return line_starts_;
}

LineCol SourceFile::Locate(std::uint32_t byte) const {
  const auto& starts = LineStarts();
  auto it = std::upper_bound(starts.begin(), starts.end(), byte);
  auto line = static_cast<std::uint32_t>(it - starts.begin());
  return {line, byte - starts[line - 1] + 1};
}

std::string_view SourceFile::Line(std::uint32_t line) const {
  const auto& starts = LineStarts();
  if (line == 0 || line > starts.size()) return {};
  std::uint32_t begin = starts[line - 1];
  std::uint32_t end = line < starts.size() ? starts[line] - 1 : static_cast<std::uint32_t>(text_.size());
  std::string_view text = std::string_view(text_).substr(begin, end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

FileId SourceManager::Add(std::string path, std::string text, std::string shown) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text), std::move(shown)));
  return static_cast<FileId>(files_.size() - 1);
}

std::string_view SourceManager::Text(Span span) const {
  if (!span.valid()) return {};
  return files_[span.file]->text().substr(span.begin, span.end - span.begin);
}

}  // namespace nest
