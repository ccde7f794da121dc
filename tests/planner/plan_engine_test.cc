// What must hold for `nest plan`, against the real engine (issue 4): each
// test builds the desired state from a nest stack (BuildDesiredState), reads
// the live one (MakeProvider -> ReadStack) and diffs them (planner/diff).
// Every test uses its own stack name and removes what it made.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "compiler/check/load.h"
#include "compiler/emit/compile.h"
#include "compiler/emit/compose_document.h"
#include "compiler/graph/graph.h"
#include "providers/desired.h"
#include "planner/diff.h"
#include "planner/render_json.h"
#include "planner/render_markdown.h"
#include "planner/render_text.h"
#include "providers/make_provider.h"
#include "tests/providers/swarm/swarm_test_util.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/state_compare.h"
#include "test_paths.h"

namespace nest::plan {
namespace {

using test_support::ScratchDir;

constexpr const char* kSecretValue = "hunter2-very-secret-4f1c";

// A small stack using every kind of object; services start and stop fast.
std::string StackSource(const std::string& stack, int port) {
  return R"(stack ")" + stack + R"(" {}

variable "app_version" {
  type    = string
  default = "1"
}

network "back" {
  attachable = true
  labels     = { tier = "back" }
}

secret "token" {
  file = "token.txt"
}

config "motd" {
  file = "motd.txt"
}

volume "data" {}

service "web" {
  image         = "nest-test/busybox:${var.app_version}"
  command       = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
  replicas      = 1
  endpoint_mode = dnsrr
  networks      = [network.back]
  secrets       = [secret.token]
  env           = { GREETING = "hello", MODE = "test" }
  labels        = { team = "platform" }

  port {
    published = )" + std::to_string(port) + R"(
    target    = 8080
    mode      = host
  }

  mount {
    source = volume.data
    target = "/data"
  }

  config {
    source = config.motd
    target = "/etc/motd"
  }

  healthcheck {
    test     = ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"]
    interval = 5s
    timeout  = 3s
    retries  = 3
  }

  resources {
    cpus   = 0.5
    memory = 64MiB
  }

  security {
    init              = true
    stop_grace_period = 2s
  }

  deploy "rolling" {
    parallelism    = 1
    order          = stop-first
    failure_action = rollback
  }
}

service "worker" {
  image         = "nest-test/busybox:1"
  command       = "sleep 3600"
  replicas      = 1
  endpoint_mode = dnsrr
  networks      = [network.back]
  secrets       = [secret.token]

  security {
    init              = true
    stop_grace_period = 1s
  }
}
)";
}

// One nest stack folder and the plans made from it.
class PlanFixture {
 public:
  PlanFixture(const std::string& prefix, int port, const std::string& extra_source = "")
      : stack_(test_support::UniqueName(prefix)), dir_(stack_), cleanup_(stack_) {
    dir_.Write("src/stack.nest", StackSource(stack_, port) + extra_source);
    dir_.Write("src/token.txt", std::string(kSecretValue) + "\n");
    dir_.Write("src/motd.txt", "welcome\n");
  }

  const std::string& stack() const { return stack_; }
  const ScratchDir& dir() const { return dir_; }

  std::optional<Config> Load(const std::vector<std::pair<std::string, std::string>>& vars = {}) {
    LoadOptions options;
    options.vars = vars;
    options.read_environment = false;
    options.stdlib_dir = DefaultStdlibDir();
    Diagnostics diags;
    auto config = LoadStack((dir_.path() / "src").string(), options, sources_, diags);
    EXPECT_TRUE(config.has_value()) << RenderText(diags, sources_, {});
    return config;
  }

