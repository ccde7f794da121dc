// nest import, key by key: what each compose form becomes, and the errors
// for what nest cannot express, at their line.
#include "compiler/import/importer.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <random>

#include "compiler/diagnostics/render.h"
#include "compiler/format/formatter.h"
#include "compiler/import/importer_internal.h"
#include "compiler/import/interpolation.h"
#include "compiler/syntax/parser.h"
#include "tests/support/run_command.h"
#include "test_paths.h"

namespace nest {
namespace {

class ImportTest : public ::testing::Test {
 protected:
  // Imports `yaml` as <dir>/compose/docker-compose.yml into <dir>/stack.
  std::optional<std::string> Import(const std::string& yaml) {
    sources_ = std::make_unique<SourceManager>();
    diags_ = Diagnostics();
    ImportOptions options;
    options.output_dir = dir_.path() + "/stack";
    options.stack_name = "test";
    auto text = ImportComposeText(dir_.path() + "/compose/docker-compose.yml", yaml, options, *sources_, diags_);
    diags_.Sort();
    return text;
  }

  // The import must succeed; returns the source.
  std::string Ok(const std::string& yaml) {
    auto text = Import(yaml);
    EXPECT_TRUE(text) << Rendered();
    return text.value_or("");
  }

  std::string Rendered() const { return RenderText(diags_, *sources_, TextStyle{false}); }

  // "NEST-E091 at 4:7" for every diagnostic.
  std::vector<std::string> Codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags_.list()) {
      LineCol at = sources_->file(d.subject.file).Locate(d.subject.begin);
      out.push_back(fmt::format("{} at {}:{}", CodeName(d.code, d.severity == Severity::kWarning), at.line, at.column));
    }
    return out;
  }

  static bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  ::nest::testing::TempDir dir_;
  std::unique_ptr<SourceManager> sources_;
  Diagnostics diags_;
};

#define EXPECT_HAS(text, part) EXPECT_TRUE(Contains(text, part)) << "missing:\n" << (part) << "\nin:\n" << (text)

TEST_F(ImportTest, TypedLiteralsAndFormattedOutput) {
  std::string out = Ok(R"(
services:
  web:
    image: nginx:1.27
    stop_grace_period: 1m30s
    healthcheck:
      test: ["CMD", "true"]
      interval: 500ms
      start_period: 2h
    deploy:
      resources:
        limits:
          cpus: '0.50'
          memory: 512M
        reservations:
          memory: 1g
      update_config:
        max_failure_ratio: 0.25
)");
  EXPECT_HAS(out, "stack \"test\" {}");
  EXPECT_HAS(out, "stop_grace_period = 1m30s");
  EXPECT_HAS(out, "interval     = 500ms");
  EXPECT_HAS(out, "start_period = 2h");
  EXPECT_HAS(out, "cpus           = 0.5");
  EXPECT_HAS(out, "memory         = 512MiB");
  EXPECT_HAS(out, "reserve_memory = 1GiB");
  EXPECT_HAS(out, "max_failure_ratio = 25%");
  // The output is in `nest fmt` layout already.
  SourceManager sources;
  FileId id = sources.Add("x.nest", out);
  Diagnostics diags;
  ast::File file = ParseFile(sources, id, diags);
  ASSERT_FALSE(diags.HasErrors());
  EXPECT_EQ(FormatFile(sources, file), out);
}

TEST_F(ImportTest, PortsShortAndLong) {
  std::string out = Ok(R"(
services:
  dns:
    image: coredns
    ports:
      - "8080:80"
      - 53:53/udp
      - "9000"
      - 9100
      - target: 443
        published: 8443
      - target: 8081
        published: 81
        mode: host
        protocol: udp
)");
  EXPECT_HAS(out, "ports = [8080:80, 53:53/udp, 9000/tcp, 9100/tcp, 8443:443]");
  EXPECT_HAS(out, "port {\n    published = 81\n    target    = 8081\n    protocol  = udp\n    mode      = host\n  }");
}

