// The front end in one call: LoadStack on files and folders (E070, E071),
// CheckSources in memory, variable precedence and typed values, module
// addresses and names, dependencies through module outputs and strings, and
// the shape of `nest validate --json`.
#include "compiler/check/load.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/graph/graph.h"
#include "test_paths.h"

namespace nest {
namespace {

namespace fs = std::filesystem;

using Files = std::vector<std::pair<std::string, std::string>>;

// A fresh temporary folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "nest-load-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path Write(const std::string& name, const std::string& text) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  fs::path path_;
};

LoadOptions Options() {
  LoadOptions options;
  options.read_environment = false;
  options.stdlib_dir = std::string(NEST_SOURCE_DIR) + "/stdlib";
  return options;
}

struct Checked {
  SourceManager sources;
  Diagnostics diags;
  std::optional<Config> config;

  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const auto& d : diags.list()) codes.push_back(CodeName(d.code));
    return codes;
  }
  const VariableValue* Variable(const std::string& name) const {
    if (!config) return nullptr;
    for (const auto& v : config->variables)
      if (v.name == name) return &v;
    return nullptr;
  }
  bool DependsOn(const std::string& from, const std::string& to) const {
    const Resource* r = config ? config->Find(from) : nullptr;
    return r != nullptr && std::find(r->depends_on.begin(), r->depends_on.end(), to) != r->depends_on.end();
  }
};

// A unique_ptr, since SourceManager and Diagnostics are not meant to move.
std::unique_ptr<Checked> Check(const Files& files, const LoadOptions& options = Options()) {
  auto c = std::make_unique<Checked>();
  c->config = CheckSources(files, options, c->sources, c->diags);
  return c;
}

std::unique_ptr<Checked> Load(const std::string& path, const LoadOptions& options = Options()) {
  auto c = std::make_unique<Checked>();
  c->config = LoadStack(path, options, c->sources, c->diags);
  return c;
}

std::string Rendered(const Checked& c) {
  std::string out;
  for (const auto& d : c.diags.list()) out += CodeName(d.code) + ": " + d.summary + "\n";
  return out;
}

// ---------------------------------------------------------------------------
// Unreadable inputs: E070, E071

TEST(LoadStack, AMissingPathIsE070WithoutALocation) {
  TempDir dir;
  auto c = Load((dir.path() / "no-such-stack").string());
  EXPECT_FALSE(c->config);
  ASSERT_EQ(c->Codes(), std::vector<std::string>{"NEST-E070"}) << Rendered(*c);
  const Diagnostic& d = c->diags.list()[0];
  EXPECT_FALSE(d.subject.valid());
  EXPECT_NE(d.summary.find("no-such-stack"), std::string::npos) << d.summary;
}

TEST(LoadStack, AFolderWithoutNestFilesIsE071) {
  TempDir dir;
  dir.Write("README.md", "not a stack\n");
  dir.Write("modules/app/main.nest", "service \"app\" {\n  image = \"x\"\n}\n");  // subfolders are not read
  auto c = Load(dir.path().string());
  EXPECT_FALSE(c->config);
  ASSERT_EQ(c->Codes(), std::vector<std::string>{"NEST-E071"}) << Rendered(*c);
  EXPECT_FALSE(c->diags.list()[0].subject.valid());
  EXPECT_FALSE(c->diags.list()[0].help.empty());
}

TEST(LoadStack, AFolderIsEveryNestFileInItInNameOrder) {
  TempDir dir;
  dir.Write("b.nest", "service \"web\" {\n  image    = \"nginx:1.27-alpine\"\n  networks = [network.front]\n}\n");
  dir.Write("a.nest", "stack \"shop\" {}\n\nnetwork \"front\" {}\n");
  dir.Write("notes.txt", "ignored\n");
  auto c = Load(dir.path().string());
  ASSERT_TRUE(c->config) << Rendered(*c);
  EXPECT_EQ(c->config->stack_name, "shop");
  ASSERT_EQ(c->config->source_files.size(), 2u);
  EXPECT_EQ(fs::path(c->config->source_files[0]).filename(), "a.nest");
  EXPECT_EQ(fs::path(c->config->source_files[1]).filename(), "b.nest");
  EXPECT_TRUE(c->DependsOn("service.web", "network.front"));
}

// ---------------------------------------------------------------------------
// CheckSources in memory