  // `nest compile --target swarm -o deploy/stack.yml`, then
  // `docker stack deploy --resolve-image never`.
  void CompileAndDeploy() {
    auto config = Load();
    ASSERT_TRUE(config.has_value());
    EmitOptions options;
    options.target = Platform::kSwarm;
    options.stack_name = stack_;
    options.output_dir = (dir_.path() / "deploy").string();
    Diagnostics diags;
    auto text = CompileStack(*config, options, (dir_.path() / "src").string(), diags);
    ASSERT_TRUE(text.has_value()) << RenderText(diags, sources_, {});
    std::string file = dir_.Write("deploy/stack.yml", *text);
    std::string out;
    int status = test_support::RunCommand("docker stack deploy --resolve-image never -c " + file + " " + stack_, &out);
    ASSERT_EQ(status, 0) << out;
  }

  // The swarm document `nest compile` writes.
  std::optional<nlohmann::ordered_json> Document() {
    auto config = Load();
    if (!config) return std::nullopt;
    EmitOptions options;
    options.stack_name = stack_;
    Diagnostics diags;
    return BuildComposeDocument(*config, options, diags);
  }

  struct Result {
    StackState desired;
    StackState live;
    Plan plan;
  };

  Result MakePlan(const std::vector<std::pair<std::string, std::string>>& vars = {}) {
    Result result;
    auto config = Load(vars);
    if (!config) return result;
    Diagnostics diags;
    auto desired = BuildDesiredState(*config, Platform::kSwarm, stack_, diags);
    EXPECT_TRUE(desired.has_value()) << RenderText(diags, sources_, {});
    if (!desired) return result;
    result.desired = std::move(*desired);
    engine::EngineClient client = test_support::LocalClient();
    auto provider = MakeProvider(Platform::kSwarm, client);
    auto live = provider->ReadStack(stack_);
    EXPECT_TRUE(live.ok()) << (live.ok() ? "" : live.error().message);
    if (!live.ok()) return result;
    result.live = std::move(live).value();
    Diagnostics graph_diags;
    StackGraph graph = BuildGraph(*config, graph_diags);
    result.plan = Diff(result.desired, result.live, DiffOptionsFromGraph(graph));
    if (std::getenv("NEST_TEST_VERBOSE")) std::cout << RenderPlanText(result.plan, {});
    return result;
  }

 private:
  std::string stack_;
  ScratchDir dir_;
  test_support::StackCleanup cleanup_;
  SourceManager sources_;
};

std::string Describe(const PlanFixture::Result& r) {
  return RenderPlanText(r.plan, {}) + "\ndifferences:\n" + test_support::DescribeDifferences(r.desired, r.live);
}

const ResourceChange* ChangeOf(const Plan& plan, const std::string& address) {
  for (const auto& change : plan.changes) {
    if (change.address == address) return &change;
  }
  return nullptr;
}

std::set<std::string> ChangedAttributes(const ResourceChange& change) {
  std::set<std::string> names;
  for (const auto& c : change.changes) names.insert(c.name);
  return names;
}

TEST(PlanEngineTest, EmptyEngineCreatesEverythingInDependencyOrder) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("empty", 18481);
  auto r = fixture.MakePlan();
  ASSERT_FALSE(r.desired.resources.empty());
  EXPECT_TRUE(r.live.resources.empty()) << test_support::DescribeState(r.live);
  // web, worker, back, token, motd, data
  EXPECT_EQ(r.plan.Count(Action::kCreate), 6) << Describe(r);
  EXPECT_EQ(r.plan.Count(Action::kCreate), static_cast<int>(r.plan.changes.size())) << Describe(r);
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < r.plan.changes.size(); ++i) position[r.plan.changes[i].address] = i;
  for (const char* dependency : {"network.back", "secret.token", "config.motd", "volume.data"}) {
    ASSERT_TRUE(position.count(dependency)) << dependency;
    EXPECT_LT(position[dependency], position["service.web"]) << dependency << "\n" << Describe(r);
  }
  EXPECT_LT(position["network.back"], position["service.worker"]);
  // Each change records its edges (the walk of `nest apply` follows them).
  EXPECT_EQ(ChangeOf(r.plan, "service.web")->depends_on,
            (std::vector<std::string>{"config.motd", "network.back", "secret.token", "volume.data"}));
  EXPECT_EQ(ChangeOf(r.plan, "service.worker")->depends_on,
            (std::vector<std::string>{"network.back", "secret.token"}));
}

