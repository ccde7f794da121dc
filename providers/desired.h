// The desired side of the plan: what the config would create, in the same
// canonical shape the providers give the live side.
//
// It is built from the very document `nest compile` writes for the
// platform's target (compiler/emit/compose_document.h), so "plan against a
// file someone deployed with `docker stack deploy`" and "plan against the
// config" are the same thing: on swarm the document goes through
// providers/swarm/convert (what `docker stack deploy` would send) and
// providers/swarm/normalize (what the live side goes through too); on
// compose through providers/compose/normalize.
//
// On swarm the document is built for the Engine API
// (EmitOptions::engine_settings): a network's gateway and range and a
// config's inline content are kept, which the compose format cannot carry,
// so they are compared and apply sets them.
//
// Secret and config contents are never loaded into the state: their Docker
// names carry a hash of the content, and that name is what is compared.
// Values derived from sensitive variables are marked sensitive wherever they
// end up (env, command, labels), so renderers mask them.
#pragma once

#include <optional>
#include <string>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/support/platform.h"
#include "planner/state/state.h"
#include "providers/swarm/convert.h"

namespace nest::plan {

// The desired state of `config` deployed as `stack` on `platform`, sorted by
// address. nullopt when the document cannot be built (an unreadable secret
// file, inline config content on compose): the errors are in
// `diags`, and the caller must not plan (an empty state would delete
// everything). Compile warnings (settings a target cannot express) go to
// `diags` too.
// On swarm, `*specs` (when given) receives the Engine API specs the state
// was normalised from: what apply sends. On compose, `*compose_document`
// (when given) receives the compiled compose document: what apply creates
// the containers from.
std::optional<StackState> BuildDesiredState(const Config& config, Platform platform, const std::string& stack,
                                            Diagnostics& diags, swarm::StackSpecs* specs = nullptr,
                                            nlohmann::ordered_json* compose_document = nullptr);

}  // namespace nest::plan
