#include "tests/support/run_command.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nest::testing {

namespace fs = std::filesystem;

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  TempDir dir;
  std::string out = dir.path() + "/out", err = dir.path() + "/err";
  std::string line = "(" + command + ") >'" + out + "' 2>'" + err + "' </dev/null";
  int status = std::system(line.c_str());
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFileText(out);
  result.err = ReadFileText(err);
  return result;
}

bool HaveProgram(const std::string& program) {
  return RunCommand("command -v " + program).exit_code == 0;
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "nest-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& relative, const std::string& text) const {
  fs::path path = fs::path(path_) / relative;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace nest::testing