// The GitOps flow: the file `nest compile` writes, deployed by someone else
// with `docker stack deploy`, plans as no changes at all.
TEST(PlanEngineTest, CompiledFileDeployedByDockerPlansNoChanges) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("gitops", 18482);
  fixture.CompileAndDeploy();
  auto r = fixture.MakePlan();
  EXPECT_FALSE(r.plan.HasChanges()) << Describe(r);
  EXPECT_EQ(test_support::DescribeDifferences(r.desired, r.live), "")
      << "desired:\n" << test_support::DescribeState(r.desired) << "live:\n" << test_support::DescribeState(r.live);
  EXPECT_EQ(SummaryLine(r.plan).rfind("No changes.", 0), 0u) << SummaryLine(r.plan);
  for (const auto& resource : r.live.resources) {
    EXPECT_TRUE(resource.managed) << resource.address;
    EXPECT_TRUE(resource.problems.empty()) << resource.address << ": " << resource.problems.front();
  }
}

// extra_hosts and dns, compiled and deployed by `docker stack deploy`, read
// back as the desired state has them; a hosts entry or resolver option added
// by hand is drift on exactly that attribute.
TEST(PlanEngineTest, ExtraHostsAndDnsDeployedByDockerPlanNoChanges) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("hosts", 18488, R"(
service "resolver" {
  image         = "nest-test/busybox:1"
  command       = "sleep 3600"
  endpoint_mode = dnsrr
  networks      = [network.back]
  extra_hosts   = { "zz.local" = "10.0.0.9", "db.internal" = "10.0.0.5", v6 = "::1", gw = "host-gateway" }
  dns           = ["10.0.0.2", "2001:db8::53"]
  dns_search    = ["corp.example", "example.org"]
}
)");
  fixture.CompileAndDeploy();
  auto r = fixture.MakePlan();
  EXPECT_FALSE(r.plan.HasChanges()) << Describe(r);
  EXPECT_EQ(SummaryLine(r.plan).rfind("No changes.", 0), 0u) << SummaryLine(r.plan);
  const ResourceState* resolver = nullptr;
  for (const auto& resource : r.live.resources)
    if (resource.address == "service.resolver") resolver = &resource;
  ASSERT_NE(resolver, nullptr) << test_support::DescribeState(r.live);
  ASSERT_TRUE(resolver->attributes.count("extra_hosts")) << test_support::DescribeState(r.live);
  EXPECT_EQ(test_support::ValueText(resolver->attributes.at("extra_hosts")),
            "[\"10.0.0.9 zz.local\", \"10.0.0.5 db.internal\", \"::1 v6\", \"host-gateway gw\"]");
  ASSERT_TRUE(resolver->attributes.count("dns"));

  const std::string service = fixture.stack() + "_resolver";
  std::string out;
  ASSERT_EQ(test_support::RunCommand("docker service update -d --host-add extra.local:10.0.0.77 --dns-option-add ndots:2 " +
                                         service,
                                     &out),
            0)
      << out;
  auto drift = fixture.MakePlan();
  const ResourceChange* change = ChangeOf(drift.plan, "service.resolver");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->action, Action::kUpdate) << Describe(drift);
  EXPECT_EQ(change->reason, Reason::kDrift);
  EXPECT_EQ(ChangedAttributes(*change), (std::set<std::string>{"dns", "extra_hosts"})) << Describe(drift);
}

// Issue 14's settings, compiled and deployed by `docker stack deploy`: job
// modes, isolation, stop_signal, shm_size (a tmpfs at /dev/shm), sysctls,
// ulimits and a secret with its own name read back as the desired state
// has them.
TEST(PlanEngineTest, JobsAndContainerSettingsDeployedByDockerPlanNoChanges) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("jobs", 18489);
  // The secret's own name is unique on the engine too: the stack's name in it.
  std::string extra = R"(
secret "named" {
  file = "token.txt"
  name = "STACK-named"
}

