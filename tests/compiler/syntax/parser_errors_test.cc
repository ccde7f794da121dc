// The parser's syntax errors: one diagnostic each, with the right code,
// position and words.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "compiler/syntax/grammar_check.h"
#include "tests/compiler/syntax/parse_fixtures.h"

namespace nest::syntax::testing {
namespace {

using ast::ExprKind;

// ===========================================================================
// Errors: one diagnostic with the right code and position

// Each snippet has exactly one error, with this code, at line:col (the
// tests below look closer at some of them).
struct OneErrorCase {
  const char* text;
  DiagCode code;
  std::uint32_t line;
  std::uint32_t col;
};
const OneErrorCase kOneErrorCases[] = {
    // an unclosed inner block: its own brace
    {"a {\n  b {\n    c = 1\n", DiagCode::UnclosedBlock, 2, 5},
    // unterminated strings (the opening quote)
    {"x = \"abc\ny = 2\n", DiagCode::UnterminatedString, 1, 5},
    {"x = \"abc\r\ny = 2\r\n", DiagCode::UnterminatedString, 1, 5},
    {"a {\n  image = \"nginx", DiagCode::UnterminatedString, 2, 11},
    {"a \"lab\n{}", DiagCode::UnterminatedString, 1, 3},
    {"x = { \"key\n = 1 }", DiagCode::UnterminatedString, 1, 7},
    {"x = \"a\\", DiagCode::UnterminatedString, 1, 5},
    {"x = \"${", DiagCode::UnterminatedString, 1, 5},
    {"x = \"${ y", DiagCode::UnterminatedString, 1, 5},
    // invalid escapes
    {"x = \"C:\\path\"\n", DiagCode::InvalidEscape, 1, 8},
    {"x = \"\\u12\"\n", DiagCode::InvalidEscape, 1, 6},
    {"x = \"\\uD800\"\n", DiagCode::InvalidEscape, 1, 6},
    {"a \"\\x\" {}\n", DiagCode::InvalidEscape, 1, 4},
    // invalid UTF-8 anywhere stops parsing
    {"x = 1\ny = \"\xC3\x28\"\nz = [\n", DiagCode::InvalidUtf8, 2, 6},
    {"\xED\xA0\x80", DiagCode::InvalidUtf8, 1, 1},              // a surrogate
    {"# \xC0\xAF\n", DiagCode::InvalidUtf8, 1, 3},              // overlong
    {"x = \"\xF4\x90\x80\x80\"", DiagCode::InvalidUtf8, 1, 6},  // above U+10FFFF
    {"x = \"\xE2\x82\"", DiagCode::InvalidUtf8, 1, 6},          // truncated
    {"\xEF\xBB", DiagCode::InvalidUtf8, 1, 1},                  // half a BOM
    // the end of the file where something must follow
    {"replicas =", DiagCode::UnexpectedEof, 1, 10},
    {"replicas =\n", DiagCode::UnexpectedEof, 1, 11},
    {"replicas", DiagCode::UnexpectedEof, 1, 8},
    {"service \"a\"", DiagCode::UnexpectedEof, 1, 11},
    {"x = a.", DiagCode::UnexpectedEof, 1, 6},
    {"x = { a", DiagCode::UnexpectedEof, 1, 7},
    {"x = { a =", DiagCode::UnexpectedEof, 1, 9},
    {"/* never closed", DiagCode::UnexpectedEof, 1, 1},
    // unclosed brackets (the opening one)
    {"x = [\n", DiagCode::UnclosedBracket, 1, 5},
    {"x = [1, 2,", DiagCode::UnclosedBracket, 1, 5},
    {"a {\n  x = [1, 2\n}\n", DiagCode::UnclosedBracket, 2, 7},
    {"x = { a = 1\n", DiagCode::UnclosedBracket, 1, 5},
    {"x = { a = 1 ]", DiagCode::UnclosedBracket, 1, 5},
    {"x = f(1, 2", DiagCode::UnclosedBracket, 1, 6},
    {"x = [f(1]", DiagCode::UnclosedBracket, 1, 7},
    // a list that ends without its `]` before the next attribute; on the
    // same line it is an ordinary missing comma
    {"a {\n  networks = [x, y\n  replicas = 2\n}\n", DiagCode::UnclosedBracket, 2, 14},
    {"a {\n  networks = [x y = 2]\n}\n", DiagCode::UnexpectedToken, 2, 17},
    // stray tokens
    {"}\n", DiagCode::UnexpectedToken, 1, 1},
    {"= 3\n", DiagCode::UnexpectedToken, 1, 1},
    {"\"image\" = 3\n", DiagCode::UnexpectedToken, 1, 1},
    {"42 = x\n", DiagCode::UnexpectedToken, 1, 1},
    {"a {\n  ]\n}\n", DiagCode::UnexpectedToken, 2, 3},
    {"a {\n  \"x\" = 1\n}\n", DiagCode::UnexpectedToken, 2, 3},
    // labels that are not strings
    {"service \"a\" b {\n}\n", DiagCode::UnexpectedToken, 1, 13},
    {"service 3 {}\n", DiagCode::UnexpectedToken, 1, 9},
    {"a \"b\" = 1\n", DiagCode::UnexpectedToken, 1, 7},
    {"a \"${x}\" {}\n", DiagCode::UnexpectedToken, 1, 4},
    // bad values
    {"x = }\n", DiagCode::UnexpectedToken, 1, 5},
    {"x = 'single'\n", DiagCode::UnexpectedToken, 1, 5},
    {"x = -y\n", DiagCode::UnexpectedToken, 1, 5},
    {"x = [1 2]\n", DiagCode::UnexpectedToken, 1, 8},
    {"x = [1, =]\n", DiagCode::UnexpectedToken, 1, 9},
    {"x = { a = 1 c: 2 }\n", DiagCode::UnexpectedToken, 1, 14},
    {"x = { = 1 }\n", DiagCode::UnexpectedToken, 1, 7},
    {"x = { \"${k}\" = 1 }\n", DiagCode::UnexpectedToken, 1, 8},
    {"x = a.1\n", DiagCode::UnexpectedToken, 1, 7},
    {"x = f(1 2)\n", DiagCode::UnexpectedToken, 1, 9},
    {"x = \"${}\"\n", DiagCode::UnexpectedToken, 1, 8},
    {"x = \"${a b}\"\n", DiagCode::UnexpectedToken, 1, 10},
    {"x = \"${a\"\n", DiagCode::UnexpectedToken, 1, 9},
};

TEST(ParserErrors, OneErrorWithItsCodeAndPosition) {
  for (const auto& c : kOneErrorCases) ExpectOneError(c.text, c.code, c.line, c.col);
}

TEST(ParserErrors, UnclosedBlock) {
  auto p = ParseOneError("service \"app\" {\n  image = \"x\"\n", DiagCode::UnclosedBlock, 1, 15);
  const auto& d = OnlyError(*p);
  EXPECT_EQ(d.label, "this block is never closed");
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes[0].find("`service \"app\"`"), std::string::npos) << d.notes[0];
  EXPECT_TRUE(p->file.body.blocks.empty());
}

TEST(ParserErrors, UnterminatedString) {
  auto p = Parse("x = \"abc\n");
  EXPECT_EQ(OnlyError(*p).label, "this string is never closed");
  EXPECT_EQ(OnlyError(*p).subject.end - OnlyError(*p).subject.begin, 1u);
}

TEST(ParserErrors, InvalidEscape) {
  auto p = ParseOneError("x = \"a\\qb\"\n", DiagCode::InvalidEscape, 1, 7);
  EXPECT_EQ(p->Text(OnlyError(*p).subject), "\\q");
  p = ParseOneError("x = \"\\u12G4\"\n", DiagCode::InvalidEscape, 1, 6);
  EXPECT_EQ(p->Text(OnlyError(*p).subject), "\\u12G4");
}

TEST(ParserErrors, InvalidUtf8StopsParsing) {
  auto p = Parse("x = 1\ny = \"\xFF\"\n");
  EXPECT_TRUE(p->file.body.attributes.empty());
}

TEST(ParserErrors, UnexpectedEndOfFile) {
  auto p = ParseOneError("a {\n  replicas =\n", DiagCode::UnexpectedEof, 2, 13);
  const auto& d = OnlyError(*p);
  EXPECT_EQ(d.summary, "unexpected end of file, expected a value after `replicas =`");
  ASSERT_FALSE(d.notes.empty());  // and the block is not closed either
}

TEST(ParserErrors, UnclosedBracket) {
  auto p = ParseOneError("x = [1, 2\n", DiagCode::UnclosedBracket, 1, 5);
  EXPECT_EQ(OnlyError(*p).label, "this `[` is never closed");
  EXPECT_EQ(OnlyError(*p).summary, "unexpected end of file, expected `]`");
}

TEST(ParserErrors, StrayTokens) {
  auto p = ParseOneError("replicas = 3 ]\n", DiagCode::UnexpectedToken, 1, 14);
  EXPECT_EQ(OnlyError(*p).summary, "unexpected `]`");
}

TEST(ParserErrors, MissingEquals) {
  auto p = ParseOneError("a {\n  replicas 3\n}\n", DiagCode::UnexpectedToken, 2, 12);
  EXPECT_EQ(OnlyError(*p).summary, "expected `=` or a block after `replicas`, found `3`");
  p = Parse("replicas: 3\n");
  EXPECT_EQ(OnlyError(*p).summary, "expected `=` or a block after `replicas`, found `:`");
  EXPECT_FALSE(OnlyError(*p).help.empty());
}

TEST(ParserErrors, LabelThatIsNotAString) {
  auto p = ParseOneError("service app {\n}\n", DiagCode::UnexpectedToken, 1, 9);
  EXPECT_EQ(OnlyError(*p).summary, "block labels must be quoted strings, found `app`");
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
  auto p = ParseOneError("a {\n  replicas =\n  image = \"x\"\n}\n", DiagCode::UnexpectedToken, 2, 12);
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
    auto p = ParseOneError(std::string("x = ") + c.literal + "\n", c.code, 1, 5);
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

}  // namespace
}  // namespace nest::syntax::testing
