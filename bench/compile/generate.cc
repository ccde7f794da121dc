// Writes one benchmark stack twice: as a nest folder and as the equivalent
// compose file, for `bench/compile/run`.
//
//   nest_bench_compile_gen N DIR
//     DIR/stack/main.nest            N services (nest)
//     DIR/compose/docker-compose.yml the same N services (compose 3.9)
//
// Every service carries what a real swarm service does: env, a health
// check, resources, a restart policy, placement, logging, hardening, a
// rolling update and rollback, a Traefik route, a volume, a secret, a config.
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
constexpr int kServicesPerNetwork = 50;

std::string NestStack(int services) {
  int networks = (services + kServicesPerNetwork - 1) / kServicesPerNetwork;
  std::string out = "stack \"bench\" {}\n\n";
  out += "secret \"db_password\" {\n  file = \"db_password.txt\"\n}\n\n";
  out += "config \"app\" {\n  file = \"app.conf\"\n}\n\n";
  for (int n = 0; n < networks; ++n)
    out += fmt::format("network \"net{}\" {{\n  driver = overlay\n  subnet = 10.{}.{}.0/24\n}}\n\n", n,
                       10 + n / 256, n % 256);
  for (int i = 0; i < services; ++i) {
    out += fmt::format(R"(volume "data{0}" {{}}

service "svc{0}" {{
  image    = "registry.example.com/team/svc{0}:1.2.3"
  command  = ["/app/server", "--port", "8080", "--name", "svc{0}"]
  replicas = {1}
  networks = [network.net{2}]
  secrets  = [secret.db_password]

  env = {{
    NODE_ENV     = "production"
    SERVICE_NAME = "svc{0}"
    LOG_LEVEL    = "info"
    PORT         = "8080"
  }}

  mount {{
    source = volume.data{0}
    target = "/var/lib/svc"
  }}

  config {{
    source = config.app
    target = "/etc/app.conf"
    mode   = "0444"
  }}

  route {{
    host        = "svc{0}.example.com"
    port        = 8080
    entrypoints = ["websecure"]
    tls         = true
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
    reserve_memory = 64MiB
  }}

  restart {{
    condition    = on-failure
    delay        = 5s
    max_attempts = 3
  }}

  placement {{
    constraints = ["node.role == worker"]
  }}

  security {{
    read_only = true
    user      = "1000:1000"
    cap_drop  = ["ALL"]
  }}

  logging {{
    driver  = "json-file"
    options = {{ "max-size" = "10m", "max-file" = "3" }}
  }}

  deploy "rolling" {{
    parallelism    = 1
    delay          = 10s
    order          = start-first
    failure_action = rollback
  }}

  rollback {{
    parallelism = 2
  }}
}}

)",
                       i, 1 + i % 3, i / kServicesPerNetwork);
  }
  return out;
}

std::string ComposeFile(int services) {
  int networks = (services + kServicesPerNetwork - 1) / kServicesPerNetwork;
  std::string out = "version: \"3.9\"\n\nservices:\n";
  for (int i = 0; i < services; ++i) {
    out += fmt::format(R"(  svc{0}:
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
  out += "\nnetworks:\n";
  for (int n = 0; n < networks; ++n)
    out += fmt::format("  net{}:\n    driver: overlay\n    ipam:\n      config:\n        - subnet: 10.{}.{}.0/24\n", n,
                       10 + n / 256, n % 256);
  out += "\nvolumes:\n";
  for (int i = 0; i < services; ++i) out += fmt::format("  data{}:\n", i);
  out += "\nsecrets:\n  db_password:\n    file: ./db_password.txt\n";
  out += "\nconfigs:\n  app:\n    file: ./app.conf\n";
  return out;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: nest_bench_compile_gen SERVICES DIR\n");
    return 1;
  }
  int services = std::stoi(argv[1]);
  fs::path dir = argv[2];
  for (const char* side : {"stack", "compose"}) {
    Write(dir / side / "db_password.txt", "bench-only-password\n");
    Write(dir / side / "app.conf", "listen 8080;\n");
  }
  Write(dir / "stack" / "main.nest", NestStack(services));
  Write(dir / "compose" / "docker-compose.yml", ComposeFile(services));
  return 0;
}