service "migrate" {
  image    = "nest-test/busybox:1"
  command  = ["true"]
  mode     = replicated-job
  replicas = 2
  networks = [network.back]
}

service "prep" {
  image   = "nest-test/busybox:1"
  command = ["true"]
  mode    = global-job
}

service "tuned" {
  image         = "nest-test/busybox:1"
  command       = "sleep 3600"
  endpoint_mode = dnsrr
  stop_signal   = "SIGINT"
  isolation     = default
  shm_size      = 64MiB
  secrets       = [secret.named]

  security {
    sysctls = { "net.ipv4.ip_unprivileged_port_start" = "0" }
    ulimits = { nofile = 4096 }

    ulimit {
      name = "nproc"
      soft = 512
      hard = 1024
    }
  }
}
)";
  extra.replace(extra.find("STACK"), 5, fixture.stack());
  fixture.dir().Write("src/stack.nest", StackSource(fixture.stack(), 18489) + extra);
  fixture.CompileAndDeploy();
  auto r = fixture.MakePlan();
  EXPECT_FALSE(r.plan.HasChanges()) << Describe(r);
  const ResourceState* migrate = r.live.Find("service.migrate");
  ASSERT_NE(migrate, nullptr) << test_support::DescribeState(r.live);
  EXPECT_EQ(test_support::ValueText(migrate->attributes.at("mode")), "\"replicated-job\"");
  const ResourceState* prep = r.live.Find("service.prep");
  ASSERT_NE(prep, nullptr);
  EXPECT_EQ(test_support::ValueText(prep->attributes.at("mode")), "\"global-job\"");
  const ResourceState* named = r.live.Find("secret.named");
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->docker_name, fixture.stack() + "-named");
}

TEST(PlanEngineTest, OneChangedInputPlansOneUpdate) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("var", 18483);
  fixture.CompileAndDeploy();
  auto r = fixture.MakePlan({{"app_version", "2"}});
  ASSERT_EQ(r.plan.Count(Action::kUpdate), 1) << Describe(r);
  EXPECT_EQ(r.plan.changes.size() - r.plan.Count(Action::kNoOp), 1u) << Describe(r);
  const ResourceChange* web = ChangeOf(r.plan, "service.web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->action, Action::kUpdate);
  EXPECT_EQ(web->reason, Reason::kChanged);
  ASSERT_EQ(web->changes.size(), 1u) << Describe(r);
  EXPECT_EQ(web->changes[0].name, "image");
  ASSERT_TRUE(web->changes[0].before && web->changes[0].after);
  EXPECT_EQ(web->changes[0].before->scalar, "nest-test/busybox:1");
  EXPECT_EQ(web->changes[0].after->scalar, "nest-test/busybox:2");
  ASSERT_TRUE(web->live_version.has_value());
  std::string text = RenderPlanText(r.plan, {});
  EXPECT_NE(text.find("nest-test/busybox:1"), std::string::npos) << text;
  EXPECT_NE(text.find("nest-test/busybox:2"), std::string::npos) << text;
}

