// Syntax error messages: one diagnostic where the grammar fails, then a
// SyntaxFailure that unwinds to the recovery loop (parse_recovery.cc).
//
// Most messages come from the table in parse_errors.def; the cases that
// look further than the token found (an unquoted label, a `=` forgotten
// before the next line, a bracket closed by another's closer) come first,
// in RaiseSpecialCase.
#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <string>
#include <string_view>

#include "compiler/syntax/parse_state.h"
#include "compiler/syntax/utf8.h"

namespace nest::syntax::parsing {
namespace {

enum class About { kText, kToken, kName, kHeader, kKey, kRef, kInterp };
using enum About;

struct ErrorRow {
  About about;
  const char* at_eof;
  bool eof_open;
  const char* expected;
  char closes;
  char hint_on;
  const char* hint;
  bool ipv6;
};

constexpr ErrorRow kErrors[] = {
#define NEST_PARSE_ERROR(Kind, ...) {__VA_ARGS__},
#include "compiler/syntax/parse_errors.def"
#undef NEST_PARSE_ERROR
};

const ErrorRow& RowOf(Err kind) { return kErrors[static_cast<int>(kind)]; }

bool IsCloser(char c) { return c == '}' || c == ']' || c == ')'; }

}  // namespace

void State::AddUnclosedBlockNote(Diagnostic& d) const {
  if (blocks.empty()) return;
  d.notes.push_back(fmt::format("the block `{}` is not closed either", BlockName(blocks.back())));
  d.related.push_back(blocks.back().open_brace);
}

void State::AddIpv6Help(Diagnostic& d, const Token& t) const {
  // `fd00::/64` reads as the name `fd00` followed by a stray `:`.
  if (t.first != ':' || t.begin <= base_) return;
  char before = t.begin[-1];
  if (IsIdentOther(before) || before == ':') {
    d.help.push_back("IPv6 addresses are not literals yet; write the address as a string, e.g. `\"fd00::/64\"`");
  }
}

void State::RaiseUnterminatedString(std::uint32_t quote, bool at_eof) {
  auto& d = diags_.Error(DiagCode::UnterminatedString, At(quote, quote + 1),
                         at_eof ? "expected `\"` to close the string, found the end of file"
                                : "expected `\"` to close the string, found the end of the line");
  d.label = "this string is never closed";
  if (!at_eof) d.help.push_back("strings cannot span lines; write `\\n` for a line break");
  Fail();
}

void State::RaiseUnclosed(const OpenConstruct& c, const Token& t) {
  const char* open_text = "(";
  const char* close_text = ")";
  const char* what = "argument list";
  if (c.kind == OpenConstruct::kList) open_text = "[", close_text = "]", what = "list";
  if (c.kind == OpenConstruct::kMap) open_text = "{", close_text = "}", what = "map";
  std::string summary = t.eof ? fmt::format("unexpected end of file, expected `{}`", close_text)
                              : fmt::format("expected `{}` to close the {}, found {}", close_text, what, t.what);
  auto& d = diags_.Error(DiagCode::UnclosedBracket, At(c.at, c.at + 1), std::move(summary));
  d.label = fmt::format("this `{}` is never closed", open_text);
  if (!t.eof) d.related.push_back(At(t.begin, t.end));
  if (t.eof) AddUnclosedBlockNote(d);
  Fail();
}

void State::RaiseEof(const std::string& expected, bool closer_allowed) {
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    if (it->kind == OpenConstruct::kString) RaiseUnterminatedString(it->at, true);
  }
  if (closer_allowed && !open.empty()) {
    const OpenConstruct& c = open.back();
    if (c.kind == OpenConstruct::kBlock && !blocks.empty()) {
      const ast::Block& block = blocks.back();
      auto& d = diags_.Error(DiagCode::UnclosedBlock, block.open_brace, "unexpected end of file, expected `}`");
      d.label = "this block is never closed";
      d.notes.push_back(fmt::format("the block `{}` needs a closing `}}`", BlockName(block)));
      // A later line that starts a top-level item shows where the `}` was
      // probably forgotten.
      std::uint32_t next = NextTopLevelLine(blocks.front().open_brace.end);
      if (next < size_) {
        auto line = 1 + std::count(base_, base_ + next, '\n');
        Token t = TokenAt(base_ + next);
        d.help.push_back(fmt::format("is a `}}` missing before {} on line {}?", t.what, line));
        d.related.push_back(At(t.begin, t.end));
      }
      Fail();
    }
    if (c.kind == OpenConstruct::kList || c.kind == OpenConstruct::kMap || c.kind == OpenConstruct::kCall) {
      RaiseUnclosed(c, TokenAt(end_));
    }
  }
  auto& d = diags_.Error(DiagCode::UnexpectedEof, EofSpan(), fmt::format("unexpected end of file, expected {}", expected));
  d.label = "the file ends here";
  AddUnclosedBlockNote(d);
  Fail();
}

