// Recovery: the loop that parses the top level segment by segment and,
// after a syntax error, finds where the next item starts. The only
// translation unit that instantiates pegtl::parse (with parse_actions.h).
//
// Recovery scans the raw text: strings and comments are skipped, never
// counted, so a `}` in a string does not close a block.
#include <cstring>
#include <string_view>

#include "compiler/syntax/parse_actions.h"
#include "compiler/syntax/parse_state.h"

namespace nest::syntax::parsing {
namespace {

// Skips the string or comment starting at `i`, if any; returns the new offset
// (unchanged when there is none).
std::uint32_t SkipOpaque(const char* s, std::uint32_t n, std::uint32_t i) {
  char c = s[i];
  if (c == '"') {
    ++i;
    while (i < n && s[i] != '"' && s[i] != '\n') i += (s[i] == '\\' && i + 1 < n && s[i + 1] != '\n') ? 2 : 1;
    return i < n && s[i] == '"' ? i + 1 : i;
  }
  if (c == '#' || (c == '/' && i + 1 < n && s[i + 1] == '/')) {
    while (i < n && s[i] != '\n') ++i;
    return i;
  }
  if (c == '/' && i + 1 < n && s[i + 1] == '*') {
    std::string_view rest(s + i + 2, n - i - 2);
    auto at = rest.find("*/");
    return at == std::string_view::npos ? n : i + 2 + static_cast<std::uint32_t>(at) + 2;
  }
  return i;
}

// Walks s[i, n) byte by byte outside strings and comments, until
// `stop(offset of the byte)` is true: returns the offset after that byte,
// or n.
template <typename Stop>
std::uint32_t ScanCode(const char* s, std::uint32_t n, std::uint32_t i, Stop stop) {
  while (i < n) {
    std::uint32_t skipped = SkipOpaque(s, n, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (stop(i++)) return i;
  }
  return n;
}

}  // namespace

std::uint32_t State::MatchBrace(std::uint32_t i) const {
  int depth = 0;
  return ScanCode(base_, size_, i, [&](std::uint32_t at) {
    if (base_[at] == '{') ++depth;
    return base_[at] == '}' && --depth <= 0;
  });
}

std::uint32_t State::NextTopLevelLine(std::uint32_t i) const {
  return ScanCode(base_, size_, i,
                  [&](std::uint32_t at) { return base_[at] == '\n' && at + 1 < size_ && IsIdentFirst(base_[at + 1]); });
}

std::uint32_t State::AfterRecovery(std::uint32_t from) const {
  std::uint32_t q = SkipTrivia(from, /*newlines=*/false);
  if (q < size_ && IsIdentFirst(base_[q])) return q;
  return NextTopLevelLine(from);
}

void ParseRange(State& st, std::uint32_t begin, std::uint32_t size) {
  const char* base = st.base();
  std::uint32_t pos = begin;
  if (begin == 0 && size >= 3 && std::memcmp(base, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  std::uint32_t last_rewind = kNone;
  while (pos < size) {
    st.Reset();
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*> in(base + pos, base + size,
                                                                                         "");
    std::uint32_t next;
    try {
      pegtl::parse<g::segment, Action, Control>(in, st);
      std::uint32_t stop = st.Off(in.current());
      if (stop >= size) break;
      // Something that cannot start an item: report it once, skip the line.
      Token t = st.TokenAt(base + stop);
      ast::Body& body = st.out().body;
      if (stop != last_rewind && !body.attributes.empty() && st.ReportMissingValue(&body.attributes.back(), t)) {
        // `x =` at the end of a line took the next item's name as its value:
        // drop the broken attribute and parse that item again.
        next = body.attributes.back().value.span.begin;
        body.attributes.pop_back();
        last_rewind = stop;
      } else {
        st.ReportStray(t);
        next = st.NextTopLevelLine(stop);
      }
    } catch (const SyntaxFailure&) {
      if (!st.blocks.empty()) {
        next = st.AfterRecovery(st.MatchBrace(st.blocks.front().open_brace.begin));
      } else if (st.item_start != kNone) {
        next = st.NextTopLevelLine(st.item_start);
      } else {
        next = size;  // an unterminated comment between items
      }
      if (next <= pos) next = st.NextTopLevelLine(pos);
    }
    pos = next;
  }
}

}  // namespace nest::syntax::parsing
