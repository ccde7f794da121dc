// Internal to providers/swarm/convert*: reading the compose document model
// and the pieces of a ServiceSpec each file of the conversion builds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nest::swarm::convert_parts {

using Doc = nlohmann::ordered_json;
using nlohmann::json;

// The service being converted and where its refusals go. A value that is not
// valid compose syntax (a duration "1d", a port "80/xyz", a command with an
// unterminated quote) is left out of the spec and reported in
// StackSpecs::warnings as "service app: `1d` is not a duration: ...":
// docker stack deploy would refuse the file.
struct Refusals {
  const std::string& service;
  std::vector<std::string>& warnings;
  void Refuse(std::string_view key, const std::string& message) const;
};

// ---- reading the document (convert_fields.cc) ---------------------------------

// The member `key` of an object, nullptr when absent or null.
const Doc* Field(const Doc& object, const char* key);
// A member as compose text (ScalarText), "" when absent.
std::string Text(const Doc& object, const char* key);
bool Flag(const Doc& object, const char* key);
// A list of scalars, or one scalar, as text.
std::vector<std::string> Strings(const Doc* value);
// A compose mapping written as a map or as a "k=v" list.
std::map<std::string, std::string> Mapping(const Doc* value, char separator = '=');
json MapJson(const std::map<std::string, std::string>& map);
json WithStackLabel(std::map<std::string, std::string> labels, const std::string& stack);
std::string Scope(const std::string& stack, const std::string& name);
// `name:` of a top-level object, else the scoped key.
std::string ObjectName(const Doc& document, const char* section, const std::string& key, const std::string& stack);
// A duration member in nanoseconds; nullopt when absent or refused.
std::optional<std::int64_t> DurationOf(const Doc& object, const char* key, const Refusals& refusals);

// ---- ports (convert_ports.cc) ---------------------------------------------------

// The EndpointSpec: `deploy.endpoint_mode` and the service's ports, short and
// long form, sorted as swarm.PortConfig.Compare does.
json EndpointSpec(const Doc& service, const Doc* deploy, const Refusals& refusals);

// ---- mounts, secrets and configs (convert_mounts.cc) ---------------------------------

// The Mounts of a service, from `volumes:` (short and long form).
json Mounts(const Doc& document, const Doc& service, const std::string& stack, const Refusals& refusals);
// The Secrets or Configs references of a service.
json FileReferences(const Doc& document, const Doc* list, const char* section, const char* name_key,
                    const std::string& stack);

}  // namespace nest::swarm::convert_parts
