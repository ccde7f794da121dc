// The round trip over tests/import/corpus/: import -> validate -> compile
// --target swarm must give a file `docker stack config` renders with the
// same meaning as the original; the compose target must satisfy
// docker-compose. A corpus file may set environment variables with lines
// `# env: NAME=VALUE` (given to docker and as --var to nest).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <regex>

#include "compiler/check/load.h"
#include "compiler/compose_syntax/byte_size.h"
#include "compiler/diagnostics/render.h"
#include "cli/compile_commands.h"
#include "compiler/emit/compile.h"
#include "compiler/graph/graph.h"
#include "compiler/import/importer.h"
#include "tests/support/run_command.h"
#include "test_paths.h"

namespace nest {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using ::nest::testing::HaveProgram;
using ::nest::testing::ReadFileText;
using ::nest::testing::RunCommand;
using ::nest::testing::TempDir;

const fs::path kCorpus = fs::path(NEST_TESTDATA_DIR) / "import" / "corpus";

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kCorpus))
    if (e.path().extension() == ".yml") files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::pair<std::string, std::string>> EnvOf(const std::string& file) {
  std::vector<std::pair<std::string, std::string>> env;
  static const std::regex kEnv(R"(^# env: (\w+)=(.*)$)");
  std::istringstream in(ReadFileText((kCorpus / file).string()));
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kEnv)) env.emplace_back(m[1], m[2]);
  }
  return env;
}

// YAML as JSON with every scalar a string: both sides come from the same
// renderer, so equal meaning is equal text.
Json ToJson(const YAML::Node& node) {
  if (node.IsMap()) {
    Json out = Json::object();
    for (const auto& kv : node) out[kv.first.Scalar()] = ToJson(kv.second);
    return out;
  }
  if (node.IsSequence()) {
    Json out = Json::array();
    for (const auto& item : node) out.push_back(ToJson(item));
    return out;
  }
  if (node.IsScalar()) return node.Scalar();
  return nullptr;
}

// nest's own labels (nest.*) are what nest adds.
void StripNestLabels(Json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      if (it.key().rfind("nest.", 0) == 0) {
        it = j.erase(it);
        continue;
      }
      StripNestLabels(it.value());
      ++it;
    }
  } else if (j.is_array()) {
    for (auto& item : j) StripNestLabels(item);
  }
}

// Empty maps and lists say nothing: drop them.
void Clean(Json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      Clean(it.value());
      if (it.value().is_null() || (it.value().is_structured() && it.value().empty())) it = j.erase(it);
      else ++it;
    }
  } else if (j.is_array()) {
    for (auto& item : j) Clean(item);
  }
}

// Null, or nothing left once empty maps and lists are dropped.
bool IsEmpty(const Json& j) {
  Json copy = j;
  Clean(copy);
  return copy.is_null() || (copy.is_structured() && copy.empty());
}