TEST(CheckSources, AValidStack) {
  auto c = Check({{"mem/main.nest", R"(stack "shop" {
  description = "the shop"
}

network "backend" {
  subnet = 172.30.2.0/24
}

volume "uploads" {}

service "api" {
  image    = "example/api:1.4.2"
  replicas = 3
  networks = [network.backend]
  ports    = [8080:80]

  mount {
    source = volume.uploads
    target = "/srv/uploads"
  }

  healthcheck {
    test     = ["CMD", "wget", "--spider", "-q", "http://127.0.0.1/health"]
    interval = 10s
  }
}
)"}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  EXPECT_TRUE(c->diags.empty());
  EXPECT_EQ(c->config->stack_name, "shop");
  ASSERT_EQ(c->config->resources.size(), 3u);
  const Resource* api = c->config->Find("service.api");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->name, "api");
  ASSERT_NE(api->body.Find("replicas"), nullptr);
  EXPECT_EQ(api->body.Find("replicas")->number, 3);
  const Value* interval = api->body.Find("healthcheck")->Find("interval");
  ASSERT_NE(interval, nullptr);
  EXPECT_EQ(interval->kind, ValueKind::kDuration);
  EXPECT_EQ(interval->integer, 10'000'000'000);
  EXPECT_TRUE(c->DependsOn("service.api", "network.backend"));
  EXPECT_TRUE(c->DependsOn("service.api", "volume.uploads"));
}

TEST(CheckSources, SeveralFilesShareOneNamespace) {
  auto c = Check({{"mem/stack.nest", "stack \"shop\" {}\n"},
                  {"mem/app.nest", "service \"web\" {\n  image    = \"nginx\"\n  networks = [network.front]\n}\n"},
                  {"mem/net.nest", "network \"front\" {}\n"}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  EXPECT_TRUE(c->DependsOn("service.web", "network.front"));
}

TEST(CheckSources, ErrorsInSeveralBlocksAreAllReported) {
  auto c = Check({{"mem/main.nest", R"(stack "shop" {}

service "a" {
  image   = "x"
  replica = 2
}

service "b" {
  image    = "x"
  replicas = "2"
}
)"}});
  EXPECT_FALSE(c->config);
  EXPECT_EQ(c->Codes(), (std::vector<std::string>{"NEST-E021", "NEST-E026"})) << Rendered(*c);
}

// ---------------------------------------------------------------------------
// Variables: precedence and typed values

const char* kTagStack = R"(stack "shop" {}

variable "tag" {
  type    = string
  default = "from-default"
}

service "api" {
  image = "example/api:${var.tag}"
}
)";

class VariablePrecedence : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("NEST_VAR_tag"); }
  void TearDown() override { unsetenv("NEST_VAR_tag"); }

  std::string ImageWith(const LoadOptions& options, std::string* source = nullptr) {
    auto c = Check({{"mem/main.nest", kTagStack}}, options);
    EXPECT_TRUE(c->config) << Rendered(*c);
    if (!c->config) return "";
    if (source != nullptr) *source = c->Variable("tag") ? c->Variable("tag")->source : "";
    return c->config->Find("service.api")->body.Find("image")->text;
  }

  TempDir dir_;
};

TEST_F(VariablePrecedence, DefaultThenEnvironmentThenVarFileThenVar) {
  LoadOptions options = Options();
  options.read_environment = true;
  std::string source;
  EXPECT_EQ(ImageWith(options, &source), "example/api:from-default");
  EXPECT_EQ(source, "default");

  setenv("NEST_VAR_tag", "from-env", 1);
  EXPECT_EQ(ImageWith(options, &source), "example/api:from-env");
  EXPECT_EQ(source, "NEST_VAR_tag");

  options.var_files.push_back(dir_.Write("first.vars", "tag = \"from-first-file\"\n").string());
  options.var_files.push_back(dir_.Write("second.vars", "tag = \"from-second-file\"\n").string());
  EXPECT_EQ(ImageWith(options, &source), "example/api:from-second-file");  // a later file wins
  EXPECT_NE(source.find("second.vars"), std::string::npos) << source;

  options.vars = {{"tag", "from-var"}, {"tag", "from-last-var"}};
  EXPECT_EQ(ImageWith(options, &source), "example/api:from-last-var");  // a later --var wins
  EXPECT_NE(source.find("--var"), std::string::npos) << source;
}

TEST_F(VariablePrecedence, TheEnvironmentIsIgnoredWhenNotRead) {
  setenv("NEST_VAR_tag", "from-env", 1);
  LoadOptions options = Options();
  options.read_environment = false;
  EXPECT_EQ(ImageWith(options), "example/api:from-default");
}

TEST_F(VariablePrecedence, AStringVariableTakesTheTextAsItIs) {
  LoadOptions options = Options();
  options.vars = {{"tag", "\"quoted\" 1.5"}};
  EXPECT_EQ(ImageWith(options), "example/api:\"quoted\" 1.5");
}

const char* kTypedStack = R"(stack "shop" {}

variable "timeout" {
  type    = duration
  default = 5s
}

variable "replicas" {
  type    = number
  default = 1
}

variable "tags" {
  type    = list(string)
  default = []
}

service "api" {
  image    = "example/api:1.4.2"
  replicas = var.replicas

  healthcheck {
    test    = "wget --spider -q http://127.0.0.1/"
    timeout = var.timeout
  }
}
)";

TEST(TypedVars, TextIsParsedByTheVariablesType) {
  LoadOptions options = Options();
  options.vars = {{"timeout", "30s"}, {"replicas", "4"}, {"tags", R"(["a", "b"])"}};
  auto c = Check({{"mem/main.nest", kTypedStack}}, options);
  ASSERT_TRUE(c->config) << Rendered(*c);
  const VariableValue* timeout = c->Variable("timeout");
  ASSERT_NE(timeout, nullptr);
  EXPECT_EQ(timeout->value.kind, ValueKind::kDuration);
  EXPECT_EQ(timeout->value.integer, 30'000'000'000);
  const VariableValue* tags = c->Variable("tags");
  ASSERT_NE(tags, nullptr);
  ASSERT_EQ(tags->value.kind, ValueKind::kList);
  ASSERT_EQ(tags->value.items.size(), 2u);
  EXPECT_EQ(tags->value.items[1].text, "b");
  const Resource* api = c->config->Find("service.api");
  EXPECT_EQ(api->body.Find("replicas")->number, 4);
  EXPECT_EQ(api->body.Find("healthcheck")->Find("timeout")->integer, 30'000'000'000);
}

TEST(TypedVars, ABadDurationIsE051Only) {
  LoadOptions options = Options();
  options.vars = {{"timeout", "30x"}};
  auto c = Check({{"mem/main.nest", kTypedStack}}, options);
  EXPECT_FALSE(c->config);
  ASSERT_EQ(c->Codes(), std::vector<std::string>{"NEST-E051"}) << Rendered(*c);
  const Diagnostic& d = c->diags.list()[0];
  EXPECT_NE(d.summary.find("30x"), std::string::npos) << d.summary;
  EXPECT_NE(d.summary.find("duration"), std::string::npos) << d.summary;
  // The subject is the value in the text of the --var.
  ASSERT_TRUE(d.subject.valid());
  const SourceFile& file = c->sources.file(d.subject.file);
  EXPECT_EQ(file.text().substr(d.subject.begin, d.subject.end - d.subject.begin), "30x");
}

TEST(TypedVars, AValueOfAnotherTypeIsE051) {
  LoadOptions options = Options();
  options.vars = {{"replicas", "three"}};
  auto c = Check({{"mem/main.nest", kTypedStack}}, options);
  EXPECT_EQ(c->Codes(), std::vector<std::string>{"NEST-E051"}) << Rendered(*c);
}

TEST(TypedVars, AnUndeclaredVarIsE050) {
  LoadOptions options = Options();
  options.vars = {{"replica", "3"}};
  auto c = Check({{"mem/main.nest", kTypedStack}}, options);
  ASSERT_EQ(c->Codes(), std::vector<std::string>{"NEST-E050"}) << Rendered(*c);
  ASSERT_FALSE(c->diags.list()[0].help.empty());
  EXPECT_NE(c->diags.list()[0].help[0].find("replicas"), std::string::npos);
}

TEST(TypedVars, ARejectedValueWithoutDefaultIsNotAlsoMissing) {
  LoadOptions options = Options();
  options.vars = {{"replicas", "many"}};
  auto c = Check({{"mem/main.nest", R"(stack "shop" {}

variable "replicas" {
  type = number
}

service "api" {
  image    = "example/api:1.4.2"
  replicas = var.replicas
}
)"}},
                 options);
  EXPECT_EQ(c->Codes(), std::vector<std::string>{"NEST-E051"}) << Rendered(*c);
}

// ---------------------------------------------------------------------------
// Modules: addresses, names, dependencies through outputs and strings

const char* kModuleStack = R"(stack "shop" {}

network "data" {}

secret "db_password" {
  external = true
}

module "db" {
  source   = "stdlib/postgres"
  network  = network.data
  password = secret.db_password
  database = "shop"
  user     = "shop"
}

service "api" {
  image    = "example/api:1.4.2"
  networks = [network.data]

  env = {
    DATABASE_URL = module.db.url
    DB_HOST      = "${module.db.host}"
  }
}

service "web" {
  image = "nginx:1.27-alpine"
  env   = { API_URL = "http://${service.api}:8080" }
}
)";

TEST(Modules, ResourcesHaveModuleAddressesAndNames) {
  auto c = Check({{"mem/main.nest", kModuleStack}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  const Resource* postgres = c->config->Find("module.db.service.postgres");
  ASSERT_NE(postgres, nullptr);
  EXPECT_EQ(postgres->name, "db-postgres");
  EXPECT_EQ(postgres->kind, ResourceKind::kService);
  const Resource* volume = c->config->Find("module.db.volume.data");
  ASSERT_NE(volume, nullptr);
  EXPECT_EQ(volume->name, "db-data");
  // Inside the module, its references to the caller's objects went through its inputs.
  EXPECT_TRUE(c->DependsOn("module.db.service.postgres", "network.data"));
  EXPECT_TRUE(c->DependsOn("module.db.service.postgres", "secret.db_password"));
  EXPECT_TRUE(c->DependsOn("module.db.service.postgres", "module.db.volume.data"));
}

TEST(Modules, OutputsCarryTheirDependenciesAndAServiceBecomesItsHostName) {
  auto c = Check({{"mem/main.nest", kModuleStack}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  EXPECT_TRUE(c->DependsOn("service.api", "module.db.service.postgres"));
  const Value* env = c->config->Find("service.api")->body.Find("env");
  ASSERT_NE(env, nullptr);
  EXPECT_EQ(env->Find("DB_HOST")->text, "db-postgres");
  EXPECT_NE(env->Find("DATABASE_URL")->text.find("@db-postgres:5432/shop"), std::string::npos)
      << env->Find("DATABASE_URL")->text;
}

TEST(Modules, AnInterpolatedReferenceIsADependency) {
  auto c = Check({{"mem/main.nest", kModuleStack}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  EXPECT_TRUE(c->DependsOn("service.web", "service.api"));
  EXPECT_EQ(c->config->Find("service.web")->body.Find("env")->Find("API_URL")->text, "http://api:8080");
}

TEST(Modules, TheGraphHasTheEdgesAndCreatesDependenciesFirst) {
  auto c = Check({{"mem/main.nest", kModuleStack}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  Diagnostics graph_diags;
  StackGraph graph = BuildGraph(*c->config, graph_diags);
  EXPECT_TRUE(graph_diags.empty());
  auto position = [&](const std::string& address) {
    for (std::size_t i = 0; i < graph.order.size(); ++i)
      if (graph.nodes[graph.order[i]].address == address) return static_cast<int>(i);
    return -1;
  };
  ASSERT_EQ(graph.order.size(), graph.nodes.size());
  EXPECT_LT(position("module.db.service.postgres"), position("service.api"));
  EXPECT_LT(position("service.api"), position("service.web"));
  EXPECT_LT(position("network.data"), position("module.db.service.postgres"));
}

// A dependency named in `depends_on` is an explicit edge (dashed in dot);
// one that comes from a reference is not, even when both name it.
TEST(Graph, DependsOnEdgesAreExplicitReferenceEdgesAreNot) {
  auto c = Check({{"mem/main.nest", R"(stack "shop" {}

network "data" {}

service "db" {
  image    = "postgres:16"
  networks = [network.data]
}

service "api" {
  image      = "api:1"
  networks   = [network.data]
  env        = { DB = "${service.db}" }
  depends_on = [service.db]
}

service "web" {
  image      = "web:1"
  env        = { API = "${service.api}" }
  depends_on = [network.data]
}
)"}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  Diagnostics graph_diags;
  StackGraph graph = BuildGraph(*c->config, graph_diags);
  std::map<std::string, bool> edges;  // "from -> to": explicit
  for (const auto& e : graph.edges)
    edges[graph.nodes[e.from].address + " -> " + graph.nodes[e.to].address] = e.explicit_dependency;
  EXPECT_EQ(edges, (std::map<std::string, bool>{{"service.api -> network.data", false},
                                                {"service.api -> service.db", true},
                                                {"service.db -> network.data", false},
                                                {"service.web -> network.data", true},
                                                {"service.web -> service.api", false}}));
  EXPECT_NE(GraphToDot(graph, "shop").find("\"service.api\" -> \"service.db\" [style = dashed]"), std::string::npos);
}

TEST(Modules, ACycleThroughAModuleOutputIsReported) {
  TempDir dir;
  dir.Write("modules/echo/main.nest", R"(variable "upstream" {}

service "server" {
  image = "nginx:1.27-alpine"
  env   = { UPSTREAM = "http://${var.upstream}/" }
}

output "url" {
  value = "http://${service.server}/"
}
)");
  auto c = Check({{(dir.path() / "main.nest").string(), R"(stack "shop" {}

module "echo" {
  source   = "./modules/echo"
  upstream = service.proxy
}

service "proxy" {
  image = "traefik:v3.1"
  env   = { BACKEND = module.echo.url }
}
)"}});
  ASSERT_TRUE(c->config) << Rendered(*c);
  EXPECT_TRUE(c->DependsOn("service.proxy", "module.echo.service.server"));
  EXPECT_TRUE(c->DependsOn("module.echo.service.server", "service.proxy"));
  Diagnostics graph_diags;
  BuildGraph(*c->config, graph_diags);
  ASSERT_EQ(graph_diags.list().size(), 1u);
  EXPECT_EQ(graph_diags.list()[0].code, DiagCode::DependencyCycle);
  EXPECT_NE(graph_diags.list()[0].summary.find("module.echo.service.server -> service.proxy"), std::string::npos)
      << graph_diags.list()[0].summary;
}

// ---------------------------------------------------------------------------
// `nest validate --json`

struct JsonRun {
  int exit_code = -1;
  std::string out;
};

JsonRun NestJson(const std::vector<std::string>& args) {
  std::string command = std::string("'") + NEST_BINARY + "' validate --json";
  for (const auto& a : args) command += " '" + a + "'";
  command += " 2>/dev/null";
  JsonRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(ValidateJson, AnInvalidStack) {
  TempDir dir;
  fs::path file = dir.Write("main.nest", R"(stack "shop" {}

service "web" {
  image    = "nginx:1.27-alpine"
  replicas = "3"
  networks = [network.missing]
}
)");
  JsonRun run = NestJson({file.string()});
  EXPECT_EQ(run.exit_code, 1);
  auto j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << run.out;
  EXPECT_EQ(j["format_version"], "1.0");
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["error_count"], 2);
  EXPECT_EQ(j["warning_count"], 0);
  ASSERT_EQ(j["diagnostics"].size(), 2u);
  const auto& first = j["diagnostics"][0];
  EXPECT_EQ(first["severity"], "error");
  EXPECT_EQ(first["code"], "NEST-E026");
  EXPECT_TRUE(first["summary"].is_string());
  EXPECT_EQ(first["range"]["filename"], file.string());
  EXPECT_EQ(first["range"]["start"]["line"], 5);
  EXPECT_EQ(first["range"]["start"]["column"], 14);
  EXPECT_EQ(first["range"]["end"]["column"], 17);
  EXPECT_EQ(j["diagnostics"][1]["code"], "NEST-E030");
  EXPECT_EQ(j["diagnostics"][1]["range"]["start"]["line"], 6);
}

TEST(ValidateJson, AValidStack) {
  TempDir dir;
  fs::path file = dir.Write("main.nest", "stack \"shop\" {}\n\nservice \"web\" {\n  image = \"nginx:1.27-alpine\"\n}\n");
  JsonRun run = NestJson({file.string()});
  EXPECT_EQ(run.exit_code, 0);
  auto j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << run.out;
  EXPECT_EQ(j["format_version"], "1.0");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["error_count"], 0);
  EXPECT_TRUE(j["diagnostics"].is_array());
  EXPECT_TRUE(j["diagnostics"].empty());
}

TEST(ValidateJson, AMissingPathHasNoRange) {
  TempDir dir;
  JsonRun run = NestJson({(dir.path() / "nowhere").string()});
  EXPECT_EQ(run.exit_code, 1);
  auto j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << run.out;
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["error_count"], 1);
  ASSERT_EQ(j["diagnostics"].size(), 1u);
  EXPECT_EQ(j["diagnostics"][0]["code"], "NEST-E070");
  EXPECT_FALSE(j["diagnostics"][0].contains("range"));
}

}  // namespace
}  // namespace nest
