// Generates large, realistic nest stacks for the benchmarks: N services
// spread over networks of 50, each with env, a health check, resources,
// security, a rolling deploy, a volume and the stack's secret, plus what
// its kind of stack adds.
#pragma once

#include <string>

namespace nest::bench {

enum class StackKind {
  // The validate and plan benchmarks' stack, full of references so the
  // graph has real edges: the image tag from `var.version`, each service
  // depending on the one before it in its network (depends_on and an
  // interpolated UPSTREAM url); also an external secret, encrypted internal
  // networks and a host port per service.
  kLinked,
  // The compile benchmark's stack: what a production swarm service carries
  // besides: a config, a Traefik route, a restart policy, placement, logging
  // and a rollback. The secret and the config are read from db_password.txt
  // and app.conf beside the stack (the caller writes them). GenerateCompose
  // writes the same stack as a compose file.
  kProduction,
};

// One .nest file's text holding the whole stack.
std::string GenerateStack(int services, StackKind kind = StackKind::kLinked);

// A compose file (3.9) with the same services, networks, volumes, secret and
// config as GenerateStack(services, StackKind::kProduction) compiles to, for
// `docker stack config` (it reads the same two files beside it).
std::string GenerateCompose(int services);

}  // namespace nest::bench
