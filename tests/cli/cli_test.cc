// End-to-end tests of the `nest` binary: exit codes, stdout and stderr.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>
#include "test_paths.h"

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nest-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the built binary with `args`; stdout and stderr go to files in dir_.
  Result Nest(std::vector<std::string> args) {
    fs::path out = dir_ / ".stdout", err = dir_ / ".stderr";
    pid_t pid = fork();
    if (pid == 0) {
      int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(o, 1);
      dup2(e, 2);
      std::vector<char*> argv{const_cast<char*>(NEST_BINARY)};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(NEST_BINARY, argv.data());
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// --- The command line itself (no stack needed) ------------------------------

TEST_F(CliTest, Version) {
  Result r = Nest({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "nest 0.1.0\n");
}

TEST_F(CliTest, HelpListsTheCommands) {
  Result r = Nest({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* command : {"validate", "fmt", "graph", "help"}) {
    EXPECT_NE(r.out.find(command), std::string::npos) << command << "\n" << r.out;
  }
}

TEST_F(CliTest, HelpCommandShowsTheCommandsUsage) {
  Result r = Nest({"help", "validate"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: nest validate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--json"), std::string::npos) << r.out;
  EXPECT_EQ(Nest({"validate", "--help"}).out, r.out);
}

TEST_F(CliTest, UnknownCommandExitsOneWithASuggestion) {
  Result r = Nest({"valdate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown command `valdate`"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean `validate`?"), std::string::npos) << r.err;
  EXPECT_EQ(Nest({"help", "nope"}).exit_code, 1);
}

TEST_F(CliTest, ALockLeaseThatIsNotAPositiveNumberIsAUsageError) {
  for (const char* lease : {"0", "-5", "abc", "12s"}) {
    Result r = Nest({"apply", "--lock-lease-ms", lease, "--auto-approve", Path("none")});
    EXPECT_EQ(r.exit_code, 1) << lease;
    EXPECT_NE(r.err.find(std::string("1 or more, not `") + lease + "`"), std::string::npos) << r.err;
  }
  // The hidden option stays out of the help.
  EXPECT_EQ(Nest({"apply", "--help"}).out.find("lease"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitOne) {
  EXPECT_EQ(Nest({"validate", "--bogus"}).exit_code, 1);
  EXPECT_EQ(Nest({"graph", "--format", "xml", "."}).exit_code, 1);
  EXPECT_EQ(Nest({"--bogus"}).exit_code, 1);
  EXPECT_EQ(Nest({}).exit_code, 1);
}

TEST_F(CliTest, MalformedVarIsADiagnostic) {
  Result r = Nest({"validate", "--var", "replicas", Path("missing")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("`--var replicas` is not of the form NAME=VALUE"), std::string::npos) << r.err;
}

TEST_F(CliTest, FmtOfAMissingPathExitsOne) {
  Result r = Nest({"fmt", "--check", Path("missing")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
}

TEST_F(CliTest, FmtOfAFolderWithoutNestFilesDoesNothing) {
  Write(dir_ / "empty" / "notes.txt", "not   nest\n");
  Result r = Nest({"fmt", "--check", Path("empty")});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
}

// --- Needing the loader, checker and graph ----------------------------------

TEST_F(CliTest, ValidateOfAMissingPathExitsOneAndNamesIt) {
  Result r = Nest({"validate", Path("missing")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error[NEST-E"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, ValidateJsonOfAMissingPathIsInvalidJson) {
  Result r = Nest({"validate", "--json", Path("missing")});
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["valid"], false);
  EXPECT_GE(j["error_count"], 1);
}

TEST_F(CliTest, ValidateSucceedsOnAMinimalStack) {
  Write(dir_ / "ok" / "stack.nest", "stack \"demo\" {}\n");
  Result r = Nest({"validate", Path("ok")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Success! The stack `demo` is valid (", 0), 0u) << r.out;
}

TEST_F(CliTest, ValidateReportsAnUnresolvedReference) {
  Write(dir_ / "bad" / "stack.nest",
        "stack \"demo\" {}\n"
        "\n"
        "service \"app\" {\n"
        "  image      = \"busybox:1\"\n"
        "  depends_on = [service.dbb]\n"
        "}\n");
  Result r = Nest({"validate", Path("bad")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error[NEST-E030]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stack.nest:5:"), std::string::npos) << r.err;

  Result j = Nest({"validate", "--json", Path("bad")});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(j.err, "");
  EXPECT_EQ(nlohmann::json::parse(j.out)["valid"], false);
}

TEST_F(CliTest, GraphPrintsDotAndJson) {
  Write(dir_ / "ok" / "stack.nest", "stack \"demo\" {}\n");
  Result dot = Nest({"graph", Path("ok")});
  EXPECT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_NE(dot.out.find("digraph"), std::string::npos) << dot.out;
  Result json = Nest({"graph", "--format", "json", Path("ok")});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(nlohmann::json::accept(json.out)) << json.out;
}

// --- Needing the parser and formatter ----------------------------------------

TEST_F(CliTest, FmtCheckListsThenFmtRewrites) {
  fs::path file = dir_ / "src" / "stack.nest";
  std::string messy = "stack    \"demo\"    {}\n\n\n\n";
  Write(file, messy);

  Result check = Nest({"fmt", "--check", Path("src")});
  EXPECT_EQ(check.exit_code, 1) << check.err;
  EXPECT_EQ(check.out, file.string() + "\n");
  EXPECT_EQ(Slurp(file), messy);

  Result rewrite = Nest({"fmt", Path("src")});
  EXPECT_EQ(rewrite.exit_code, 0) << rewrite.err;
  EXPECT_EQ(rewrite.out, file.string() + "\n");
  EXPECT_NE(Slurp(file), messy);

  Result again = Nest({"fmt", "--check", Path("src")});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "");
}

TEST_F(CliTest, FmtReportsSyntaxErrorsAndSkipsHiddenFolders) {
  Write(dir_ / "src" / "broken.nest", "service \"x\" {\n  image = \n");
  Write(dir_ / "src" / ".hidden" / "messy.nest", "stack    \"a\" {}\n");
  Write(dir_ / "src" / "build" / "messy.nest", "stack    \"a\" {}\n");
  Result r = Nest({"fmt", "--check", Path("src")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error[NEST-E0"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
