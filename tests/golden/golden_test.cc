// The golden corpus: every case under tests/golden/invalid/ must produce
// exactly the diagnostics its `# expect:` lines list, and every case under
// tests/golden/valid/ must check cleanly.
//
// A case is a .nest file or a folder of them (a stack, possibly with local
// modules). Expectation lines, anywhere in the case's files:
//   # expect: NEST-E026 at 12:14            (in the file holding the line)
//   # expect: NEST-E030 at other.nest:3:5   (in another file of the case)
//   # expect: NEST-E050                      (a diagnostic with no location)
//   # expect: NEST-E051 at --var replicas:1:10  (in the text of `--var replicas=...`)
//   # var: name=value                        (passed as --var)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/check/load.h"
#include "compiler/diagnostics/render.h"
#include "compiler/graph/graph.h"
#include "test_paths.h"

namespace nest {
namespace {

namespace fs = std::filesystem;

const fs::path kGolden = fs::path(NEST_TESTDATA_DIR) / "golden";

struct Case {
  fs::path path;
  std::multiset<std::string> expected;  // "NEST-E026 at file.nest:12:14"
  std::vector<std::pair<std::string, std::string>> vars;
};

std::vector<fs::path> CaseFiles(const fs::path& path) {
  std::vector<fs::path> files;
  if (fs::is_regular_file(path)) return {path};
  for (const auto& e : fs::recursive_directory_iterator(path))
    if (e.path().extension() == ".nest") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

Case ReadCase(const fs::path& path) {
  Case c{path, {}, {}};
  static const std::regex kExpect(R"(#\s*expect:\s*(NEST-[EW]\d{3})(?:\s+at\s+(?:([\w./-]+\.nest|--var [\w-]+):)?(\d+):(\d+))?)");
  static const std::regex kVar(R"(#\s*var:\s*([\w-]+)=(.*))");
  for (const auto& file : CaseFiles(path)) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (std::regex_search(line, m, kExpect)) {
        if (m[3].matched) {
          std::string name = m[2].matched ? m[2].str() : file.filename().string();
          c.expected.insert(m[1].str() + " at " + name + ":" + m[3].str() + ":" + m[4].str());
        } else {
          c.expected.insert(m[1].str());
        }
      } else if (std::regex_search(line, m, kVar)) {
        c.vars.emplace_back(m[1].str(), m[2].str());
      }
    }
  }
  return c;
}

struct Outcome {
  std::multiset<std::string> actual;
  std::string rendered;
};

Outcome Check(const Case& c) {
  SourceManager sources;
  Diagnostics diags;
  LoadOptions options;
  options.vars = c.vars;
  options.read_environment = false;
  options.stdlib_dir = std::string(NEST_SOURCE_DIR) + "/stdlib";
  auto config = LoadStack(c.path.string(), options, sources, diags);
  if (config) BuildGraph(*config, diags);
  Outcome out;
  for (const auto& d : diags.list()) {
    std::string code = CodeName(d.code, d.severity == Severity::kWarning);
    if (!d.subject.valid()) {
      out.actual.insert(code);
      continue;
    }
    const SourceFile& file = sources.file(d.subject.file);
    LineCol at = file.Locate(d.subject.begin);
    out.actual.insert(code + " at " + fs::path(file.path()).filename().string() + ":" + std::to_string(at.line) +
                      ":" + std::to_string(at.column));
  }
  out.rendered = RenderText(diags, sources, TextStyle{false});
  return out;
}

std::vector<fs::path> Cases(const std::string& kind) {
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(kGolden / kind))
    if (e.is_directory() || e.path().extension() == ".nest") cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string Join(const std::multiset<std::string>& set) {
  std::string out;
  for (const auto& s : set) out += "  " + s + "\n";
  return out.empty() ? "  (none)\n" : out;
}

TEST(Golden, InvalidCasesReportExactlyTheExpectedDiagnostics) {
  auto cases = Cases("invalid");
  ASSERT_GE(cases.size(), 60u) << "the corpus must hold at least 60 invalid cases";
  for (const auto& path : cases) {
    Case c = ReadCase(path);
    ASSERT_FALSE(c.expected.empty()) << path << " has no `# expect:` line";
    Outcome out = Check(c);
    EXPECT_EQ(out.actual, c.expected) << path.filename() << "\nexpected:\n"
                                      << Join(c.expected) << "actual:\n"
                                      << Join(out.actual) << "rendered:\n"
                                      << out.rendered;
  }
}

TEST(Golden, ValidCasesCheckCleanly) {
  auto cases = Cases("valid");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& path : cases) {
    Outcome out = Check(ReadCase(path));
    EXPECT_TRUE(out.actual.empty()) << path.filename() << "\n" << out.rendered;
  }
}

TEST(Golden, TheMediaNestExampleChecksCleanly) {
  Case c{fs::path(NEST_SOURCE_DIR) / "examples" / "medianest", {}, {}};
  Outcome out = Check(c);
  EXPECT_TRUE(out.actual.empty()) << out.rendered;
}

TEST(Golden, EveryDiagnosticCodeHasAnInvalidCase) {
  std::set<std::string> covered;
  for (const auto& path : Cases("invalid"))
    for (const auto& e : ReadCase(path).expected) covered.insert(e.substr(0, 9));
  // Codes a file-based case cannot produce: unreadable inputs are tested in
  // tests/compiler/check/load_test.cc; the codes of `nest compile` (80s) and
  // `nest import` (90s) come after checking, and are tested with those commands.
  const std::set<std::string> elsewhere = {"NEST-E070", "NEST-E071"};
  for (DiagCode code : AllCodes()) {
    std::string name = CodeName(code);
    if (elsewhere.count(name) || static_cast<int>(code) >= 80) continue;
    EXPECT_TRUE(covered.count(name)) << name << " (" << CodeTitle(code) << ") has no golden case";
  }
}

}  // namespace
}  // namespace nest