bool State::ReportMissingValue(const ast::Attribute* last, const Token& t) {
  // `replicas =` followed by `image = "x"` on the next line parses as
  // `replicas = image`, then fails at the second `=`. Say what happened.
  if (t.eof || !(t.first == '=' || t.first == '"' || t.first == '{')) return false;
  if (last == nullptr) return false;
  const ast::Attribute& attr = *last;
  const ast::Expr& value = attr.value;
  if (value.kind != ast::ExprKind::kReference || value.path.size() != 1) return false;
  if (SkipTrivia(value.span.end) != Off(t.begin)) return false;
  std::uint32_t eq = SkipTrivia(attr.name_span.end);
  if (eq >= size_ || base_[eq] != '=') return false;
  if (std::memchr(base_ + eq, '\n', value.span.begin - eq) == nullptr) return false;
  auto& d = diags_.Error(DiagCode::UnexpectedToken, At(eq, eq + 1),
                         fmt::format("expected a value after `{} =`, found the next item `{}`", attr.name,
                                     value.path[0].name));
  d.label = fmt::format("`{}` has no value", attr.name);
  return true;
}

void State::ReportStray(const Token& t) {
  Span span = At(t.begin, t.end);
  if (IsCloser(t.first)) {
    auto& d = diags_.Error(DiagCode::UnexpectedToken, span, fmt::format("unexpected {}", t.what));
    d.label = "no matching opening bracket";
  } else if (t.is_string) {
    auto& d = diags_.Error(DiagCode::UnexpectedToken, span, "expected an attribute or block name, found a string");
    d.help.push_back("attribute and block names are not quoted");
  } else {
    auto& d = diags_.Error(DiagCode::UnexpectedToken, span,
                           fmt::format("expected an attribute or block name, found {}", t.what));
    AddIpv6Help(d, t);
  }
}

// Errors inside a string or a comment: the token is the byte at `p`, with
// no whitespace skipped.
void State::RaiseInText(Err kind, const char* p) {
  const std::uint32_t at = Off(p);
  if (kind == Err::kCommentClose) {
    std::uint32_t start = comment_start;
    auto& d = diags_.Error(DiagCode::UnexpectedEof, At(start, start + 2),
                           "unexpected end of file, expected `*/` to close the comment");
    d.label = "this comment is never closed";
    Fail();
  }
  if (kind != Err::kEscape) {
    if (kind != Err::kStrClose && p + 1 < end_ && p[0] == '$' && p[1] == '{') {
      bool label = kind == Err::kLabelClose;
      auto& d = diags_.Error(DiagCode::UnexpectedToken, At(at, at + 2),
                             label ? "block labels cannot contain interpolation"
                                   : "map keys cannot contain interpolation");
      d.label = "interpolation is not allowed here";
      d.help.push_back(label ? "labels are plain strings; write `\\${` for a literal `${`"
                             : "keys are plain strings; write `\\${` for a literal `${`");
      Fail();
    }
    RaiseUnterminatedString(open.empty() ? at : open.back().at, p >= end_);
  }
  if (p >= end_ || *p == '\n' || *p == '\r') RaiseUnterminatedString(open.empty() ? at : open.back().at, p >= end_);
  const char* q = p;
  std::string summary;
  if (*p == 'u') {
    ++q;
    while (q < end_ && q < p + 5 && *q != '"' && *q != '\n' && *q != '\r' && *q != '\\') ++q;
    summary = fmt::format("invalid escape `\\{}`, expected four hex digits after `\\u`", std::string_view(p, q - p));
  } else {
    q = p + std::min<std::size_t>(utf8::SequenceLength(static_cast<unsigned char>(*p)), end_ - p);
    summary = fmt::format("invalid escape sequence `\\{}`", std::string_view(p, q - p));
  }
  auto& d = diags_.Error(DiagCode::InvalidEscape, At(at - 1, Off(q)), std::move(summary));
  d.label = "unknown escape";
  d.help.push_back("valid escapes are \\n \\t \\r \\\" \\\\ \\$ and \\uXXXX");
  if (*p != 'u') d.help.push_back("to write a backslash, escape it: `\\\\`");
  Fail();
}

void State::RaiseUnquotedLabel(const Token& t) {
  auto& d = diags_.Error(DiagCode::UnexpectedToken, At(t.begin, t.end),
                         fmt::format("block labels must be quoted strings, found {}", t.what));
  d.label = "not a string";
  d.help.push_back(fmt::format("quote it: `\"{}\"`", std::string_view(t.begin, t.end - t.begin)));
  Fail();
}

