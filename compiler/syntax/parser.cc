// The parser: PEGTL grammar (grammar.h) + actions that build the AST directly.
//
// This is the only translation unit that instantiates pegtl::parse. No PEGTL
// type or exception leaves it: syntax errors become Diagnostics and a private
// SyntaxFailure exception that unwinds to ParseFile's recovery loop.
//
// How it works:
//   * The whole file is validated as UTF-8 first (one E005, then nothing).
//   * The top level is parsed in "segments": pegtl::parse<segment> reads
//     items until something that cannot start one. Each completed top-level
//     item goes straight into the File.
//   * A syntax error records one diagnostic and throws SyntaxFailure; the
//     loop then skips the broken top-level item (bracket counting from its
//     `{`, or to the next line that starts with a name at column 1) and
//     starts a new segment there. So each broken top-level item yields one
//     error and no cascade.
//   * Spans are byte offsets from the start of the text; lines and columns
//     are never computed while parsing.
//   * Invalid typed literals (`30x`, `300.1.1.1`) are not syntax errors:
//     parsing goes on, the value becomes a null, and the error is reported
//     when the top-level item completes (a broken item reports only its
//     syntax error).
#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/run_parts.h"
#include "compiler/syntax/grammar.h"
#include "compiler/syntax/grammar_check.h"
#include "compiler/syntax/literals.h"
#include "compiler/syntax/parser.h"
#include "compiler/syntax/utf8.h"

#include <tao/pegtl/contrib/analyze.hpp>

