// The parser after errors (recovery: one error per broken item, the good
// items kept) and on any input (robustness, the shipped corpus).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "test_paths.h"
#include "tests/compiler/syntax/parse_fixtures.h"

namespace nest::syntax::testing {
namespace {

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

}  // namespace
}  // namespace nest::syntax::testing
