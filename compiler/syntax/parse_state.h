// The parser's state: what the PEGTL actions (parse_actions.h) build on, and
// what the error messages (parse_errors.cc) and the recovery loop
// (parse_recovery.cc) read. Private to compiler/syntax: no PEGTL type
// appears here, so the files that only report errors do not compile PEGTL.
//
// How parsing works:
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
#pragma once

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/grammar_check.h"
#include "compiler/syntax/literals.h"

namespace nest::syntax::parsing {

inline constexpr std::uint32_t kNone = ~std::uint32_t{0};

// Thrown after a syntax error has been reported; caught by the recovery loop.
struct SyntaxFailure {};

// Which message a failed `must<Rule>` produces (parse_errors.def; the rule
// of each is in parse_actions.h).
enum class Err {
#define NEST_PARSE_ERROR(Kind, ...) k##Kind,
#include "compiler/syntax/parse_errors.def"
#undef NEST_PARSE_ERROR
};

inline bool IsIdentFirst(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
inline bool IsIdentOther(char c) { return IsIdentFirst(c) || (c >= '0' && c <= '9') || c == '-'; }

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
    if (kind != OpenConstruct::kString && ++depth > kMaxNestingDepth) {
      auto& d = diags_.Error(DiagCode::UnexpectedToken, At(Off(at), Off(at) + width),
                             fmt::format("nesting deeper than {} levels", kMaxNestingDepth));
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

  // Ends a label or a quoted map key (plain_mode): its unescaped text.
  std::string EndPlain() {
    std::string text = std::move(plain_buf);
    plain_buf.clear();
    plain_mode = false;
    Close();
    return text;
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

  // ---- errors (parse_errors.cc) ----
  [[noreturn]] void Raise(Err kind, const char* p);
  bool ReportMissingValue(const ast::Attribute* last, const Token& t);
  void ReportStray(const Token& t);

  // ---- the text around an error (parse_tokens.cc) ----
  std::uint32_t SkipTrivia(std::uint32_t from, bool newlines = true) const;
  Token TokenAt(const char* p) const;
  // `service "web"`: a block's type or a pending item's name, with its labels as written.
  std::string WithLabels(std::string name, const std::vector<ast::Label>& labels) const;
  std::string BlockName(const ast::Block& block) const { return WithLabels(block.type, block.labels); }

  // ---- where to resume after an error (parse_recovery.cc) ----
  std::uint32_t MatchBrace(std::uint32_t from) const;
  std::uint32_t NextTopLevelLine(std::uint32_t from) const;
  std::uint32_t AfterRecovery(std::uint32_t from) const;

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
  // ---- parse_errors.cc ----
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
  [[noreturn]] void RaiseInText(Err kind, const char* p);
  [[noreturn]] void RaiseUnquotedLabel(const Token& t);
  void RaiseSpecialCase(Err kind, Token& t);
  std::string Subject(Err kind) const;
  void AddContext(Err kind, Diagnostic& d) const;
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

// Parses the top-level items in [begin, end) of the text, recovering after
// errors; the whole file is [0, size) (parse_recovery.cc).
void ParseRange(State& st, std::uint32_t begin, std::uint32_t end);

}  // namespace nest::syntax::parsing