// The errors that need more than the token found; returns when none
// applies (and may shorten the token first).
void State::RaiseSpecialCase(Err kind, Token& t) {
  switch (kind) {
    case Err::kItemRest: {
      if (!t.is_name) return;
      // `service app {`: an unquoted label?
      const char* r = t.end;
      while (r < end_) {
        if (*r == ' ' || *r == '\t') {
          ++r;
        } else if (IsIdentFirst(*r)) {
          while (r < end_ && IsIdentOther(*r)) ++r;
        } else if (*r == '"') {
          r = TokenAt(r).end;
        } else {
          break;
        }
      }
      if (r < end_ && *r == '{') RaiseUnquotedLabel(t);
      return;
    }
    case Err::kBlockOpen: {
      std::uint32_t header_end = pending_labels.empty() ? pending_name_span.end : pending_labels.back().span.end;
      bool next_line = std::memchr(base_ + header_end, '\n', Off(t.begin) - header_end) != nullptr;
      if (t.is_name && next_line && !blocks.empty() && pending_labels.size() == 1) {
        // `image "nginx"` and a new item on the next line: an attribute
        // without its `=`, not a block header.
        auto& d = diags_.Error(DiagCode::UnexpectedToken, pending_labels[0].span,
                               fmt::format("expected `=` after `{}`, found a string", pending_name));
        d.label = "the value needs `=` before it";
        d.context = pending_name_span;
        d.help.push_back(fmt::format("attributes are set with `=`: `{} = ...`", pending_name));
        Fail();
      }
      if (t.is_name && !next_line) RaiseUnquotedLabel(t);
      return;
    }
    case Err::kBlockClose: {
      if (!open.empty() && attributes.size() > open.back().mark && ReportMissingValue(&attributes.back(), t)) {
        Fail();
      }
      if (t.first == ']' || t.first == ')' || t.first == ',') {
        auto& d = diags_.Error(DiagCode::UnexpectedToken, At(t.begin, t.end), fmt::format("unexpected {}", t.what));
        d.label = "expected an attribute, a block or `}` here";
        Fail();
      }
      return;
    }
    case Err::kListSep: {
      if (t.is_name && !open.empty() && open.back().kind == OpenConstruct::kList &&
          std::memchr(base_ + open.back().at, '\n', Off(t.begin) - open.back().at) != nullptr) {
        // `name =` on a later line: the list ended without its `]`.
        std::uint32_t after = SkipTrivia(Off(t.end));
        if (after < size_ && base_[after] == '=' && (after + 1 >= size_ || base_[after + 1] != '=')) {
          RaiseUnclosed(open.back(), t);
        }
      }
      return;
    }
    case Err::kInterpValue:
    case Err::kInterpClose: {
      if (t.first == '"') {  // the string's closing quote, not a new string
        t.end = t.begin + 1;
        t.what = "`\"`";
      }
      return;
    }
    default:
      return;
  }
}

std::string State::Subject(Err kind) const {
  switch (RowOf(kind).about) {
    case kName:
      return pending_name;
    case kHeader:
      return WithLabels(pending_name, pending_labels);
    case kKey:
      return entries.empty() ? std::string() : entries.back().key;
    case kRef: {
      std::string ref;
      if (!exprs.empty()) {
        for (const auto& s : exprs.back().path) ref += s.name + ".";
      }
      return ref;
    }
    default:
      return {};
  }
}

void State::AddContext(Err kind, Diagnostic& d) const {
  switch (RowOf(kind).about) {
    case kName:
      d.context = pending_name_span;
      break;
    case kHeader:
      d.context = At(pending_name_span.begin,
                     pending_labels.empty() ? pending_name_span.end : pending_labels.back().span.end);
      break;
    case kInterp:
      if (!open.empty() && open.back().kind == OpenConstruct::kInterp) {
        d.context = At(open.back().at, open.back().at + 2);
      }
      break;
    default:
      break;
  }
}

void State::Raise(Err kind, const char* p) {
  const ErrorRow& row = RowOf(kind);
  if (row.about == kText) RaiseInText(kind, p);

  Token t = TokenAt(base_ + SkipTrivia(Off(p)));
  const std::string subject = Subject(kind);
  if (t.eof) RaiseEof(fmt::format(fmt::runtime(row.at_eof), subject), row.eof_open);
  if (row.closes != 0 && t.first != row.closes && IsCloser(t.first) && !open.empty()) {
    RaiseUnclosed(open.back(), t);
  }
  RaiseSpecialCase(kind, t);

  auto& d = diags_.Error(DiagCode::UnexpectedToken, At(t.begin, t.end),
                         fmt::format(fmt::runtime(row.expected), subject, t.what));
  AddContext(kind, d);
  if (row.ipv6) AddIpv6Help(d, t);
  if (row.hint != nullptr && (row.hint_on == 0 ? d.help.empty() : t.first == row.hint_on)) {
    d.help.push_back(fmt::format(fmt::runtime(row.hint), subject));
  }
  Fail();
}

}  // namespace nest::syntax::parsing
