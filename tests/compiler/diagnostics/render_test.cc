#include "compiler/diagnostics/render.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

namespace nest {
namespace {

// The span of the first occurrence of `needle` in file `id` (after `from`).
Span Find(const SourceManager& sources, FileId id, std::string_view needle, std::size_t from = 0) {
  std::string_view text = sources.file(id).text();
  std::size_t at = text.find(needle, from);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return {id, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

constexpr std::string_view kStack =
    "stack \"shop\" {}\n"              // 1
    "\n"                               // 2
    "service \"db\" {}\n"              // 3
    "service \"cache\" {}\n"           // 4
    "\n"                               // 5
    "service \"api\" {\n"              // 6
    "  image = \"api:1\"\n"            // 7
    "  replicas = 2\n"                 // 8
    "  depends_on = [service.dbb]\n"   // 9
    "}\n";                             // 10

class RenderTest : public ::testing::Test {
 protected:
  FileId AddStack() { return sources.Add("stack.nest", std::string(kStack)); }
  std::string Text() { return RenderText(diags, sources, TextStyle{}); }

  SourceManager sources;
  Diagnostics diags;
};

TEST_F(RenderTest, NothingForNoDiagnostics) {
  EXPECT_EQ(Text(), "");
}

TEST_F(RenderTest, ErrorWithContextLabelHelpAndNote) {
  FileId id = AddStack();
  Diagnostic& d = diags.Error(DiagCode::UnresolvedReference, Find(sources, id, "service.dbb"),
                              "unresolved reference `service.dbb`");
  d.context = Find(sources, id, "service \"api\"");
  d.label = "no service named `dbb`";
  d.help.push_back("did you mean `service.db`?");
  d.notes.push_back("services in this stack: api, cache, db");
  EXPECT_EQ(Text(),
            "error[NEST-E030]: unresolved reference `service.dbb`\n"
            " --> stack.nest:9:17\n"
            "  |\n"
            "6 | service \"api\" {\n"
            "  | -------------\n"
            "...\n"
            "9 |   depends_on = [service.dbb]\n"
            "  |                 ^^^^^^^^^^^ no service named `dbb`\n"
            "  |\n"
            "  = help: did you mean `service.db`?\n"
            "  = note: services in this stack: api, cache, db\n"
            "\n"
            "1 error, 0 warnings\n");
}

TEST_F(RenderTest, GutterWidensForTwoDigitLines) {
  std::string text(12, '\n');
  text += "x = 1\n";
  FileId id = sources.Add("a.nest", text);
  diags.Error(DiagCode::UnknownAttribute, Find(sources, id, "x"), "unknown attribute `x`");
  EXPECT_EQ(Text(),
            "error[NEST-E021]: unknown attribute `x`\n"
            "  --> a.nest:13:1\n"
            "   |\n"
            "13 | x = 1\n"
            "   | ^\n"
            "\n"
            "1 error, 0 warnings\n");
}

TEST_F(RenderTest, ContextOneLineAboveAndTwoLinesAbove) {
  FileId id = AddStack();
  Diagnostic& near = diags.Error(DiagCode::TypeMismatch, Find(sources, id, "\"api:1\""), "near");
  near.context = Find(sources, id, "service \"api\"");
  Diagnostic& gap = diags.Warning(DiagCode::OutOfRange, Find(sources, id, "2"), "gap");
  gap.context = Find(sources, id, "service \"api\"");
  EXPECT_EQ(Text(),
            "error[NEST-E026]: near\n"
            " --> stack.nest:7:11\n"
            "  |\n"
            "6 | service \"api\" {\n"
            "  | -------------\n"
            "7 |   image = \"api:1\"\n"
            "  |           ^^^^^^^\n"
            "\n"
            "warning[NEST-W027]: gap\n"
            " --> stack.nest:8:14\n"
            "  |\n"
            "6 | service \"api\" {\n"
            "  | -------------\n"
            "7 |   image = \"api:1\"\n"
            "8 |   replicas = 2\n"
            "  |              ^\n"
            "\n"
            "1 error, 1 warning\n");
}

TEST_F(RenderTest, ContextOnTheSameOrALaterLineIsLeftOut) {
  FileId id = AddStack();
  Diagnostic& d = diags.Error(DiagCode::TypeMismatch, Find(sources, id, "\"api:1\""), "x");
  d.context = Find(sources, id, "image");
  Diagnostic& e = diags.Error(DiagCode::TypeMismatch, Find(sources, id, "\"api:1\""), "y");
  e.context = Find(sources, id, "replicas");
  std::string text = Text();
  EXPECT_EQ(text.find("---"), std::string::npos) << text;
}

TEST_F(RenderTest, MultiLineSubjectUnderlinesToTheEndOfItsFirstLine) {
  FileId id = AddStack();
  Span span = Find(sources, id, "service \"api\" {");
  span.end = static_cast<std::uint32_t>(kStack.size() - 1);  // through the closing brace
  diags.Error(DiagCode::MissingAttribute, span, "missing required attribute `image`").label =
      "this service";
  EXPECT_EQ(Text(),
            "error[NEST-E022]: missing required attribute `image`\n"
            " --> stack.nest:6:1\n"
            "  |\n"
            "6 | service \"api\" {\n"
            "  | ^^^^^^^^^^^^^^^ this service\n"
            "\n"
            "1 error, 0 warnings\n");
}

TEST_F(RenderTest, EmptySpanAtEndOfFileMarksOneColumn) {
  FileId id = sources.Add("a.nest", "service \"x\" {");
  auto end = static_cast<std::uint32_t>(sources.file(id).text().size());
  diags.Error(DiagCode::UnclosedBlock, {id, end, end}, "unclosed block");
  EXPECT_EQ(Text(),
            "error[NEST-E002]: unclosed block\n"
            " --> a.nest:1:14\n"
            "  |\n"
            "1 | service \"x\" {\n"
            "  |              ^\n"
            "\n"
            "1 error, 0 warnings\n");
}

TEST_F(RenderTest, TabsExpandAndCaretsFollow) {
  FileId id = sources.Add("t.nest", "\tx =\t\"a\"\n");
  diags.Error(DiagCode::TypeMismatch, Find(sources, id, "\"a\""), "tabs");
  EXPECT_EQ(Text(),
            "error[NEST-E026]: tabs\n"
            " --> t.nest:1:6\n"
            "  |\n"
            "1 |     x =    \"a\"\n"
            "  |            ^^^\n"
            "\n"
            "1 error, 0 warnings\n");
}

TEST_F(RenderTest, MultiByteCharactersCountOnceForCaretAlignment) {
  // "é" is two bytes, "€" three, "😀" four; each is one column on screen.
  FileId id = sources.Add("u.nest", "name = \"é€😀\" + bad\n");
  diags.Error(DiagCode::UnexpectedToken, Find(sources, id, "bad"), "unexpected `bad`");
  diags.Error(DiagCode::TypeMismatch, Find(sources, id, "\"é€😀\""), "wide string");
  EXPECT_EQ(Text(),
            "error[NEST-E001]: unexpected `bad`\n"
            " --> u.nest:1:22\n"  // columns count bytes
            "  |\n"
            "1 | name = \"é€😀\" + bad\n"
            "  |                ^^^\n"
            "\n"
            "error[NEST-E026]: wide string\n"
            " --> u.nest:1:8\n"
            "  |\n"
            "1 | name = \"é€😀\" + bad\n"
            "  |        ^^^^^\n"
            "\n"
            "2 errors, 0 warnings\n");
}

TEST_F(RenderTest, InvalidUtf8IsShownAsReplacementCharacters) {
  FileId id = sources.Add("b.nest", "x = \"\xff\xfe\" y\n");
  diags.Error(DiagCode::InvalidUtf8, Find(sources, id, "y"), "bad");
  std::string text = Text();
  EXPECT_NE(text.find("1 | x = \"\xEF\xBF\xBD\xEF\xBF\xBD\" y\n  |          ^\n"), std::string::npos)
      << text;
}

TEST_F(RenderTest, SubjectWithoutFilePrintsSummaryAndFooters) {
  Diagnostic& d = diags.Error(DiagCode::NoSourceFiles, Span{}, "no .nest files in `empty/`");
  d.help.push_back("create `empty/stack.nest`");
  d.notes.push_back("nest reads every *.nest file in a folder");
  EXPECT_EQ(Text(),
            "error[NEST-E071]: no .nest files in `empty/`\n"
            "  = help: create `empty/stack.nest`\n"
            "  = note: nest reads every *.nest file in a folder\n"
            "\n"
            "1 error, 0 warnings\n");
}

TEST_F(RenderTest, RelatedSpansBecomeSeeNotes) {
  FileId id = AddStack();
  Diagnostic& d = diags.Error(DiagCode::DependencyCycle, Find(sources, id, "service \"db\""),
                              "dependency cycle: service.db -> service.api -> service.db");
  d.related.push_back(Find(sources, id, "service \"api\""));
  EXPECT_EQ(Text(),
            "error[NEST-E032]: dependency cycle: service.db -> service.api -> service.db\n"
            " --> stack.nest:3:1\n"
            "  |\n"
            "3 | service \"db\" {}\n"
            "  | ^^^^^^^^^^^^\n"
            "  |\n"
            "  = note: see stack.nest:6:1\n"
            "\n"
            "1 error, 0 warnings\n");
}

TEST_F(RenderTest, ColourOnlyWhenAsked) {
  FileId id = AddStack();
  diags.Error(DiagCode::TypeMismatch, Find(sources, id, "2"), "bad").help.push_back("fix");
  diags.Warning(DiagCode::OutOfRange, Find(sources, id, "2"), "meh");
  std::string plain = RenderText(diags, sources, TextStyle{false});
  std::string colour = RenderText(diags, sources, TextStyle{true});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(colour.find("\x1b[1;31merror[NEST-E026]\x1b[0m"), std::string::npos) << colour;
  EXPECT_NE(colour.find("\x1b[1;33mwarning[NEST-W027]\x1b[0m"), std::string::npos) << colour;
  EXPECT_NE(colour.find("\x1b[1;34m-->\x1b[0m"), std::string::npos) << colour;
  EXPECT_NE(colour.find("\x1b[1mhelp\x1b[0m: fix"), std::string::npos) << colour;
  // Stripping the escapes gives the plain text back.
  std::string stripped;
  for (std::size_t i = 0; i < colour.size(); ++i) {
    if (colour[i] == '\x1b') {
      i = colour.find('m', i);
      continue;
    }
    stripped += colour[i];
  }
  EXPECT_EQ(stripped, plain);
}

TEST_F(RenderTest, JsonHasTerraformShape) {
  FileId id = AddStack();
  Diagnostic& d = diags.Error(DiagCode::UnresolvedReference, Find(sources, id, "service.dbb"),
                              "unresolved reference `service.dbb`");
  d.context = Find(sources, id, "service \"api\"");
  d.help.push_back("did you mean `service.db`?");
  d.notes.push_back("services in this stack: api, cache, db");
  diags.Warning(DiagCode::OutOfRange, Span{}, "a warning without a place");

  auto j = nlohmann::json::parse(RenderJson(diags, sources));
  EXPECT_EQ(j["format_version"], "1.0");
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["error_count"], 1);
  EXPECT_EQ(j["warning_count"], 1);
  ASSERT_EQ(j["diagnostics"].size(), 2u);

  const auto& e = j["diagnostics"][0];
  EXPECT_EQ(e["severity"], "error");
  EXPECT_EQ(e["code"], "NEST-E030");
  EXPECT_EQ(e["summary"], "unresolved reference `service.dbb`");
  EXPECT_EQ(e["detail"], "did you mean `service.db`?\nservices in this stack: api, cache, db");
  EXPECT_EQ(e["range"]["filename"], "stack.nest");
  std::uint32_t byte = static_cast<std::uint32_t>(kStack.find("service.dbb"));
  EXPECT_EQ(e["range"]["start"], (nlohmann::json{{"line", 9}, {"column", 17}, {"byte", byte}}));
  EXPECT_EQ(e["range"]["end"], (nlohmann::json{{"line", 9}, {"column", 28}, {"byte", byte + 11}}));
  EXPECT_EQ(e["snippet"]["context"], "service \"api\"");
  EXPECT_EQ(e["snippet"]["code"], "  depends_on = [service.dbb]");
  EXPECT_EQ(e["snippet"]["start_line"], 9);
  EXPECT_EQ(e["snippet"]["highlight_start_offset"], 16);
  EXPECT_EQ(e["snippet"]["highlight_end_offset"], 27);
  EXPECT_EQ(e["snippet"]["values"], nlohmann::json::array());

  const auto& w = j["diagnostics"][1];
  EXPECT_EQ(w["severity"], "warning");
  EXPECT_EQ(w["code"], "NEST-W027");
  EXPECT_EQ(w["detail"], "");
  EXPECT_FALSE(w.contains("range"));
  EXPECT_FALSE(w.contains("snippet"));
}

TEST_F(RenderTest, JsonKeysKeepTerraformOrder) {
  std::string json = RenderJson(diags, sources);
  EXPECT_EQ(json,
            "{\n"
            "  \"format_version\": \"1.0\",\n"
            "  \"valid\": true,\n"
            "  \"error_count\": 0,\n"
            "  \"warning_count\": 0,\n"
            "  \"diagnostics\": []\n"
            "}\n");
}

TEST_F(RenderTest, JsonMultiLineSnippetAndNullContext) {
  FileId id = AddStack();
  Span span = Find(sources, id, "service \"api\" {");
  span.end = static_cast<std::uint32_t>(kStack.find("replicas"));
  diags.Error(DiagCode::MissingAttribute, span, "missing");
  auto j = nlohmann::json::parse(RenderJson(diags, sources));
  const auto& s = j["diagnostics"][0]["snippet"];
  EXPECT_TRUE(s["context"].is_null());
  EXPECT_EQ(s["code"], "service \"api\" {\n  image = \"api:1\"\n  replicas = 2");
  EXPECT_EQ(s["start_line"], 6);
  EXPECT_EQ(s["highlight_start_offset"], 0);
  EXPECT_EQ(s["highlight_end_offset"], 36);
}

TEST_F(RenderTest, JsonSurvivesInvalidUtf8) {
  FileId id = sources.Add("b.nest", "x = \"\xff\"\n");
  diags.Error(DiagCode::InvalidUtf8, Find(sources, id, "\"\xff\""), "bad");
  auto j = nlohmann::json::parse(RenderJson(diags, sources));
  EXPECT_EQ(j["diagnostics"][0]["snippet"]["code"], "x = \"\xEF\xBF\xBD\"");
}

TEST(ShouldColorTest, NoColorDisablesAndPipesAreNotTerminals) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_FALSE(ShouldColor(fds[1]));
  close(fds[0]);
  close(fds[1]);
  setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(ShouldColor(1));
  EXPECT_FALSE(ShouldColor(2));
  unsetenv("NO_COLOR");
}

TEST(SuggestTest, NearNamesAndNothingForFarOnes) {
  std::vector<std::string> attrs = {"image", "replicas", "networks", "secrets", "env"};
  EXPECT_EQ(Suggest("replcas", attrs), "replicas");
  EXPECT_EQ(Suggest("netwroks", attrs), "networks");
  EXPECT_EQ(Suggest("imag", attrs), "image");
  EXPECT_EQ(Suggest("volumes", attrs), "");
  EXPECT_EQ(Suggest("zzz", attrs), "");
  EXPECT_EQ(Suggest("replicas", {}), "");
}

}  // namespace
}  // namespace nest
