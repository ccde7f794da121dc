// Internal to compiler/emit: one builder per kind of compose entry.
#pragma once

#include <array>
#include <vector>

#include "compiler/emit/emit_context.h"
#include "compiler/emit/target.h"

namespace nest::emit {

// The document's sections, in the order they are written.
inline constexpr std::array<const char*, 5> kSectionNames = {"services", "networks", "volumes", "secrets",
                                                            "configs"};

// The context for one document: the stack name, the output folder, the
// stack labels, and the Docker name of every network, volume, secret and
// config (secret and config files are read and hashed here; an unreadable
// one is NEST-E070 in `diags`).
Context MakeContext(const Config& config, const EmitOptions& options, Diagnostics& diags);

// One entry of the document: a resource, its section (an index into
// kSectionNames), and whether it is the first of its section.
struct DocumentEntry {
  const Resource* resource;
  int section;
  bool first_in_section;
};
// Every resource in the order of the document: by section, then by name.
std::vector<DocumentEntry> DocumentOrder(const Config& config);

// The compose entry of one resource, with its warnings (NEST-W082 for
// sensitive values, NEST-W080 for what the target cannot express). Its
// spec-hash label, if it has one, is still empty: ctx.spec_hash_label points
// to it, for AppendEntry or BuildHashedEntry to fill in.
Json BuildEntry(Context& ctx, const Resource& r);

// Builds `r`'s entry and appends it to `out` as a `name: entry` item of a
// section (two spaces in), spec hash included. The hash is computed over the
// entry's text as written, so each entry is written once.
void AppendEntry(Context& ctx, const Resource& r, std::string& out);
// The same entry as a model, spec hash included (for the planner).
Json BuildHashedEntry(Context& ctx, const Resource& r);

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
// Sorts the labels and adds nest.spec-hash with an empty value, pointed to by
// ctx.spec_hash_label: it is filled in once the entry is written (SpecHash).
void AddSpecHashLabel(Context& ctx, Json& labels);

// NEST-W082 for every sensitive value in `r`'s body that ends up in the file.
void WarnSensitive(Context& ctx, const Resource& r);

}  // namespace nest::emit
