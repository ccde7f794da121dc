// The parser on valid input: the tree, its spans and the comments.
#include <gtest/gtest.h>

#include <string>

#include "compiler/syntax/grammar_check.h"
#include "tests/compiler/syntax/parse_fixtures.h"

namespace nest::syntax::testing {
namespace {

using ast::ExprKind;

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

TEST(ParserGrammar, AnalyzeFindsNoProblems) { EXPECT_EQ(syntax::AnalyzeGrammarForTests(), 0u); }

}  // namespace
}  // namespace nest::syntax::testing