namespace nest {
namespace {

namespace pegtl = tao::pegtl;
namespace g = nest::syntax::grammar;

constexpr std::uint32_t kNone = ~std::uint32_t{0};

// Thrown after a syntax error has been reported; caught by the recovery loop.
struct SyntaxFailure {};

// Which message a failed `must<Rule>` produces.
enum class Err {
  kGeneric,
  kItemRest,      // after `name`: neither `=` nor a block
  kBlockOpen,     // after the labels: no `{`
  kBlockClose,    // in a body: neither an item nor `}`
  kAttrValue,     // after `name =`: no value
  kListItem,
  kListSep,
  kCallArg,
  kCallSep,
  kMapEntry,
  kMapEq,
  kMapValue,
  kRefSegment,    // after `a.`: no name
  kInterpValue,   // after `${`: no expression
  kInterpClose,   // no `}` after the interpolated expression
  kStrClose,      // no closing quote
  kLabelClose,
  kKeyClose,
  kEscape,        // after `\`
  kCommentClose,  // no `*/`
};

bool IsIdentFirst(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentOther(char c) { return IsIdentFirst(c) || (c >= '0' && c <= '9') || c == '-'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// 1 + the number of `.name` segments at `p`: the length of a reference
// whose first name ends at `p`, so its path is allocated once.
std::size_t SegmentCount(const char* p, const char* end) {
  std::size_t count = 1;
  while (p + 1 < end && p[0] == '.' && IsIdentFirst(p[1])) {
    ++count;
    for (p += 2; p < end && IsIdentOther(*p); ++p) {
    }
  }
  return count;
}
bool IsNumChar(char c) {
  return IsIdentOther(c) || c == '.' || c == '%' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

std::string Code(std::string_view s) { return fmt::format("`{}`", s); }

// One token at the spot of an error, for "found X" and for the subject span.
struct Token {
  const char* begin;
  const char* end;
  std::string what;  // "`]`", "`name`", "a string", "end of file"
  bool eof = false;
  bool is_name = false;
  bool is_string = false;
  char first = 0;
};

class Parser;

// An open construct, innermost last; used for "never closed" errors and to
// bound nesting.
struct OpenConstruct {
  enum Kind : std::uint8_t { kBlock, kList, kMap, kCall, kInterp, kString };
  Kind kind;
  std::uint32_t at;        // offset of the opening token
  std::uint32_t mark = 0;  // lists and calls: index of the Expr in `exprs`;
                           // maps: first entry in `entries`; blocks: first
                           // attribute in `attributes`
  std::uint32_t block_mark = 0;  // blocks: first nested block in `closed_blocks`
};

// The parse state shared by all actions: a stack of expressions under
// construction, a stack of open blocks, and the pending item header.
class State {
 public:
  State(std::string_view text, FileId file, ast::File& out, Diagnostics& diags)
      : base_(text.data()), end_(text.data() + text.size()), size_(static_cast<std::uint32_t>(text.size())),
        file_(file), out_(out), diags_(diags) {}

  // ---- helpers used by actions ----
  std::uint32_t Off(const char* p) const { return static_cast<std::uint32_t>(p - base_); }
  Span At(const char* b, const char* e) const { return {file_, Off(b), Off(e)}; }
  Span At(std::uint32_t b, std::uint32_t e) const { return {file_, b, e}; }


  void Reset() {
    exprs.clear();
    entries.clear();
    attributes.clear();
    blocks.clear();
    closed_blocks.clear();
    open.clear();
    depth = 0;
    plain_mode = false;
    item_start = kNone;
    pending_labels.clear();
    pending_literals.clear();
  }

  void Open(OpenConstruct::Kind kind, const char* at, std::uint32_t width, std::size_t mark = 0) {
    if (kind != OpenConstruct::kString && ++depth > syntax::kMaxNestingDepth) {
      auto& d = diags_.Error(DiagCode::UnexpectedToken, At(Off(at), Off(at) + width),
                             fmt::format("nesting deeper than {} levels", syntax::kMaxNestingDepth));
      d.label = "too deeply nested";
      d.help.push_back("flatten the structure");
      throw SyntaxFailure{};
    }
    open.push_back({kind, Off(at), static_cast<std::uint32_t>(mark)});
  }
  void Close() {
    if (open.empty()) return;
    if (open.back().kind != OpenConstruct::kString) --depth;
    open.pop_back();
  }

  // The expression stack: each finished expression is moved once, from the
  // top of the stack into its parent.
  ast::Expr& PushExpr(ast::ExprKind kind) {
    ast::Expr& e = exprs.emplace_back();
    e.kind = kind;
    return e;
  }
  ast::Expr& Below() { return exprs[exprs.size() - 2]; }
  void PopInto(std::vector<ast::Expr>& to) {
    to.push_back(std::move(exprs.back()));
    exprs.pop_back();
  }
  // Moves stack[mark, end) into `to`, sized exactly: collections are built on
  // scratch stacks so their vectors never grow by doubling.
  template <typename T>
  static void MoveTail(std::vector<T>& stack, std::size_t mark, std::vector<T>& to) {
    if (mark >= stack.size()) return;
    to.reserve(stack.size() - mark);
    for (std::size_t i = mark; i < stack.size(); ++i) to.push_back(std::move(stack[i]));
    stack.erase(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
  }

  // Literal string text (already unescaped): the string's text until an
  // interpolation comes, then merged into the previous part.
  void AppendText(std::string_view text, std::uint32_t begin, std::uint32_t end) {
    if (plain_mode) {
      plain_buf.append(text);
      return;
    }
    if (exprs.back().parts().empty()) {
      exprs.back().text.append(text);
      return;
    }
    auto& parts = exprs.back().mutable_parts();
    if (!parts.empty() && !parts.back().is_interpolation) {
      parts.back().text.append(text);
      parts.back().span.end = end;
      return;
    }
    ast::TemplatePart& part = parts.emplace_back();
    part.text.assign(text);
    part.span = At(begin, end);
  }

  void RecordComment(const char* b, const char* e) {
    bool block = e - b >= 2 && b[0] == '/' && b[1] == '*';
    if (!block && e > b && e[-1] == '\r') --e;  // `# x\r\n`: the CR is not part of it
    Span span = At(b, e);
    auto& comments = out_.comments;
    if (comments.empty() || comments.back().span.begin < span.begin) {
      comments.push_back({span});
      return;
    }
    // Seen again after backtracking, or out of order: keep one, sorted.
    auto it = std::lower_bound(comments.begin(), comments.end(), span.begin,
                               [](const ast::Comment& c, std::uint32_t b) { return c.span.begin < b; });
    if (it != comments.end() && it->span.begin == span.begin) return;
    comments.insert(it, {span});
  }

  // Invalid literals are held until their top-level item completes: if the
  // item fails with a syntax error (often a truncation, `ports = [80:`),
  // that one error is all the item reports.
  void ReportLiteral(LiteralError error, Span span) { pending_literals.push_back({std::move(error), span}); }
  void ItemDone() {
    if (!blocks.empty()) return;
    item_start = kNone;
    for (auto& [error, span] : pending_literals) {
      auto& d = diags_.Error(error.code, span, std::move(error.summary));
      d.help = std::move(error.help);
      d.notes = std::move(error.notes);
    }
    pending_literals.clear();
  }

  // ---- errors ----
  [[noreturn]] void Raise(Err kind, const char* p);

  // ---- recovery (used by the driver loop) ----
  std::uint32_t MatchBrace(std::uint32_t from) const;
  std::uint32_t NextTopLevelLine(std::uint32_t from) const;
  std::uint32_t AfterRecovery(std::uint32_t from) const;
  std::uint32_t SkipTrivia(std::uint32_t from, bool newlines = true) const;
  Token TokenAt(const char* p) const;
  std::string BlockName(const ast::Block& block) const;
  bool ReportMissingValue(const ast::Attribute* last, const Token& t);
  void ReportStray(const Token& t);

  const char* base() const { return base_; }
  const char* end() const { return end_; }
  std::uint32_t size() const { return size_; }
  FileId file() const { return file_; }
  ast::File& out() { return out_; }
  Diagnostics& diags() { return diags_; }

  std::vector<ast::Expr> exprs;           // expressions under construction, list items
  std::vector<ast::MapEntry> entries;     // entries of the open maps
  std::vector<ast::Attribute> attributes; // attributes of the open blocks
  std::vector<ast::Block> blocks;
  // Blocks closed inside a block still open, until it closes and takes
  // them: like attributes, so that a body's blocks are sized exactly.
  std::vector<ast::Block> closed_blocks;
  std::vector<OpenConstruct> open;
  int depth = 0;
  std::string pending_name;
  Span pending_name_span;
  std::vector<ast::Label> pending_labels;
  bool plain_mode = false;  // inside a label or a quoted map key
  std::string plain_buf;
  std::uint32_t plain_begin = 0;
  std::uint32_t item_start = kNone;  // offset of the top-level item being parsed
  std::uint32_t comment_start = 0;   // offset of the last `/*`
  std::vector<std::pair<LiteralError, Span>> pending_literals;

 private:
  Span EofSpan() const {
    std::uint32_t b = size_ > 0 ? size_ - 1 : 0;
    return {file_, b, size_};
  }
  // An "unexpected end of file" error: inside a string it is the string that
  // is never closed (E003); where only a closer is missing, the innermost
  // open construct (E007/E002); otherwise E006 at the end of the file.
  [[noreturn]] void RaiseEof(const std::string& expected, bool closer_allowed);
  [[noreturn]] void RaiseUnterminatedString(std::uint32_t quote, bool at_eof);
  [[noreturn]] void RaiseUnclosed(const OpenConstruct& c, const Token& t);
  void AddUnclosedBlockNote(Diagnostic& d) const;
  void AddIpv6Help(Diagnostic& d, const Token& t) const;
  [[noreturn]] void Fail() { throw SyntaxFailure{}; }

  const char* base_;
  const char* end_;
  std::uint32_t size_;
  FileId file_;
  ast::File& out_;
  Diagnostics& diags_;
};

// ---------------------------------------------------------------------------
// Tokens and error messages

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

std::string State::BlockName(const ast::Block& block) const {
  std::string name = block.type;
  for (const auto& label : block.labels) {
    name += ' ';
    name.append(base_ + label.span.begin, label.span.end - label.span.begin);
  }
  return name;
}

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
  if (t.first == '}' || t.first == ']' || t.first == ')') {
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

void State::Raise(Err kind, const char* p) {
  const std::uint32_t at = Off(p);
  switch (kind) {
    // Errors inside a string: no whitespace skipping.
    case Err::kStrClose:
    case Err::kLabelClose:
    case Err::kKeyClose: {
      if (kind != Err::kStrClose && p + 1 < end_ && p[0] == '$' && p[1] == '{') {
        auto& d = diags_.Error(DiagCode::UnexpectedToken, At(at, at + 2),
                               kind == Err::kLabelClose ? "block labels cannot contain interpolation"
                                                        : "map keys cannot contain interpolation");
        d.label = "interpolation is not allowed here";
        d.help.push_back(kind == Err::kLabelClose ? "labels are plain strings; write `\\${` for a literal `${`"
                                                  : "keys are plain strings; write `\\${` for a literal `${`");
        Fail();
      }
      std::uint32_t quote = open.empty() ? at : open.back().at;
      RaiseUnterminatedString(quote, p >= end_);
    }
    case Err::kEscape: {
      if (p >= end_ || *p == '\n' || *p == '\r') {
        std::uint32_t quote = open.empty() ? at : open.back().at;
        RaiseUnterminatedString(quote, p >= end_);
      }
      const char* q = p;
      std::string summary;
      if (*p == 'u') {
        ++q;
        while (q < end_ && q < p + 5 && *q != '"' && *q != '\n' && *q != '\r' && *q != '\\') ++q;
        summary = fmt::format("invalid escape `\\{}`, expected four hex digits after `\\u`",
                              std::string_view(p, q - p));
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
    case Err::kCommentClose: {
      std::uint32_t start = comment_start;
      auto& d = diags_.Error(DiagCode::UnexpectedEof, At(start, start + 2),
                             "unexpected end of file, expected `*/` to close the comment");
      d.label = "this comment is never closed";
      Fail();
    }
    default:
      break;
  }

  const char* q = base_ + SkipTrivia(at);
  Token t = TokenAt(q);
  Span span = At(t.begin, t.end);
  auto closes_other = [&](char mine) {
    return t.first != mine && (t.first == '}' || t.first == ']' || t.first == ')');
  };

  switch (kind) {
    case Err::kItemRest: {
      if (t.eof) RaiseEof(fmt::format("`=` or a block after `{}`", pending_name), false);
      if (t.is_name) {
        // `service app {`: an unquoted label?
        const char* r = t.end;
        while (r < end_) {
          if (*r == ' ' || *r == '\t') {
            ++r;
          } else if (IsIdentFirst(*r)) {
            while (r < end_ && IsIdentOther(*r)) ++r;
          } else if (*r == '"') {
            Token s = TokenAt(r);
            r = s.end;
          } else {
            break;
          }
        }
        if (r < end_ && *r == '{') {
          auto& d = diags_.Error(DiagCode::UnexpectedToken, span,
                                 fmt::format("block labels must be quoted strings, found {}", t.what));
          d.label = "not a string";
          d.help.push_back(fmt::format("quote it: `\"{}\"`", std::string_view(t.begin, t.end - t.begin)));
          Fail();
        }
      }
      auto& d = diags_.Error(DiagCode::UnexpectedToken, span,
                             fmt::format("expected `=` or a block after `{}`, found {}", pending_name, t.what));
      d.context = pending_name_span;
      if (t.first == ':') d.help.push_back(fmt::format("attributes are set with `=`: `{} = ...`", pending_name));
      Fail();
    }
    case Err::kBlockOpen: {
      std::string header = pending_name;
      for (const auto& l : pending_labels) {
        header += ' ';
        header.append(base_ + l.span.begin, l.span.end - l.span.begin);
      }
      if (t.eof) RaiseEof(fmt::format("`{{` after `{}`", header), false);
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
      if (t.is_name && !next_line) {
        auto& d = diags_.Error(DiagCode::UnexpectedToken, span,
                               fmt::format("block labels must be quoted strings, found {}", t.what));
        d.label = "not a string";
        d.help.push_back(fmt::format("quote it: `\"{}\"`", std::string_view(t.begin, t.end - t.begin)));
        Fail();
      }
      auto& d = diags_.Error(DiagCode::UnexpectedToken, span,
                             fmt::format("expected `{{` after `{}`, found {}", header, t.what));
      d.context = At(pending_name_span.begin, pending_labels.empty() ? pending_name_span.end
                                                                     : pending_labels.back().span.end);
      if (t.first == '=') d.help.push_back("an attribute has no labels; a block is written `type \"label\" { ... }`");
      Fail();
    }
    case Err::kBlockClose: {
      if (t.eof) RaiseEof("`}`", true);
      if (!open.empty() && attributes.size() > open.back().mark && ReportMissingValue(&attributes.back(), t)) {
        Fail();
      }
      if (t.first == ']' || t.first == ')' || t.first == ',') {
        auto& d = diags_.Error(DiagCode::UnexpectedToken, span, fmt::format("unexpected {}", t.what));
        d.label = "expected an attribute, a block or `}` here";
        Fail();
      }
      auto& d = diags_.Error(DiagCode::UnexpectedToken, span,
                             fmt::format("expected an attribute, a block or `}}`, found {}", t.what));
      if (t.is_string) d.help.push_back("attribute and block names are not quoted");
      AddIpv6Help(d, t);
      Fail();
    }
    case Err::kAttrValue: {
      if (t.eof) RaiseEof(fmt::format("a value after `{} =`", pending_name), false);
      auto& d = diags_.Error(DiagCode::UnexpectedToken, span,
                             fmt::format("expected a value after `{} =`, found {}", pending_name, t.what));
      d.context = pending_name_span;
      if (t.first == '\'') d.help.push_back("strings use double quotes: `\"...\"`");
      Fail();
    }
    case Err::kListItem:
    case Err::kListSep:
    case Err::kCallArg:
    case Err::kCallSep:
    case Err::kMapEntry: {
      char mine = (kind == Err::kListItem || kind == Err::kListSep) ? ']' : (kind == Err::kMapEntry ? '}' : ')');
      if (t.eof) RaiseEof(Code(std::string(1, mine)), true);
      if (closes_other(mine) && !open.empty()) RaiseUnclosed(open.back(), t);
      if (kind == Err::kListSep && t.is_name && !open.empty() && open.back().kind == OpenConstruct::kList &&
          std::memchr(base_ + open.back().at, '\n', Off(t.begin) - open.back().at) != nullptr) {
        // `name =` on a later line: the list ended without its `]`.
        std::uint32_t after = SkipTrivia(Off(t.end));
        if (after < size_ && base_[after] == '=' && (after + 1 >= size_ || base_[after + 1] != '=')) {
          RaiseUnclosed(open.back(), t);
        }
      }
      std::string summary;
      switch (kind) {
        case Err::kListItem: summary = fmt::format("expected a list item or `]`, found {}", t.what); break;
        case Err::kListSep: summary = fmt::format("expected `,` or `]` after the list item, found {}", t.what); break;
        case Err::kCallArg: summary = fmt::format("expected an argument or `)`, found {}", t.what); break;
        case Err::kCallSep: summary = fmt::format("expected `,` or `)` after the argument, found {}", t.what); break;
        default: summary = fmt::format("expected a map key or `}}`, found {}", t.what); break;
      }
      auto& d = diags_.Error(DiagCode::UnexpectedToken, span, std::move(summary));
      AddIpv6Help(d, t);
      if (d.help.empty() && (kind == Err::kListSep || kind == Err::kCallSep)) {
        d.help.push_back("separate the items with commas");
      }
      Fail();
    }
    case Err::kMapEq:
    case Err::kMapValue: {
      std::string key;
      if (!entries.empty()) key = entries.back().key;
      if (t.eof) {
        RaiseEof(kind == Err::kMapEq ? fmt::format("`=` after the map key `{}`", key)
                                     : fmt::format("a value after `{} =`", key),
                 false);
      }
      std::string summary = kind == Err::kMapEq
                                ? fmt::format("expected `=` after the map key `{}`, found {}", key, t.what)
                                : fmt::format("expected a value after `{} =`, found {}", key, t.what);
      auto& d = diags_.Error(DiagCode::UnexpectedToken, span, std::move(summary));
      if (kind == Err::kMapEq && t.first == ':') d.help.push_back("map entries are written `key = value`");
      Fail();
    }
    case Err::kRefSegment: {
      std::string ref;
      if (!exprs.empty()) {
        for (const auto& s : exprs.back().path) ref += s.name + ".";
      }
      if (t.eof) RaiseEof(fmt::format("a name after `{}`", ref), false);
      diags_.Error(DiagCode::UnexpectedToken, span, fmt::format("expected a name after `{}`, found {}", ref, t.what));
      Fail();
    }
    case Err::kInterpValue:
    case Err::kInterpClose: {
      if (t.eof) RaiseEof(kind == Err::kInterpValue ? "an expression after `${`" : "`}`", true);
      if (t.first == '"') {  // the string's closing quote, not a new string
        t.end = t.begin + 1;
        t.what = "`\"`";
        span = At(t.begin, t.end);
      }
      std::string summary = kind == Err::kInterpValue
                                ? fmt::format("expected an expression after `${{`, found {}", t.what)
                                : fmt::format("expected `}}` to close the interpolation, found {}", t.what);
      auto& d = diags_.Error(DiagCode::UnexpectedToken, span, std::move(summary));
      if (!open.empty() && open.back().kind == OpenConstruct::kInterp) {
        d.context = At(open.back().at, open.back().at + 2);
      }
      Fail();
    }
    default: {
      if (t.eof) RaiseEof("more input", true);
      diags_.Error(DiagCode::UnexpectedToken, span, fmt::format("unexpected {}", t.what));
      Fail();
    }
  }
}

// ---------------------------------------------------------------------------
// Recovery scanning (strings and comments are skipped, never counted)

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

std::uint32_t State::MatchBrace(std::uint32_t i) const {
  int depth = 0;
  while (i < size_) {
    std::uint32_t skipped = SkipOpaque(base_, size_, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    char c = base_[i++];
    if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth <= 0) return i;
    }
  }
  return size_;
}

std::uint32_t State::NextTopLevelLine(std::uint32_t i) const {
  while (i < size_) {
    std::uint32_t skipped = SkipOpaque(base_, size_, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (base_[i++] == '\n' && i < size_ && IsIdentFirst(base_[i])) return i;
  }
  return size_;
}

std::uint32_t State::AfterRecovery(std::uint32_t from) const {
  std::uint32_t q = SkipTrivia(from, /*newlines=*/false);
  if (q < size_ && IsIdentFirst(base_[q])) return q;
  return NextTopLevelLine(from);
}

// ---------------------------------------------------------------------------
// Actions

template <typename Rule>
struct Action : pegtl::nothing<Rule> {};

template <>
struct Action<g::line_comment> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.RecordComment(in.begin(), in.end());
  }
};
template <>
struct Action<g::block_comment_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.comment_start = st.Off(in.begin());
  }
};
template <>
struct Action<g::block_comment> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.RecordComment(in.begin(), in.end());
  }
};

// ---- strings ----

template <>
struct Action<g::str_plain> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.AppendText(in.string_view(), st.Off(in.begin()), st.Off(in.end()));
  }
};
template <>
struct Action<g::str_dollar> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.AppendText("$", st.Off(in.begin()), st.Off(in.end()));
  }
};
template <>
struct Action<g::esc_simple> {
  template <typename In>
  static void apply(const In& in, State& st) {
    char c = *in.begin();
    char out = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
    st.AppendText(std::string_view(&out, 1), st.Off(in.begin()) - 1, st.Off(in.end()));
  }
};
template <>
struct Action<g::esc_unicode> {
  template <typename In>
  static void apply(const In& in, State& st) {
    std::uint32_t cp = 0;
    for (const char* p = in.begin() + 1; p < in.end(); ++p) {
      char c = *p;
      cp = cp * 16 + static_cast<std::uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    std::uint32_t begin = st.Off(in.begin()) - 1;
    if (!utf8::IsScalar(cp)) {
      auto& d = st.diags().Error(DiagCode::InvalidEscape, st.At(begin, st.Off(in.end())),
                                 fmt::format("invalid escape `\\{}`: U+{:04X} is a surrogate, not a character",
                                             in.string_view(), cp));
      d.label = "not a unicode scalar value";
      d.help.push_back("write the character itself, or its code point outside U+D800..U+DFFF");
      throw SyntaxFailure{};
    }
    std::string encoded;
    utf8::Append(encoded, cp);
    st.AppendText(encoded, begin, st.Off(in.end()));
  }
};

template <>
struct Action<g::str_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kString, in.begin(), 1);
    ast::Expr& e = st.PushExpr(ast::ExprKind::kString);
    e.span = st.At(in.begin(), in.end());
  }
};
template <>
struct Action<g::str_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.exprs.back().span.end = st.Off(in.end());
    st.Close();
  }
};
template <>
struct Action<g::interp_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kInterp, in.begin(), 2);
    ast::Expr& e = st.exprs.back();
    // The first interpolation: the text so far becomes the first part.
    if (e.parts().empty() && !e.text.empty()) {
      ast::TemplatePart& text = e.mutable_parts().emplace_back();
      text.text = std::move(e.text);
      text.span = st.At(e.span.begin + 1, st.Off(in.begin()));
      e.text.clear();
    }
    ast::TemplatePart part;
    part.is_interpolation = true;
    part.span = st.At(in.begin(), in.end());
    e.mutable_parts().push_back(std::move(part));
  }
};
template <>
struct Action<g::interp_value> {
  static void apply0(State& st) {
    st.PopInto(st.Below().mutable_parts().back().expr);
  }
};
template <>
struct Action<g::interp_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.exprs.back().mutable_parts().back().span.end = st.Off(in.end());
    st.Close();
  }
};

