// The canary strategy of a compose service (`deploy "canary"`, which apply
// reads back from the spec's nest.deploy.* container labels): the new spec
// runs in extra containers beside the stable ones, which are not touched
// before the promotion.
//
// Compose has no service VIP: a service's DNS name is the network alias
// every one of its containers carries. A canary container joins the
// service's networks with the same aliases, so the name resolves to stable
// and canary containers alike, and the canary's share of the requests (of
// clients that resolve per request) follows its share of the containers.
//
// Canary containers are named PROJECT_SERVICE_canary_K (K from 1, as
// Compose names its one-off containers PROJECT_SERVICE_run_ID) and labelled
// nest.canary.of=SERVICE, nest.canary.step=I, com.docker.compose.project,
// .oneoff=False, .config-hash (the new spec's) and .version, but carry no
// com.docker.compose.service and no .container-number. docker-compose 1.29
// finds a service's containers by the service label and numbers its next
// container after the highest container-number: with either label a canary
// would be taken for one of the service's own replicas (listed by `ps`,
// recreated by `up`). Without them, Compose sees a container of the project
// that belongs to no service: `ps` leaves it out, `up` warns about an
// orphan, `down --remove-orphans` removes it. nest's own listing of a
// service's containers (the rollout, the convergence check) is by the
// service label too, so it never sees them; the live read sets them aside
// (normalize.cc).
//
// The run, inside the service's update step:
// 1. canary containers left by a killed run are removed;
// 2. each step of p% (< 100): k = providers::CanaryReplicas(N, p) canary
//    containers beside the N running stable ones (k/(N+k) ~ p), waited
//    for until running and healthy, then observed for the analysis' window
//    (else the step's pause, else 10 s): every sample checks min_healthy
//    (default 100%) over the canary containers and the MetricAnalysis;
//    then the rest of the pause is held. A step without pause goes on at
//    once (the manual gate, --promote/--abort, is not there yet on Compose);
// 3. promotion (a step of 100%, or after the last step): the stable
//    containers are replaced rolling (RollOutService, the service's own
//    rolling settings) while the canary keeps serving; then the canary
//    containers are taken off their networks, stopped and removed.
// Abort (a failed wait or check, the deadline, Ctrl-C): the canary
// containers are removed, the stable ones untouched (the same containers);
// the error names the step and the failed check with its measured value.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/config/config.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/support/result.h"
#include "planner/provider.h"
#include "providers/compose/container_spec.h"
#include "providers/compose/labels.h"
#include "providers/compose/rollout_settings.h"
#include "providers/deploy_strategy.h"
#include "providers/engine/client.h"

namespace nest::compose {

// "shop_web_canary_1".
std::string CanaryContainerName(const std::string& project, const std::string& service, int number);

// The update of a service whose spec asks for a canary. A change that
// replaces no running container (a first create, a scale, a restart of
// stopped ones) is the plain rollout.
Status RollOutCanary(engine::EngineClient& client, const std::string& project, const ContainerSpec& spec,
                     const providers::DeployStrategy& strategy, const RolloutSettings& settings,
                     const plan::StepContext& context);

// Removes every canary container of the service: each is taken off its
// networks first (the service name stops resolving to it), then stopped
// with the spec's grace period and removed.
Status RemoveCanaryContainers(engine::EngineClient& client, const std::string& project, const std::string& service,
                              int grace_seconds, const plan::StepContext& context);

// Plan time: a canary needs its containers beside the stable ones, which a
// service publishing a fixed host port cannot have (one port, one
// container): an error naming the port. Also refuses nest.deploy.* labels
// apply could not read. False when there was an error.
bool CheckCanaryServices(const Config& config, const nlohmann::ordered_json& document,
                         const std::map<std::string, RolloutSettings>& rollouts, Diagnostics& diags);

}  // namespace nest::compose