// What docker stack deploy treats as the same service spec, written one way.
// Every rule is a documented equivalence (docs/import.md), not a tolerance:
//   - `version` and `x-` fields carry no setting;
//   - nest's own labels (nest.*) and the content hash in secret and config
//     names are what nest adds;
//   - `restart:` converts to a restart policy as docker/cli does when there
//     is no deploy.restart_policy (always/unless-stopped: any; no: none);
//   - `depends_on` is ignored by docker stack deploy;
//   - ports default to tcp and ingress, networks to the overlay driver,
//     services to `deploy.mode: replicated`;
//   - a ulimit N is {soft: N, hard: N}; cpus are numbers;
//   - secret and config references are sorted (docker sorts them);
//   - the `tmpfs:` paths, which docker stack deploy ignores, are tmpfs
//     mounts in nest, and so is `shm_size`, which it ignores too: a tmpfs
//     at /dev/shm of that size (the deliberate changes, see docs/import.md).
Json Normalize(const YAML::Node& node) {
  Json d = ToJson(node);
  StripNestLabels(d);
  d.erase("version");
  for (auto it = d.begin(); it != d.end();) it = it.key().rfind("x-", 0) == 0 ? d.erase(it) : std::next(it);
  if (d.contains("services")) {
    for (auto& [name, s] : d["services"].items()) {
      Json& deploy = s["deploy"];
      if (!deploy.is_object()) deploy = Json::object();
      if (s.contains("restart")) {
        std::string r = s["restart"];
        if (!deploy.contains("restart_policy")) {
          if (r == "always" || r == "unless-stopped") deploy["restart_policy"] = {{"condition", "any"}};
          if (r.rfind("on-failure", 0) == 0) {
            deploy["restart_policy"] = {{"condition", "on-failure"}};
            if (r.size() > 11) deploy["restart_policy"]["max_attempts"] = r.substr(11);
          }
        }
        s.erase("restart");
      }
      s.erase("depends_on");
      if (deploy.contains("mode") && deploy["mode"] == "replicated") deploy.erase("mode");
      // An attachment without aliases must survive Clean() below.
      if (s.contains("networks"))
        for (auto& [net, attachment] : s["networks"].items())
          if (IsEmpty(attachment)) attachment = "attached";
      if (s.contains("ports"))
        for (auto& p : s["ports"]) {
          if (!p.contains("protocol")) p["protocol"] = "tcp";
          if (!p.contains("mode")) p["mode"] = "ingress";
        }
      if (s.contains("ulimits"))
        for (auto& [k, u] : s["ulimits"].items())
          if (u.is_string()) u = Json{{"soft", u}, {"hard", u}};
      if (deploy.contains("resources"))
        for (auto& [k, r] : deploy["resources"].items())
          if (r.contains("cpus")) r["cpus"] = std::stod(r["cpus"].get<std::string>());
      for (const char* key : {"secrets", "configs"})
        if (s.contains(key))
          std::sort(s[key].begin(), s[key].end(),
                    [](const Json& a, const Json& b) { return a["source"] < b["source"]; });
      if (s.contains("shm_size")) {
        auto bytes = compose_syntax::ParseByteSize(s["shm_size"].get<std::string>());
        Json size = bytes.ok() ? Json(std::to_string(bytes.value())) : s["shm_size"];
        s["volumes"].push_back(Json{{"type", "tmpfs"}, {"target", "/dev/shm"}, {"tmpfs", {{"size", size}}}});
        s.erase("shm_size");
      }
      if (s.contains("tmpfs")) {
        for (const auto& path : s["tmpfs"]) s["volumes"].push_back(Json{{"type", "tmpfs"}, {"target", path}});
        s.erase("tmpfs");
      }
    }
  }
  if (d.contains("networks"))
    for (auto& [name, n] : d["networks"].items())
      if (n.is_null() || (!n.contains("external") && !n.contains("driver"))) {
        if (n.is_null()) n = Json::object();
        n["driver"] = "overlay";
      }
  // A declaration without settings must survive Clean() below.
  for (const char* section : {"networks", "volumes", "secrets", "configs"})
    if (d.contains(section))
      for (auto& [name, o] : d[section].items())
        if (IsEmpty(o)) o = "declared";
  static const std::regex kHashed(".*_[0-9a-f]{10}$");
  for (const char* section : {"secrets", "configs"})
    if (d.contains(section))
      for (auto& [name, o] : d[section].items())
        if (o.contains("name") && std::regex_match(o["name"].get<std::string>(), kHashed)) o.erase("name");
  Clean(d);
  return d;
}

std::string EnvPrefix(const std::vector<std::pair<std::string, std::string>>& env) {
  std::string out = "env -i PATH=\"$PATH\"";
  for (const auto& [k, v] : env) out += fmt::format(" {}='{}'", k, v);
  return out;
}

struct Imported {
  std::string swarm_path, compose_path;
};