template <>
struct Action<g::label_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kString, in.begin(), 1);
    st.plain_mode = true;
    st.plain_buf.clear();
    st.plain_begin = st.Off(in.begin());
  }
};
template <>
struct Action<g::label_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.pending_labels.push_back({std::move(st.plain_buf), st.At(st.plain_begin, st.Off(in.end()))});
    st.plain_buf.clear();
    st.plain_mode = false;
    st.Close();
  }
};
template <>
struct Action<g::key_open> : Action<g::label_open> {};
template <>
struct Action<g::key_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::MapEntry entry;
    entry.key = std::move(st.plain_buf);
    entry.key_span = st.At(st.plain_begin, st.Off(in.end()));
    entry.quoted_key = true;
    st.entries.push_back(std::move(entry));
    st.plain_buf.clear();
    st.plain_mode = false;
    st.Close();
  }
};

// ---- scalars ----

template <>
struct Action<g::number_lit> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.PushExpr(ast::ExprKind::kNull);
    e.span = st.At(in.begin(), in.end());
    if (auto error = ParseNumericLiteralInto(in.string_view(), e)) {
      e.kind = ast::ExprKind::kNull;  // a null stands in for the bad literal
      st.ReportLiteral(std::move(*error), e.span);
    }
  }
};

template <ast::ExprKind Kind, bool Value>
struct KeywordAction {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.PushExpr(Kind);
    e.boolean = Value;
    e.span = st.At(in.begin(), in.end());
  }
};
template <>
struct Action<g::kw_true> : KeywordAction<ast::ExprKind::kBool, true> {};
template <>
struct Action<g::kw_false> : KeywordAction<ast::ExprKind::kBool, false> {};
template <>
struct Action<g::kw_null> : KeywordAction<ast::ExprKind::kNull, false> {};