TEST_F(ImportTest, EnvironmentListOrMapAndEnvFile) {
  dir_.Write("compose/app.env", "# comment\nFROM_FILE=1\nOVERRIDDEN=file\n\n");
  std::string out = Ok(R"(
services:
  a:
    image: a
    env_file: app.env
    environment:
      - PORT=3000
      - OVERRIDDEN=compose
      - EMPTY=
  b:
    image: b
    environment:
      DEBUG: true
      RETRIES: 3
)");
  EXPECT_HAS(out, "FROM_FILE  = \"1\"");
  EXPECT_HAS(out, "OVERRIDDEN = \"compose\"");
  EXPECT_HAS(out, "PORT       = \"3000\"");
  EXPECT_HAS(out, "EMPTY      = \"\"");
  EXPECT_HAS(out, "DEBUG   = \"true\"");
  EXPECT_HAS(out, "RETRIES = \"3\"");
}

TEST_F(ImportTest, NetworksWithAliasesAsReferences) {
  std::string out = Ok(R"(
services:
  api:
    image: api
    networks:
      front: {}
      back:
        aliases: [api.internal, v1]
networks:
  front:
    driver: overlay
    attachable: true
  back:
    internal: true
    driver_opts:
      encrypted: ""
      com.docker.network.driver.mtu: "1400"
    ipam:
      config:
        - subnet: 10.1.0.0/24
          gateway: 10.1.0.1
  proxy:
    external:
      name: traefik-public
)");
  EXPECT_HAS(out, "networks = [network.front, network.back]");
  EXPECT_HAS(out, "alias {\n    network = network.back\n    names   = [\"api.internal\", \"v1\"]\n  }");
  EXPECT_HAS(out, "network \"back\" {\n  internal    = true\n  encrypted   = true\n  subnet      = 10.1.0.0/24\n"
                  "  gateway     = 10.1.0.1\n  driver_opts = { \"com.docker.network.driver.mtu\" = \"1400\" }\n}");
  EXPECT_HAS(out, "network \"proxy\" {\n  external = true\n  name     = \"traefik-public\"\n}");
}

TEST_F(ImportTest, AServiceWithoutNetworksThatNamesDefaultGetsTheDefaultNetwork) {
  std::string out = Ok(R"(
services:
  a:
    image: a
    networks: [default]
)");
  EXPECT_HAS(out, "network \"default\" {}");
  EXPECT_HAS(out, "networks = [network.default]");
}

TEST_F(ImportTest, VolumesShortAndLong) {
  std::string out = Ok(R"(
services:
  db:
    image: postgres
    volumes:
      - data:/var/lib/postgresql/data
      - /etc/localtime:/etc/localtime:ro
      - ./init:/docker-entrypoint-initdb.d:ro
      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 67108864
      - type: volume
        source: data
        target: /backup
        read_only: true
volumes:
  data:
    driver: local
    driver_opts:
      type: nfs
      o: addr=10.0.0.1
    labels:
      - com.example.tier=db
)");
  EXPECT_HAS(out, "mount {\n    source = volume.data\n    target = \"/var/lib/postgresql/data\"\n  }");
  EXPECT_HAS(out, "source    = \"/etc/localtime\"");
  EXPECT_HAS(out, "source    = \"" + dir_.path() + "/compose/init\"");
  EXPECT_HAS(out, "type   = tmpfs\n    target = \"/tmp\"\n    size   = 64MiB");
  EXPECT_HAS(out, "volume \"data\" {\n  driver = \"local\"\n  driver_opts = {\n    type = \"nfs\"\n"
                  "    o    = \"addr=10.0.0.1\"\n  }\n  labels = { \"com.example.tier\" = \"db\" }\n}");
  EXPECT_HAS(out, "mount {\n    source    = volume.data\n    target    = \"/backup\"\n    read_only = true\n  }");
  // The relative bind source is noted.
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-W093 at 8:9"})) << Rendered();
}

