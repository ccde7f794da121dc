#include "compiler/format/formatter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/parser.h"

namespace nest {
namespace {

struct Formatted {
  std::string text;
  std::size_t comments = 0;  // comments the parser found in the input
  bool parsed = false;
};

Formatted Format(std::string_view input) {
  SourceManager sources;
  FileId id = sources.Add("test.nest", std::string(input));
  Diagnostics diags;
  ast::File file = ParseFile(sources, id, diags);
  Formatted result;
  result.parsed = !diags.HasErrors();
  result.comments = file.comments.size();
  result.text = FormatFile(sources, file);
  return result;
}

std::size_t CountOccurrences(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

struct Case {
  const char* name;
  const char* input;
  const char* expected_or_null = nullptr;  // null: the input is canonical already

  std::string expected() const { return expected_or_null ? expected_or_null : input; }
};

// Each case: input, and the canonical output.
const Case kCases[] = {
    // --- alignment -----------------------------------------------------------
    {"AlignsEquals",
     "service \"app\" {\nimage = \"nginx\"\nreplicas = 3\nport = 8080:80\n}\n",
     "service \"app\" {\n"
     "  image    = \"nginx\"\n"
     "  replicas = 3\n"
     "  port     = 8080:80\n"
     "}\n"},
    {"AlignmentRunsBreak",
     "service \"app\" {\n"
     "  image = \"nginx\"\n"
     "  replicas = 3\n"
     "\n"
     "  cpu = 0.5\n"
     "  memory_limit = 512MiB\n"
     "  healthcheck {\n"
     "    interval = 30s\n"
     "    retries = 3\n"
     "  }\n"
     "  a = 1\n"
     "  # a comment line breaks the run\n"
     "  bbb = 2\n"
     "  env = {\n"
     "    A = \"1\"\n"
     "  }\n"
     "  cc = 3\n"
     "}\n",
     "service \"app\" {\n"
     "  image    = \"nginx\"\n"
     "  replicas = 3\n"
     "\n"
     "  cpu          = 0.5\n"
     "  memory_limit = 512MiB\n"
     "  healthcheck {\n"
     "    interval = 30s\n"
     "    retries  = 3\n"
     "  }\n"
     "  a = 1\n"
     "  # a comment line breaks the run\n"
     "  bbb = 2\n"
     "  env = {\n"
     "    A = \"1\"\n"
     "  }\n"
     "  cc = 3\n"
     "}\n"},
    {"AlignmentSurvivesTrailingComments",
     "service \"app\" {\n  image = \"nginx\" # pinned below\n  replicas = 3\n}\n",
     "service \"app\" {\n  image    = \"nginx\" # pinned below\n  replicas = 3\n}\n"},
    {"ExtraSpacesAroundEqualsRemoved",
     "variable \"v\" {\n  default      =    \"x\"\n}\n",
     "variable \"v\" {\n  default = \"x\"\n}\n"},

    // --- blank lines ---------------------------------------------------------
    {"CollapsesBlankLines",
     "\n\n\nservice \"a\" {\n\n\n  image = \"x\"\n\n\n\n  replicas = 1\n\n}\n\n\n",
     "service \"a\" {\n  image = \"x\"\n\n  replicas = 1\n}\n"},
    {"TopLevelBlocksOneBlankLineApart",
     "service \"a\" {}\nservice \"b\" {}\n\n\n\nnetwork \"n\" {}",
     "service \"a\" {}\n\nservice \"b\" {}\n\nnetwork \"n\" {}\n"},
    {"TopLevelAttributeAndBlock",
     "version = 1\nservice \"a\" {}\n",
     "version = 1\n\nservice \"a\" {}\n"},
    {"NestedBlocksKeepSourceSpacing",
     "service \"a\" {\n  healthcheck {}\n  deploy {}\n\n  logging {}\n}\n",
     "service \"a\" {\n  healthcheck {}\n  deploy {}\n\n  logging {}\n}\n"},
    {"NoTrailingWhitespace",
     "service \"a\" {   \n  image = \"x\"   \t\n}   \n",
     "service \"a\" {\n  image = \"x\"\n}\n"},

    // --- blocks --------------------------------------------------------------
    {"ExpandsOneLineBlock",
     "service \"app\" { image = \"x:${var.v}\"  replicas = 3  healthcheck { interval = 30s } }",
     "service \"app\" {\n"
     "  image    = \"x:${var.v}\"\n"
     "  replicas = 3\n"
     "  healthcheck {\n"
     "    interval = 30s\n"
     "  }\n"
     "}\n"},
    {"EmptyBlocks",
     "service \"a\" {\n}\nvolume \"data\" {   }\nstack   {\n\n}\n",
     "service \"a\" {}\n\nvolume \"data\" {}\n\nstack {}\n"},
    {"NestedEmptyBlock",
     "service \"a\" { deploy { } }\n",
     "service \"a\" {\n  deploy {}\n}\n"},
    {"BlockWithOnlyACommentExpands",
     "service \"a\" { # nothing yet\n}\n",
     "service \"a\" {\n  # nothing yet\n}\n"},
    {"SeveralLabels",
     "resource   \"a\"    \"b\"{x=1}\n",
     "resource \"a\" \"b\" {\n  x = 1\n}\n"},
    {"DeepNesting",
     "a { b { c { d { e = 1 } } } }\n",
     "a {\n  b {\n    c {\n      d {\n        e = 1\n      }\n    }\n  }\n}\n"},

    // --- leaves --------------------------------------------------------------
    {"LeavesPrintAsWritten",
     "service \"a\" {\n"
     "  image = \"x:${var.tag}\\t\\\"q\\\"\"\n"
     "  cpu = 12.50\n"
     "  memory = 512MiB\n"
     "  grace = 1h30m\n"
     "  threshold = 70%\n"
     "  subnet = 172.30.1.0/24\n"
     "  ip = 172.30.1.1\n"
     "  port = 53/udp\n"
     "  ref = network.front\n"
     "  on = true\n"
     "  off = null\n"
     "  order = start-first\n"
     "}\n",
     "service \"a\" {\n"
     "  image     = \"x:${var.tag}\\t\\\"q\\\"\"\n"
     "  cpu       = 12.50\n"
     "  memory    = 512MiB\n"
     "  grace     = 1h30m\n"
     "  threshold = 70%\n"
     "  subnet    = 172.30.1.0/24\n"
     "  ip        = 172.30.1.1\n"
     "  port      = 53/udp\n"
     "  ref       = network.front\n"
     "  on        = true\n"
     "  off       = null\n"
     "  order     = start-first\n"
     "}\n"},

    // --- lists ---------------------------------------------------------------
    {"OneLineList",
     "x = [ 8080:80 ,443:443/tcp,53/udp ]\n",
     "x = [8080:80, 443:443/tcp, 53/udp]\n"},
    {"EmptyLists",
     "a = [ ]\nb = [\n]\n",
     "a = []\nb = []\n"},
    {"MultiLineList",
     "command = [\n\"a\", \"b\"\n]\n",
     "command = [\n  \"a\",\n  \"b\",\n]\n"},
    {"MultiLineListKeepsBlankLine",
     "x = [\n  1,\n\n\n  2,\n]\n",
     "x = [\n  1,\n\n  2,\n]\n"},
    {"NestedLists",
     "x = [[1, 2], [ ], [network.a]]\n",
     "x = [[1, 2], [], [network.a]]\n"},
    {"ListOfMultiLineMaps",
     "mounts = [\n{\nsource = \"a\"\ntarget = \"/b\"\n},\n]\n",
     "mounts = [\n  {\n    source = \"a\"\n    target = \"/b\"\n  },\n]\n"},
    {"OneLineListWithMultiLineItemExpands",
     "x = [{\na = 1\n}]\n",
     "x = [\n  {\n    a = 1\n  },\n]\n"},

    // --- maps ----------------------------------------------------------------
    {"OneLineMap",
     "env = {A=\"1\",B = \"2\"}\n",
     "env = { A = \"1\", B = \"2\" }\n"},
    {"EmptyMap",
     "env = { }\n",
     "env = {}\n"},
    {"MultiLineMapAlignsAndDropsCommas",
     "labels = {\n\"traefik.enable\" = \"true\",\nrule=\"Host(`x`)\"\n}\n",
     "labels = {\n  \"traefik.enable\" = \"true\"\n  rule             = \"Host(`x`)\"\n}\n"},
    {"MapKeysKeepTheirQuotes",
     "l = { \"a.b\" = 1, c = 2 }\n",
     "l = { \"a.b\" = 1, c = 2 }\n"},
    {"NestedMaps",
     "x = {\na = { b = 1 }\ncc = {\nd = [1]\n}\n}\n",
     "x = {\n  a = { b = 1 }\n  cc = {\n    d = [1]\n  }\n}\n"},

    // --- calls ---------------------------------------------------------------
    {"Calls",
     "variable \"v\" {\n  type = list( string )\n  other = map(list(string))\n}\n",
     "variable \"v\" {\n  type  = list(string)\n  other = map(list(string))\n}\n"},

    // --- comments ------------------------------------------------------------
    {"LeadingComments",
     "# the web tier\n// second style\nservice \"web\" {\n    # the image\n  image = \"x\"\n}\n",
     "# the web tier\n// second style\nservice \"web\" {\n  # the image\n  image = \"x\"\n}\n"},
    {"TrailingComments",
     "service \"a\" {\n  replicas = 3    # three\n  image = \"x\"// why\n}   # end of a\n",
     "service \"a\" {\n  replicas = 3 # three\n  image    = \"x\" // why\n} # end of a\n"},
    {"CommentInsideOneLineListExpandsIt",
     "x = [8080:80, # web\n 443:443]\n",
     "x = [\n  8080:80, # web\n  443:443,\n]\n"},
    {"BlockCommentInsideList",
     "x = [1, /* two */ 2]\n",
     "x = [\n  1, /* two */\n  2,\n]\n"},
    {"CommentOnOwnLineInsideList",
     "x = [\n  1,\n  # before two\n  2,\n  # after the last\n]\n",
     "x = [\n  1,\n  # before two\n  2,\n  # after the last\n]\n"},
    {"CommentAfterOpeningBracket",
     "x = [ # the list\n  1,\n]\n",
     "x = [\n  # the list\n  1,\n]\n"},
    {"CommentsInsideMap",
     "env = {\n  A = \"1\" # first\n  # second\n  B = \"2\"\n  # last\n}\n",
     "env = {\n  A = \"1\" # first\n  # second\n  B = \"2\"\n  # last\n}\n"},
    {"CommentInsideOneLineMapExpandsIt",
     "env = { A = \"1\", /* x */ B = \"2\" }\n",
     "env = {\n  A = \"1\" /* x */\n  B = \"2\"\n}\n"},
    {"OnlyACommentInsideList",
     "x = [ /* none */ ]\n",
     "x = [\n  /* none */\n]\n"},
    {"CommentsAtEndOfBlock",
     "service \"a\" {\n  image = \"x\"\n\n    # todo\n  # more\n\n}\n",
     "service \"a\" {\n  image = \"x\"\n\n  # todo\n  # more\n}\n"},
    {"CommentsAtEndOfFile",
     "service \"a\" {}\n\n\n# end\n# really\n\n\n",
     "service \"a\" {}\n\n# end\n# really\n"},
    {"CommentsBetweenTopLevelBlocks",
     "# about a\nservice \"a\" {}\n# about b\nservice \"b\" {}\n\n\n# about c\n\nservice \"c\" {}\n",
     "# about a\nservice \"a\" {}\n\n# about b\nservice \"b\" {}\n\n# about c\n\nservice \"c\" {}\n"},
    {"BlockCommentsKeptVerbatim",
     "/*\n * header\n *   indented\n */\nservice \"a\" {\n     /* one */ /* two */\n  x = 1\n}\n",
     "/*\n * header\n *   indented\n */\nservice \"a\" {\n  /* one */ /* two */\n  x = 1\n}\n"},
    {"CommentAfterOpeningBraceMovesInside",
     "service \"a\" { # the app\n  x = 1\n}\n",
     "service \"a\" {\n  # the app\n  x = 1\n}\n"},
    {"CommentInsideHeaderMovesBefore",
     "service /* kind */ \"a\" {\n  x = /* why */ 1\n}\n",
     "/* kind */\nservice \"a\" {\n  /* why */\n  x = 1\n}\n"},
    {"CommentBeforeItemOnSameLine",
     "service \"a\" {\n  /* lead */ x = 1\n}\n",
     "service \"a\" {\n  /* lead */\n  x = 1\n}\n"},
    {"TrailingCommentAfterMultiLineValue",
     "x = [\n  1,\n] # done\ny = 2\n",
     "x = [\n  1,\n] # done\ny = 2\n"},
    {"CommentsOnly",
     "\n# just\n\n\n# comments\n",
     "# just\n\n# comments\n"},
    {"CommentInsideCall",
     "v {\n  type = list( # of what\n  string)\n}\n",
     "v {\n  type = list(\n    # of what\n    string\n  )\n}\n"},

    // --- already formatted ---------------------------------------------------
    {"AlreadyFormattedUnchanged",
     "# The web tier.\n"
     "stack \"shop\" {\n"
     "  version = \"1.4.2\"\n"
     "}\n"
     "\n"
     "variable \"tag\" {\n"
     "  type    = string\n"
     "  default = \"latest\"\n"
     "}\n"
     "\n"
     "network \"front\" {\n"
     "  subnet = 172.30.1.0/24\n"
     "}\n"
     "\n"
     "service \"web\" {\n"
     "  image    = \"nginx:${var.tag}\"\n"
     "  replicas = 3 # one per node\n"
     "  ports    = [8080:80, 8443:443]\n"
     "  networks = [network.front]\n"
     "  env      = { MODE = \"prod\", DEBUG = \"0\" }\n"
     "\n"
     "  labels = {\n"
     "    \"traefik.enable\" = \"true\"\n"
     "    \"traefik.port\"   = \"80\"\n"
     "  }\n"
     "\n"
     "  healthcheck {\n"
     "    test     = [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n"
     "    interval = 30s\n"
     "    timeout  = 5s\n"
     "  }\n"
     "\n"
     "  deploy {\n"
     "    /* rolling updates */\n"
     "    update_order = start-first\n"
     "    memory_limit = 512MiB\n"
     "    cpu_limit    = 50%\n"
     "  }\n"
     "}\n"},
};

class FormatCase : public testing::TestWithParam<Case> {};

TEST_P(FormatCase, Output) {
  Formatted formatted = Format(GetParam().input);
  ASSERT_TRUE(formatted.parsed) << "input does not parse";
  EXPECT_EQ(formatted.text, GetParam().expected());
}

TEST_P(FormatCase, Idempotent) {
  Formatted once = Format(GetParam().input);
  Formatted twice = Format(once.text);
  ASSERT_TRUE(twice.parsed) << "output does not parse:\n" << once.text;
  EXPECT_EQ(twice.text, once.text);
  Formatted expected = Format(GetParam().expected());
  EXPECT_EQ(expected.text, GetParam().expected()) << "expected output is not canonical";
}

TEST_P(FormatCase, KeepsEveryComment) {
  Formatted once = Format(GetParam().input);
  Formatted twice = Format(once.text);
  EXPECT_EQ(twice.comments, once.comments);
}

INSTANTIATE_TEST_SUITE_P(Format, FormatCase, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(FormatTest, CrlfBecomesLf) {
  Formatted formatted = Format(
      "# head\r\nservice \"a\" {\r\n  image = \"x\" # why\r\n  /* a\r\n     b */\r\n}\r\n");
  ASSERT_TRUE(formatted.parsed);
  EXPECT_EQ(formatted.text, "# head\nservice \"a\" {\n  image = \"x\" # why\n  /* a\n     b */\n}\n");
}

TEST(FormatTest, EmptyFile) {
  EXPECT_EQ(Format("").text, "");
  EXPECT_EQ(Format("\n\n  \n").text, "");
}

TEST(FormatTest, EveryCommentExactlyOnce) {
  const char* input =
      "# c01\n"
      "service /* c02 */ \"a\" /* c03 */ { # c04\n"
      "  # c05\n"
      "  image = /* c06 */ \"x\" # c07\n"
      "  ports = [ # c08\n"
      "    8080:80, # c09\n"
      "    /* c10 */ 443:443 /* c11 */, # c12\n"
      "    # c13\n"
      "  ] # c14\n"
      "  env = { /* c15 */ A = /* c16 */ \"1\" /* c17 */ # c18\n"
      "  } # c19\n"
      "  deploy { /* c20 */ } // c21\n"
      "  # c22\n"
      "} # c23\n"
      "# c24\n"
      "service \"b\" {} /* c25 */ /* c26 */\n"
      "/* c27 */ // c28\n";
  Formatted once = Format(input);
  ASSERT_TRUE(once.parsed);
  EXPECT_EQ(once.comments, 28u);
  for (int i = 1; i <= 28; ++i) {
    char marker[16];
    std::snprintf(marker, sizeof marker, "c%02d", i);
    EXPECT_EQ(CountOccurrences(once.text, marker), 1u) << marker << " in\n" << once.text;
  }
  Formatted twice = Format(once.text);
  EXPECT_EQ(twice.comments, 28u);
  EXPECT_EQ(twice.text, once.text);
}

// Throughput belongs in bench/; this checks a large input keeps every
// comment and formats to a fixed point.
TEST(FormatTest, LargeFileKeepsEveryCommentAndIsIdempotent) {
  std::string input;
  for (int i = 0; input.size() < (2u << 20); ++i) {
    input += "service \"s" + std::to_string(i) + "\" { image = \"x:${var.v}\" replicas = 3 # r\n";
    input += "  env = { A = \"1\", B = \"2\" } ports = [\n8080:80, 443:443 ]\n";
    input += "  healthcheck { interval = 30s /* hc */ } }\n";
  }
  SourceManager sources;
  FileId id = sources.Add("large.nest", input);
  Diagnostics diags;
  ast::File file = ParseFile(sources, id, diags);
  ASSERT_FALSE(diags.HasErrors());
  std::string formatted = FormatFile(sources, file);
  EXPECT_EQ(CountOccurrences(formatted, "/* hc */"), file.comments.size() / 2);
  FileId again = sources.Add("large2.nest", formatted);
  ast::File reparsed = ParseFile(sources, again, diags);
  ASSERT_FALSE(diags.HasErrors());
  EXPECT_EQ(FormatFile(sources, reparsed), formatted);
}

}  // namespace
}  // namespace nest