template <>
struct Action<g::ref_head> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.PushExpr(ast::ExprKind::kReference);
    e.span = st.At(in.begin(), in.end());
    e.path.reserve(SegmentCount(in.end(), st.end()));
    e.path.push_back({in.string(), e.span});
  }
};
template <>
struct Action<g::ref_segment> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.exprs.back();
    e.path.push_back({in.string(), st.At(in.begin(), in.end())});
    e.span.end = st.Off(in.end());
  }
};

// ---- calls, lists, maps ----

template <>
struct Action<g::call_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kCall, in.end() - 1, 1, st.exprs.size());
    ast::Expr& e = st.PushExpr(ast::ExprKind::kCall);
    e.span = st.At(in.begin(), in.end());
    e.path.push_back({std::string(in.begin(), in.end() - 1), st.At(in.begin(), in.end() - 1)});
  }
};

// List items and call arguments stay on the expression stack until the
// closing bracket moves them into the collection.

template <ast::ExprKind Kind, OpenConstruct::Kind Open>
struct CollectionOpen {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(Open, in.begin(), 1, Kind == ast::ExprKind::kMap ? st.entries.size() : st.exprs.size());
    ast::Expr& e = st.PushExpr(Kind);
    e.span = st.At(in.begin(), in.end());
  }
};
struct CollectionClose {
  template <typename In>
  static void apply(const In& in, State& st) {
    std::uint32_t mark = st.open.back().mark;
    if (st.open.back().kind == OpenConstruct::kMap) {
      State::MoveTail(st.entries, mark, st.exprs.back().mutable_entries());
    } else {
      State::MoveTail(st.exprs, mark + 1, st.exprs[mark].mutable_items());
    }
    ast::Expr& e = st.exprs.back();
    e.span.end = st.Off(in.end());
    e.multiline = std::memchr(st.base() + e.span.begin, '\n', e.span.end - e.span.begin) != nullptr;
    st.Close();
  }
};
template <>
struct Action<g::list_open> : CollectionOpen<ast::ExprKind::kList, OpenConstruct::kList> {};
template <>
struct Action<g::list_close> : CollectionClose {};
template <>
struct Action<g::map_open> : CollectionOpen<ast::ExprKind::kMap, OpenConstruct::kMap> {};
template <>
struct Action<g::map_close> : CollectionClose {};
template <>
struct Action<g::call_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    std::uint32_t mark = st.open.back().mark;
    State::MoveTail(st.exprs, mark + 1, st.exprs[mark].mutable_items());
    st.exprs.back().span.end = st.Off(in.end());
    st.Close();
  }
};