TEST(PlanEngineTest, ChangesMadeByHandAppearAsDriftWithLiveValues) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("drift", 18484, R"(
network "spare" {
  driver = overlay
}
)");
  fixture.CompileAndDeploy();
  const std::string& s = fixture.stack();
  // docker stack deploy creates only networks a service uses; make the
  // unused one as nest would (its labels from the compiled file).
  auto document = fixture.Document();
  ASSERT_TRUE(document.has_value());
  std::string hash = (*document)["networks"]["spare"]["labels"]["nest.spec-hash"].get<std::string>();
  std::string out;
  ASSERT_EQ(test_support::RunCommand("docker network create -d overlay --label com.docker.stack.namespace=" + s +
                                         " --label nest.address=network.spare --label nest.spec-hash=" + hash + " " +
                                         s + "_spare",
                                     &out),
            0)
      << out;
  auto before = fixture.MakePlan();
  ASSERT_FALSE(before.plan.HasChanges()) << Describe(before);

  ASSERT_EQ(test_support::RunCommand("docker service scale -d " + s + "_web=3", &out), 0) << out;
  ASSERT_EQ(test_support::RunCommand("docker service update -d --env-add EXTRA=1 " + s + "_worker", &out), 0) << out;
  ASSERT_EQ(test_support::RunCommand("docker network rm " + s + "_spare", &out), 0) << out;
  ASSERT_EQ(test_support::RunCommand("docker service create -d --name " + s + "_extra --label com.docker.stack.namespace=" +
                                         s + " --replicas 0 nest-test/busybox:1 sleep 60",
                                     &out),
            0)
      << out;

  auto r = fixture.MakePlan();
  const ResourceChange* web = ChangeOf(r.plan, "service.web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->action, Action::kUpdate) << Describe(r);
  EXPECT_EQ(web->reason, Reason::kDrift);
  EXPECT_EQ(ChangedAttributes(*web), std::set<std::string>{"replicas"}) << Describe(r);
  ASSERT_FALSE(web->changes.empty());
  EXPECT_EQ(web->changes[0].before->scalar, "3");
  EXPECT_EQ(web->changes[0].after->scalar, "1");

  const ResourceChange* worker = ChangeOf(r.plan, "service.worker");
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->action, Action::kUpdate) << Describe(r);
  EXPECT_EQ(worker->reason, Reason::kDrift);
  EXPECT_EQ(ChangedAttributes(*worker), std::set<std::string>{"environment"}) << Describe(r);
  ASSERT_FALSE(worker->changes.empty());
  ASSERT_TRUE(worker->changes[0].before.has_value());
  EXPECT_EQ(worker->changes[0].before->map.at("EXTRA").scalar, "1");

  const ResourceChange* spare = ChangeOf(r.plan, "network.spare");
  ASSERT_NE(spare, nullptr);
  EXPECT_EQ(spare->action, Action::kCreate) << Describe(r);

  const ResourceChange* extra = ChangeOf(r.plan, "service.extra");
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ(extra->action, Action::kDelete) << Describe(r);
  EXPECT_EQ(extra->reason, Reason::kNotInConfig);
  EXPECT_FALSE(extra->problems.empty());
  EXPECT_EQ(r.plan.changes.size() - r.plan.Count(Action::kNoOp), 4u) << Describe(r);
}

TEST(PlanEngineTest, ChangedSecretFileReplacesTheSecretAndMovesItsServices) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("secret", 18485);
  fixture.CompileAndDeploy();
  const std::string new_value = "rotated-credential-9a7e";
  fixture.dir().Write("src/token.txt", new_value + "\n");
  auto r = fixture.MakePlan();
  const ResourceChange* token = ChangeOf(r.plan, "secret.token");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->action, Action::kReplace) << Describe(r);
  EXPECT_TRUE(token->create_before_destroy);
  for (const char* service : {"service.web", "service.worker"}) {
    const ResourceChange* change = ChangeOf(r.plan, service);
    ASSERT_NE(change, nullptr) << service;
    EXPECT_EQ(change->action, Action::kUpdate) << service << "\n" << Describe(r);
    EXPECT_EQ(ChangedAttributes(*change), std::set<std::string>{"secrets"}) << Describe(r);
  }
  EXPECT_EQ(r.plan.changes.size() - r.plan.Count(Action::kNoOp), 3u) << Describe(r);
  // The value, old or new, is nowhere: not in the states, not in any output.
  std::string everything = RenderPlanText(r.plan, {}) + RenderPlanJson(r.plan) + RenderPlanMarkdown(r.plan) +
                           test_support::DescribeState(r.desired) + test_support::DescribeState(r.live);
  EXPECT_EQ(everything.find(kSecretValue), std::string::npos);
  EXPECT_EQ(everything.find(new_value), std::string::npos);
}

