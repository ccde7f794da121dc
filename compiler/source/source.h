// Source text and positions.
//
// Every phase refers to source by a Span (file id + byte range). Line and
// column are computed only when a diagnostic is rendered, so the parser
// never pays for them (ninja's approach).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nest {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = ~FileId{0};

// Half-open byte range [begin, end) in one file.
struct Span {
  FileId file = kNoFile;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  bool valid() const { return file != kNoFile; }
  static Span Join(Span a, Span b) { return {a.file, a.begin, b.end}; }
};

// A 1-based line and a 1-based column counted in bytes (as Terraform's JSON).
struct LineCol {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text, std::string shown = "");

  // Where the file is read from (relative files resolve against its folder).
  const std::string& path() const { return path_; }
  // How diagnostics name it: a module's file relative to what the stack
  // wrote ("stdlib/postgres/main.nest"), otherwise the path.
  const std::string& shown() const { return shown_.empty() ? path_ : shown_; }
  std::string_view text() const { return text_; }
  LineCol Locate(std::uint32_t byte) const;
  // The text of 1-based line `line`, without its line terminator.
  std::string_view Line(std::uint32_t line) const;
  std::uint32_t LineCount() const { return static_cast<std::uint32_t>(LineStarts().size()); }
  std::uint32_t LineStart(std::uint32_t line) const { return LineStarts()[line - 1]; }

 private:
  // The byte offset of each line's start, found on first use: only
  // diagnostics and the formatter need lines, and a valid large stack is
  // loaded without them. Thread-safe.
  const std::vector<std::uint32_t>& LineStarts() const;

  std::string path_;
  std::string shown_;
  std::string text_;
  mutable std::once_flag lines_found_;
  mutable std::vector<std::uint32_t> line_starts_;
};

// Owns every file of one run; FileIds index into it. Files are never removed,
// so spans stay valid for the whole run.
class SourceManager {
 public:
  FileId Add(std::string path, std::string text, std::string shown = "");
  const SourceFile& file(FileId id) const { return *files_[id]; }
  std::size_t size() const { return files_.size(); }
  std::string_view Text(Span span) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace nest