template <>
struct Action<g::map_key_ident> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::MapEntry entry;
    entry.key = in.string();
    entry.key_span = st.At(in.begin(), in.end());
    st.entries.push_back(std::move(entry));
  }
};
template <>
struct Action<g::map_value> {
  static void apply0(State& st) {
    st.entries.back().value = std::move(st.exprs.back());
    st.exprs.pop_back();
  }
};

// ---- bodies ----

template <>
struct Action<g::item_name> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.pending_name.assign(in.begin(), in.end());
    st.pending_name_span = st.At(in.begin(), in.end());
    st.pending_labels.clear();
    if (st.blocks.empty()) st.item_start = st.Off(in.begin());
  }
};
template <>
struct Action<g::attr_rest> {
  static void apply0(State& st) {
    // Built in place: the value is moved once, off the expression stack.
    ast::Attribute& attr = (st.blocks.empty() ? st.out().body.attributes : st.attributes).emplace_back();
    attr.name = std::move(st.pending_name);
    attr.name_span = st.pending_name_span;
    attr.value = std::move(st.exprs.back());
    st.exprs.pop_back();
    attr.span = Span::Join(attr.name_span, attr.value.span);
    st.ItemDone();
  }
};
template <>
struct Action<g::block_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kBlock, in.begin(), 1, st.attributes.size());
    st.open.back().block_mark = static_cast<std::uint32_t>(st.closed_blocks.size());
    ast::Block& block = st.blocks.emplace_back();
    block.type = std::move(st.pending_name);
    block.type_span = st.pending_name_span;
    block.labels = std::move(st.pending_labels);
    block.open_brace = st.At(in.begin(), in.end());
    st.pending_labels.clear();
  }
};
template <>
struct Action<g::block_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Block block = std::move(st.blocks.back());
    st.blocks.pop_back();
    State::MoveTail(st.attributes, st.open.back().mark, block.body.attributes);
    State::MoveTail(st.closed_blocks, st.open.back().block_mark, block.body.blocks);
    block.span = {block.type_span.file, block.type_span.begin, st.Off(in.end())};
    if (st.blocks.empty()) st.out().body.blocks.push_back(std::move(block));
    else st.closed_blocks.push_back(std::move(block));
    st.Close();
    st.ItemDone();
  }
};

