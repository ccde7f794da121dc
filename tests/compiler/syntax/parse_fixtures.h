// Parsing snippets in the parser tests: what parser_test.cc,
// parser_errors_test.cc and parser_recovery_test.cc share.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "compiler/syntax/parser.h"

namespace nest::syntax::testing {

// One parsed snippet with everything needed to inspect it.
struct Parsed {
  SourceManager sources;
  FileId id = kNoFile;
  Diagnostics diags;
  ast::File file;

  std::string_view Text(Span span) const { return sources.Text(span); }
  LineCol Locate(std::uint32_t byte) const { return sources.file(id).Locate(byte); }
  const ast::Attribute& Attr(std::size_t i) const { return file.body.attributes.at(i); }
  const ast::Expr& Value(std::size_t i) const { return Attr(i).value; }
  const ast::Block& Block(std::size_t i) const { return file.body.blocks.at(i); }
  std::string Errors() const {
    std::string out;
    for (const auto& d : diags.list()) {
      LineCol lc = Locate(d.subject.begin);
      out += CodeName(d.code) + " " + std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " +
             d.summary + "\n";
    }
    return out;
  }
};

inline std::unique_ptr<Parsed> Parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->id = p->sources.Add("test.nest", std::move(text));
  p->file = ParseFile(p->sources, p->id, p->diags);
  return p;
}

// Parses `text`, which must be valid.
inline std::unique_ptr<Parsed> ParseOk(std::string text) {
  auto p = Parse(std::move(text));
  EXPECT_TRUE(p->diags.empty()) << p->Errors();
  return p;
}

// Parses `x = <expr>` and returns the value.
inline ast::Expr ParseExpr(const std::string& expr) {
  auto p = ParseOk("x = " + expr + "\n");
  if (p->file.body.attributes.size() != 1) {
    ADD_FAILURE() << "no attribute for " << expr;
    return {};
  }
  return std::move(p->file.body.attributes[0].value);
}

// Expects exactly one diagnostic in `p`, with `code` at line:col.
inline void ExpectOneErrorIn(const Parsed& p, DiagCode code, std::uint32_t line, std::uint32_t col) {
  ASSERT_EQ(p.diags.list().size(), 1u) << p.Errors();
  const Diagnostic& d = p.diags.list()[0];
  EXPECT_EQ(CodeName(d.code), CodeName(code)) << p.Errors();
  EXPECT_EQ(d.severity, Severity::kError);
  LineCol lc = p.Locate(d.subject.begin);
  EXPECT_EQ(lc.line, line) << p.Errors();
  EXPECT_EQ(lc.column, col) << p.Errors();
  EXPECT_EQ(d.subject.file, p.id);
  EXPECT_FALSE(d.summary.empty());
  EXPECT_NE(d.summary.back(), '.');
}

// Parses `text` and expects exactly one diagnostic, with `code` at
// line:col; returns the parse, for a test to look closer.
inline std::unique_ptr<Parsed> ParseOneError(const std::string& text, DiagCode code, std::uint32_t line,
                                             std::uint32_t col) {
  SCOPED_TRACE(text);
  auto p = Parse(text);
  ExpectOneErrorIn(*p, code, line, col);
  return p;
}

inline void ExpectOneError(const std::string& text, DiagCode code, std::uint32_t line, std::uint32_t col) {
  ParseOneError(text, code, line, col);
}

inline const Diagnostic& OnlyError(const Parsed& p) {
  EXPECT_EQ(p.diags.list().size(), 1u) << p.Errors();
  static Diagnostic none;
  return p.diags.list().empty() ? none : p.diags.list()[0];
}

}  // namespace nest::syntax::testing