// Objects gone from the config wait for the services that still use them in
// the live stack: the live references (network IDs named, secret, config
// and volume sources) are read from a real engine.
TEST(PlanEngineTest, RemovedObjectsWaitForTheServicesThatStillUseThem) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("edges", 18487);
  fixture.CompileAndDeploy();
  fixture.dir().Write("src/stack.nest", R"(stack ")" + fixture.stack() + R"(" {}

service "worker" {
  image         = "nest-test/busybox:1"
  command       = "sleep 3600"
  replicas      = 1
  endpoint_mode = dnsrr

  security {
    init              = true
    stop_grace_period = 1s
  }
}
)");
  auto r = fixture.MakePlan();
  using Addresses = std::vector<std::string>;
  const ResourceChange* worker = ChangeOf(r.plan, "service.worker");
  ASSERT_NE(worker, nullptr) << Describe(r);
  EXPECT_EQ(worker->action, Action::kUpdate) << Describe(r);
  ASSERT_NE(ChangeOf(r.plan, "service.web"), nullptr);
  EXPECT_EQ(ChangeOf(r.plan, "service.web")->action, Action::kDelete);
  for (const char* address : {"network.back", "secret.token"}) {
    const ResourceChange* change = ChangeOf(r.plan, address);
    ASSERT_NE(change, nullptr) << address << "\n" << Describe(r);
    EXPECT_EQ(change->action, Action::kDelete) << address;
    EXPECT_EQ(change->depends_on, (Addresses{"service.web", "service.worker"})) << address;
  }
  ASSERT_NE(ChangeOf(r.plan, "config.motd"), nullptr);
  EXPECT_EQ(ChangeOf(r.plan, "config.motd")->depends_on, Addresses{"service.web"});
  // Swarm makes a volume only where a task starts; when it is there, it waits too.
  if (const ResourceChange* data = ChangeOf(r.plan, "volume.data")) {
    EXPECT_EQ(data->depends_on, Addresses{"service.web"});
  }
  // The new default network comes before the worker moves to it.
  EXPECT_EQ(worker->depends_on, Addresses{"network.default"});
}

