// When a container answers to its service's name: the step of a rolling
// replacement that keeps a client that resolves `SERVICE` from ever being
// sent to a container that cannot answer.
//
// Docker's embedded DNS on a plain engine resolves a service name to every
// endpoint that carries it as an alias, from the moment the endpoint exists
// until it is deleted. Measured under load (docs/apply-compose.md):
// - a container started with the alias is in DNS before it is reachable: a
//   request resolved then stalls a second (a SYN retransmission) or is
//   refused;
// - a disconnect removes the interface before the record: a request
//   resolved in between hangs until the client gives up.
// No API changes an endpoint's aliases in place, so nest recreates the
// endpoint: disconnect, then connect again at once with the other aliases.
// The bridge's address pool hands out the lowest free address, so the
// container gets its address back (and its MAC, which Docker derives from
// it): its open connections and the SYNs clients send it meanwhile carry
// on after the few milliseconds it was off the network. Where it comes
// back elsewhere (a lower address was free, or another container connected
// at that instant) the progress line says so; it is not an error, and no
// worse than a plain disconnect.
#pragma once

#include <string>
#include <vector>

#include "compiler/support/result.h"
#include "planner/provider.h"
#include "providers/compose/container_spec.h"
#include "providers/engine/client.h"

namespace nest::compose {

// The spec's network attachments without their aliases: how a new
// container is created and started, so that it answers only to its own
// name until it serves.
ContainerSpec WithoutServiceAliases(const ContainerSpec& spec);

// Gives a running container the spec's aliases on each of the spec's
// networks where it lacks them (a container started by
// WithoutServiceAliases, or left so by a killed apply).
Status JoinServiceName(engine::EngineClient& client, const ContainerSpec& spec, const std::string& id,
                       const std::string& name, const plan::StepContext& context);

// The same with the attachments given (an old container's, as it had them).
Status JoinServiceName(engine::EngineClient& client, const std::vector<NetworkAttachment>& attachments,
                       const std::string& id, const std::string& name, const plan::StepContext& context);

// The container's endpoints as it could be given them again: per network its
// aliases (without the short ID the daemon adds), fixed address and links.
Result<std::vector<NetworkAttachment>> CurrentAttachments(engine::EngineClient& client, const std::string& id,
                                                          const std::string& name);

// Whether the container carries the spec's aliases on all of its networks.
Result<bool> AnswersToServiceName(engine::EngineClient& client, const ContainerSpec& spec, const std::string& id,
                                  const std::string& name);

// Takes every alias off the container's endpoints, keeping it on its
// networks: clients stop resolving the service name to it while it still
// answers the requests they sent it. The step before an old container's
// stop.
Status LeaveServiceName(engine::EngineClient& client, const std::string& id, const std::string& name,
                        const plan::StepContext& context);

}  // namespace nest::compose
