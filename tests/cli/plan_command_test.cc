// `nest plan` with fake state sources (no engine), and `nest show` through
// the built binary.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/plan_commands.h"
#include "planner/plan_file.h"
#include "providers/desired.h"
#include "providers/engine/error.h"
#include "tests/planner/fixtures.h"
#include "test_paths.h"

namespace nest {
namespace {

namespace fs = std::filesystem;
using namespace nest::plan::testing;
using plan::ResourceState;
using plan::StackState;

// A FILE* the command writes to, read back as a string.
class Capture {
 public:
  Capture() : file_(std::tmpfile()) {}
  ~Capture() { std::fclose(file_); }
  std::FILE* get() { return file_; }
  std::string Text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string text;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) text.append(buffer, n);
    return text;
  }

 private:
  std::FILE* file_;
};

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class PlanCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nest-plancmd-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ / "main.nest") << "stack \"demo\" {}\n\n"
                                         "network \"backend\" {}\n\n"
                                         "service \"app\" {\n"
                                         "  image    = \"demo/app:1.0\"\n"
                                         "  networks = [network.backend]\n"
                                         "}\n";
    desired_ = Stack("demo", {R("network.backend", ResourceKind::kNetwork, "demo_backend", {}),
                              R("service.app", ResourceKind::kService, "demo_app",
                                {{"image", S("demo/app:1.0")}, {"env", M({{"KEY", Secret(kPassword)}})}})});
    live_ = Stack("demo", {});
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A provider over the fixture's states: what it was asked for is recorded.
  class FakeProvider : public plan::Provider {
   public:
    FakeProvider(PlanCommandTest& test, Platform platform) : test_(test), platform_(platform) {}
    Platform platform() const override { return platform_; }
    std::string endpoint() const override { return "unix:///run/fake.sock"; }
    std::optional<StackState> DesiredState(const Config& config, const std::string& stack,
                                           Diagnostics& diags) override {
      test_.seen_config_stack_ = config.stack_name;
      test_.seen_stack_ = stack;
      if (test_.desired_error_) {
        diags.Error(DiagCode::CannotRead, Span{}, *test_.desired_error_);
        return std::nullopt;
      }
      if (test_.compile_desired_) return plan::BuildDesiredState(config, platform_, stack, diags);
      return test_.desired_;
    }
    Result<StackState> ReadStack(const std::string&) override {
      if (test_.live_error_) return Error{test_.live_error_->Describe()};
      return test_.live_;
    }
    Status Apply(const plan::ResourceChange&, plan::StepOp, const plan::StepContext&) override {
      return Error{"the plan command never applies"};
    }
    Status WaitConverged(const plan::ResourceChange&, const plan::StepContext&) override {
      return Error{"the plan command never applies"};
    }
    Result<std::unique_ptr<plan::StackLock>> Lock(const plan::LockRequest&, std::vector<std::string>&) override {
      return Error{"the plan command never locks"};
    }
    Status ForceUnlock(const std::string&, const std::string&) override { return Error{"never"}; }
    Result<int> RecordRevision(const plan::RevisionRecord&) override { return Error{"never"}; }

   private:
    PlanCommandTest& test_;
    Platform platform_;
  };

  PlanSources Sources() {
    PlanSources sources;
    sources.provider = [this](Platform platform) -> Result<std::unique_ptr<plan::Provider>> {
      seen_platform_ = PlatformName(platform);
      return {std::make_unique<FakeProvider>(*this, platform)};
    };
    return sources;
  }

  Outcome Plan(PlanArgs args) {
    if (args.stack.path == ".") args.stack.path = dir_.string();
    args.stack.no_color = true;
    Capture out, err;
    Outcome outcome;
    outcome.exit_code = RunPlan(args, Sources(), out.get(), err.get());
    outcome.out = out.Text();
    outcome.err = err.Text();
    return outcome;
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  StackState desired_, live_;
  std::optional<engine::EngineError> live_error_;
  std::optional<std::string> desired_error_;  // DesiredState fails with this diagnostic
  bool compile_desired_ = false;  // DesiredState compiles the stack as the real providers do
  std::string seen_config_stack_, seen_platform_, seen_stack_;
};