TEST(PlanEngineTest, HalfBrokenLiveObjectsAreShownNeverCrash) {
  NEST_REQUIRE_SWARM();
  PlanFixture fixture("broken", 18486);
  const std::string& s = fixture.stack();
  std::string out;
  // Made outside nest: a service whose image does not exist (its tasks are
  // rejected forever), one with the stack label and nothing else, a plain
  // container with the stack label, a service named like the stack's with no labels.
  ASSERT_EQ(test_support::RunCommand("docker service create -d --name " + s + "_web --label com.docker.stack.namespace=" +
                                         s + " --label nest.address=service.web --endpoint-mode dnsrr nest-test/doesnotexist:1",
                                     &out),
            0)
      << out;
  ASSERT_EQ(test_support::RunCommand("docker service create -d --name " + s + "_bare --label com.docker.stack.namespace=" +
                                         s + " --replicas 0 nest-test/busybox:1",
                                     &out),
            0)
      << out;
  ASSERT_EQ(test_support::RunCommand("docker service create -d --name " + s + "_nolabels --replicas 0 nest-test/busybox:1", &out), 0)
      << out;
  ASSERT_EQ(test_support::RunCommand("docker create --name " + s + "-stray --label com.docker.stack.namespace=" + s +
                                         " nest-test/busybox:1 sleep 5",
                                     &out),
            0)
      << out;
  // Clean-up removes labelled objects; the unlabelled service goes by name.
  struct RemoveByName {
    std::string name;
    ~RemoveByName() { test_support::RunCommand("docker service rm " + name + " >/dev/null"); }
  } remove_nolabels{s + "_nolabels"};

  PlanFixture::Result r;
  const ResourceState* web = nullptr;
  for (int attempt = 0; attempt < 40; ++attempt) {  // the first rejection takes a few seconds
    r = fixture.MakePlan();
    web = r.live.Find("service.web");
    if (web != nullptr && !web->problems.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_NE(web, nullptr) << test_support::DescribeState(r.live);
  ASSERT_FALSE(web->problems.empty()) << test_support::DescribeState(r.live);
  EXPECT_NE(web->problems.back().find("No such image: nest-test/doesnotexist:1"), std::string::npos)
      << web->problems.back();
  const ResourceState* bare = r.live.Find("service.bare");
  ASSERT_NE(bare, nullptr);
  EXPECT_FALSE(bare->managed);
  const ResourceState* nolabels = r.live.Find("service.nolabels");
  ASSERT_NE(nolabels, nullptr);
  EXPECT_FALSE(nolabels->stack_label);
  ASSERT_EQ(r.live.problems.size(), 1u) << test_support::DescribeState(r.live);
  EXPECT_NE(r.live.problems[0].find(s + "-stray"), std::string::npos);

  // The plan shows them: the broken web is updated to the config's image,
  // the stray stack service deleted, the unlabelled one left alone.
  const ResourceChange* web_change = ChangeOf(r.plan, "service.web");
  ASSERT_NE(web_change, nullptr);
  EXPECT_EQ(web_change->action, Action::kUpdate) << Describe(r);
  EXPECT_FALSE(web_change->problems.empty());
  const ResourceChange* bare_change = ChangeOf(r.plan, "service.bare");
  ASSERT_NE(bare_change, nullptr);
  EXPECT_EQ(bare_change->action, Action::kDelete);
  const ResourceChange* nolabels_change = ChangeOf(r.plan, "service.nolabels");
  if (nolabels_change != nullptr) {
    EXPECT_EQ(nolabels_change->action, Action::kNoOp);
  }
  std::string text = RenderPlanText(r.plan, {});
  EXPECT_NE(text.find("No such image"), std::string::npos) << text;
}

// The same for the whole MediaNest example: modules, Traefik routes,
// autoscale labels, global services, configs, subnets. Its images are not
// here, so its tasks fail; what is planned is the services' specs.
TEST(PlanEngineTest, MediaNestDeployedByDockerPlansNoChanges) {
  NEST_REQUIRE_SWARM();
  const std::string stack = test_support::UniqueName("medianest");
  test_support::StackCleanup cleanup(stack);
  ScratchDir dir(stack);
  SourceManager sources;
  Diagnostics diags;
  LoadOptions options;
  options.read_environment = false;
  options.stdlib_dir = DefaultStdlibDir();
  const std::string example = std::string(NEST_SOURCE_DIR) + "/examples/medianest";
  auto config = LoadStack(example, options, sources, diags);
  ASSERT_TRUE(config.has_value()) << RenderText(diags, sources, {});
  EmitOptions emit;
  emit.stack_name = stack;
  emit.output_dir = dir.path().string();
  auto text = CompileStack(*config, emit, example, diags);
  ASSERT_TRUE(text.has_value()) << RenderText(diags, sources, {});
  std::string file = dir.Write("stack.yml", *text);
  std::string out;
  if (test_support::RunCommand("docker stack deploy --resolve-image never -c " + file + " " + stack, &out) != 0) {
    // Its fixed subnets and published ports cannot be allocated twice:
    // another MediaNest on this engine (another test run) makes it fail.
    if (out.find("overlap") != std::string::npos || out.find("already in use") != std::string::npos) {
      GTEST_SKIP() << out;
    }
    FAIL() << out;
  }
  auto desired = BuildDesiredState(*config, Platform::kSwarm, stack, diags);
  ASSERT_TRUE(desired.has_value());
  engine::EngineClient client = test_support::LocalClient();
  auto live = MakeProvider(Platform::kSwarm, client)->ReadStack(stack);
  ASSERT_TRUE(live.ok()) << live.error().message;
  StackGraph graph = BuildGraph(*config, diags);
  Plan plan = Diff(*desired, live.value(), DiffOptionsFromGraph(graph));
  EXPECT_FALSE(plan.HasChanges()) << RenderPlanText(plan, {}) << "\n"
                                  << test_support::DescribeDifferences(*desired, live.value());
  EXPECT_GE(live.value().resources.size(), 20u);
}

}  // namespace
}  // namespace nest::plan