TEST_F(ImportTest, SecretsAndConfigsShortAndLongWithFilesRelativeToTheOutput) {
  std::string out = Ok(R"(
services:
  app:
    image: app
    secrets:
      - db_password
      - source: tls_key
        target: tls.key
        uid: "1000"
        mode: 0400
      - source: api_token
        mode: 288
    configs:
      - source: app_conf
        target: /etc/app.conf
secrets:
  db_password:
    file: ./secrets/db.txt
  tls_key:
    external: true
  api_token:
    file: /run/keys/token
configs:
  app_conf:
    file: app.conf
)");
  EXPECT_HAS(out, "secret \"db_password\" {\n  file = \"../compose/secrets/db.txt\"\n}");
  EXPECT_HAS(out, "secret \"tls_key\" {\n  external = true\n}");
  EXPECT_HAS(out, "file = \"/run/keys/token\"");
  EXPECT_HAS(out, "config \"app_conf\" {\n  file = \"../compose/app.conf\"\n}");
  EXPECT_HAS(out, "secrets = [secret.db_password]");
  EXPECT_HAS(out, "secret {\n    source = secret.tls_key\n    target = \"tls.key\"\n    uid    = \"1000\"\n    mode   = \"0400\"\n  }");
  EXPECT_HAS(out, "secret {\n    source = secret.api_token\n    mode   = \"0440\"\n  }");
  EXPECT_HAS(out, "config {\n    source = config.app_conf\n    target = \"/etc/app.conf\"\n  }");
}

TEST_F(ImportTest, DeployBlocks) {
  std::string out = Ok(R"(
services:
  web:
    image: web
    deploy:
      mode: replicated
      replicas: 3
      endpoint_mode: dnsrr
      labels:
        traefik.enable: "true"
      restart_policy:
        condition: on-failure
        delay: 5s
        max_attempts: 3
        window: 2m
      placement:
        constraints: [node.role == worker]
        preferences:
          - spread: node.labels.zone
        max_replicas_per_node: 2
      update_config:
        parallelism: 2
        delay: 10s
        failure_action: rollback
        monitor: 30s
        order: start-first
      rollback_config:
        parallelism: 0
        failure_action: pause
  agent:
    image: agent
    deploy:
      mode: global
)");
  EXPECT_HAS(out, "replicas      = 3");
  EXPECT_HAS(out, "endpoint_mode = dnsrr");
  EXPECT_HAS(out, "labels        = { \"traefik.enable\" = \"true\" }");
  EXPECT_HAS(out, "restart {\n    condition    = on-failure\n    delay        = 5s\n    max_attempts = 3\n    window       = 2m\n  }");
  EXPECT_HAS(out, "constraints           = [\"node.role == worker\"]");
  EXPECT_HAS(out, "preferences           = [\"node.labels.zone\"]");
  EXPECT_HAS(out, "deploy \"rolling\" {\n    parallelism    = 2\n    delay          = 10s\n    failure_action = rollback\n"
                  "    monitor        = 30s\n    order          = start-first\n  }");
  EXPECT_HAS(out, "rollback {\n    parallelism    = 0\n    failure_action = pause\n  }");
  EXPECT_HAS(out, "mode  = global");
}

TEST_F(ImportTest, SecuritySettings) {
  std::string out = Ok(R"(
services:
  app:
    image: app
    user: "1000:1000"
    read_only: true
    init: true
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    security_opt: ["no-new-privileges:true"]
    ulimits:
      nproc: 512
      nofile:
        soft: 1024
        hard: 65536
      memlock:
        soft: -1
        hard: -1
    sysctls:
      - net.core.somaxconn=1024
    labels:
      com.example.team: web
    logging:
      driver: json-file
      options:
        max-size: 10m
)");
  EXPECT_HAS(out, "user              = \"1000:1000\"");
  EXPECT_HAS(out, "no_new_privileges = true");
  EXPECT_HAS(out, "ulimits = {\n      nproc   = 512\n      memlock = -1\n    }");
  EXPECT_HAS(out, "ulimit {\n      name = \"nofile\"\n      soft = 1024\n      hard = 65536\n    }");
  EXPECT_HAS(out, "sysctls = { \"net.core.somaxconn\" = \"1024\" }");
  EXPECT_HAS(out, "container_labels = { \"com.example.team\" = \"web\" }");
  EXPECT_HAS(out, "logging {\n    driver  = \"json-file\"\n    options = { max-size = \"10m\" }\n  }");
}

