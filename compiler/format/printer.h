// The machinery behind FormatFile (compiler/format/formatter.h).
//
// The printer walks the AST in source order. Every sequence (a file, a block
// body, a multi-line list, map or call) is first turned into a list of output
// lines ("elements": an item with its trailing comments, or a line of
// comments), then printed, so `=` signs can be aligned over runs of lines.
//
// Comments are placed by position, never by a cursor shared between phases:
// each comment belongs to exactly one byte range (a gap between items, the
// header of an item, the inside of a container) and is taken from the pool
// once, so it can be neither lost nor printed twice. Comments inside a leaf
// (say, in a string interpolation) are printed as part of the leaf's text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/syntax/ast.h"

namespace nest::format_internal {

class Printer {
 public:
  Printer(std::string_view text, const ast::File& file);
  std::string Print();

 private:
  enum class SeqKind { kFile, kBody, kList, kMap, kCall };

  // One thing of a sequence: an attribute, a block, a map entry or an item of
  // a list or call. Comments in [begin, head_end) (between a name and its
  // value, among a block's labels) are moved before the item; comments in
  // [tail_begin, end) go after it.
  struct Item {
    const ast::Attribute* attribute = nullptr;
    const ast::Block* block = nullptr;
    const ast::MapEntry* entry = nullptr;
    const ast::Expr* element = nullptr;
    std::uint32_t begin = 0, head_end = 0, tail_begin = 0, end = 0;
  };

  // One output line (or several, for a multi-line value).
  struct Element {
    const Item* item = nullptr;           // null: a line of comments
    std::vector<std::uint32_t> comments;  // the line's comments, or the item's trailing ones
    bool blank_before = false;
    bool comma = false;                   // list and call items
    std::size_t key_width = 0;            // aligned `=` column; 0 for a lone key
  };

  // Source helpers; every offset is clamped to the text.
  std::string_view Slice(std::uint32_t begin, std::uint32_t end) const;
  std::string_view Slice(Span span) const;
  bool HasNewline(std::uint32_t begin, std::uint32_t end) const;
  bool HasBlankLine(std::uint32_t begin, std::uint32_t end) const;
  std::uint32_t CloseOf(Span span, char close) const;

  // The comment pool.
  void CollectVerbatim(const ast::Body& body, std::vector<Span>& spans) const;
  void CollectVerbatim(const ast::Expr& expr, std::vector<Span>& spans) const;
  bool HasComment(std::uint32_t begin, std::uint32_t end) const;
  std::vector<std::uint32_t> Take(std::uint32_t begin, std::uint32_t end);
  bool IsLineComment(std::uint32_t comment) const;
  void AppendComment(std::uint32_t comment);

  // Layout decisions.
  static bool IsContainer(const ast::Expr& expr);
  bool IsMultiline(const ast::Expr& expr);
  std::vector<Item> BodyItems(const ast::Body& body) const;
  std::vector<Item> ExprItems(const ast::Expr& expr) const;

  // Output.
  void Indent(int level);
  void AppendVerbatim(std::string_view text);
  void PrintSequence(const std::vector<Item>& items, std::uint32_t open, std::uint32_t close,
                     int level, SeqKind kind);
  void PrintItem(const Element& element, int level);
  void PrintBlock(const ast::Block& block, int level);
  void PrintExpr(const ast::Expr& expr, int level);
  void PrintLeafFallback(const ast::Expr& expr);
  // String text with `"`, `\` and newlines escaped.
  void AppendEscaped(std::string_view text);
  std::string KeyText(const Item& item) const;

  std::string_view text_;
  const ast::File& file_;
  std::string out_;
  std::vector<Span> comments_;         // every comment of the file, by position
  std::vector<std::uint32_t> free_;    // comments not inside a leaf, by position
  std::vector<bool> taken_;            // per comment: already placed (or inside a leaf)
  std::unordered_map<const ast::Expr*, bool> multiline_;
};

}  // namespace nest::format_internal
