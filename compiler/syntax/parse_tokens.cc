// Reading the raw text around a syntax error, outside the grammar: the
// token found there (for "found X" and the subject span), the trivia before
// it, and how a block header reads.
#include <algorithm>
#include <fmt/format.h>
#include <string>
#include <string_view>

#include "compiler/syntax/parse_state.h"
#include "compiler/syntax/utf8.h"

namespace nest::syntax::parsing {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNumChar(char c) {
  return IsIdentOther(c) || c == '.' || c == '%' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

std::string Code(std::string_view s) { return fmt::format("`{}`", s); }

}  // namespace

std::uint32_t State::SkipTrivia(std::uint32_t i, bool newlines) const {
  while (i < size_) {
    char c = base_[i];
    if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
      ++i;
    } else if (c == '#' || (c == '/' && i + 1 < size_ && base_[i + 1] == '/')) {
      while (i < size_ && base_[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < size_ && base_[i + 1] == '*') {
      const char* close = nullptr;
      std::string_view rest(base_ + i + 2, size_ - i - 2);
      auto at = rest.find("*/");
      if (at != std::string_view::npos) close = base_ + i + 2 + at + 2;
      i = close ? Off(close) : size_;
    } else {
      break;
    }
  }
  return i;
}

Token State::TokenAt(const char* p) const {
  Token t{p, p, "end of file"};
  if (p >= end_) {
    t.eof = true;
    return t;
  }
  char c = *p;
  t.first = c;
  const char* q = p;
  if (IsIdentFirst(c)) {
    while (q < end_ && IsIdentOther(*q)) ++q;
    t.is_name = true;
    t.what = Code(std::string_view(p, q - p));
  } else if (IsDigit(c) || (c == '-' && q + 1 < end_ && IsDigit(q[1]))) {
    ++q;
    while (q < end_ && (IsNumChar(*q) || (*q == '/' && q + 1 < end_ && q[1] != '/' && q[1] != '*'))) ++q;
    t.what = Code(std::string_view(p, q - p));
  } else if (c == '"') {
    ++q;
    while (q < end_ && *q != '"' && *q != '\n') q += (*q == '\\' && q + 1 < end_ && q[1] != '\n') ? 2 : 1;
    if (q < end_ && *q == '"') ++q;
    t.is_string = true;
    t.what = "a string";
  } else if (static_cast<unsigned char>(c) >= 0x80) {
    std::size_t n = utf8::SequenceLength(static_cast<unsigned char>(c));
    q = p + std::min<std::size_t>(n, end_ - p);
    t.what = Code(std::string_view(p, q - p));
  } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
    q = p + 1;
    t.what = fmt::format("a control character (byte 0x{:02X})", static_cast<unsigned char>(c));
  } else {
    q = p + 1;
    t.what = c == '`' ? std::string("a backtick") : Code(std::string_view(p, 1));
  }
  t.end = q;
  return t;
}

std::string State::WithLabels(std::string name, const std::vector<ast::Label>& labels) const {
  for (const auto& label : labels) {
    name += ' ';
    name.append(base_ + label.span.begin, label.span.end - label.span.begin);
  }
  return name;
}

}  // namespace nest::syntax::parsing