TEST_F(ImportTest, CommandsAreSplitLikeComposeDoes) {
  std::string out = Ok(R"(
services:
  a:
    image: a
    command: nginx -g 'daemon off;' --flag="a b"
    entrypoint: ["/bin/sh", "-c"]
    healthcheck:
      test: curl -f http://localhost || exit 1
  b:
    image: b
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]
  c:
    image: c
    healthcheck:
      test: ["NONE"]
)");
  EXPECT_HAS(out, "command    = [\"nginx\", \"-g\", \"daemon off;\", \"--flag=a b\"]");
  EXPECT_HAS(out, "entrypoint = [\"/bin/sh\", \"-c\"]");
  EXPECT_HAS(out, "test = \"curl -f http://localhost || exit 1\"");
  EXPECT_HAS(out, "test = \"pg_isready\"");
  EXPECT_HAS(out, "healthcheck {\n    disable = true\n  }");
}

TEST_F(ImportTest, InterpolationBecomesVariables) {
  std::string out = Ok(R"(
services:
  web:
    image: "nginx:${TAG:-1.27}"
    environment:
      PRICE: 5$$
      HOME_DIR: $HOME
      DB_PASSWORD: ${DB_PASSWORD:?the database password}
      LITERAL: "${TAG}-${TAG}"
    deploy:
      replicas: ${REPLICAS:-2}
)");
  EXPECT_HAS(out, "variable \"DB_PASSWORD\" {\n  type        = string\n  description = \"the database password\"\n"
                  "  sensitive   = true\n}");
  EXPECT_HAS(out, "variable \"HOME\" {\n  type        = string\n  default     = \"\"");
  EXPECT_HAS(out, "variable \"REPLICAS\" {\n  type        = number\n  default     = 2");
  EXPECT_HAS(out, "variable \"TAG\" {\n  type        = string\n  default     = \"1.27\"");
  EXPECT_HAS(out, "image    = \"nginx:${var.TAG}\"");
  EXPECT_HAS(out, "replicas = var.REPLICAS");
  EXPECT_HAS(out, "PRICE       = \"5$\"");
  EXPECT_HAS(out, "LITERAL     = \"${var.TAG}-${var.TAG}\"");
}

TEST_F(ImportTest, MergeKeysAndExtensionFields) {
  std::string out = Ok(R"(
x-defaults: &defaults
  image: base:1
  environment:
    A: "1"
services:
  one:
    <<: *defaults
    hostname: one
  two:
    <<: *defaults
    image: base:2
)");
  EXPECT_HAS(out, "service \"one\" {\n  image    = \"base:1\"\n  hostname = \"one\"");
  EXPECT_HAS(out, "service \"two\" {\n  image = \"base:2\"");
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-W093 at 2:1"})) << Rendered();
  EXPECT_HAS(Rendered(), "the extension field `x-defaults` in the file is dropped");
}

TEST_F(ImportTest, RestartKeyBecomesARestartBlock) {
  std::string out = Ok(R"(
services:
  a:
    image: a
    restart: unless-stopped
  b:
    image: b
    restart: on-failure:3
  c:
    image: c
    restart: "no"
)");
  EXPECT_HAS(out, "service \"a\" {\n  image = \"a\"\n\n  restart {\n    condition = any\n  }\n}");
  EXPECT_HAS(out, "condition    = on-failure\n    max_attempts = 3");
  EXPECT_HAS(out, "service \"c\" {\n  image = \"c\"\n}");
}

TEST_F(ImportTest, ExtraHostsAndDnsInEveryForm) {
  std::string out = Ok(R"(
services:
  list:
    image: base:1
    extra_hosts:
      - "zz.local:10.0.0.9"
      - "db.internal:10.0.0.5"
      - "v6:::1"
      - "host.docker.internal:host-gateway"
    dns: 10.0.0.2
    dns_search: corp.example
  map:
    image: base:1
    extra_hosts:
      zz.local: 10.0.0.9
      db.internal: "${DB_IP:-10.0.0.5}"
    dns: [10.0.0.2, "2001:db8::53"]
    dns_search: [a.example, b.example]
    dns_opt: [ndots:2, timeout:1]
)");
  // The list keeps its order; the map is sorted by host, as docker/cli does.
  EXPECT_HAS(out, R"(extra_hosts = {
    "zz.local"             = "10.0.0.9"
    "db.internal"          = "10.0.0.5"
    v6                     = "::1"
    "host.docker.internal" = "host-gateway"
  })");
  EXPECT_HAS(out, R"(dns        = ["10.0.0.2"]
  dns_search = ["corp.example"])");
  EXPECT_HAS(out, R"(extra_hosts = {
    "db.internal" = "${var.DB_IP}"
    "zz.local"    = "10.0.0.9"
  })");
  EXPECT_HAS(out, R"(dns        = ["10.0.0.2", "2001:db8::53"])");
  EXPECT_HAS(out, R"(dns_search = ["a.example", "b.example"])");
  EXPECT_HAS(out, R"(dns_opt    = ["ndots:2", "timeout:1"])");
  EXPECT_TRUE(Codes().empty()) << Rendered();
}

