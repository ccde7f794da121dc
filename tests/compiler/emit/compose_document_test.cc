// The compose document model: every mapping rule, for both targets (what a
// target cannot express is in compose_document_warnings_test.cc).
#include "compiler/emit/compose_document.h"

#include <gtest/gtest.h>

#include "tests/compiler/emit/compose_document_fixture.h"

namespace nest::testing {
namespace {

TEST_F(ComposeDocumentTest, TopLevelKeysInCanonicalOrderAndEntriesSortedByName) {
  Json doc = Build(R"(
service "web" { image = "nginx" }
service "api" { image = "api" }
volume "b" {}
volume "a" {}
network "n" {}
)");
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"version", "services", "networks", "volumes"}));
  EXPECT_EQ(doc["version"], "3.9");
  EXPECT_EQ(doc["services"].begin().key(), "api");
  EXPECT_EQ(doc["volumes"].begin().key(), "a");

  Json compose = Build(R"(service "web" { image = "nginx" })", Platform::kCompose);
  EXPECT_FALSE(compose.contains("version"));
}

TEST_F(ComposeDocumentTest, ServiceContainerSettings) {
  Json doc = Build(R"(
service "web" {
  image       = "nginx:1.27"
  command     = "exec nginx -g 'daemon off;'"
  entrypoint  = ["/docker-entrypoint.sh"]
  env         = { Z = "1", A = "2" }
  working_dir = "/srv"
  hostname    = "web1"
  stop_signal = "SIGQUIT"
  container_labels = { "c.label" = "x" }

  security {
    read_only         = true
    user              = "101:101"
    cap_add           = ["NET_BIND_SERVICE"]
    cap_drop          = ["ALL"]
    init              = false
    stop_grace_period = 1m30s
    ulimits           = { nproc = 512 }
    sysctls           = { "net.core.somaxconn" = "1024" }
    ulimit {
      name = "nofile"
      soft = 1024
      hard = 65536
    }
  }

  healthcheck {
    test         = "curl -f http://localhost/"
    interval     = 10s
    timeout      = 500ms
    retries      = 3
    start_period = 1h
  }

  logging {
    driver  = "json-file"
    options = { "max-size" = "10m", "max-file" = "3" }
  }
}
)");
  const Json& s = doc["services"]["web"];
  EXPECT_EQ(s["image"], "nginx:1.27");
  EXPECT_EQ(s["command"], Json::array({"/bin/sh", "-c", "exec nginx -g 'daemon off;'"}));
  EXPECT_EQ(s["entrypoint"], Json::array({"/docker-entrypoint.sh"}));
  EXPECT_EQ(s["environment"].dump(), R"({"A":"2","Z":"1"})");
  EXPECT_EQ(s["working_dir"], "/srv");
  EXPECT_EQ(s["hostname"], "web1");
  EXPECT_EQ(s["stop_signal"], "SIGQUIT");
  EXPECT_EQ(s["user"], "101:101");
  EXPECT_EQ(s["stop_grace_period"], "1m30s");
  EXPECT_EQ(s["init"], false);
  EXPECT_EQ(s["read_only"], true);
  EXPECT_EQ(s["cap_add"], Json::array({"NET_BIND_SERVICE"}));
  EXPECT_EQ(s["cap_drop"], Json::array({"ALL"}));
  EXPECT_EQ(s["ulimits"].dump(), R"({"nofile":{"soft":1024,"hard":65536},"nproc":512})");
  EXPECT_EQ(s["sysctls"]["net.core.somaxconn"], "1024");
  EXPECT_EQ(s["healthcheck"].dump(),
            R"({"test":["CMD-SHELL","curl -f http://localhost/"],"interval":"10s","timeout":"500ms",)"
            R"("retries":3,"start_period":"1h"})");
  EXPECT_EQ(s["logging"].dump(), R"({"driver":"json-file","options":{"max-file":"3","max-size":"10m"}})");
  EXPECT_EQ(s["labels"].dump(), R"({"c.label":"x"})");
  EXPECT_FALSE(s.contains("security_opt"));
  EXPECT_TRUE(diags_.empty()) << Rendered();
}

