// Every top-level and service key of the compose specification, walked as a
// table (issue 14): each one is mapped, dropped on purpose with a W093, or
// rejected with a NEST-E091 at the key's line that names the key and says
// why. docs/import.md lists each key.
//
// The key lists are those of compose-spec's schema/compose-spec.json
// (`properties` at the top level and of `definitions.service`), written out
// here so that a key added to the specification is a decision, not a
// silent default.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>

#include "compiler/diagnostics/render.h"
#include "compiler/import/importer.h"
#include "tests/support/run_command.h"
#include "test_paths.h"

namespace nest {
namespace {

enum class Verdict {
  kMapped,    // imported, no diagnostic about the key
  kDropped,   // imported, with a NEST-W093 at the key
  kRejected,  // NEST-E091 at the key, naming it, with a reason
};

struct Key {
  const char* name;
  const char* sample;  // a valid compose value, as YAML
  Verdict verdict;
};

using enum Verdict;

// definitions.service.properties of the compose specification.
const Key kServiceKeys[] = {
    {"annotations", "{a: b}", kRejected},
    {"attach", "false", kRejected},
    {"blkio_config", "{weight: 300}", kRejected},
    {"build", ".", kRejected},
    {"cap_add", "[NET_ADMIN]", kMapped},
    {"cap_drop", "[ALL]", kMapped},
    {"cgroup", "host", kRejected},
    {"cgroup_parent", "m", kRejected},
    {"command", "echo hi", kMapped},
    {"configs", "[c]", kMapped},
    {"container_name", "x", kRejected},
    {"cpu_count", "2", kRejected},
    {"cpu_percent", "50", kRejected},
    {"cpu_shares", "512", kRejected},
    {"cpu_quota", "50000", kRejected},
    {"cpu_period", "100000", kRejected},
    {"cpu_rt_period", "1000", kRejected},
    {"cpu_rt_runtime", "1000", kRejected},
    {"cpus", "0.5", kMapped},
    {"cpuset", "\"0-1\"", kRejected},
    {"credential_spec", "{file: spec.json}", kRejected},
    {"depends_on", "[b]", kMapped},
    {"deploy", "{replicas: 2}", kMapped},
    {"develop", "{watch: [{path: ., action: rebuild}]}", kRejected},
    {"device_cgroup_rules", "[\"c 1:3 mr\"]", kRejected},
    {"devices", "[/dev/fuse]", kRejected},
    {"dns", "1.1.1.1", kMapped},
    {"dns_opt", "[\"ndots:2\"]", kMapped},
    {"dns_search", "example.com", kMapped},
    {"domainname", "example.com", kRejected},
    {"entrypoint", "[sh, -c]", kMapped},
    {"env_file", "app.env", kMapped},
    {"label_file", "app.labels", kRejected},
    {"environment", "{A: b}", kMapped},
    {"expose", "[\"80\"]", kDropped},
    {"extends", "{service: b}", kRejected},
    {"provider", "{type: model}", kRejected},
    {"external_links", "[\"x:y\"]", kRejected},
    {"extra_hosts", "[\"h:10.0.0.5\"]", kMapped},
    {"gpus", "all", kRejected},
    {"group_add", "[audio]", kRejected},
    {"healthcheck", "{test: [CMD, \"true\"]}", kMapped},
    {"hostname", "h", kMapped},
    {"image", "busybox:1", kMapped},
    {"init", "true", kMapped},
    {"ipc", "host", kRejected},
    {"isolation", "default", kMapped},
    {"labels", "{a: b}", kMapped},
    {"links", "[b]", kRejected},
    {"logging", "{driver: json-file}", kMapped},
    {"mac_address", "\"02:42:ac:11:00:02\"", kRejected},
    {"mem_limit", "512m", kMapped},
    {"mem_reservation", "256m", kMapped},
    {"mem_swappiness", "10", kRejected},
    {"memswap_limit", "1g", kRejected},
    {"network_mode", "host", kRejected},
    {"models", "[m]", kRejected},
    {"networks", "[n]", kMapped},
    {"oom_kill_disable", "true", kRejected},
    {"oom_score_adj", "100", kRejected},
    {"pid", "host", kMapped},
    {"pids_limit", "100", kMapped},
    {"platform", "linux/amd64", kRejected},
    {"ports", "[\"8080:80\"]", kMapped},
    {"post_start", "[{command: \"true\"}]", kRejected},
    {"pre_stop", "[{command: \"true\"}]", kRejected},
    {"privileged", "true", kMapped},
    {"profiles", "[debug]", kRejected},
    {"pull_policy", "always", kRejected},
    {"pull_refresh_after", "1h", kRejected},
    {"read_only", "true", kMapped},
    {"restart", "always", kMapped},
    {"runtime", "runc", kRejected},
    {"scale", "2", kMapped},
    {"security_opt", "[\"no-new-privileges:true\"]", kMapped},
    {"shm_size", "64m", kMapped},
    {"secrets", "[s]", kMapped},
    {"sysctls", "{net.core.somaxconn: \"1024\"}", kMapped},
    {"stdin_open", "true", kRejected},
    {"stop_grace_period", "5s", kMapped},
    {"stop_signal", "SIGINT", kMapped},
    {"storage_opt", "{size: 1G}", kRejected},
    {"tmpfs", "/tmp", kDropped},
    {"tty", "true", kRejected},
    {"ulimits", "{nofile: 1024}", kMapped},
    {"use_api_socket", "true", kRejected},
    {"user", "\"1000\"", kMapped},
    {"uts", "host", kRejected},
    {"userns_mode", "host", kRejected},
    {"volumes", "[\"v:/data\"]", kMapped},
    {"volumes_from", "[b]", kRejected},
    {"working_dir", "/app", kMapped},
};

// The top-level properties. `services`, `networks`, `volumes`, `secrets`
// and `configs` are in the base file of every case below.
const Key kTopLevelKeys[] = {
    {"version", "\"3.8\"", kMapped},
    {"name", "demo", kMapped},
    {"include", "[other.yml]", kRejected},
    {"services", "", kMapped},
    {"models", "{m: {model: ai/smollm2}}", kRejected},
    {"networks", "", kMapped},
    {"volumes", "", kMapped},
    {"secrets", "", kMapped},
    {"configs", "", kMapped},
};

class ComposeKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("compose/app.env", "A=b\n");
    dir_.Write("compose/app.labels", "a=b\n");
    dir_.Write("compose/s.txt", "secret\n");
    dir_.Write("compose/c.txt", "config\n");
  }

