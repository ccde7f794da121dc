#include "compiler/syntax/parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "compiler/syntax/grammar_check.h"
#include "test_paths.h"

namespace nest {
namespace {

using ast::ExprKind;

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

std::unique_ptr<Parsed> Parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->id = p->sources.Add("test.nest", std::move(text));
  p->file = ParseFile(p->sources, p->id, p->diags);
  return p;
}

// Parses `text`, which must be valid.
std::unique_ptr<Parsed> ParseOk(std::string text) {
  auto p = Parse(std::move(text));
  EXPECT_TRUE(p->diags.empty()) << p->Errors();
  return p;
}

// Parses `x = <expr>` and returns the value.
ast::Expr ParseExpr(const std::string& expr) {
  auto p = ParseOk("x = " + expr + "\n");
  if (p->file.body.attributes.size() != 1) {
    ADD_FAILURE() << "no attribute for " << expr;
    return {};
  }
  return std::move(p->file.body.attributes[0].value);
}

// Expects exactly one diagnostic, with `code` at line:col.
void ExpectOneError(const std::string& text, DiagCode code, std::uint32_t line, std::uint32_t col) {
  SCOPED_TRACE(text);
  auto p = Parse(text);
  ASSERT_EQ(p->diags.list().size(), 1u) << p->Errors();
  const Diagnostic& d = p->diags.list()[0];
  EXPECT_EQ(CodeName(d.code), CodeName(code)) << p->Errors();
  EXPECT_EQ(d.severity, Severity::kError);
  LineCol lc = p->Locate(d.subject.begin);
  EXPECT_EQ(lc.line, line) << p->Errors();
  EXPECT_EQ(lc.column, col) << p->Errors();
  EXPECT_EQ(d.subject.file, p->id);
  EXPECT_FALSE(d.summary.empty());
  EXPECT_NE(d.summary.back(), '.');
}

const Diagnostic& OnlyError(const Parsed& p) {
  EXPECT_EQ(p.diags.list().size(), 1u) << p.Errors();
  static Diagnostic none;
  return p.diags.list().empty() ? none : p.diags.list()[0];
}

// ===========================================================================
// Valid input

TEST(ParserValid, EmptyFile) {
  auto p = ParseOk("");
  EXPECT_TRUE(p->file.body.attributes.empty());
  EXPECT_TRUE(p->file.body.blocks.empty());
  EXPECT_EQ(p->file.id, p->id);
}

TEST(ParserValid, OnlyWhitespaceAndComments) {
  auto p = ParseOk("  \n\t# one\n// two\n/* three */\n");
  EXPECT_TRUE(p->file.body.blocks.empty());
  EXPECT_EQ(p->file.comments.size(), 3u);
}

TEST(ParserValid, TopLevelAttribute) {
  auto p = ParseOk("version = 1\n");
  ASSERT_EQ(p->file.body.attributes.size(), 1u);
  EXPECT_EQ(p->Attr(0).name, "version");
  EXPECT_EQ(p->Value(0).kind, ExprKind::kNumber);
  EXPECT_EQ(p->Value(0).number, 1);
}

TEST(ParserValid, BlockWithLabelsAndAttributes) {
  auto p = ParseOk(
      "service \"app\" {\n"
      "  image    = \"nginx:1.25\"\n"
      "  replicas = 3\n"
      "}\n");
  ASSERT_EQ(p->file.body.blocks.size(), 1u);
  const auto& b = p->Block(0);
  EXPECT_EQ(b.type, "service");
  ASSERT_EQ(b.labels.size(), 1u);
  EXPECT_EQ(b.labels[0].value, "app");
  EXPECT_EQ(p->Text(b.labels[0].span), "\"app\"");
  ASSERT_EQ(b.body.attributes.size(), 2u);
  EXPECT_EQ(b.body.attributes[0].name, "image");
  EXPECT_EQ(b.body.attributes[1].name, "replicas");
  EXPECT_EQ(b.body.attributes[1].value.number, 3);
}

TEST(ParserValid, MultipleLabelsAndNoLabels) {
  auto p = ParseOk("resource \"a\" \"b\" \"c\" {}\nstack {}\n");
  ASSERT_EQ(p->file.body.blocks.size(), 2u);
  ASSERT_EQ(p->Block(0).labels.size(), 3u);
  EXPECT_EQ(p->Block(0).labels[2].value, "c");
  EXPECT_TRUE(p->Block(1).labels.empty());
  EXPECT_EQ(p->Block(1).type, "stack");
}

TEST(ParserValid, LabelEscapes) {
  auto p = ParseOk("a \"x\\\"y\\u00e9\" {}\n");
  EXPECT_EQ(p->Block(0).labels[0].value, "x\"y\xC3\xA9");
}

TEST(ParserValid, NestedBlocks) {
  auto p = ParseOk(
      "service \"app\" {\n"
      "  deploy {\n"
      "    update {\n"
      "      order = start-first\n"
      "    }\n"
      "  }\n"
      "  healthcheck { interval = 30s }\n"
      "}\n");
  const auto& svc = p->Block(0);
  ASSERT_EQ(svc.body.blocks.size(), 2u);
  EXPECT_EQ(svc.body.blocks[0].type, "deploy");
  ASSERT_EQ(svc.body.blocks[0].body.blocks.size(), 1u);
  const auto& update = svc.body.blocks[0].body.blocks[0];
  EXPECT_EQ(update.type, "update");
  ASSERT_EQ(update.body.attributes.size(), 1u);
  const auto& order = update.body.attributes[0].value;
  EXPECT_EQ(order.kind, ExprKind::kReference);
  ASSERT_EQ(order.path.size(), 1u);
  EXPECT_EQ(order.path[0].name, "start-first");
  EXPECT_EQ(svc.body.blocks[1].type, "healthcheck");
}

TEST(ParserValid, OneLineBlockWithoutNewlines) {
  auto p = ParseOk("healthcheck { interval = 30s  retries = 3 }");
  const auto& b = p->Block(0);
  ASSERT_EQ(b.body.attributes.size(), 2u);
  EXPECT_EQ(b.body.attributes[0].value.nanos, 30'000'000'000);
  EXPECT_EQ(b.body.attributes[1].value.number, 3);
}

TEST(ParserValid, EverythingOnOneLine) {
  auto p = ParseOk("a { b { c = 1 } d = [1, 2] } e = { f = 2 } g \"h\" {}");
  EXPECT_EQ(p->file.body.blocks.size(), 2u);
  EXPECT_EQ(p->file.body.attributes.size(), 1u);
}

TEST(ParserValid, NamesAreNotKeywords) {
  auto p = ParseOk("null = 1\ntrue { false = 2 }\nservice-x_1 = 3\n_a = 4\n");
  EXPECT_EQ(p->Attr(0).name, "null");
  EXPECT_EQ(p->Block(0).type, "true");
  EXPECT_EQ(p->Block(0).body.attributes[0].name, "false");
  EXPECT_EQ(p->Attr(1).name, "service-x_1");
  EXPECT_EQ(p->Attr(2).name, "_a");
}

TEST(ParserValid, NoSpacesAroundTokens) {
  auto p = ParseOk("a\"x\"{b=1 c=[1,2]d={e=\"f\"}}");
  const auto& b = p->Block(0);
  EXPECT_EQ(b.labels[0].value, "x");
  ASSERT_EQ(b.body.attributes.size(), 3u);
  EXPECT_EQ(b.body.attributes[2].value.kind, ExprKind::kMap);
}

// ---- expressions ----------------------------------------------------------

TEST(ParserValid, Numbers) {
  auto e = ParseExpr("42");
  EXPECT_EQ(e.kind, ExprKind::kNumber);
  EXPECT_EQ(e.number, 42);
  EXPECT_TRUE(e.is_integer);
  e = ParseExpr("-2");
  EXPECT_EQ(e.number, -2);
  EXPECT_TRUE(e.is_integer);
  e = ParseExpr("1.5");
  EXPECT_EQ(e.number, 1.5);
  EXPECT_FALSE(e.is_integer);
  e = ParseExpr("0400");
  EXPECT_EQ(e.number, 400);
  EXPECT_TRUE(e.is_integer);
  e = ParseExpr("-0.25");
  EXPECT_EQ(e.number, -0.25);
}

TEST(ParserValid, BoolsAndNull) {
  EXPECT_EQ(ParseExpr("true").kind, ExprKind::kBool);
  EXPECT_TRUE(ParseExpr("true").boolean);
  EXPECT_EQ(ParseExpr("false").kind, ExprKind::kBool);
  EXPECT_FALSE(ParseExpr("false").boolean);
  EXPECT_EQ(ParseExpr("null").kind, ExprKind::kNull);
  // Words that only start with a keyword are references.
  auto e = ParseExpr("true-ish");
  EXPECT_EQ(e.kind, ExprKind::kReference);
  EXPECT_EQ(e.path[0].name, "true-ish");
  EXPECT_EQ(ParseExpr("nullable").kind, ExprKind::kReference);
  EXPECT_EQ(ParseExpr("false_").kind, ExprKind::kReference);
}

TEST(ParserValid, TypedLiterals) {
  auto e = ParseExpr("30s");
  EXPECT_EQ(e.kind, ExprKind::kDuration);
  EXPECT_EQ(e.nanos, 30'000'000'000);
  e = ParseExpr("1h30m");
  EXPECT_EQ(e.nanos, 5400'000'000'000);
  e = ParseExpr("512MiB");
  EXPECT_EQ(e.kind, ExprKind::kSize);
  EXPECT_EQ(e.bytes, 536870912);
  e = ParseExpr("70%");
  EXPECT_EQ(e.kind, ExprKind::kPercent);
  EXPECT_EQ(e.number, 70);
  e = ParseExpr("172.30.1.1");
  EXPECT_EQ(e.kind, ExprKind::kIp);
  EXPECT_EQ(e.text, "172.30.1.1");
  e = ParseExpr("172.30.1.0/24");
  EXPECT_EQ(e.kind, ExprKind::kCidr);
  EXPECT_EQ(e.text, "172.30.1.0/24");
  e = ParseExpr("8080:80");
  EXPECT_EQ(e.kind, ExprKind::kPort);
  EXPECT_EQ(e.port.published, 8080u);
  EXPECT_EQ(e.port.target, 80u);
  EXPECT_EQ(e.port.protocol, PortProtocol::kTcp);
  e = ParseExpr("8080:80/udp");
  EXPECT_EQ(e.port.protocol, PortProtocol::kUdp);
  e = ParseExpr("53/udp");
  EXPECT_EQ(e.kind, ExprKind::kPort);
  EXPECT_EQ(e.port.published, 0u);
  EXPECT_EQ(e.port.target, 53u);
}

TEST(ParserValid, TypedLiteralSpansCoverTheWholeToken) {
  auto p = ParseOk("x = 1h30m\n");
  EXPECT_EQ(p->Text(p->Value(0).span), "1h30m");
}

TEST(ParserValid, StringsAndEscapes) {
  // A string without interpolation holds its unescaped text, and no parts.
  auto e = ParseExpr(R"("plain")");
  EXPECT_EQ(e.kind, ExprKind::kString);
  EXPECT_TRUE(e.parts().empty());
  EXPECT_EQ(e.text, "plain");
  e = ParseExpr(R"("a\nb\tc\rd\"e\\f\$g")");
  EXPECT_TRUE(e.parts().empty());
  EXPECT_EQ(e.text, "a\nb\tc\rd\"e\\f$g");
  e = ParseExpr(R"("\u00e9\u20AC")");
  EXPECT_EQ(e.text, "\xC3\xA9\xE2\x82\xAC");
  e = ParseExpr(R"("")");
  EXPECT_TRUE(e.parts().empty());
  EXPECT_EQ(e.text, "");
  e = ParseExpr(R"("cost: $5 and $")");
  EXPECT_TRUE(e.parts().empty());
  EXPECT_EQ(e.text, "cost: $5 and $");
  e = ParseExpr("\"caf\xC3\xA9 # not a comment // either\"");
  EXPECT_EQ(e.text, "caf\xC3\xA9 # not a comment // either");
}

TEST(ParserValid, Interpolation) {
  auto p = ParseOk("x = \"db-${var.env}-${ module.db.host }!\"\n");
  const auto& e = p->Value(0);
  ASSERT_EQ(e.parts().size(), 5u);
  EXPECT_EQ(e.parts()[0].text, "db-");
  EXPECT_TRUE(e.parts()[1].is_interpolation);
  ASSERT_EQ(e.parts()[1].expr.size(), 1u);
  const auto& ref = e.parts()[1].expr[0];
  EXPECT_EQ(ref.kind, ExprKind::kReference);
  ASSERT_EQ(ref.path.size(), 2u);
  EXPECT_EQ(ref.path[0].name, "var");
  EXPECT_EQ(ref.path[1].name, "env");
  EXPECT_EQ(p->Text(e.parts()[1].span), "${var.env}");
  EXPECT_EQ(e.parts()[2].text, "-");
  EXPECT_EQ(p->Text(e.parts()[3].span), "${ module.db.host }");
  EXPECT_EQ(e.parts()[3].expr[0].path.size(), 3u);
  EXPECT_EQ(e.parts()[4].text, "!");
  EXPECT_EQ(p->Text(e.parts()[4].span), "!");
}

TEST(ParserValid, InterpolationOfAnyExpressionAndNestedStrings) {
  auto e = ParseExpr(R"("${"inner ${x}"} ${[1, 2]} ${30s}")");
  ASSERT_EQ(e.parts().size(), 5u);
  EXPECT_EQ(e.parts()[0].expr[0].kind, ExprKind::kString);
  EXPECT_EQ(e.parts()[0].expr[0].parts().size(), 2u);
  EXPECT_EQ(e.parts()[2].expr[0].kind, ExprKind::kList);
  EXPECT_EQ(e.parts()[4].expr[0].kind, ExprKind::kDuration);
}

TEST(ParserValid, LiteralTextIsMergedAcrossEscapes) {
  auto p = ParseOk(R"(x = "a\n\u0041$b${y}")" "\n");
  const auto& e = p->Value(0);
  ASSERT_EQ(e.parts().size(), 2u);
  EXPECT_EQ(e.parts()[0].text, "a\nA$b");
  EXPECT_EQ(p->Text(e.parts()[0].span), R"(a\n\u0041$b)");
  EXPECT_TRUE(e.parts()[1].is_interpolation);
}

TEST(ParserValid, EscapedDollarIsNotInterpolation) {
  auto e = ParseExpr(R"("\${x}")");
  EXPECT_TRUE(e.parts().empty());
  EXPECT_EQ(e.text, "${x}");
}

TEST(ParserValid, Lists) {
  auto e = ParseExpr("[]");
  EXPECT_EQ(e.kind, ExprKind::kList);
  EXPECT_TRUE(e.items().empty());
  EXPECT_FALSE(e.multiline);
  e = ParseExpr("[1, \"two\", three, [4], { five = 5 }]");
  ASSERT_EQ(e.items().size(), 5u);
  EXPECT_EQ(e.items()[0].kind, ExprKind::kNumber);
  EXPECT_EQ(e.items()[1].kind, ExprKind::kString);
  EXPECT_EQ(e.items()[2].kind, ExprKind::kReference);
  EXPECT_EQ(e.items()[3].kind, ExprKind::kList);
  EXPECT_EQ(e.items()[4].kind, ExprKind::kMap);
  e = ParseExpr("[a, b,]");
  EXPECT_EQ(e.items().size(), 2u);
  e = ParseExpr("[\n  a,\n  b,\n]");
  EXPECT_EQ(e.items().size(), 2u);
  EXPECT_TRUE(e.multiline);
  e = ParseExpr("[ # first\n  a, // second\n  /* third */ b\n]");
  EXPECT_EQ(e.items().size(), 2u);
}

TEST(ParserValid, MapsWithCommasAndNewlines) {
  auto e = ParseExpr("{}");
  EXPECT_EQ(e.kind, ExprKind::kMap);
  EXPECT_TRUE(e.entries().empty());
  e = ParseExpr("{ a = 1, b = 2 }");
  ASSERT_EQ(e.entries().size(), 2u);
  EXPECT_FALSE(e.multiline);
  EXPECT_EQ(e.entries()[0].key, "a");
  EXPECT_EQ(e.entries()[1].value.number, 2);
  e = ParseExpr("{\n  a = 1\n  b = 2\n}");
  ASSERT_EQ(e.entries().size(), 2u);
  EXPECT_TRUE(e.multiline);
  e = ParseExpr("{\n  a = 1,\n  b = 2,\n}");
  EXPECT_EQ(e.entries().size(), 2u);
  e = ParseExpr("{ a = 1, }");
  EXPECT_EQ(e.entries().size(), 1u);
}

TEST(ParserValid, MapSeparatorIsOptionalLikeInBlocks) {
  // Newlines are not significant anywhere, so a comma is never required.
  auto e = ParseExpr("{ a = 1 b = \"x\" c = [2] }");
  ASSERT_EQ(e.entries().size(), 3u);
  EXPECT_EQ(e.entries()[2].key, "c");
}

TEST(ParserValid, MapQuotedKeys) {
  auto p = ParseOk("x = { \"com.example/label\" = \"v\", plain-key = 1 }\n");
  const auto& e = p->Value(0);
  ASSERT_EQ(e.entries().size(), 2u);
  EXPECT_EQ(e.entries()[0].key, "com.example/label");
  EXPECT_TRUE(e.entries()[0].quoted_key);
  EXPECT_EQ(p->Text(e.entries()[0].key_span), "\"com.example/label\"");
  EXPECT_EQ(e.entries()[1].key, "plain-key");
  EXPECT_FALSE(e.entries()[1].quoted_key);
  EXPECT_EQ(p->Text(e.entries()[1].key_span), "plain-key");
}

TEST(ParserValid, NestedMapsAndLists) {
  auto e = ParseExpr("{ a = { b = [ { c = 1 } ] } }");
  const auto& c = e.entries()[0].value.entries()[0].value.items()[0].entries()[0];
  EXPECT_EQ(c.key, "c");
  EXPECT_EQ(c.value.number, 1);
}

TEST(ParserValid, References) {
  auto p = ParseOk("x = service.app\ny = module.db.host\nz = rollback\n");
  const auto& x = p->Value(0);
  EXPECT_EQ(x.kind, ExprKind::kReference);
  ASSERT_EQ(x.path.size(), 2u);
  EXPECT_EQ(x.path[0].name, "service");
  EXPECT_EQ(x.path[1].name, "app");
  EXPECT_EQ(p->Text(x.path[1].span), "app");
  EXPECT_EQ(p->Text(x.span), "service.app");
  EXPECT_EQ(p->Value(1).path.size(), 3u);
  EXPECT_EQ(p->Value(2).path.size(), 1u);
  EXPECT_EQ(p->Value(2).path[0].name, "rollback");
}

TEST(ParserValid, Calls) {
  auto p = ParseOk("x = list(string)\ny = map(object(number, list(bool),))\nz = f()\n");
  const auto& x = p->Value(0);
  EXPECT_EQ(x.kind, ExprKind::kCall);
  ASSERT_EQ(x.path.size(), 1u);
  EXPECT_EQ(x.path[0].name, "list");
  EXPECT_EQ(p->Text(x.path[0].span), "list");
  ASSERT_EQ(x.items().size(), 1u);
  EXPECT_EQ(x.items()[0].kind, ExprKind::kReference);
  EXPECT_EQ(p->Text(x.span), "list(string)");
  const auto& y = p->Value(1);
  ASSERT_EQ(y.items().size(), 1u);
  EXPECT_EQ(y.items()[0].kind, ExprKind::kCall);
  EXPECT_EQ(y.items()[0].items().size(), 2u);
  EXPECT_TRUE(p->Value(2).items().empty());
}

// ---- spans ----------------------------------------------------------------

TEST(ParserValid, ExactSpans) {
  //                 0         1         2         3
  //                 0123456789012345678901234567890123456
  auto p = ParseOk("service \"app\" {\n  replicas = 3\n}\nx = [1, 2]\n");
  const auto& b = p->Block(0);
  EXPECT_EQ(b.span.begin, 0u);
  EXPECT_EQ(b.span.end, 32u);
  EXPECT_EQ(b.type_span.begin, 0u);
  EXPECT_EQ(b.type_span.end, 7u);
  EXPECT_EQ(b.labels[0].span.begin, 8u);
  EXPECT_EQ(b.labels[0].span.end, 13u);
  EXPECT_EQ(b.open_brace.begin, 14u);
  EXPECT_EQ(b.open_brace.end, 15u);
  const auto& r = b.body.attributes[0];
  EXPECT_EQ(r.name_span.begin, 18u);
  EXPECT_EQ(r.name_span.end, 26u);
  EXPECT_EQ(r.span.begin, 18u);
  EXPECT_EQ(r.span.end, 30u);
  EXPECT_EQ(r.value.span.begin, 29u);
  EXPECT_EQ(r.value.span.end, 30u);
  const auto& x = p->Attr(0);
  EXPECT_EQ(p->Text(x.span), "x = [1, 2]");
  EXPECT_EQ(p->Text(x.value.span), "[1, 2]");
  EXPECT_EQ(p->Text(x.value.items()[1].span), "2");
  for (const auto& a : {b.span, b.type_span, r.span, x.span}) EXPECT_EQ(a.file, p->id);
}

TEST(ParserValid, StringSpansIncludeQuotes) {
  auto p = ParseOk("x = \"ab\"\n");
  EXPECT_EQ(p->Text(p->Value(0).span), "\"ab\"");
  // With an interpolation, each part has its own span.
  p = ParseOk("x = \"ab${y}c\"\n");
  ASSERT_EQ(p->Value(0).parts().size(), 3u);
  EXPECT_EQ(p->Text(p->Value(0).parts()[0].span), "ab");
  EXPECT_EQ(p->Text(p->Value(0).parts()[1].span), "${y}");
  EXPECT_EQ(p->Text(p->Value(0).parts()[2].span), "c");
}

TEST(ParserValid, MapAndCallSpans) {
  auto p = ParseOk("x = { a = 1 }\ny = f(1)\n");
  EXPECT_EQ(p->Text(p->Value(0).span), "{ a = 1 }");
  EXPECT_EQ(p->Text(p->Value(1).span), "f(1)");
}

// ---- comments -------------------------------------------------------------

TEST(ParserValid, CommentsEverywhereAreRecordedInOrder) {
  std::string text =
      "# top\n"
      "service \"app\" { // after brace\n"
      "  /* before attr */ image = \"x\" # after value\n"
      "  ports = [ # in list\n"
      "    80, /* between */ 443\n"
      "  ]\n"
      "  env = { # in map\n"
      "    A = 1 // entry\n"
      "  }\n"
      "  s = \"${ /* in interp */ x }\"\n"
      "}\n"
      "// end";
  auto p = ParseOk(text);
  std::vector<std::string> got;
  for (const auto& c : p->file.comments) got.emplace_back(p->Text(c.span));
  std::vector<std::string> want = {"# top",     "// after brace", "/* before attr */", "# after value",
                                   "# in list", "/* between */",  "# in map",          "// entry",
                                   "/* in interp */", "// end"};
  EXPECT_EQ(got, want);
  for (std::size_t i = 1; i < p->file.comments.size(); ++i) {
    EXPECT_LT(p->file.comments[i - 1].span.begin, p->file.comments[i].span.begin);
  }
}

TEST(ParserValid, MultiLineBlockComment) {
  auto p = ParseOk("/* a\n * b\n */\nx = 1 /* c */ y = 2\n");
  ASSERT_EQ(p->file.comments.size(), 2u);
  EXPECT_EQ(p->Text(p->file.comments[0].span), "/* a\n * b\n */");
  EXPECT_EQ(p->file.body.attributes.size(), 2u);
}

TEST(ParserValid, CommentMarkersInsideStringsAreText) {
  auto p = ParseOk("x = \"# /* // */\"\n");
  EXPECT_TRUE(p->file.comments.empty());
}

TEST(ParserValid, CommentRightAfterNumber) {
  auto p = ParseOk("x = 30//c\ny = 8080:80/udp#d\n");
  EXPECT_EQ(p->Value(0).number, 30);
  EXPECT_EQ(p->Value(1).port.protocol, PortProtocol::kUdp);
  EXPECT_EQ(p->file.comments.size(), 2u);
}

// ---- encodings ------------------------------------------------------------

TEST(ParserValid, CrlfLineEndings) {
  auto p = ParseOk("service \"app\" {\r\n  image = \"x\" # c\r\n  n = [\r\n 1,\r\n]\r\n}\r\n");
  const auto& b = p->Block(0);
  ASSERT_EQ(b.body.attributes.size(), 2u);
  EXPECT_TRUE(b.body.attributes[1].value.multiline);
  ASSERT_EQ(p->file.comments.size(), 1u);
  EXPECT_EQ(p->Text(p->file.comments[0].span), "# c");  // without the CR
}

TEST(ParserValid, ByteOrderMarkIsSkipped) {
  auto p = ParseOk("\xEF\xBB\xBFx = 1\n");
  ASSERT_EQ(p->file.body.attributes.size(), 1u);
  EXPECT_EQ(p->Attr(0).name_span.begin, 3u);
}

TEST(ParserValid, Utf8InStringsAndComments) {
  auto p = ParseOk("# caf\xC3\xA9 \xF0\x9F\x90\xB3\nx = \"\xE6\x97\xA5\xE6\x9C\xAC\"\n");
  EXPECT_EQ(p->Value(0).text, "\xE6\x97\xA5\xE6\x9C\xAC");
}

TEST(ParserValid, DeepNestingUpToTheLimitIsAccepted) {
  int depth = syntax::kMaxNestingDepth - 1;  // the attribute's list is one level, plus nested lists
  std::string text = "x = " + std::string(depth, '[') + std::string(depth, ']') + "\n";
  auto p = ParseOk(text);
  const ast::Expr* e = &p->Value(0);
  int levels = 1;
  while (!e->items().empty()) {
    e = &e->items()[0];
    ++levels;
  }
  EXPECT_EQ(levels, depth);
}

// ===========================================================================
// Errors: one diagnostic with the right code and position

TEST(ParserErrors, UnclosedBlock) {
  ExpectOneError("service \"app\" {\n  image = \"x\"\n", DiagCode::UnclosedBlock, 1, 15);
  auto p = Parse("service \"app\" {\n  image = \"x\"\n");
  const auto& d = OnlyError(*p);
  EXPECT_EQ(d.label, "this block is never closed");
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes[0].find("`service \"app\"`"), std::string::npos) << d.notes[0];
  EXPECT_TRUE(p->file.body.blocks.empty());
}

TEST(ParserErrors, UnclosedInnerBlockPointsAtItsBrace) {
  ExpectOneError("a {\n  b {\n    c = 1\n", DiagCode::UnclosedBlock, 2, 5);
}

TEST(ParserErrors, UnterminatedString) {
  ExpectOneError("x = \"abc\ny = 2\n", DiagCode::UnterminatedString, 1, 5);
  ExpectOneError("a {\n  image = \"nginx", DiagCode::UnterminatedString, 2, 11);
  ExpectOneError("a \"lab\n{}", DiagCode::UnterminatedString, 1, 3);
  ExpectOneError("x = { \"key\n = 1 }", DiagCode::UnterminatedString, 1, 7);
  ExpectOneError("x = \"a\\", DiagCode::UnterminatedString, 1, 5);
  ExpectOneError("x = \"${", DiagCode::UnterminatedString, 1, 5);
  ExpectOneError("x = \"${ y", DiagCode::UnterminatedString, 1, 5);
  auto p = Parse("x = \"abc\n");
  EXPECT_EQ(OnlyError(*p).label, "this string is never closed");
  EXPECT_EQ(OnlyError(*p).subject.end - OnlyError(*p).subject.begin, 1u);
}

TEST(ParserErrors, UnterminatedStringWithCrlf) {
  ExpectOneError("x = \"abc\r\ny = 2\r\n", DiagCode::UnterminatedString, 1, 5);
}

TEST(ParserErrors, InvalidEscape) {
  ExpectOneError("x = \"a\\qb\"\n", DiagCode::InvalidEscape, 1, 7);
  ExpectOneError("x = \"C:\\path\"\n", DiagCode::InvalidEscape, 1, 8);
  ExpectOneError("x = \"\\u12G4\"\n", DiagCode::InvalidEscape, 1, 6);
  ExpectOneError("x = \"\\u12\"\n", DiagCode::InvalidEscape, 1, 6);
  ExpectOneError("x = \"\\uD800\"\n", DiagCode::InvalidEscape, 1, 6);
  ExpectOneError("a \"\\x\" {}\n", DiagCode::InvalidEscape, 1, 4);
  auto p = Parse("x = \"a\\qb\"\n");
  EXPECT_EQ(p->Text(OnlyError(*p).subject), "\\q");
  p = Parse("x = \"\\u12G4\"\n");
  EXPECT_EQ(p->Text(OnlyError(*p).subject), "\\u12G4");
}

TEST(ParserErrors, InvalidUtf8StopsParsing) {
  ExpectOneError("x = 1\ny = \"\xC3\x28\"\nz = [\n", DiagCode::InvalidUtf8, 2, 6);
  auto p = Parse("x = 1\ny = \"\xFF\"\n");
  EXPECT_TRUE(p->file.body.attributes.empty());
  ExpectOneError("\xED\xA0\x80", DiagCode::InvalidUtf8, 1, 1);          // a surrogate
  ExpectOneError("# \xC0\xAF\n", DiagCode::InvalidUtf8, 1, 3);          // overlong
  ExpectOneError("x = \"\xF4\x90\x80\x80\"", DiagCode::InvalidUtf8, 1, 6);  // above U+10FFFF
  ExpectOneError("x = \"\xE2\x82\"", DiagCode::InvalidUtf8, 1, 6);     // truncated
  ExpectOneError("\xEF\xBB", DiagCode::InvalidUtf8, 1, 1);              // half a BOM
}

TEST(ParserErrors, UnexpectedEndOfFile) {
  ExpectOneError("replicas =", DiagCode::UnexpectedEof, 1, 10);
  ExpectOneError("replicas =\n", DiagCode::UnexpectedEof, 1, 11);
  ExpectOneError("a {\n  replicas =\n", DiagCode::UnexpectedEof, 2, 13);
  ExpectOneError("replicas", DiagCode::UnexpectedEof, 1, 8);
  ExpectOneError("service \"a\"", DiagCode::UnexpectedEof, 1, 11);
  ExpectOneError("x = a.", DiagCode::UnexpectedEof, 1, 6);
  ExpectOneError("x = { a", DiagCode::UnexpectedEof, 1, 7);
  ExpectOneError("x = { a =", DiagCode::UnexpectedEof, 1, 9);
  ExpectOneError("/* never closed", DiagCode::UnexpectedEof, 1, 1);
  auto p = Parse("a {\n  replicas =\n");
  const auto& d = OnlyError(*p);
  EXPECT_EQ(d.summary, "unexpected end of file, expected a value after `replicas =`");
  ASSERT_FALSE(d.notes.empty());  // and the block is not closed either
}

TEST(ParserErrors, UnclosedBracket) {
  ExpectOneError("x = [1, 2\n", DiagCode::UnclosedBracket, 1, 5);
  ExpectOneError("x = [\n", DiagCode::UnclosedBracket, 1, 5);
  ExpectOneError("x = [1, 2,", DiagCode::UnclosedBracket, 1, 5);
  ExpectOneError("a {\n  x = [1, 2\n}\n", DiagCode::UnclosedBracket, 2, 7);
  ExpectOneError("x = { a = 1\n", DiagCode::UnclosedBracket, 1, 5);
  ExpectOneError("x = { a = 1 ]", DiagCode::UnclosedBracket, 1, 5);
  ExpectOneError("x = f(1, 2", DiagCode::UnclosedBracket, 1, 6);
  ExpectOneError("x = [f(1]", DiagCode::UnclosedBracket, 1, 7);
  auto p = Parse("x = [1, 2\n");
  EXPECT_EQ(OnlyError(*p).label, "this `[` is never closed");
  EXPECT_EQ(OnlyError(*p).summary, "unexpected end of file, expected `]`");
}

TEST(ParserErrors, StrayTokens) {
  ExpectOneError("replicas = 3 ]\n", DiagCode::UnexpectedToken, 1, 14);
  ExpectOneError("}\n", DiagCode::UnexpectedToken, 1, 1);
  ExpectOneError("= 3\n", DiagCode::UnexpectedToken, 1, 1);
  ExpectOneError("\"image\" = 3\n", DiagCode::UnexpectedToken, 1, 1);
  ExpectOneError("42 = x\n", DiagCode::UnexpectedToken, 1, 1);
  ExpectOneError("a {\n  ]\n}\n", DiagCode::UnexpectedToken, 2, 3);
  ExpectOneError("a {\n  \"x\" = 1\n}\n", DiagCode::UnexpectedToken, 2, 3);
  auto p = Parse("replicas = 3 ]\n");
  EXPECT_EQ(OnlyError(*p).summary, "unexpected `]`");
}

TEST(ParserErrors, MissingEquals) {
  ExpectOneError("a {\n  replicas 3\n}\n", DiagCode::UnexpectedToken, 2, 12);
  auto p = Parse("a {\n  replicas 3\n}\n");
  EXPECT_EQ(OnlyError(*p).summary, "expected `=` or a block after `replicas`, found `3`");
  p = Parse("replicas: 3\n");
  EXPECT_EQ(OnlyError(*p).summary, "expected `=` or a block after `replicas`, found `:`");
  EXPECT_FALSE(OnlyError(*p).help.empty());
}

TEST(ParserErrors, LabelThatIsNotAString) {
  ExpectOneError("service app {\n}\n", DiagCode::UnexpectedToken, 1, 9);
  ExpectOneError("service \"a\" b {\n}\n", DiagCode::UnexpectedToken, 1, 13);
  ExpectOneError("service 3 {}\n", DiagCode::UnexpectedToken, 1, 9);
  ExpectOneError("a \"b\" = 1\n", DiagCode::UnexpectedToken, 1, 7);
  ExpectOneError("a \"${x}\" {}\n", DiagCode::UnexpectedToken, 1, 4);
  auto p = Parse("service app {\n}\n");
  EXPECT_EQ(OnlyError(*p).summary, "block labels must be quoted strings, found `app`");
}

TEST(ParserErrors, ValueErrors) {
  ExpectOneError("x = }\n", DiagCode::UnexpectedToken, 1, 5);
  ExpectOneError("x = 'single'\n", DiagCode::UnexpectedToken, 1, 5);
  ExpectOneError("x = -y\n", DiagCode::UnexpectedToken, 1, 5);
  ExpectOneError("x = [1 2]\n", DiagCode::UnexpectedToken, 1, 8);
  ExpectOneError("x = [1, =]\n", DiagCode::UnexpectedToken, 1, 9);
  ExpectOneError("x = { a = 1 c: 2 }\n", DiagCode::UnexpectedToken, 1, 14);
  ExpectOneError("x = { = 1 }\n", DiagCode::UnexpectedToken, 1, 7);
  ExpectOneError("x = { \"${k}\" = 1 }\n", DiagCode::UnexpectedToken, 1, 8);
  ExpectOneError("x = a.1\n", DiagCode::UnexpectedToken, 1, 7);
  ExpectOneError("x = f(1 2)\n", DiagCode::UnexpectedToken, 1, 9);
  ExpectOneError("x = \"${}\"\n", DiagCode::UnexpectedToken, 1, 8);
  ExpectOneError("x = \"${a b}\"\n", DiagCode::UnexpectedToken, 1, 10);
  ExpectOneError("x = \"${a\"\n", DiagCode::UnexpectedToken, 1, 9);
}

TEST(ParserErrors, AttributeWithoutEqualsBeforeTheNextLine) {
  // `image "x"` then a new item: a missing `=`, not a block header.
  auto p = Parse("service \"web\" {\n  image \"nginx\"\n  replicas = 2\n}\n");
  const auto& d = OnlyError(*p);
  EXPECT_EQ(d.code, DiagCode::UnexpectedToken);
  EXPECT_EQ(d.summary, "expected `=` after `image`, found a string");
  EXPECT_EQ(p->Text(d.subject), "\"nginx\"");
  EXPECT_EQ(p->Locate(d.subject.begin).line, 2u);
  EXPECT_EQ(p->Locate(d.subject.begin).column, 9u);
}

TEST(ParserErrors, ListEndingWithoutBracketBeforeTheNextAttribute) {
  ExpectOneError("a {\n  networks = [x, y\n  replicas = 2\n}\n", DiagCode::UnclosedBracket, 2, 14);
  // On the same line it is an ordinary missing comma.
  ExpectOneError("a {\n  networks = [x y = 2]\n}\n", DiagCode::UnexpectedToken, 2, 17);
}

TEST(ParserErrors, Ipv6IsNotALiteralYet) {
  for (const char* text : {"x = fd00::/64\n", "a {\n  x = fd00::1\n}\n", "x = [fd00::1]\n"}) {
    auto p = Parse(text);
    const auto& d = OnlyError(*p);
    EXPECT_EQ(d.code, DiagCode::UnexpectedToken) << text;
    ASSERT_FALSE(d.help.empty()) << text;
    EXPECT_NE(d.help[0].find("IPv6"), std::string::npos) << text;
  }
}

TEST(ParserErrors, MissingValueBeforeNextLine) {
  // `replicas =` with nothing after it: the next line is not its value.
  ExpectOneError("a {\n  replicas =\n  image = \"x\"\n}\n", DiagCode::UnexpectedToken, 2, 12);
  auto p = Parse("a {\n  replicas =\n  image = \"x\"\n}\n");
  EXPECT_EQ(OnlyError(*p).summary, "expected a value after `replicas =`, found the next item `image`");
  // At the top level the next item is still parsed.
  p = Parse("x =\nservice \"a\" {}\n");
  EXPECT_EQ(p->Errors(), "NEST-E001 1:3 expected a value after `x =`, found the next item `service`\n");
  ASSERT_EQ(p->file.body.blocks.size(), 1u);
  EXPECT_EQ(p->Block(0).type, "service");
  EXPECT_TRUE(p->file.body.attributes.empty());
}

TEST(ParserErrors, NestingDeeperThanTheLimit) {
  int depth = syntax::kMaxNestingDepth + 1;
  ExpectOneError("x = " + std::string(depth, '[') + std::string(depth, ']'), DiagCode::UnexpectedToken, 1,
                 4 + depth);
  std::string blocks;
  for (int i = 0; i < depth; ++i) blocks += "a {";
  blocks += std::string(depth, '}');
  ExpectOneError(blocks, DiagCode::UnexpectedToken, 1, 3 * depth);  // the 101st `{`
  auto p = Parse("x = " + std::string(depth, '['));
  EXPECT_EQ(OnlyError(*p).summary, "nesting deeper than 100 levels");
}

TEST(ParserErrors, VeryDeepNestingDoesNotOverflowTheStack) {
  for (const char* open : {"[", "{ a = ", "f(", "\"${", "a { "}) {
    std::string text = "x = ";
    for (int i = 0; i < 100000; ++i) text += open;
    auto p = Parse(text);
    EXPECT_EQ(p->diags.error_count(), 1) << open << "\n" << p->Errors();
  }
}

TEST(ParserErrors, InvalidLiteralsAreReportedAndParsingContinues) {
  auto p = Parse("a {\n  x = 30x\n  y = 2\n}\n");
  EXPECT_EQ(p->Errors(), "NEST-E008 2:7 unknown unit `x` in `30x`\n");
  ASSERT_EQ(p->file.body.blocks.size(), 1u);
  const auto& attrs = p->Block(0).body.attributes;
  ASSERT_EQ(attrs.size(), 2u);
  EXPECT_EQ(attrs[0].value.kind, ExprKind::kNull);
  EXPECT_EQ(p->Text(attrs[0].value.span), "30x");
  EXPECT_EQ(attrs[1].value.number, 2);
}

TEST(ParserErrors, InvalidLiteralCodes) {
  struct Case {
    const char* literal;
    DiagCode code;
  } cases[] = {
      {"30x", DiagCode::InvalidNumber},      {"1.", DiagCode::InvalidNumber},
      {"1_000", DiagCode::InvalidNumber},    {"1e5", DiagCode::InvalidNumber},
      {"30sec", DiagCode::InvalidDuration},  {"1h30", DiagCode::InvalidDuration},
      {"5mins", DiagCode::InvalidDuration},  {"-5s", DiagCode::InvalidDuration},
      {"1.5ns", DiagCode::InvalidDuration},  {"512mib", DiagCode::InvalidSize},
      {"512Mib", DiagCode::InvalidSize},     {"1PB", DiagCode::InvalidSize},
      {"1.5B", DiagCode::InvalidSize},       {"512M", DiagCode::InvalidSize},
      {"150%", DiagCode::InvalidPercentage}, {"-1%", DiagCode::InvalidPercentage},
      {"300.1.1.1", DiagCode::InvalidAddress}, {"1.2.3", DiagCode::InvalidAddress},
      {"10.0.0.0/33", DiagCode::InvalidAddress}, {"0:80", DiagCode::InvalidPort},
      {"80:70000", DiagCode::InvalidPort},   {"80/tcpx", DiagCode::InvalidPort},
      {"1:2:3", DiagCode::InvalidPort},
  };
  for (const auto& c : cases) {
    ExpectOneError(std::string("x = ") + c.literal + "\n", c.code, 1, 5);
    auto p = Parse(std::string("x = ") + c.literal + "\n");
    EXPECT_EQ(p->Text(OnlyError(*p).subject), c.literal);
  }
}

TEST(ParserErrors, ASyntaxErrorHidesTheLiteralErrorsOfItsItem) {
  // A truncated file: the half-written port is a symptom, not a second error.
  auto p = Parse("a {\n  ports = [8080:");
  EXPECT_EQ(p->Errors(), "NEST-E007 2:11 unexpected end of file, expected `]`\n");
  // Literal errors of other, complete items are kept, in order.
  p = Parse("x = 30x\na {\n  y = 1h30 z = ]\n}\nb = 512mib\n");
  EXPECT_EQ(p->Errors(),
            "NEST-E008 1:5 unknown unit `x` in `30x`\n"
            "NEST-E001 3:16 expected a value after `z =`, found `]`\n"
            "NEST-E010 5:5 unknown unit `mib` in `512mib`\n");
}

TEST(ParserErrors, SizeUnitCaseHelp) {
  auto p = Parse("x = 512mib\n");
  const auto& d = OnlyError(*p);
  ASSERT_FALSE(d.help.empty());
  EXPECT_EQ(d.help[0], "did you mean `512MiB`?");
  EXPECT_FALSE(d.notes.empty());
}

// ===========================================================================
// Recovery

TEST(ParserRecovery, TwoBrokenBlocksGiveTwoErrorsAndKeepTheGoodOne) {
  auto p = Parse(
      "service \"a\" {\n"
      "  replicas 3\n"
      "}\n"
      "service \"b\" {\n"
      "  image = \"ok\"\n"
      "}\n"
      "service \"c\" {\n"
      "  ports = [80 443]\n"
      "}\n"
      "volume \"d\" {}\n");
  EXPECT_EQ(p->diags.error_count(), 2) << p->Errors();
  EXPECT_EQ(p->Errors(),
            "NEST-E001 2:12 expected `=` or a block after `replicas`, found `3`\n"
            "NEST-E001 8:15 expected `,` or `]` after the list item, found `443`\n");
  ASSERT_EQ(p->file.body.blocks.size(), 2u);
  EXPECT_EQ(p->Block(0).labels[0].value, "b");
  EXPECT_EQ(p->Block(0).body.attributes[0].name, "image");
  EXPECT_EQ(p->Block(1).type, "volume");
}

TEST(ParserRecovery, OneTypoGivesOneError) {
  const char* files[] = {
      // a missing closing bracket inside a block
      "service \"a\" {\n  x = [1, 2}\n  image = \"x\"\n}\nservice \"b\" {}\n",
      // a missing `]` before the block's `}`
      "service \"a\" {\n  x = [1, 2\n}\nservice \"b\" {}\n",
      // an extra `}` inside a block
      "service \"a\" {\n  image = \"x\" }\n}\nservice \"b\" {}\n",
      // a missing `=`
      "service \"a\" {\n  image \"x\"\n  replicas = 2\n}\nservice \"b\" {}\n",
      // a broken nested block
      "service \"a\" {\n  healthcheck {\n    interval 30s\n  }\n  image = \"x\"\n}\nservice \"b\" {}\n",
      // an unterminated string
      "service \"a\" {\n  image = \"nginx\n  replicas = 2\n}\nservice \"b\" {}\n",
      // a bad escape
      "service \"a\" {\n  path = \"C:\\dir\"\n}\nservice \"b\" {}\n",
      // a stray top-level token
      "service \"a\" {}\n]\nservice \"b\" {}\n",
      // a one-line block with an error
      "service \"a\" { x = ] }\nservice \"b\" {}\n",
      // an unquoted label
      "service a {\n  image = \"x\"\n}\nservice \"b\" {}\n",
      // a top-level attribute with a broken list
      "x = [1, 2\nservice \"b\" {}\n",
      // strings and comments with braces inside the broken block
      "service \"a\" {\n  x = \"}}}\" # }\n  /* } */ y = ]\n}\nservice \"b\" {}\n",
  };
  for (const char* text : files) {
    SCOPED_TRACE(text);
    auto p = Parse(text);
    EXPECT_EQ(p->diags.error_count(), 1) << p->Errors();
    ASSERT_FALSE(p->file.body.blocks.empty());
    EXPECT_EQ(p->file.body.blocks.back().labels.at(0).value, "b");
  }
}

TEST(ParserRecovery, StrayTokensAreReportedOnceAndSkippedToTheNextItem) {
  auto p = Parse("a = 1\n} ] ) =\n  ]]]\n\"x\"\nb = 2\n");
  EXPECT_EQ(p->Errors(), "NEST-E001 2:1 unexpected `}`\n");
  ASSERT_EQ(p->file.body.attributes.size(), 2u);
  EXPECT_EQ(p->Attr(1).name, "b");
}

TEST(ParserRecovery, UnclosedBlockSwallowsTheRest) {
  auto p = Parse("a {}\nservice \"x\" {\n  image = \"x\"\nservice \"y\" {\n}\n");
  EXPECT_EQ(p->Errors(), "NEST-E002 2:13 unexpected end of file, expected `}`\n");
  ASSERT_EQ(p->file.body.blocks.size(), 1u);
  EXPECT_EQ(p->Block(0).type, "a");
}

TEST(ParserRecovery, UnclosedBlockSuggestsWhereTheBraceIsMissing) {
  auto p = Parse("service \"x\" {\n  image = \"x\"\n\nservice \"y\" {\n}\n");
  const auto& d = OnlyError(*p);
  EXPECT_EQ(d.code, DiagCode::UnclosedBlock);
  ASSERT_EQ(d.help.size(), 1u);
  EXPECT_EQ(d.help[0], "is a `}` missing before `service` on line 4?");
}

TEST(ParserRecovery, BrokenBlockBetweenGoodOnes) {
  auto p = Parse("a \"1\" {}\nb \"2\" { x = }\nc \"3\" {}\n");
  EXPECT_EQ(p->diags.error_count(), 1) << p->Errors();
  ASSERT_EQ(p->file.body.blocks.size(), 2u);
  EXPECT_EQ(p->Block(0).type, "a");
  EXPECT_EQ(p->Block(1).type, "c");
}

TEST(ParserRecovery, ManyBrokenBlocks) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "s" + std::to_string(i) + " {\n  x = [\n}\nok {}\n";
  auto p = Parse(text);
  EXPECT_EQ(p->diags.error_count(), 50);
  EXPECT_EQ(p->file.body.blocks.size(), 50u);
}

// ===========================================================================
// Robustness

TEST(ParserRobustness, NeverThrowsOnArbitraryBytes) {
  // A cheap deterministic fuzz: random bytes drawn from the grammar's
  // alphabet, plus truncations of a valid file.
  const std::string alphabet = "{}[]()\"\\$=,.:/%#*-_ \n\tabsmhBKiM0123456789\r'";
  std::uint64_t seed = 12345;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(seed >> 33);
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    std::size_t len = next() % 60;
    for (std::size_t i = 0; i < len; ++i) text += alphabet[next() % alphabet.size()];
    auto p = Parse(text);
    for (const auto& d : p->diags.list()) {
      EXPECT_LE(d.subject.begin, text.size()) << text;
      EXPECT_LE(d.subject.end, text.size()) << text;
      EXPECT_LE(d.subject.begin, d.subject.end) << text;
    }
  }
  std::string valid =
      "service \"app\" {\n  image = \"a ${var.x} b\"\n  ports = [8080:80, 53/udp]\n"
      "  env = { A = 1, \"B\" = [true, null] }\n  t = list(string)\n  /* c */ h { i = 30s }\n}\n";
  for (std::size_t cut = 0; cut <= valid.size(); ++cut) {
    auto p = Parse(valid.substr(0, cut));
    EXPECT_LE(p->diags.error_count(), 1) << valid.substr(0, cut) << "\n" << p->Errors();
  }
}

TEST(ParserRobustness, NulBytesAreStrayTokens) {
  auto p = Parse(std::string("x = 1\n\0\ny = 2\n", 14));
  EXPECT_EQ(p->diags.error_count(), 1) << p->Errors();
  EXPECT_EQ(p->file.body.attributes.size(), 2u);
}

TEST(ParserRobustness, ThousandsOfBlocks) {
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "service \"s" + std::to_string(i) + "\" {\n  image = \"img:${var.tag}\"\n  ports = [" +
            std::to_string(1000 + i) + ":80]\n  healthcheck { interval = 30s }\n}\n";
  }
  auto p = ParseOk(text);
  ASSERT_EQ(p->file.body.blocks.size(), 2000u);
  EXPECT_EQ(p->Block(1999).labels[0].value, "s1999");
  EXPECT_EQ(p->Block(1999).body.attributes[1].value.items()[0].port.published, 2999u);
}

#ifdef NEST_TESTDATA_DIR
// Every .nest file the project ships (valid goldens, examples, stdlib
// modules) parses without a syntax error.
TEST(ParserCorpus, ShippedFilesParseCleanly) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(NEST_TESTDATA_DIR).parent_path();
  int count = 0;
  for (const char* dir : {"tests/golden/valid", "examples", "stdlib"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (entry.path().extension() != ".nest") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      auto p = Parse(text.str());
      EXPECT_TRUE(p->diags.empty()) << entry.path() << "\n" << p->Errors();
      ++count;
    }
  }
  EXPECT_GT(count, 0);
}
#endif

// ===========================================================================

TEST(ParserGrammar, AnalyzeFindsNoProblems) { EXPECT_EQ(syntax::AnalyzeGrammarForTests(), 0u); }

}  // namespace
}  // namespace nest