// Issue 14's keys: job modes, isolation, shm_size, privileged and pid,
// port name and app_protocol. Alignment aside, the exact nest lines.
TEST_F(ImportTest, JobsIsolationShmHostAccessAndPortNames) {
  std::string out = Ok(R"(
services:
  migrate:
    image: app:1
    isolation: default
    shm_size: 256m
    deploy:
      mode: replicated-job
      replicas: 2
  prep:
    image: busybox:1
    privileged: true
    pid: host
    deploy:
      mode: global-job
  web:
    image: nginx:1
    ports:
      - target: 80
        published: 8080
        name: http
        app_protocol: http
)");
  std::string flat;
  for (char c : out) {
    if (c == ' ' && !flat.empty() && flat.back() == ' ') continue;
    flat += c;
  }
  EXPECT_HAS(flat, "mode = replicated-job\n replicas = 2\n");
  EXPECT_HAS(flat, "isolation = default\n");
  EXPECT_HAS(flat, "shm_size = 256MiB\n");
  EXPECT_HAS(flat, "mode = global-job\n");
  EXPECT_HAS(flat, "security {\n privileged = true\n pid = host\n }");
  EXPECT_HAS(flat, "port {\n published = 8080\n target = 80\n name = \"http\"\n app_protocol = \"http\"\n }");
  EXPECT_TRUE(Codes().empty()) << Rendered();
}

TEST_F(ImportTest, OtherPidModesAndUnknownServiceModesAreErrors) {
  EXPECT_FALSE(Import(R"(
services:
  web:
    image: web
    pid: "service:db"
    deploy:
      mode: once
)"));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-E091 at 5:10", "NEST-E092 at 7:13"})) << Rendered();
  EXPECT_HAS(Rendered(), "`once` is not a service mode");
}

TEST_F(ImportTest, ExtraHostsNestCannotExpressOrReadAreErrors) {
  EXPECT_FALSE(Import(R"(
services:
  web:
    image: web
    extra_hosts:
      - "db:10.0.0.5"
      - "db:10.0.0.6"
      - "nocolon"
      - "${HOST}:10.0.0.7"
)"));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-E091 at 7:9", "NEST-E092 at 8:9", "NEST-E091 at 9:9"}))
      << Rendered();
  EXPECT_HAS(Rendered(), "a second address for `db` in `extra_hosts`");
  EXPECT_HAS(Rendered(), "the `extra_hosts` entry `nocolon` is not `host:address`");
}

// --- what nest cannot express: an error at the key's line ---------------------

TEST_F(ImportTest, UnsupportedKeysAreErrorsAtTheirLine) {
  EXPECT_FALSE(Import(R"(
services:
  web:
    image: web
    build: .
    container_name: web-1
    devices: ["/dev/fuse"]
    ports:
      - "127.0.0.1:8080:80"
      - "8000-8010:8000-8010"
    volumes:
      - /var/lib/data
    security_opt: ["seccomp:unconfined"]
    ipc: host
    tty: true
)"));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-E091 at 5:5", "NEST-E091 at 6:5", "NEST-E091 at 7:5",
                                               "NEST-E091 at 9:9", "NEST-E091 at 10:9", "NEST-E091 at 12:9",
                                               "NEST-E091 at 13:20", "NEST-E091 at 14:5", "NEST-E091 at 15:5"}))
      << Rendered();
  EXPECT_HAS(Rendered(), "nest cannot express `container_name` in service `web`");
  EXPECT_HAS(Rendered(), "= note: Swarm names each task's container itself");
  EXPECT_HAS(Rendered(), " --> ");
}

