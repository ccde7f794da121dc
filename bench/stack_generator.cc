#include "bench/stack_generator.h"

#include <fmt/format.h>

namespace nest::bench {
namespace {

constexpr int kServicesPerNetwork = 50;

std::string Header(int networks) {
  std::string out = "stack \"bench\" {}\n\n";
  out += "variable \"version\" {\n  type    = string\n  default = \"1.2.3\"\n}\n\n";
  out += "secret \"db_password\" {\n  external = true\n}\n\n";
  for (int n = 0; n < networks; ++n) {
    out += fmt::format(
        "network \"net{0}\" {{\n  driver    = overlay\n  subnet    = 10.{1}.{2}.0/24\n"
        "  internal  = true\n  encrypted = true\n}}\n\n",
        n, 10 + n / 256, n % 256);
  }
  return out;
}

std::string Service(int i) {
  int network = i / kServicesPerNetwork;
  // Each service depends on the one before it in its network: a chain, so
  // the creation order is non-trivial.
  bool first = i % kServicesPerNetwork == 0;
  std::string depends = first ? "" : fmt::format("  depends_on = [service.svc{}]\n", i - 1);
  // The URL of the previous service: an interpolated reference, another edge.
  std::string upstream = first ? "http://gateway.example.com" : fmt::format("http://${{service.svc{}}}:8080", i - 1);
  return fmt::format(
      R"(volume "data{0}" {{}}

service "svc{0}" {{
  image    = "registry.example.com/team/svc{0}:${{var.version}}"
  command  = ["/app/server", "--port", "8080", "--name", "svc{0}"]
  replicas = {1}
  networks = [network.net{2}]
  secrets  = [secret.db_password]
{3}
  env = {{
    NODE_ENV     = "production"
    SERVICE_NAME = "svc{0}"
    UPSTREAM     = "{4}"
    LOG_LEVEL    = "info"
  }}

  port {{
    published = {5}
    target    = 8080
    mode      = host
  }}

  mount {{
    source = volume.data{0}
    target = "/var/lib/svc"
  }}

  healthcheck {{
    test         = ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/health"]
    interval     = 30s
    timeout      = 5s
    retries      = 3
    start_period = 1m
  }}

  resources {{
    cpus           = 0.5
    memory         = 256MiB
    reserve_cpus   = 0.1
    reserve_memory = 64MiB
  }}

  security {{
    read_only         = true
    user              = "1000:1000"
    no_new_privileges = true
    cap_drop          = ["ALL"]
  }}

  deploy "rolling" {{
    parallelism    = 1
    delay          = 10s
    order          = start-first
    failure_action = rollback
  }}
}}

)",
      i, 1 + i % 3, network, depends, upstream, 10000 + i);
}

}  // namespace

std::string GenerateStack(int services) {
  int networks = (services + kServicesPerNetwork - 1) / kServicesPerNetwork;
  std::string out = Header(networks);
  for (int i = 0; i < services; ++i) out += Service(i);
  return out;
}

}  // namespace nest::bench