TEST_F(ComposeDocumentTest, ExtraHostsAndDnsAsComposeWritesThem) {
  const std::string source = R"(
service "web" {
  image       = "nginx"
  extra_hosts = { "zz.local" = "10.0.0.9", "db.internal" = "10.0.0.5", v6 = "::1", gw = "host-gateway" }
  dns         = ["10.0.0.2", "2001:db8::53"]
  dns_search  = ["corp.example"]
}
)";
  for (Platform target : {Platform::kSwarm, Platform::kCompose}) {
    Json doc = Build(source, target);
    const Json& s = doc["services"]["web"];
    // "host:address", in the order written; keys right after hostname's place.
    EXPECT_EQ(s["extra_hosts"].dump(), R"(["zz.local:10.0.0.9","db.internal:10.0.0.5","v6:::1","gw:host-gateway"])");
    EXPECT_EQ(s["dns"].dump(), R"(["10.0.0.2","2001:db8::53"])");
    EXPECT_EQ(s["dns_search"].dump(), R"(["corp.example"])");
    EXPECT_FALSE(s.contains("dns_opt"));
    std::vector<std::string> keys;
    for (auto it = s.begin(); it != s.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 4),
              (std::vector<std::string>{"image", "extra_hosts", "dns", "dns_search"}));
    EXPECT_TRUE(diags_.empty()) << Rendered();
  }
}

TEST_F(ComposeDocumentTest, DisabledHealthcheck) {
  Json doc = Build(R"(service "web" {
  image = "nginx"
  healthcheck { disable = true }
})");
  EXPECT_EQ(doc["services"]["web"]["healthcheck"].dump(), R"({"disable":true})");
}

TEST_F(ComposeDocumentTest, PortsAlwaysInLongSyntax) {
  Json doc = Build(R"(service "dns" {
  image = "coredns"
  ports = [8080:80, 5353:53/udp, 9000/tcp]
  port {
    published = 443
    target    = 8443
    mode      = host
  }
})");
  EXPECT_EQ(doc["services"]["dns"]["ports"].dump(),
            R"([{"target":80,"published":8080,"protocol":"tcp","mode":"ingress"},)"
            R"({"target":53,"published":5353,"protocol":"udp","mode":"ingress"},)"
            R"({"target":9000,"protocol":"tcp","mode":"ingress"},)"
            R"({"target":8443,"published":443,"protocol":"tcp","mode":"host"}])");
}

TEST_F(ComposeDocumentTest, NetworksWithAliases) {
  Json doc = Build(R"(
network "front" {}
network "back" {}
network "extra" {}
service "api" {
  image    = "api"
  networks = [network.front, network.back]
  alias {
    network = network.back
    names   = ["api.internal", "v1"]
  }
  alias {
    network = network.extra
    names   = ["x"]
  }
}
)");
  EXPECT_EQ(doc["services"]["api"]["networks"].dump(),
            R"({"back":{"aliases":["api.internal","v1"]},"extra":{"aliases":["x"]},"front":{}})");
}

TEST_F(ComposeDocumentTest, MountsInLongSyntax) {
  Json doc = Build(R"(
volume "data" {}
service "db" {
  image = "postgres"
  mount {
    source = volume.data
    target = "/var/lib/postgresql/data"
  }
  mount {
    source    = "/etc/localtime"
    target    = "/etc/localtime"
    read_only = true
  }
  mount {
    type   = tmpfs
    target = "/tmp"
    size   = 64MiB
  }
}
)");
  EXPECT_EQ(doc["services"]["db"]["volumes"].dump(),
            R"([{"type":"volume","source":"data","target":"/var/lib/postgresql/data"},)"
            R"({"type":"bind","source":"/etc/localtime","target":"/etc/localtime","read_only":true},)"
            R"({"type":"tmpfs","target":"/tmp","tmpfs":{"size":67108864}}])");
}