  // A valid file using every section; `service_line` goes into service a,
  // `top_line` at the top.
  static std::string File(const std::string& service_line, const std::string& top_line) {
    return "services:\n"
           "  a:\n"
           "    image: busybox:1\n" +
           service_line +
           "  b:\n"
           "    image: busybox:1\n"
           "networks:\n"
           "  n: {}\n"
           "volumes:\n"
           "  v: {}\n"
           "secrets:\n"
           "  s: {file: ./s.txt}\n"
           "configs:\n"
           "  c: {file: ./c.txt}\n" +
           top_line;
  }

  struct Outcome {
    bool ok = false;
    std::string rendered;
    std::vector<const Diagnostic*> at_key;  // diagnostics on the key's line
  };

  Outcome Import(const std::string& yaml, std::uint32_t key_line) {
    sources_ = std::make_unique<SourceManager>();
    diags_ = Diagnostics();
    ImportOptions options;
    options.output_dir = dir_.path() + "/stack";
    options.stack_name = "keys";
    Outcome out;
    out.ok = ImportComposeText(dir_.path() + "/compose/docker-compose.yml", yaml, options, *sources_, diags_)
                 .has_value();
    out.rendered = RenderText(diags_, *sources_, TextStyle{false});
    for (const auto& d : diags_.list()) {
      if (d.subject.valid() && sources_->file(d.subject.file).Locate(d.subject.begin).line == key_line)
        out.at_key.push_back(&d);
    }
    return out;
  }

