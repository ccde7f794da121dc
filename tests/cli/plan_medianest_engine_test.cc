// `nest plan` of the MediaNest example on an engine that has none of it
// (issue 14's "must show"): run as a user runs it, from the checkout, through
// the built binary. Every size reads as written (`1GiB`), never as a byte
// count; each kind of warning is printed once, its other places folded into
// "also ..." notes; module files are named `stdlib/NAME/main.nest`. A plan
// creates nothing, so the example's fixed subnets need no lock.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "tests/support/engine_fixture.h"
#include "test_paths.h"

namespace nest {
namespace {

namespace fs = std::filesystem;

// `nest plan examples/medianest` from the checkout, stderr to `err_file`.
std::string PlanCommand(const std::string& stack, const fs::path& err_file) {
  // In a subshell: RunCommand sends the command's own stderr to its output.
  return "(cd '" + std::string(NEST_SOURCE_DIR) + "' && '" + NEST_BINARY + "' plan examples/medianest --no-color --stack " +
         stack + " 2>'" + err_file.string() + "')";
}

std::string WarningCount(std::size_t n) { return "0 errors, " + std::to_string(n) + " warning" + (n == 1 ? "" : "s"); }

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PlanMedianestEngineTest, EmptyEngineShowsSizesAsWrittenAndEachWarningOnce) {
  NEST_REQUIRE_SWARM();
  // A stack name nothing on the engine has: everything is created.
  const std::string stack = test_support::UniqueName("plan-medianest");
  fs::path err_file = fs::temp_directory_path() / (stack + ".err");
  std::string out;
  int status = test_support::RunCommand(PlanCommand(stack, err_file), &out);
  std::string err = ReadText(err_file);
  fs::remove(err_file);
  ASSERT_EQ(status, 0) << out << err;
  ASSERT_NE(out.find("Plan: "), std::string::npos) << out;
  EXPECT_EQ(out.find("No changes."), std::string::npos) << out;

  // Sizes: the example writes 1GiB, 256MiB, 64MiB ... and the plan says so.
  EXPECT_NE(out.find("memory         = 1GiB\n"), std::string::npos) << out;
  EXPECT_NE(out.find("size   = 256MiB\n"), std::string::npos) << out;
  static const std::regex kRawBytes(R"((memory|reserve_memory|size|shm_size)\s*= [0-9]+\n)");
  std::smatch raw;
  EXPECT_FALSE(std::regex_search(out, raw, kRawBytes)) << "a raw byte count: " << raw.str(0);
  for (const char* bytes : {"1073741824", "536870912", "268435456", "134217728", "67108864", "1048576"}) {
    EXPECT_EQ(out.find(bytes), std::string::npos) << bytes;
  }
  // Durations as written.
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\+ interval += "10s"\n)"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\+ start_period += "30s"\n)"))) << out;

  // Warnings: each kind (code and setting) once, with its other places as notes.
  static const std::regex kWarning(R"(warning\[(NEST-W\d+)\]: [^:\n]+: ([^\n]+)\n)");
  std::map<std::string, int> kinds;
  for (auto it = std::sregex_iterator(err.begin(), err.end(), kWarning); it != std::sregex_iterator(); ++it) {
    ++kinds[(*it)[1].str() + " " + (*it)[2].str()];
  }
  ASSERT_FALSE(kinds.empty()) << err;
  for (const auto& [kind, n] : kinds) EXPECT_EQ(n, 1) << kind << " printed " << n << " times:\n" << err;
  EXPECT_NE(err.find("= note: also "), std::string::npos) << err;
  EXPECT_NE(err.find(WarningCount(kinds.size())), std::string::npos) << err;

  // Files: the example's relative to the checkout, the stdlib's from stdlib/.
  EXPECT_NE(err.find("also module.db.service.postgres at stdlib/postgres/main.nest:"), std::string::npos) << err;
  EXPECT_EQ(err.find(std::string(NEST_SOURCE_DIR) + "/stdlib"), std::string::npos) << err;
  EXPECT_NE(err.find("examples/medianest/"), std::string::npos) << err;
}

}  // namespace
}  // namespace nest
