// Diagnostics name a module's files as the stack wrote them (issue 14):
// `stdlib/postgres/main.nest`, or a local module's file relative to the
// current folder, never the canonical path of the machine; the file is
// still read from (and resolves relative paths against) where it is.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/check/load.h"
#include "compiler/check/modules.h"
#include "compiler/diagnostics/render.h"
#include "test_paths.h"

namespace nest {
namespace {

namespace fs = std::filesystem;

const std::string kStdlib = std::string(NEST_SOURCE_DIR) + "/stdlib";

TEST(ModuleFileNames, StdlibFilesAreNamedFromStdlib) {
  EXPECT_EQ(check::ShownModuleFile(kStdlib, kStdlib + "/postgres/main.nest"), "stdlib/postgres/main.nest");
  // However the folder is spelled.
  EXPECT_EQ(check::ShownModuleFile(kStdlib + "/", kStdlib + "/../stdlib/redis/main.nest"), "stdlib/redis/main.nest");
}

// The current folder changes for the test only; put back even on failure.
class InFolder {
 public:
  explicit InFolder(const fs::path& dir) : before_(fs::current_path()) { fs::current_path(dir); }
  ~InFolder() { fs::current_path(before_); }

 private:
  fs::path before_;
};

class LocalModule : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nest-modnames-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Write("stack/main.nest", "stack \"s\" {}\n\nmodule \"m\" {\n  source = \"./modules/app\"\n}\n");
    // A type mismatch inside the module: a diagnostic located in its file.
    Write("stack/modules/app/main.nest", "service \"app\" {\n  image    = \"x:1\"\n  replicas = \"two\"\n}\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
  }
  std::string Diagnose(const std::string& stack_path) {
    LoadOptions options;
    options.read_environment = false;
    options.stdlib_dir = kStdlib;
    SourceManager sources;
    Diagnostics diags;
    LoadStack(stack_path, options, sources, diags);
    EXPECT_TRUE(diags.HasErrors());
    return RenderText(diags, sources, TextStyle{false});
  }
  fs::path dir_;
};

TEST_F(LocalModule, NamedRelativeToTheCurrentFolder) {
  InFolder here(dir_);
  std::string text = Diagnose("stack");
  EXPECT_NE(text.find("--> stack/modules/app/main.nest:3:"), std::string::npos) << text;
  EXPECT_EQ(text.find(dir_.string()), std::string::npos) << text;
}

TEST_F(LocalModule, AbsoluteOnlyOutsideTheCurrentFolder) {
  InFolder here(kStdlib);
  std::string text = Diagnose((dir_ / "stack").string());
  std::string canonical = fs::weakly_canonical(dir_).string();
  EXPECT_NE(text.find("--> " + canonical + "/stack/modules/app/main.nest:3:"), std::string::npos) << text;
}

}  // namespace
}  // namespace nest
