// Internal to compiler/emit: one builder per kind of compose entry.
#pragma once

#include "compiler/emit/emit_context.h"

namespace nest::emit {

Json BuildService(Context& ctx, const Resource& service);
Json BuildNetwork(Context& ctx, const Resource& network);
Json BuildVolume(Context& ctx, const Resource& volume);
// A secret or a config. `content_hash` is the short hash of the file's
// content (empty for external objects).
Json BuildFileObject(Context& ctx, const Resource& object);

// Traefik v2 labels for the service's `route` blocks (empty when none).
Json RouteLabels(Context& ctx, const Resource& service);

// Labels nest adds for policies the target has no key for: `autoscale`
// and the non-rolling deploy strategies.
void AutoscaleLabels(const Value& autoscale, Json& labels);
void StrategyLabels(const Value& deploy, Json& labels);

// Adds nest.address and stack labels common to every object.
void OwnershipLabels(const Context& ctx, const Resource& r, Json& labels);
// Adds nest.spec-hash computed over `entry` (with `labels` already inside it)
// and the Docker names `r` refers to, then sorts the labels.
void AddSpecHash(const Context& ctx, const Resource& r, Json& entry, Json& labels);

// NEST-W082 for every sensitive value in `r`'s body that ends up in the file.
void WarnSensitive(Context& ctx, const Resource& r);

}  // namespace nest::emit
