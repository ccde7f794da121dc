#include "bench/stack_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace nest::bench {
namespace {

constexpr int kServicesPerNetwork = 50;

int Networks(int services) { return (services + kServicesPerNetwork - 1) / kServicesPerNetwork; }

using Attributes = std::vector<std::pair<std::string_view, std::string>>;

// `head {`, one `key = value` line per attribute with the `=` aligned (as
// `nest fmt` writes them), `}`; all indented by `indent` spaces.
std::string Block(int indent, std::string_view head, const Attributes& attributes) {
  std::size_t width = 0;
  for (const auto& attribute : attributes) width = std::max(width, attribute.first.size());
  std::string pad(indent, ' ');
  std::string out = fmt::format("{}{} {{\n", pad, head);
  for (const auto& [key, value] : attributes) out += fmt::format("{}  {:<{}} = {}\n", pad, key, width, value);
  return out + pad + "}\n";
}

std::string Header(int services, StackKind kind) {
  bool linked = kind == StackKind::kLinked;
  std::string out = "stack \"bench\" {}\n\n";
  if (linked) {
    out += Block(0, "variable \"version\"", {{"type", "string"}, {"default", "\"1.2.3\""}}) + "\n";
    out += Block(0, "secret \"db_password\"", {{"external", "true"}}) + "\n";
  } else {
    out += Block(0, "secret \"db_password\"", {{"file", "\"db_password.txt\""}}) + "\n";
    out += Block(0, "config \"app\"", {{"file", "\"app.conf\""}}) + "\n";
  }
  for (int n = 0; n < Networks(services); ++n) {
    Attributes network = {{"driver", "overlay"}, {"subnet", fmt::format("10.{}.{}.0/24", 10 + n / 256, n % 256)}};
    if (linked) network.insert(network.end(), {{"internal", "true"}, {"encrypted", "true"}});
    out += Block(0, fmt::format("network \"net{}\"", n), network) + "\n";
  }
  return out;
}

std::string Service(int i, StackKind kind) {
  bool linked = kind == StackKind::kLinked;
  // Linked: each service depends on the one before it in its network (a
  // chain, so the creation order is non-trivial) and interpolates its
  // address (another edge).
  bool first = i % kServicesPerNetwork == 0;
  std::string upstream = first ? "http://gateway.example.com" : fmt::format("http://${{service.svc{}}}:8080", i - 1);

  std::string out = fmt::format("volume \"data{0}\" {{}}\n\nservice \"svc{0}\" {{\n", i);
  out += fmt::format(
      "  image    = \"registry.example.com/team/svc{0}:{1}\"\n"
      "  command  = [\"/app/server\", \"--port\", \"8080\", \"--name\", \"svc{0}\"]\n"
      "  replicas = {2}\n"
      "  networks = [network.net{3}]\n"
      "  secrets  = [secret.db_password]\n",
      i, linked ? "${var.version}" : "1.2.3", 1 + i % 3, i / kServicesPerNetwork);
  if (linked && !first) out += fmt::format("  depends_on = [service.svc{}]\n", i - 1);
  out += "\n";

  Attributes env = {{"NODE_ENV", "\"production\""}, {"SERVICE_NAME", fmt::format("\"svc{}\"", i)}};
  if (linked) env.emplace_back("UPSTREAM", fmt::format("\"{}\"", upstream));
  env.emplace_back("LOG_LEVEL", "\"info\"");
  if (!linked) env.emplace_back("PORT", "\"8080\"");
  Attributes resources = {{"cpus", "0.5"}, {"memory", "256MiB"}};
  if (linked) resources.emplace_back("reserve_cpus", "0.1");
  resources.emplace_back("reserve_memory", "64MiB");
  Attributes security = {{"read_only", "true"}, {"user", "\"1000:1000\""}};
  if (linked) security.emplace_back("no_new_privileges", "true");
  security.emplace_back("cap_drop", "[\"ALL\"]");

  // The service's blocks, in the order they are written, a blank line apart.
  std::vector<std::string> blocks = {Block(2, "env =", env)};
  if (linked) {
    blocks.push_back(
        Block(2, "port", {{"published", std::to_string(10000 + i)}, {"target", "8080"}, {"mode", "host"}}));
  }
  blocks.push_back(Block(2, "mount", {{"source", fmt::format("volume.data{}", i)}, {"target", "\"/var/lib/svc\""}}));
  if (!linked) {
    blocks.push_back(
        Block(2, "config", {{"source", "config.app"}, {"target", "\"/etc/app.conf\""}, {"mode", "\"0444\""}}));
    blocks.push_back(Block(2, "route",
                           {{"host", fmt::format("\"svc{}.example.com\"", i)},
                            {"port", "8080"},
                            {"entrypoints", "[\"websecure\"]"},
                            {"tls", "true"}}));
  }
  blocks.push_back(Block(2, "healthcheck",
                         {{"test", R"(["CMD", "wget", "-qO-", "http://127.0.0.1:8080/health"])"},
                          {"interval", "30s"},
                          {"timeout", "5s"},
                          {"retries", "3"},
                          {"start_period", "1m"}}));
  blocks.push_back(Block(2, "resources", resources));
  if (!linked) {
    blocks.push_back(Block(2, "restart", {{"condition", "on-failure"}, {"delay", "5s"}, {"max_attempts", "3"}}));
    blocks.push_back(Block(2, "placement", {{"constraints", "[\"node.role == worker\"]"}}));
  }
  blocks.push_back(Block(2, "security", security));
  if (!linked) {
    blocks.push_back(Block(2, "logging",
                           {{"driver", "\"json-file\""}, {"options", R"({ "max-size" = "10m", "max-file" = "3" })"}}));
  }
  blocks.push_back(Block(
      2, "deploy \"rolling\"",
      {{"parallelism", "1"}, {"delay", "10s"}, {"order", "start-first"}, {"failure_action", "rollback"}}));
  if (!linked) blocks.push_back(Block(2, "rollback", {{"parallelism", "2"}}));

  for (std::size_t b = 0; b < blocks.size(); ++b) out += (b == 0 ? "" : "\n") + blocks[b];
  return out + "}\n\n";
}

// The compose form of one kProduction service: route as Traefik labels,
// restart, placement, update and rollback under deploy.
std::string ComposeService(int i) {
  return fmt::format(R"(  svc{0}:
    image: registry.example.com/team/svc{0}:1.2.3
    command: ["/app/server", "--port", "8080", "--name", "svc{0}"]
    environment:
      NODE_ENV: production
      SERVICE_NAME: svc{0}
      LOG_LEVEL: info
      PORT: "8080"
    user: "1000:1000"
    read_only: true
    cap_drop: [ALL]
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/health"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 1m
    logging:
      driver: json-file
      options:
        max-size: 10m
        max-file: "3"
    networks: [net{2}]
    volumes:
      - data{0}:/var/lib/svc
    secrets: [db_password]
    configs:
      - source: app
        target: /etc/app.conf
        mode: 0444
    deploy:
      replicas: {1}
      labels:
        traefik.enable: "true"
        traefik.http.routers.bench-svc{0}-0.rule: Host(`svc{0}.example.com`)
        traefik.http.routers.bench-svc{0}-0.entrypoints: websecure
        traefik.http.routers.bench-svc{0}-0.tls: "true"
        traefik.http.routers.bench-svc{0}-0.service: bench-svc{0}
        traefik.http.services.bench-svc{0}.loadbalancer.server.port: "8080"
      resources:
        limits:
          cpus: "0.5"
          memory: 256M
        reservations:
          memory: 64M
      restart_policy:
        condition: on-failure
        delay: 5s
        max_attempts: 3
      placement:
        constraints: [node.role == worker]
      update_config:
        parallelism: 1
        delay: 10s
        order: start-first
        failure_action: rollback
      rollback_config:
        parallelism: 2
)",
                     i, 1 + i % 3, i / kServicesPerNetwork);
}

}  // namespace

std::string GenerateStack(int services, StackKind kind) {
  std::string out = Header(services, kind);
  for (int i = 0; i < services; ++i) out += Service(i, kind);
  return out;
}

std::string GenerateCompose(int services) {
  std::string out = "version: \"3.9\"\n\nservices:\n";
  for (int i = 0; i < services; ++i) out += ComposeService(i);
  out += "\nnetworks:\n";
  for (int n = 0; n < Networks(services); ++n) {
    out += fmt::format("  net{}:\n    driver: overlay\n    ipam:\n      config:\n        - subnet: 10.{}.{}.0/24\n", n,
                       10 + n / 256, n % 256);
  }
  out += "\nvolumes:\n";
  for (int i = 0; i < services; ++i) out += fmt::format("  data{}:\n", i);
  out += "\nsecrets:\n  db_password:\n    file: ./db_password.txt\n";
  out += "\nconfigs:\n  app:\n    file: ./app.conf\n";
  return out;
}

}  // namespace nest::bench