TEST_F(ComposeDocumentTest, SecretsAndConfigsWithContentHashedNames) {
  dir_.Write("stack/files/pw.txt", "hunter2\n");
  dir_.Write("stack/files/app.conf", "listen 80;\n");
  Json doc = Build(R"(
secret "pw" { file = "files/pw.txt" }
secret "ext" {
  external = true
  name     = "shared_pw"
}
config "app" { file = "files/app.conf" }
service "web" {
  image   = "nginx"
  secrets = [secret.ext]
  configs = [config.app]
  secret {
    source = secret.pw
    target = "db_password"
    uid    = "999"
    gid    = "999"
    mode   = "0440"
  }
}
)");
  // sha256("hunter2\n") = 46a9d5bde718...: the name carries its first 10 hex digits.
  EXPECT_EQ(doc["secrets"]["pw"]["name"], "shop_pw_46a9d5bde7")
      << doc["secrets"]["pw"].dump();
  EXPECT_EQ(doc["secrets"]["pw"]["file"], "../stack/files/pw.txt");
  EXPECT_EQ(doc["secrets"]["ext"].dump(), R"({"external":true,"name":"shared_pw"})");
  EXPECT_EQ(doc["configs"]["app"]["file"], "../stack/files/app.conf");
  EXPECT_EQ(doc["services"]["web"]["secrets"].dump(),
            R"([{"source":"ext"},{"source":"pw","target":"db_password","uid":"999","gid":"999","mode":288}])");
  EXPECT_EQ(doc["services"]["web"]["configs"].dump(), R"([{"source":"app"}])");
  // The secret's value never appears in the document.
  EXPECT_EQ(doc.dump().find("hunter2"), std::string::npos);
}

TEST_F(ComposeDocumentTest, AChangedSecretGetsANewNameAndItsServicesANewSpecHash) {
  dir_.Write("stack/pw.txt", "one");
  std::string source = R"(
secret "pw" { file = "pw.txt" }
service "web" {
  image   = "nginx"
  secrets = [secret.pw]
}
service "other" { image = "nginx" }
)";
  Json before = Build(source);
  dir_.Write("stack/pw.txt", "two");
  Json after = Build(source);
  EXPECT_NE(before["secrets"]["pw"]["name"], after["secrets"]["pw"]["name"]);
  EXPECT_NE(before["secrets"]["pw"]["labels"]["nest.spec-hash"], after["secrets"]["pw"]["labels"]["nest.spec-hash"]);
  EXPECT_EQ(before["services"]["web"].dump().size(), after["services"]["web"].dump().size());
  EXPECT_NE(before["services"]["web"]["deploy"]["labels"]["nest.spec-hash"],
            after["services"]["web"]["deploy"]["labels"]["nest.spec-hash"]);
  EXPECT_EQ(before["services"]["other"]["deploy"]["labels"]["nest.spec-hash"],
            after["services"]["other"]["deploy"]["labels"]["nest.spec-hash"]);
}

TEST_F(ComposeDocumentTest, ComposeMountsSecretFilesWithoutObjectNames) {
  dir_.Write("stack/pw.txt", "x");
  Json doc = Build(R"(secret "pw" { file = "pw.txt" })", Platform::kCompose);
  EXPECT_FALSE(doc["secrets"]["pw"].contains("name"));
  EXPECT_EQ(doc["secrets"]["pw"]["file"], "../stack/pw.txt");
}

