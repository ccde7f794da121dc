// The blue-green update of one Swarm service, run by SwarmApplier::Update
// when the desired spec's nest.deploy.* labels ask for it and the change
// touches the tasks (docs/apply-swarm.md#blue-green; the colours and their
// labels: blue_green_colours.h).
//
//   1. The new colour: the desired spec as a second service beside the live
//      one (`<docker_name>-green`, or `<docker_name>` when green is live),
//      reachable only under `<name>-preview`, never the production alias.
//      A routed service's new colour also has traefik.enable=false.
//   2. Verify: converged, then healthy for `verify` (default 10 s): every
//      second min_healthy (default 100%) over its tasks (a running task is a
//      healthy one: Swarm keeps a task with a health check `starting` until
//      it passes) and, when the analysis has metric checks,
//      MetricAnalysis::Sample() at its interval. A failure removes the new
//      colour and names the check; the live colour was never touched.
//   3. The switch. Unrouted: the new colour takes the production alias, then
//      the old one gives it up for `<name>-previous` (both task-template
//      changes: each colour's tasks restart, all in one batch, in its own
//      start-first or stop-first order; for the moment between the two,
//      both colours serve the name). Routed: only
//      labels change (Traefik's), which restarts no task.
//   4. The old colour is kept as it was scaled, labelled previous with
//      nest.bluegreen.expires = now + keep_previous (no keep_previous: it is
//      removed at once). apply does not wait for the expiry: a later apply
//      removes it (the live read plans its delete).
// An update whose desired spec has the kept previous colour's spec hash is
// a switch back: step 3 at once, no new colour, no verify (`nest rollback`
// inside keep_previous). An interrupt or a passed deadline before the switch
// removes the new colour.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "compiler/support/result.h"
#include "planner/plan.h"
#include "planner/provider.h"
#include "providers/deploy_strategy.h"
#include "providers/engine/client.h"
#include "providers/swarm/convert.h"

namespace nest::swarm {

// The blue-green strategy when the update must run as one: the desired
// spec's labels ask for blue-green and the change touches the tasks (not
// only replicas, labels or update settings). nullopt: a plain update. An
// error: the strategy labels do not read.
Result<std::optional<providers::DeployStrategy>> BlueGreenFor(const plan::ResourceChange& change,
                                                              const nlohmann::json& desired);

// Whether the update step of `change` ran as blue-green (BlueGreenFor over
// its spec in `specs`): it waited for its colours itself.
bool RanAsBlueGreen(const plan::ResourceChange& change, const StackSpecs& specs);

// Runs the blue-green update of `change` with the `desired` spec (file
// references resolved, the planned replicas in). The live colour is the
// plan's live version (its ID).
Status ApplyBlueGreen(engine::EngineClient& client, const plan::ResourceChange& change, nlohmann::json desired,
                      const providers::DeployStrategy& strategy, const plan::StepContext& context);

// A plain update of a colour (replicas, labels): the body keeps the live
// colour's name and its nest.bluegreen.* labels (Swarm cannot rename a
// service), and a routed colour's alias.
void KeepColour(const nlohmann::json& live_spec, nlohmann::json& body);

}  // namespace nest::swarm