// ---------------------------------------------------------------------------
// Control: every failed must<Rule> becomes one diagnostic.

template <typename Rule>
struct ErrorOf {
  static constexpr Err value = Err::kGeneric;
};
#define NEST_ERROR_OF(rule, err)               \
  template <>                                  \
  struct ErrorOf<g::rule> {                    \
    static constexpr Err value = Err::err;     \
  };
NEST_ERROR_OF(item_rest, kItemRest)
NEST_ERROR_OF(block_open, kBlockOpen)
NEST_ERROR_OF(block_close, kBlockClose)
NEST_ERROR_OF(attr_value, kAttrValue)
NEST_ERROR_OF(list_item, kListItem)
NEST_ERROR_OF(list_sep, kListSep)
NEST_ERROR_OF(call_arg, kCallArg)
NEST_ERROR_OF(call_sep, kCallSep)
NEST_ERROR_OF(map_entry, kMapEntry)
NEST_ERROR_OF(map_eq, kMapEq)
NEST_ERROR_OF(map_value, kMapValue)
NEST_ERROR_OF(ref_segment, kRefSegment)
NEST_ERROR_OF(interp_value, kInterpValue)
NEST_ERROR_OF(interp_close, kInterpClose)
NEST_ERROR_OF(str_close, kStrClose)
NEST_ERROR_OF(label_close, kLabelClose)
NEST_ERROR_OF(key_close, kKeyClose)
NEST_ERROR_OF(esc_char, kEscape)
NEST_ERROR_OF(block_comment_rest, kCommentClose)
#undef NEST_ERROR_OF

