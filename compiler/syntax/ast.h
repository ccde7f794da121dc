// The syntax tree: a generic HCL-like shape (blocks, attributes, expressions).
//
// The grammar knows nothing about services or networks; meaning is applied
// later by checking each block against a schema table (compiler/check/schema).
// Every node keeps its Span so later phases can point at the source, and the
// formatter can reprint leaves exactly as written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/source/source.h"
#include "compiler/syntax/port.h"

namespace nest::ast {

enum class ExprKind : std::uint8_t {
  kString,     // "text": text; "text ${expr} text": parts
  kNumber,     // 3, 1.5, -2: number, is_integer
  kBool,       // true, false: boolean
  kNull,       // null
  kDuration,   // 30s, 1h30m, 500ms: nanos
  kSize,       // 512MiB, 1GB, 100B: bytes
  kPercent,    // 70%, 12.5%: number
  kCidr,       // 172.30.1.0/24, fd00::/64: text (as written)
  kIp,         // 172.30.1.1: text
  kPort,       // 8080:80, 8080:80/udp, 53/udp: port
  kList,       // [a, b]: items
  kMap,        // { key = value, "key" = value }: entries
  kReference,  // service.app, var.x, module.db.host, or a bare word (start-first): path
  kCall,       // list(string): path[0] is the name, items are the arguments
};

struct Expr;
struct MapEntry;
struct TemplatePart;
struct ExprElements;

// One piece of a string: literal text (already unescaped) or an interpolation.
struct TemplatePart {
  bool is_interpolation = false;
  Span span;
  std::string text;             // when !is_interpolation
  std::vector<Expr> expr;       // exactly one element when is_interpolation
};

struct Segment {
  std::string name;
  Span span;
};

struct PortLiteral {
  std::uint32_t published = 0;  // 0: not published (only a target port)
  std::uint32_t target = 0;
  PortProtocol protocol = PortProtocol::kTcp;
};

// Members are ordered small to large so that an Expr packs tightly: a stack
// of thousands of services holds hundreds of thousands of them.
struct Expr {
  // Declared because the union below holds a PortLiteral, whose members have
  // initializers; the union starts as number = 0.
  Expr() {}

  ExprKind kind = ExprKind::kNull;
  bool is_integer = false;      // kNumber
  bool boolean = false;         // kBool
  bool multiline = false;       // kList, kMap: written over several lines
  Span span;
  // A literal's value: which member holds it depends on `kind` (a stack's
  // trees hold hundreds of thousands of expressions; one slot saves a
  // seventh of their size).
  union {
    double number = 0;          // kNumber, kPercent
    std::int64_t nanos;         // kDuration
    std::int64_t bytes;         // kSize
    PortLiteral port;           // kPort
  };
  // kCidr, kIp: as written. kString without interpolation: the text,
  // unescaped (most strings: they need no parts).
  std::string text;
  std::vector<Segment> path;        // kReference, kCall (name)

  // The elements of a list, call, map or interpolated string, read-only;
  // empty for every other kind.
  const std::vector<Expr>& items() const;          // kList, kCall arguments
  const std::vector<MapEntry>& entries() const;    // kMap
  const std::vector<TemplatePart>& parts() const;  // kString with an interpolation: every piece
  // The same to fill in (the parser).
  std::vector<Expr>& mutable_items();
  std::vector<MapEntry>& mutable_entries();
  std::vector<TemplatePart>& mutable_parts();

 private:
  ExprElements& MutableElements();  // made on first use

  // In a block of their own: most expressions are scalars or references,
  // and three empty vectors in each were a third of its size.
  std::unique_ptr<ExprElements> elements_;
};

struct MapEntry {
  Span key_span;
  bool quoted_key = false;
  std::string key;
  Expr value;
};

struct ExprElements {
  std::vector<TemplatePart> parts;
  std::vector<Expr> items;
  std::vector<MapEntry> entries;
};

namespace detail {
inline const ExprElements& NoElements() {
  static const ExprElements none;
  return none;
}
}  // namespace detail

inline const std::vector<Expr>& Expr::items() const { return (elements_ ? *elements_ : detail::NoElements()).items; }
inline const std::vector<MapEntry>& Expr::entries() const {
  return (elements_ ? *elements_ : detail::NoElements()).entries;
}
inline const std::vector<TemplatePart>& Expr::parts() const {
  return (elements_ ? *elements_ : detail::NoElements()).parts;
}
inline ExprElements& Expr::MutableElements() {
  if (!elements_) elements_ = std::make_unique<ExprElements>();
  return *elements_;
}
inline std::vector<Expr>& Expr::mutable_items() { return MutableElements().items; }
inline std::vector<MapEntry>& Expr::mutable_entries() { return MutableElements().entries; }
inline std::vector<TemplatePart>& Expr::mutable_parts() { return MutableElements().parts; }

struct Attribute {
  Span name_span;
  Span span;  // name through the end of the value
  std::string name;
  Expr value;
};

struct Label {
  std::string value;
  Span span;  // including the quotes
};

struct Block;

// Attributes and blocks are kept in two lists; each keeps source order, and
// the formatter interleaves them again by span.begin.
struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
};

struct Block {
  std::string type;
  Span type_span;
  std::vector<Label> labels;
  Body body;
  Span span;        // type through the closing brace
  Span open_brace;  // for "unclosed block" and for the formatter
};

struct Comment {
  Span span;  // from the comment marker to the end of the comment (no newline)
};

struct File {
  FileId id = kNoFile;
  Body body;
  std::vector<Comment> comments;  // every comment, in source order
};

}  // namespace nest::ast
