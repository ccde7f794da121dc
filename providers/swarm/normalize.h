// Engine object JSON -> canonical ResourceState, for BOTH sides of the diff:
// the specs convert.h builds from the compose document (desired) and the
// objects GET /services, /networks, /secrets, /configs and /volumes return
// (live) go through the same functions, so every normalisation the daemon
// does (docker-engine-facts §4) is undone in one place and the two sides
// agree by construction.
//
// Attributes use compose-like names ("image", "environment", "replicas",
// "update_config", ...); what each holds and why is in docs/plan.md.
// Defaults are filled and then dropped (an UpdateConfig with the daemon's
// defaults is the same as none), empty values are never stored, lists whose
// order Docker ignores are sorted, network IDs become names. Bookkeeping
// labels (IsBookkeepingLabel) are read into address, spec_hash,
// managed and stack_label, never into attributes. Secret data is never read
// (Docker does not return it); config data, when present, is ignored: both
// names carry a content hash.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "planner/state/state.h"
#include "providers/swarm/convert.h"

namespace nest::swarm {

inline constexpr const char* kStackLabel = "com.docker.stack.namespace";
inline constexpr const char* kStackImageLabel = "com.docker.stack.image";
inline constexpr const char* kAddressLabel = "nest.address";
inline constexpr const char* kSpecHashLabel = "nest.spec-hash";

// com.docker.stack.namespace, com.docker.stack.image, nest.address,
// nest.spec-hash and a blue-green colour's nest.bluegreen.* (blue_green_colours.h):
// labels that say who owns an object, not how it behaves
// (nest.autoscale.* and nest.deploy.* are settings, and compared).
bool IsBookkeepingLabel(std::string_view key);

struct NormalizeContext {
  std::string stack;
  // Network ID -> name: the daemon stores TaskTemplate.Networks[].Target as
  // an ID whatever was sent. Targets not found here are kept as they are.
  std::map<std::string, std::string> network_names;
  // The swarm's default address pool (GET /swarm DefaultAddrPool,
  // SubnetSize): an overlay subnet of that size inside the pool was chosen
  // by Docker, so it is not compared (docs/plan.md).
  std::vector<std::string> default_address_pool = {"10.0.0.0/8"};
  int subnet_size = 24;
};

// `spec` is a ServiceSpec (GET /services[].Spec, or convert's output).
plan::ResourceState NormalizeService(const nlohmann::json& spec, const NormalizeContext& context);
// A network as GET /networks lists it, or a POST /networks/create body.
plan::ResourceState NormalizeNetwork(const nlohmann::json& network, const NormalizeContext& context);
// A volume as GET /volumes lists it (Options), or a create body (DriverOpts).
plan::ResourceState NormalizeVolume(const nlohmann::json& volume, const NormalizeContext& context);
// A SecretSpec / ConfigSpec (GET /secrets[].Spec); Data is never looked at.
plan::ResourceState NormalizeSecret(const nlohmann::json& spec, const NormalizeContext& context);
plan::ResourceState NormalizeConfig(const nlohmann::json& spec, const NormalizeContext& context);

// The desired side: every object convert.h built, normalised, sorted by
// address. External networks are not part of it (nest never owns them).
plan::StackState StateFromSpecs(const StackSpecs& specs);

// The address of an object nest did not label: "<stack>_app" -> "service.app"
// (names outside the stack keep their whole name: "service.other_app").
std::string AddressFromName(ResourceKind kind, std::string_view docker_name, std::string_view stack);

// Capability names as Docker's EffectiveCapAddCapDrop writes them:
// "net_admin" -> "CAP_NET_ADMIN", "ALL" stays.
std::string NormalizeCapability(std::string_view capability);

}  // namespace nest::swarm
