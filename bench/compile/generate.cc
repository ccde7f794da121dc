// Writes one benchmark stack twice: as a nest folder and as the equivalent
// compose file, for `bench/compile/run`.
//
//   nest_bench_compile_gen N DIR
//     DIR/stack/main.nest            N services (nest)
//     DIR/compose/docker-compose.yml the same N services (compose 3.9)
//
// The stack is bench/stack_generator's kProduction kind: every service
// carries what a real swarm service does (env, a health check, resources, a
// restart policy, placement, logging, hardening, a rolling update and
// rollback, a Traefik route, a volume, a secret, a config).
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>

#include "bench/stack_generator.h"

namespace {

namespace fs = std::filesystem;

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
  Write(dir / "stack" / "main.nest", nest::bench::GenerateStack(services, nest::bench::StackKind::kProduction));
  Write(dir / "compose" / "docker-compose.yml", nest::bench::GenerateCompose(services));
  return 0;
}
