// Running external programs from tests (the docker CLI and docker-compose as
// judges of compiled files): a shell command line, its stdout, stderr and
// exit code.
#pragma once

#include <string>

namespace nest::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh -c; stdout and stderr are captured separately.
CommandResult RunCommand(const std::string& command);

// True when `program` is found on PATH.
bool HaveProgram(const std::string& program);

// A fresh folder under the temp folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `text` to `relative` (creating folders) and returns the full path.
  std::string Write(const std::string& relative, const std::string& text) const;

 private:
  std::string path_;
};

// The whole content of a file ("" when it cannot be read).
std::string ReadFileText(const std::string& path);

}  // namespace nest::testing