template <typename Rule>
struct Control : pegtl::normal<Rule> {
  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, State& st) {
    st.Raise(ErrorOf<Rule>::value, in.current());
  }
};

// ---------------------------------------------------------------------------
// The driver loop

// Parses the top-level items in [begin, end) of the text, recovering after
// errors; the whole file is [0, size).
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

// A large file is cut into parts at top-level block boundaries and the parts
// are parsed by a few threads (RunParts). A cut is
// made only after a line that is a lone `}` and, past any blank lines,
// before a line that starts with a name: in a formatted file, the end of one
// top-level block and the start of the next item.
//
// Why the parts' result is the whole file's: every construct that spans lines
// (block, list, map, call, comment) must be closed, and strings cannot span
// lines. So when each part parses without any diagnostic, no construct
// crossed a cut, and the items are those a single pass finds. When any part
// has a diagnostic (a bad cut inside an unformatted block, or a real error),
// the caller parses the whole file again in one pass, so diagnostics are
// always a single pass's.
std::vector<std::uint32_t> CutPoints(std::string_view text, std::size_t parts) {
  std::vector<std::uint32_t> cuts{0};
  for (std::size_t part = 1; part < parts; ++part) {
    std::size_t at = std::max<std::size_t>(text.size() * part / parts, cuts.back() + 1);
    std::size_t cut = std::string_view::npos;
    for (std::size_t found = text.find("\n}\n", at == 0 ? 0 : at - 1); found != std::string_view::npos;
         found = text.find("\n}\n", found + 1)) {
      std::size_t next = found + 3;
      while (next < text.size() && text[next] == '\n') ++next;  // blank lines
      if (next >= text.size()) break;
      char c = text[next];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
        cut = next;
        break;
      }
    }
    if (cut == std::string_view::npos) break;
    cuts.push_back(static_cast<std::uint32_t>(cut));
  }
  cuts.push_back(static_cast<std::uint32_t>(text.size()));
  return cuts;
}