  void Expect(const Key& key, const Outcome& out) {
    SCOPED_TRACE(key.name);
    switch (key.verdict) {
      case kMapped:
        EXPECT_TRUE(out.ok) << out.rendered;
        EXPECT_TRUE(out.at_key.empty()) << out.rendered;
        break;
      case kDropped:
        EXPECT_TRUE(out.ok) << out.rendered;
        ASSERT_EQ(out.at_key.size(), 1u) << out.rendered;
        EXPECT_EQ(CodeName(out.at_key[0]->code, true), "NEST-W093") << out.rendered;
        break;
      case kRejected: {
        EXPECT_FALSE(out.ok) << out.rendered;
        ASSERT_EQ(out.at_key.size(), 1u) << out.rendered;
        const Diagnostic& d = *out.at_key[0];
        EXPECT_EQ(CodeName(d.code), "NEST-E091") << out.rendered;
        EXPECT_NE(d.summary.find(fmt::format("`{}`", key.name)), std::string::npos) << d.summary;
        // The reason: a note that is more than the key's name.
        ASSERT_FALSE(d.notes.empty()) << out.rendered;
        EXPECT_GT(d.notes[0].size(), 30u) << d.notes[0];
        EXPECT_EQ(d.notes[0].find("not a key of the compose specification"), std::string::npos) << d.notes[0];
        break;
      }
    }
  }

  ::nest::testing::TempDir dir_;
  std::unique_ptr<SourceManager> sources_;
  Diagnostics diags_;
};

TEST_F(ComposeKeys, EveryServiceKeyIsMappedDroppedOrRejectedWithAReason) {
  for (const Key& key : kServiceKeys) {
    if (std::string(key.name) == "image") continue;  // in every case
    std::string line = fmt::format("    {}: {}\n", key.name, key.sample);
    Expect(key, Import(File(line, ""), 4));
  }
}

TEST_F(ComposeKeys, EveryTopLevelKeyIsMappedOrRejectedWithAReason) {
  for (const Key& key : kTopLevelKeys) {
    if (*key.sample == '\0') continue;  // in the base file
    std::string line = fmt::format("{}: {}\n", key.name, key.sample);
    Expect(key, Import(File("", line), 14));
  }
  // The sections themselves: the base file imports.
  Outcome base = Import(File("", ""), 0);
  EXPECT_TRUE(base.ok) << base.rendered;
  EXPECT_TRUE(diags_.empty()) << base.rendered;
}

// A key outside the specification (a typo) says so.
TEST_F(ComposeKeys, AKeyOutsideTheSpecificationSaysSo) {
  Outcome out = Import(File("    enviroment: {A: b}\n", ""), 4);
  ASSERT_EQ(out.at_key.size(), 1u) << out.rendered;
  ASSERT_FALSE(out.at_key[0]->notes.empty());
  EXPECT_EQ(out.at_key[0]->notes[0], "`enviroment` is not a key of the compose specification");
}

// docs/import.md names every key, so a reader finds each verdict.
TEST(ComposeKeysDocs, ImportMdListsEveryKey) {
  std::string doc = ::nest::testing::ReadFileText(std::string(NEST_SOURCE_DIR) + "/docs/import.md");
  ASSERT_FALSE(doc.empty());
  for (const Key& key : kServiceKeys) EXPECT_NE(doc.find(fmt::format("`{}`", key.name)), std::string::npos) << key.name;
  for (const Key& key : kTopLevelKeys) EXPECT_NE(doc.find(fmt::format("`{}`", key.name)), std::string::npos) << key.name;
}

}  // namespace
}  // namespace nest