TEST_F(PlanCommandTest, EmptyEngineCreatesEverythingInDependencyOrder) {
  Outcome r = Plan({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::size_t network = r.out.find("# network.backend will be created");
  std::size_t app = r.out.find("# service.app will be created");
  ASSERT_NE(network, std::string::npos) << r.out;
  ASSERT_NE(app, std::string::npos) << r.out;
  EXPECT_LT(network, app);
  EXPECT_NE(r.out.find("Plan: 2 to add, 0 to change, 0 to destroy."), std::string::npos);
  EXPECT_EQ(r.out.find(kPassword), std::string::npos);
  EXPECT_EQ(seen_platform_, "swarm");
  EXPECT_EQ(seen_stack_, "demo");
}

// Compile warnings are folded as `nest compile` folds them: one per setting,
// the other places as "also ADDRESS at FILE:LINE:COL" notes. A network's
// gateway, which the swarm file cannot carry, is no warning in a plan: apply
// sets it through the Engine API.
TEST_F(PlanCommandTest, RepeatedWarningsAreFoldedOnePerKind) {
  std::ofstream main(dir_ / "main.nest");
  main << "stack \"demo\" {}\n";
  for (const char* name : {"a", "b", "c"}) {
    main << "\nnetwork \"" << name << "\" {\n  subnet  = 10.9." << (name[0] - 'a') << ".0/24\n  gateway = 10.9."
         << (name[0] - 'a') << ".1\n}\n";
  }
  for (const char* name : {"web", "api", "worker", "cron"}) {
    main << "\nservice \"" << name << "\" {\n  image = \"demo/" << name << ":1\"\n"
         << (std::string(name) == "cron" ? "" : "  dns_opt = [\"ndots:2\"]\n")
         << "\n  security {\n    no_new_privileges = true\n  }\n}\n";
  }
  main.close();
  compile_desired_ = true;
  Outcome r = Plan({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = r.err.find(needle); at != std::string::npos; at = r.err.find(needle, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("warning[NEST-W080]: "), 2u) << r.err;
  EXPECT_EQ(count("`security.no_new_privileges` is not supported by the swarm target"), 1u) << r.err;
  EXPECT_EQ(count("`dns_opt` is not supported by the swarm target"), 1u) << r.err;
  EXPECT_EQ(count("`gateway`"), 0u) << r.err;
  EXPECT_EQ(count("= note: also service."), 3u + 2u) << r.err;
  EXPECT_NE(r.err.find("= note: also service.web at " + (dir_ / "main.nest").string() + ":"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("0 errors, 2 warnings"), std::string::npos) << r.err;
  // Three networks, four services and the `default` network they join.
  EXPECT_NE(r.out.find("Plan: 8 to add, 0 to change, 0 to destroy."), std::string::npos) << r.out;
}

TEST_F(PlanCommandTest, DetailedExitCode) {
  PlanArgs args;
  args.detailed_exitcode = true;
  EXPECT_EQ(Plan(args).exit_code, 2);
  live_ = Stack("demo", {Live(desired_.resources[0], "n", 0), Live(desired_.resources[1], "s", 3)});
  Outcome r = Plan(args);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "No changes. Your stack matches the configuration.\n");
  args.detailed_exitcode = false;
  live_ = Stack("demo", {});
  EXPECT_EQ(Plan(args).exit_code, 0);
}

TEST_F(PlanCommandTest, EngineErrorsExitOneWithTheirDescription) {
  engine::EngineError error;
  error.kind = engine::ErrorKind::kUnreachable;
  error.doing = "listing services of stack demo";
  error.endpoint = "unix:///run/fake.sock";
  error.detail = "connection refused (is dockerd running?)";
  live_error_ = error;
  PlanArgs args;
  args.detailed_exitcode = true;
  Outcome r = Plan(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: " + error.Describe() + "\n");
  EXPECT_NE(r.err.find("unix:///run/fake.sock"), std::string::npos);
}

TEST_F(PlanCommandTest, ProviderErrorsExitOne) {
  PlanSources sources;
  sources.provider = [](Platform) -> Result<std::unique_ptr<plan::Provider>> {
    return Error{"DOCKER_HOST `tcp://` names no host"};
  };
  PlanArgs args;
  args.stack.path = dir_.string();
  Capture out, err;
  EXPECT_EQ(RunPlan(args, sources, out.get(), err.get()), 1);
  EXPECT_EQ(err.Text(), "error: DOCKER_HOST `tcp://` names no host\n");
  EXPECT_EQ(out.Text(), "");
}

TEST_F(PlanCommandTest, DesiredStateDiagnosticsExitOne) {
  desired_error_ = "cannot read `secrets/db.txt`";
  PlanArgs args;
  args.stack.path = dir_.string();
  args.stack.no_color = true;
  Capture out, err;
  EXPECT_EQ(RunPlan(args, Sources(), out.get(), err.get()), 1);
  std::string text = err.Text();
  EXPECT_NE(text.find("cannot read `secrets/db.txt`"), std::string::npos) << text;
  EXPECT_NE(text.find("error: nothing was planned: the stack cannot be built for swarm"), std::string::npos) << text;
  EXPECT_EQ(text.find("error: \n"), std::string::npos) << text;
  EXPECT_EQ(out.Text(), "");
}

TEST_F(PlanCommandTest, InvalidStackExitsOneBeforeAskingAnyone) {
  std::ofstream(dir_ / "main.nest") << "service \"app\" { image = }\n";
  Outcome r = Plan({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error"), std::string::npos);
  EXPECT_EQ(seen_platform_, "");
}

TEST_F(PlanCommandTest, StackNamePlatformAndTargets) {
  PlanArgs args;
  args.stack_name = "other";
  args.platform = Platform::kCompose;
  args.targets = {"network.backend"};
  Outcome r = Plan(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(seen_stack_, "other");
  EXPECT_EQ(seen_platform_, "compose");
  EXPECT_EQ(seen_config_stack_, "demo");
  EXPECT_NE(r.out.find("# network.backend will be created"), std::string::npos);
  EXPECT_EQ(r.out.find("service.app"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Warning: resource targeting is in effect"), std::string::npos);
}

TEST_F(PlanCommandTest, JsonAndMarkdown) {
  PlanArgs args;
  args.json = true;
  Outcome r = Plan(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["target"], "swarm");
  EXPECT_EQ(doc["engine"], "unix:///run/fake.sock");
  EXPECT_EQ(doc["resource_changes"].size(), 2u);
  EXPECT_EQ(r.out.find(kPassword), std::string::npos);

  args.json = false;
  args.markdown = true;
  r = Plan(args);
  EXPECT_EQ(r.out.rfind("### nest plan: stack `demo`: 2 to add, 0 to change, 0 to destroy\n", 0), 0u) << r.out;
}

TEST_F(PlanCommandTest, OutSavesThePlanAndShowRendersIt) {
  PlanArgs args;
  args.out = Path("saved.plan");
  Outcome r = Plan(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Saved the plan to: " + args.out), std::string::npos);
  Result<plan::Plan> saved = plan::ReadPlanFile(args.out);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved.value().engine, "unix:///run/fake.sock");
  EXPECT_EQ(saved.value().target, "swarm");

  ShowArgs show;
  show.file = args.out;
  show.no_color = true;
  Capture out, err;
  EXPECT_EQ(RunShow(show, out.get(), err.get()), 0);
  EXPECT_EQ(r.out.substr(0, r.out.find("\nSaved the plan")), out.Text());
}

TEST_F(PlanCommandTest, JsonStaysPureWithOut) {
  PlanArgs args;
  args.json = true;
  args.out = Path("saved.plan");
  Outcome r = Plan(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
  EXPECT_NE(r.err.find("Saved the plan to:"), std::string::npos);
}

TEST_F(PlanCommandTest, UnwritableOutIsAnError) {
  PlanArgs args;
  args.out = Path("missing/folder/saved.plan");
  Outcome r = Plan(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot write the plan file"), std::string::npos) << r.err;
}

TEST(TerraformStyleOptionsTest, RewritesKnownOneDashLongOptions) {
  std::vector<std::string> args = {"nest", "plan", "-out", "x.plan", "-out=y", "-detailed-exitcode", "-target=service.a",
                                   "-o", "z", "--json", "-h", "-outx", "dir"};
  EXPECT_EQ(TerraformStyleOptions(args),
            (std::vector<std::string>{"nest", "plan", "--out", "x.plan", "--out=y", "--detailed-exitcode",
                                      "--target=service.a", "-o", "z", "--json", "-h", "-outx", "dir"}));
}

// --- Through the binary ------------------------------------------------------

struct BinaryRun {
  int exit_code = -1;
  std::string out, err;
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

BinaryRun Nest(const fs::path& dir, std::vector<std::string> args) {
  fs::path out = dir / ".stdout", err = dir / ".stderr";
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
  BinaryRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

TEST_F(PlanCommandTest, ShowThroughTheBinary) {
  std::string file = Path("medianest.plan");
  Status written = plan::WritePlanFile(MedianestPlan(), file);
  ASSERT_TRUE(written.ok()) << written.error().message;

  BinaryRun text = Nest(dir_, {"show", file});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.rfind("Warning: this plan destroys or replaces 2 resources", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("Plan: 2 to add, 1 to change, 2 to destroy.\n"), std::string::npos);
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos);  // not a terminal: no colour
  EXPECT_EQ(text.out.find(kPassword), std::string::npos);

  BinaryRun json = Nest(dir_, {"show", file, "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["stack"], "medianest");
  EXPECT_EQ(doc["resource_changes"].size(), 6u);

  BinaryRun md = Nest(dir_, {"show", "--markdown", file});
  EXPECT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(md.out.rfind("### nest plan: stack `medianest`: 2 to add, 1 to change, 2 to destroy\n", 0), 0u);

  BinaryRun both = Nest(dir_, {"show", file, "--json", "--markdown"});
  EXPECT_EQ(both.exit_code, 1);
}

TEST_F(PlanCommandTest, ShowErrorsThroughTheBinary) {
  BinaryRun missing = Nest(dir_, {"show", Path("nope.plan")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "error: cannot read the plan file `" + Path("nope.plan") + "`: No such file or directory\n");

  std::ofstream(dir_ / "corrupt.plan") << "not json";
  BinaryRun corrupt = Nest(dir_, {"show", Path("corrupt.plan")});
  EXPECT_EQ(corrupt.exit_code, 1);
  EXPECT_NE(corrupt.err.find("is not a nest plan file"), std::string::npos) << corrupt.err;
}

TEST_F(PlanCommandTest, PlanAcceptsTerraformSpellings) {
  // A stack that does not load fails before any engine is asked, so this
  // checks only that the command line is accepted.
  BinaryRun r = Nest(dir_, {"plan", Path("missing-dir"), "-out", Path("x.plan"), "-detailed-exitcode",
                      "-target=service.app", "--no-color"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find("The following argument"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("unrecognized"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing-dir"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("x.plan")));

  BinaryRun both = Nest(dir_, {"plan", "--json", "--markdown"});
  EXPECT_EQ(both.exit_code, 1);
}

}  // namespace
}  // namespace nest