class RoundTrip : public ::testing::TestWithParam<std::string> {
 protected:
  // import -> write main.nest -> load and check (validate) -> compile both
  // targets into out/.
  std::optional<Imported> ImportAndCompile() {
    fs::path stack = fs::path(dir_.path()) / "stack";
    fs::path out = fs::path(dir_.path()) / "out";
    fs::create_directories(stack);
    fs::create_directories(out);
    SourceManager sources;
    Diagnostics diags;
    ImportOptions import_options;
    import_options.output_dir = stack.string();
    auto text = ImportComposeFile((kCorpus / GetParam()).string(), import_options, sources, diags);
    if (!text) {
      ADD_FAILURE() << "import failed:\n" << RenderText(diags, sources, TextStyle{false});
      return std::nullopt;
    }
    dir_.Write("stack/main.nest", *text);

    SourceManager check_sources;
    Diagnostics check;
    LoadOptions options;
    options.read_environment = false;
    options.stdlib_dir = std::string(NEST_SOURCE_DIR) + "/stdlib";
    options.vars = EnvOf(GetParam());
    auto config = LoadStack(stack.string(), options, check_sources, check);
    if (config) BuildGraph(*config, check);
    if (!config || check.HasErrors()) {
      ADD_FAILURE() << "the imported stack does not validate:\n"
                    << RenderText(check, check_sources, TextStyle{false}) << "\n"
                    << *text;
      return std::nullopt;
    }
    Imported result{(out / "stack.yml").string(), (out / "docker-compose.yml").string()};
    for (Platform target : {Platform::kSwarm, Platform::kCompose}) {
      EmitOptions emit;
      emit.target = target;
      emit.output_dir = out.string();
      auto compiled = CompileStack(*config, emit, stack.string(), check);
      if (!compiled) {
        ADD_FAILURE() << "compile failed:\n" << RenderText(check, check_sources, TextStyle{false});
        return std::nullopt;
      }
      dir_.Write(target == Platform::kSwarm ? "out/stack.yml" : "out/docker-compose.yml", *compiled);
    }
    return result;
  }

  TempDir dir_;
};

TEST_P(RoundTrip, ImportsValidatesAndCompiles) { EXPECT_TRUE(ImportAndCompile()); }

TEST_P(RoundTrip, DockerStackConfigReadsTheSameMeaning) {
  if (!HaveProgram("docker")) GTEST_SKIP() << "the docker CLI is not installed";
  auto imported = ImportAndCompile();
  ASSERT_TRUE(imported);
  std::string env = EnvPrefix(EnvOf(GetParam()));
  auto original = RunCommand(env + " docker stack config -c '" + (kCorpus / GetParam()).string() + "'");
  ASSERT_EQ(original.exit_code, 0) << "the corpus file itself is invalid: " << original.err;
  auto compiled = RunCommand(EnvPrefix({}) + " docker stack config -c '" + imported->swarm_path + "'");
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err << "\n" << ReadFileText(imported->swarm_path);
  Json a = Normalize(YAML::Load(original.out));
  Json b = Normalize(YAML::Load(compiled.out));
  EXPECT_EQ(a, b) << "docker stack config differs (- original, + nest):\n"
                  << ShortDiff(a.dump(1), b.dump(1), 40) << "nest source:\n"
                  << ReadFileText(dir_.path() + "/stack/main.nest");
}

TEST_P(RoundTrip, DockerComposeAcceptsTheComposeTarget) {
  if (!HaveProgram("docker-compose")) GTEST_SKIP() << "docker-compose is not installed";
  auto imported = ImportAndCompile();
  ASSERT_TRUE(imported);
  auto result = RunCommand(EnvPrefix({}) + " docker-compose -p roundtrip -f '" + imported->compose_path + "' config -q");
  EXPECT_EQ(result.exit_code, 0) << result.err << "\n" << ReadFileText(imported->compose_path);
}

INSTANTIATE_TEST_SUITE_P(Corpus, RoundTrip, ::testing::ValuesIn(CorpusFiles()), [](const auto& info) {
  std::string name = info.param.substr(0, info.param.size() - 4);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
});

// The judge is strict: what only looks empty still counts.
TEST(RoundTripJudge, NoticesAMissingAttachmentOrDeclaration) {
  auto norm = [](const char* yaml) { return Normalize(YAML::Load(yaml)); };
  EXPECT_NE(norm("services: {a: {image: x, networks: [n]}}\nnetworks: {n: }"),
            norm("services: {a: {image: x}}\nnetworks: {n: }"));
  EXPECT_NE(norm("services: {a: {image: x}}\nvolumes: {v: }"), norm("services: {a: {image: x}}"));
  EXPECT_NE(norm("services: {a: {image: x, deploy: {replicas: 2}}}"), norm("services: {a: {image: x}}"));
  EXPECT_EQ(norm("services: {a: {image: x, deploy: {labels: {nest.address: service.a}}}}\nvolumes: {v: {labels: "
                 "{nest.address: volume.v}}}"),
            norm("services: {a: {image: x}}\nvolumes: {v: }"));
}

TEST(ImportCorpus, HoldsAtLeastThirtyRealisticFiles) { EXPECT_GE(CorpusFiles().size(), 30u); }

}  // namespace
}  // namespace nest
