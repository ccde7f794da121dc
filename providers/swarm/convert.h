// A compose document (the model `nest compile --target swarm` writes as
// YAML, compiler/emit/compose_document.h) -> the Engine API objects
// `docker stack deploy` would create from that file, the way docker/cli's
// cli/compose/convert does it (docker-engine-facts §6): names
// "<stack>_<key>" unless `name:` is set, com.docker.stack.namespace on every
// object and com.docker.stack.image on services, the service's short name
// added to its aliases on every network, env and secrets sorted, secret
// files owned "0"/"0" with mode 0444 unless set, UpdateConfig parallelism 1
// when the block is present, and so on.
//
// These are the desired side of the plan (through normalize.h) and what
// apply will send. Secret and config data are never read here: specs carry
// no Data, only the file they come from (or a config's inline content); the
// content hash is in the name.
//
// docker stack deploy passes only a network's subnet on. A document nest
// built for the Engine API also carries `gateway` and `ip_range`, which its
// 3.x schema would refuse: they become the IPAM config's Gateway and
// IPRange (what `nest apply` sets directly).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nest::swarm {

struct FileObjectSpec {
  std::string key;      // the compose key: "db_password"
  nlohmann::json spec;  // SecretSpec / ConfigSpec without Data
  std::string file;     // `file:` as written (relative to the compose file)
  // A config's inline `content:`, the data itself, when the document has it
  // (a document built for the Engine API, EmitOptions::engine_settings).
  std::optional<std::string> content;
};

struct StackSpecs {
  std::string stack;
  // POST /networks/create bodies, by Name; only networks the stack creates
  // (external ones are used by name, in external_networks).
  std::vector<nlohmann::json> networks;
  std::vector<std::string> external_networks;
  // POST /volumes/create bodies. Swarm nodes create these lazily from the
  // services' mount options; the body is what they end up with.
  std::vector<nlohmann::json> volumes;
  std::vector<FileObjectSpec> secrets;
  std::vector<FileObjectSpec> configs;
  // ServiceSpecs, by Name. SecretID / ConfigID are left empty: apply looks
  // them up by name, as the CLI does.
  std::vector<nlohmann::json> services;
  // Keys docker stack deploy ignores or refuses, as "service app: security_opt",
  // and values that are not valid compose syntax (left out of the specs), as
  // "service app: interval: `1d` is not a duration: unknown unit `d` ...".
  std::vector<std::string> warnings;
};

// `stack` scopes the names. The document's declared networks are all
// converted, used by a service or not (docker stack deploy skips unused
// ones; nest creates what the config declares). A service without networks
// joins "<stack>_default", which is then part of `networks`.
StackSpecs ConvertComposeDocument(const nlohmann::ordered_json& document, const std::string& stack);

}  // namespace nest::swarm