bool ParseInParts(std::string_view text, FileId file, ast::File& out, unsigned threads) {
  // One part a thread (PartsFor; a part is at least
  // 256 KiB, and the file over 512 KiB).
  constexpr std::size_t kMinPart = 256 << 10;
  if (threads == 1 || text.size() < 2 * kMinPart) return false;
  std::size_t parts = PartsFor(text.size(), kMinPart, threads);
  std::vector<std::uint32_t> cuts = CutPoints(text, parts);
  parts = cuts.size() - 1;
  if (parts < 2) return false;

  std::vector<ast::File> files(parts);
  std::vector<Diagnostics> diags(parts);
  RunParts(parts, ThreadsFor(parts, threads), [&](std::size_t part) {
    State st(text, file, files[part], diags[part]);
    ParseRange(st, cuts[part], cuts[part + 1]);
  });
  for (const auto& part : diags)
    if (!part.empty()) return false;

  std::size_t attributes = 0, blocks = 0, comments = 0;
  for (const auto& f : files) {
    attributes += f.body.attributes.size();
    blocks += f.body.blocks.size();
    comments += f.comments.size();
  }
  out.body.attributes.reserve(attributes);
  out.body.blocks.reserve(blocks);
  out.comments.reserve(comments);
  for (auto& f : files) {
    std::move(f.body.attributes.begin(), f.body.attributes.end(), std::back_inserter(out.body.attributes));
    std::move(f.body.blocks.begin(), f.body.blocks.end(), std::back_inserter(out.body.blocks));
    std::move(f.comments.begin(), f.comments.end(), std::back_inserter(out.comments));
  }
  return true;
}

}  // namespace

ast::File ParseFile(const SourceManager& sources, FileId file, Diagnostics& diags, unsigned threads) {
  ast::File out;
  out.id = file;
  if (file >= sources.size()) return out;
  try {
    std::string_view text = sources.file(file).text();
    if (text.size() >= kNone) {
      diags.Error(DiagCode::CannotRead, Span{file, 0, 0}, "file is too large to parse (4 GiB or more)");
      return out;
    }
    if (auto bad = utf8::FindInvalid(text)) {
      auto at = static_cast<std::uint32_t>(*bad);
      auto& d = diags.Error(DiagCode::InvalidUtf8, Span{file, at, at + 1},
                            fmt::format("invalid UTF-8 sequence starting with byte 0x{:02X}",
                                        static_cast<unsigned char>(text[at])));
      d.label = "not UTF-8";
      d.help.push_back("save the file as UTF-8");
      return out;
    }
    if (!ParseInParts(text, file, out, threads)) {
      State st(text, file, out, diags);
      ParseRange(st, 0, st.size());
    }
  } catch (...) {
    // Only resource exhaustion can get here; report it rather than crash.
    out.body = {};
    try {
      diags.Error(DiagCode::CannotRead, Span{file, 0, 0}, "out of memory while parsing");
    } catch (...) {
    }
  }
  return out;
}

namespace syntax {
std::size_t AnalyzeGrammarForTests() { return pegtl::analyze<grammar::segment>(1); }
}  // namespace syntax

}  // namespace nest