TEST_F(ComposeDocumentTest, SwarmDeploySettings) {
  Json doc = Build(R"(
service "web" {
  image         = "nginx"
  replicas      = 3
  endpoint_mode = dnsrr
  labels        = { tier = "web" }
  resources {
    cpus           = 1
    memory         = 512MiB
    pids           = 100
    reserve_cpus   = 0.25
    reserve_memory = 1GB
  }
  restart {
    condition    = on-failure
    delay        = 5s
    max_attempts = 3
    window       = 2m
  }
  placement {
    constraints           = ["node.role == worker"]
    preferences           = ["node.labels.zone"]
    max_replicas_per_node = 2
  }
  deploy "rolling" {
    parallelism       = 2
    delay             = 10s
    order             = start-first
    monitor           = 30s
    failure_action    = rollback
    max_failure_ratio = 25%
  }
  rollback {
    parallelism    = 0
    failure_action = continue
  }
}
service "agent" {
  image = "agent"
  mode  = global
}
)");
  const Json& d = doc["services"]["web"]["deploy"];
  EXPECT_EQ(d["replicas"], 3);
  EXPECT_EQ(d["endpoint_mode"], "dnsrr");
  EXPECT_EQ(d["labels"]["tier"], "web");
  EXPECT_EQ(d["labels"]["team"], "web");  // the stack's labels
  EXPECT_EQ(d["labels"]["nest.address"], "service.web");
  EXPECT_EQ(d["labels"]["nest.spec-hash"].get<std::string>().size(), 12u);
  EXPECT_EQ(d["resources"].dump(),
            R"({"limits":{"cpus":"1.0","memory":"512M","pids":100},)"
            R"("reservations":{"cpus":"0.25","memory":"1000000000B"}})");
  EXPECT_EQ(d["restart_policy"].dump(),
            R"({"condition":"on-failure","delay":"5s","max_attempts":3,"window":"2m"})");
  EXPECT_EQ(d["placement"].dump(),
            R"({"constraints":["node.role == worker"],"preferences":[{"spread":"node.labels.zone"}],)"
            R"("max_replicas_per_node":2})");
  EXPECT_EQ(d["update_config"].dump(),
            R"({"parallelism":2,"delay":"10s","failure_action":"rollback","monitor":"30s",)"
            R"("max_failure_ratio":0.25,"order":"start-first"})");
  EXPECT_EQ(d["rollback_config"].dump(), R"({"parallelism":0,"failure_action":"continue"})");
  EXPECT_EQ(doc["services"]["agent"]["deploy"]["mode"], "global");
  EXPECT_FALSE(doc["services"]["agent"]["deploy"].contains("replicas"));
  EXPECT_TRUE(Warnings().empty()) << Rendered();
}

TEST_F(ComposeDocumentTest, AutoscaleAsLabelsAndItsMinimumAsTheStartingReplicas) {
  Json doc = Build(R"(
service "web" {
  image = "nginx"
  autoscale {
    min             = 2
    max             = 8
    cpu             = 70%
    cpu_down        = 12.5%
    scale_up_window = 90s
  }
}
)");
  const Json& d = doc["services"]["web"]["deploy"];
  EXPECT_EQ(d["replicas"], 2);
  EXPECT_EQ(d["labels"]["nest.autoscale.min"], "2");
  EXPECT_EQ(d["labels"]["nest.autoscale.max"], "8");
  EXPECT_EQ(d["labels"]["nest.autoscale.cpu"], "70%");
  EXPECT_EQ(d["labels"]["nest.autoscale.cpu_down"], "12.5%");
  EXPECT_EQ(d["labels"]["nest.autoscale.scale_up_window"], "1m30s");

  Json compose = Build(R"(
service "web" {
  image    = "nginx"
  replicas = 3
  autoscale {
    min = 2
    max = 8
  }
}
)", Platform::kCompose);
  EXPECT_EQ(compose["services"]["web"]["deploy"]["replicas"], 3);
  EXPECT_EQ(compose["services"]["web"]["labels"]["nest.autoscale.max"], "8");
}