TEST_F(ImportTest, WrongShapesAreErrorsAtTheirLine) {
  EXPECT_FALSE(Import(R"(
services:
  web:
    image: web
    ports: "8080:80"
    deploy:
      replicas: three
    networks: [nowhere]
    secrets:
      - source: missing
)"));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-E092 at 5:12", "NEST-E092 at 7:17", "NEST-E092 at 8:16",
                                               "NEST-E092 at 10:17"}))
      << Rendered();
}

TEST_F(ImportTest, MalformedYamlIsAnErrorAtItsLine) {
  EXPECT_FALSE(Import("services:\n  web:\n    image: [unclosed\n"));
  ASSERT_EQ(Codes().size(), 1u);
  EXPECT_EQ(Codes()[0].substr(0, 9), "NEST-E090");
  EXPECT_FALSE(Import("- just\n- a list\n"));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-E092 at 1:1"}));
  EXPECT_FALSE(Import(""));
  EXPECT_FALSE(Import("services:\n  web.app:\n    image: x\n"));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-E092 at 2:3"})) << Rendered();
}

TEST_F(ImportTest, ServiceWithoutImage) {
  EXPECT_FALSE(Import("services:\n  web:\n    hostname: x\n"));
  EXPECT_EQ(Codes(), (std::vector<std::string>{"NEST-E092 at 3:5"})) << Rendered();
}

// Fuzz-safe: corrupting the corpus files anywhere never crashes the
// importer or makes it throw; it returns source or errors.
TEST_F(ImportTest, MutatedCorpusFilesNeverCrash) {
  std::mt19937 rng(12345);
  const char* pieces[] = {"\n", ":", "- ", "{", "}", "[", "]", "&a", "*a", "<<: *a", "${", "$$", "\"", "'",
                          "  ", "\t", "null", "~", "0x", "-1", "!!binary", "? ", "|", ">", "#", "\xff"};
  std::filesystem::path corpus = std::filesystem::path(NEST_TESTDATA_DIR) / "import" / "corpus";
  int runs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".yml") continue;
    std::string original = ::nest::testing::ReadFileText(entry.path().string());
    for (int i = 0; i < 40; ++i) {
      std::string text = original;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        std::size_t at = rng() % text.size();
        switch (rng() % 3) {
          case 0: text.insert(at, pieces[rng() % std::size(pieces)]); break;
          case 1: text.erase(at, 1 + rng() % 8); break;
          default: text.resize(at); break;
        }
      }
      EXPECT_NO_THROW(Import(text));
      ++runs;
    }
  }
  EXPECT_GE(runs, 600);
}

TEST(Interpolation, ParsesComposeForms) {
  std::string error;
  auto t = import::ParseTemplate("a${X}b$Y$$c${Z:-d e}${W?must}${V-x}", error);
  ASSERT_TRUE(t) << error;
  ASSERT_EQ(t->parts.size(), 8u);
  EXPECT_EQ(t->parts[0].text, "a");
  EXPECT_TRUE(t->parts[1].is_variable);
  EXPECT_EQ(t->parts[1].text, "X");
  EXPECT_EQ(t->parts[2].text, "b");
  EXPECT_EQ(t->parts[3].text, "Y");
  EXPECT_EQ(t->parts[4].text, "$c");
  EXPECT_EQ(t->parts[5].default_value, "d e");
  EXPECT_TRUE(t->parts[6].required);
  EXPECT_EQ(t->parts[6].message, "must");
  EXPECT_EQ(t->parts[7].default_value, "x");
  EXPECT_FALSE(import::ParseTemplate("${unclosed", error));
  EXPECT_FALSE(import::ParseTemplate("${}", error));
  EXPECT_FALSE(import::ParseTemplate("${X:+alt}", error));
  EXPECT_FALSE(import::ParseTemplate("$ x", error));
  EXPECT_TRUE(import::ParseTemplate("trailing $", error));
}

}  // namespace
}  // namespace nest
