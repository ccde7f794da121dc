// The two colours of a blue-green service on Swarm, as labels and spec
// edits: the pure half of blue_green.h, shared with the live read (read.cc).
//
// A blue-green service runs as one or two Swarm services: `<docker_name>`
// and `<docker_name>-green`, alternating. Each carries
//   nest.bluegreen.of=<docker_name>     the config's service it is a colour of
//   nest.bluegreen.role=live|preview|previous
//   nest.bluegreen.expires=<RFC 3339>   previous only: when the next apply removes it
// The production name is the service's short name as a network alias
// ("web"): the live colour has it; a colour being verified has `web-preview`
// instead, the kept previous colour `web-previous`. A service that never had
// a blue-green update carries none of these labels and is its own live colour.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "planner/state/state.h"

namespace nest::swarm {

inline constexpr const char* kColourOfLabel = "nest.bluegreen.of";
inline constexpr const char* kColourRoleLabel = "nest.bluegreen.role";
inline constexpr const char* kColourExpiresLabel = "nest.bluegreen.expires";

enum class ColourRole { kNone, kLive, kPreview, kPrevious };
const char* ColourRoleName(ColourRole role);  // "", "live", "preview", "previous"

struct Colour {
  ColourRole role = ColourRole::kNone;
  std::string of;  // the config's docker name; empty for kNone
  std::optional<std::chrono::system_clock::time_point> expires;  // previous only
};

// From a service spec's Labels (an object of strings); kNone without the
// role label.
Colour ColourOf(const nlohmann::json& labels);

// The colour beside `live_name`: `<of>-green` when the live one is `<of>`,
// else `<of>`.
std::string OtherColourName(const std::string& live_name, const std::string& of);

// Routed: Traefik routes to it (a traefik.* label, traefik.enable not "false").
bool IsRouted(const nlohmann::json& labels);

// The alias clients use: the short service name docker stack deploy gives
// every network attachment ("web" of "shop_web" in stack "shop").
std::string ProductionAlias(const nlohmann::json& spec);

// Replaces the alias `from` by `to` on every network attachment of the
// service spec's task template. Returns whether any attachment had it.
bool ReplaceAlias(nlohmann::json& spec, const std::string& from, const std::string& to);

// Sets the colour's labels on a service spec (role, of; expires when set,
// else removed).
void SetColourLabels(nlohmann::json& spec, const std::string& of, ColourRole role,
                     std::optional<std::chrono::system_clock::time_point> expires = std::nullopt);

// The live read of one service spec that is a colour (ColourOf is not
// kNone), given its normalised state `r`. Returns false when the colour is
// not a resource of the plan (a previous colour before it expires). Else
// adjusts `r`: the live colour takes the config's docker name, so the plan
// compares it with the config's service and never plans a rename (updates
// and deletes go to its ID, which `r.version` keeps); an expired previous
// colour, or a preview an apply left behind, becomes a resource of its own
// ("service.web#previous", "service.web#preview"), which the plan deletes,
// with a problem saying why.
bool MapColour(const nlohmann::json& spec, std::chrono::system_clock::time_point now, plan::ResourceState& r);

}  // namespace nest::swarm