TEST_F(ComposeDocumentTest, RoutesAsTraefikLabels) {
  Json doc = Build(R"(
network "proxy" {}
service "web" {
  image    = "web"
  networks = [network.proxy]
  route {
    host        = "example.com"
    path        = "/api"
    port        = 8080
    entrypoints = ["web", "websecure"]
    tls         = true
    cert_resolver = "le"
    middlewares = ["auth@file"]
    priority    = 10
    sticky      = true
    network     = network.proxy
    health_path = "/health"
    health_interval = 15s
  }
  route {
    host = "admin.example.com"
    port = 9000
  }
}
)", Platform::kSwarm, "prod");
  const Json& l = doc["services"]["web"]["deploy"]["labels"];
  EXPECT_EQ(l["traefik.enable"], "true");
  EXPECT_EQ(l["traefik.http.routers.prod-web-0.rule"], "Host(`example.com`) && PathPrefix(`/api`)");
  EXPECT_EQ(l["traefik.http.routers.prod-web-0.entrypoints"], "web,websecure");
  EXPECT_EQ(l["traefik.http.routers.prod-web-0.tls"], "true");
  EXPECT_EQ(l["traefik.http.routers.prod-web-0.tls.certresolver"], "le");
  EXPECT_EQ(l["traefik.http.routers.prod-web-0.middlewares"], "auth@file");
  EXPECT_EQ(l["traefik.http.routers.prod-web-0.priority"], "10");
  EXPECT_EQ(l["traefik.http.routers.prod-web-0.service"], "prod-web-8080");
  EXPECT_EQ(l["traefik.http.routers.prod-web-1.rule"], "Host(`admin.example.com`)");
  EXPECT_EQ(l["traefik.http.routers.prod-web-1.service"], "prod-web-9000");
  EXPECT_FALSE(l.contains("traefik.http.routers.prod-web-1.tls"));
  EXPECT_EQ(l["traefik.http.services.prod-web-8080.loadbalancer.server.port"], "8080");
  EXPECT_EQ(l["traefik.http.services.prod-web-8080.loadbalancer.sticky.cookie"], "true");
  EXPECT_EQ(l["traefik.http.services.prod-web-8080.loadbalancer.healthcheck.path"], "/health");
  EXPECT_EQ(l["traefik.http.services.prod-web-8080.loadbalancer.healthcheck.interval"], "15s");
  EXPECT_EQ(l["traefik.http.services.prod-web-9000.loadbalancer.server.port"], "9000");
  EXPECT_EQ(l["traefik.docker.network"], "prod_proxy");
  EXPECT_EQ(l["traefik.swarm.network"], "prod_proxy");

  Json compose = Build(R"(
service "web" {
  image = "web"
  route {
    host = "example.com"
    port = 80
  }
}
)", Platform::kCompose);
  const Json& c = compose["services"]["web"]["labels"];
  EXPECT_EQ(c["traefik.http.routers.shop-web-0.service"], "shop-web");
  EXPECT_EQ(c["traefik.http.services.shop-web.loadbalancer.server.port"], "80");
}

TEST_F(ComposeDocumentTest, NetworksAndVolumes) {
  Json doc = Build(R"(
network "plain" {}
network "data" {
  subnet      = 172.30.3.0/24
  internal    = true
  attachable  = true
  encrypted   = true
  driver_opts = { "com.docker.network.driver.mtu" = "1400" }
  labels      = { tier = "data", team = "db" }
}
network "proxy" {
  external = true
  name     = "traefik-public"
}
volume "media" {
  driver      = "local"
  driver_opts = { type = "nfs", o = "addr=10.0.0.10,rw" }
}
volume "old" { external = true }
)");
  EXPECT_EQ(doc["networks"]["plain"]["driver"], "overlay");
  const Json& data = doc["networks"]["data"];
  EXPECT_EQ(data["driver_opts"].dump(), R"({"com.docker.network.driver.mtu":"1400","encrypted":""})");
  EXPECT_EQ(data["attachable"], true);
  EXPECT_EQ(data["internal"], true);
  EXPECT_EQ(data["ipam"].dump(), R"({"config":[{"subnet":"172.30.3.0/24"}]})");
  EXPECT_EQ(data["labels"]["team"], "db");  // the network's label wins over the stack's
  EXPECT_EQ(data["labels"]["nest.address"], "network.data");
  EXPECT_EQ(doc["networks"]["proxy"].dump(), R"({"external":true,"name":"traefik-public"})");
  EXPECT_EQ(doc["volumes"]["media"]["driver"], "local");
  EXPECT_EQ(doc["volumes"]["media"]["driver_opts"].dump(), R"({"o":"addr=10.0.0.10,rw","type":"nfs"})");
  EXPECT_EQ(doc["volumes"]["old"].dump(), R"({"external":true,"name":"old"})");

  Json compose = Build(R"(
network "plain" {}
network "lan" {
  driver   = bridge
  subnet   = 10.5.0.0/16
  gateway  = 10.5.0.1
  ip_range = 10.5.1.0/24
}
)", Platform::kCompose);
  EXPECT_FALSE(compose["networks"]["plain"].contains("driver"));
  EXPECT_EQ(compose["networks"]["lan"]["ipam"].dump(),
            R"({"config":[{"subnet":"10.5.0.0/16","gateway":"10.5.0.1","ip_range":"10.5.1.0/24"}]})");
  EXPECT_TRUE(Warnings().empty()) << Rendered();
}

