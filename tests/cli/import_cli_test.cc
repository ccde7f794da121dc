// `nest import` end to end: stdout or -o, notes and errors on stderr, exit
// codes, and the imported stack validating and compiling.
#include <gtest/gtest.h>

#include "tests/support/run_command.h"
#include "test_paths.h"

namespace nest {
namespace {

using ::nest::testing::ReadFileText;
using ::nest::testing::RunCommand;
using ::nest::testing::TempDir;

class ImportCli : public ::testing::Test {
 protected:
  ::nest::testing::CommandResult Nest(const std::string& args) {
    return RunCommand("cd '" + dir_.path() + "' && '" NEST_BINARY "' " + args);
  }
  TempDir dir_;
};

TEST_F(ImportCli, WritesSourceThatValidatesAndCompiles) {
  dir_.Write("app/docker-compose.yml", R"(x-note: dropped
services:
  web:
    image: nginx:${TAG:-1.27}
    ports: ["8080:80"]
    secrets: [token]
secrets:
  token:
    file: ./token.txt
)");
  dir_.Write("app/token.txt", "t\n");
  dir_.Write("stack/.keep", "");
  auto r = Nest("import app/docker-compose.yml -o stack/main.nest");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning[NEST-W093]"), std::string::npos) << r.err;
  std::string source = ReadFileText(dir_.path() + "/stack/main.nest");
  EXPECT_NE(source.find("stack \"app\" {}"), std::string::npos) << source;
  EXPECT_NE(source.find("file = \"../app/token.txt\""), std::string::npos) << source;
  EXPECT_EQ(Nest("validate stack").exit_code, 0);
  EXPECT_EQ(Nest("fmt --check stack").exit_code, 0);
  auto compiled = Nest("compile stack --target swarm");
  EXPECT_EQ(compiled.exit_code, 0) << compiled.err;
  EXPECT_NE(compiled.out.find("image: nginx:1.27"), std::string::npos) << compiled.out;
}

TEST_F(ImportCli, PrintsToStdoutWithoutOutput) {
  dir_.Write("docker-compose.yml", "services:\n  web:\n    image: nginx\n");
  auto r = Nest("import docker-compose.yml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("service \"web\" {\n  image = \"nginx\"\n}"), std::string::npos) << r.out;
}

TEST_F(ImportCli, UnsupportedKeysExitOneAndWriteNothing) {
  dir_.Write("docker-compose.yml", "services:\n  web:\n    image: nginx\n    container_name: web-1\n");
  auto r = Nest("import docker-compose.yml -o main.nest");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error[NEST-E091]: nest cannot express `container_name` in service `web`"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("docker-compose.yml:4:5"), std::string::npos) << r.err;
  EXPECT_TRUE(ReadFileText(dir_.path() + "/main.nest").empty());
}

TEST_F(ImportCli, AMissingFileIsExitOne) {
  auto r = Nest("import nowhere.yml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace nest