TEST_F(ComposeDocumentTest, StackOverrideRenamesEveryDockerName) {
  dir_.Write("stack/k.txt", "k");
  Json doc = Build(R"(
secret "k" { file = "k.txt" }
network "n" {}
service "web" {
  image = "web"
  route {
    host    = "x.com"
    port    = 80
    network = network.n
  }
}
)", Platform::kSwarm, "staging");
  EXPECT_EQ(doc["secrets"]["k"]["name"].get<std::string>().rfind("staging_k_", 0), 0u);
  EXPECT_EQ(doc["services"]["web"]["deploy"]["labels"]["traefik.docker.network"], "staging_n");
  EXPECT_TRUE(doc["services"]["web"]["deploy"]["labels"].contains("traefik.http.routers.staging-web-0.rule"));
}

TEST_F(ComposeDocumentTest, ModuleResourcesAreNamedAfterTheCall) {
  dir_.Write("stack/pw.txt", "pw");
  Json doc = Build(R"(
network "data" {}
secret "pw" { file = "pw.txt" }
module "db" {
  source   = "stdlib/postgres"
  network  = network.data
  password = secret.pw
  database = "shop"
  user     = "shop"
}
)");
  ASSERT_TRUE(doc["services"].contains("db-postgres")) << doc.dump(2);
  EXPECT_EQ(doc["services"]["db-postgres"]["volumes"][0]["source"], "db-data");
  EXPECT_EQ(doc["services"]["db-postgres"]["deploy"]["labels"]["nest.address"], "module.db.service.postgres");
  EXPECT_TRUE(doc["volumes"].contains("db-data"));
}

TEST_F(ComposeDocumentTest, ComposeRestartPolicies) {
  Json doc = Build(R"(
service "a" {
  image = "x"
  restart { condition = none }
}
service "b" {
  image = "x"
  restart {
    condition    = on-failure
    max_attempts = 5
  }
}
service "c" {
  image = "x"
  restart { condition = on-failure }
}
)", Platform::kCompose);
  EXPECT_EQ(doc["services"]["a"]["restart"], "no");
  EXPECT_EQ(doc["services"]["b"]["restart"], "on-failure:5");
  EXPECT_EQ(doc["services"]["c"]["restart"], "on-failure");
  EXPECT_TRUE(Warnings().empty()) << Rendered();
}

TEST_F(ComposeDocumentTest, EveryObjectCarriesOwnershipLabels) {
  dir_.Write("stack/s.txt", "s");
  Json doc = Build(R"(
network "n" {}
volume "v" {}
secret "s" { file = "s.txt" }
config "c" { file = "s.txt" }
service "web" { image = "web" }
)");
  for (const auto* section : {"networks", "volumes", "secrets", "configs"}) {
    const Json& entry = doc[section].begin().value();
    EXPECT_TRUE(entry["labels"].contains("nest.address")) << section;
    EXPECT_TRUE(entry["labels"].contains("nest.spec-hash")) << section;
    EXPECT_EQ(entry["labels"]["team"], "web") << section;
  }
  // docker stack deploy adds com.docker.stack.namespace itself.
  EXPECT_EQ(doc.dump().find("com.docker.stack.namespace"), std::string::npos);
}

TEST_F(ComposeDocumentTest, SpecHashIgnoresSourceOrderOfMaps) {
  Json a = Build(R"(service "web" {
  image = "web"
  env   = { A = "1", B = "2" }
})");
  Json b = Build(R"(service "web" {
  image = "web"
  env   = { B = "2", A = "1" }
})");
  EXPECT_EQ(a.dump(), b.dump());
}

}  // namespace
}  // namespace nest::testing
