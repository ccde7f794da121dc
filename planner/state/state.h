// The state the planner compares: one ResourceState per Docker object, the
// same shape for what the config wants (desired) and what the engine has
// (live). Providers turn Engine API objects into it, the desired side is
// built from the compiled stack, and the diff only ever sees this shape, so
// every normalisation lives in one place per side.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/support/resource_kind.h"

namespace nest::plan {

// One attribute's value, already canonical: scalars as text (durations as
// "30s", sizes in bytes, booleans "true"/"false"), lists and maps in a stable
// order where Docker's order carries no meaning (env by key, networks by name).
// Two AttributeValues are equal exactly when Docker would behave the same.
struct AttributeValue {
  enum class Kind { kScalar, kList, kMap } kind = Kind::kScalar;
  std::string scalar;
  std::vector<AttributeValue> list;
  std::map<std::string, AttributeValue> map;
  bool sensitive = false;  // rendered as (sensitive value), never printed
  // A scalar as people write it in nest, when that differs from the
  // canonical text: "1GiB" for the size 1073741824. How to show the value,
  // not what it is: not compared, not hashed. Empty for most values.
  std::string display;

  // Compares kind and content; `sensitive` and `display` are how to show a
  // value, not what it is, so they take no part.
  bool operator==(const AttributeValue& other) const;
  static AttributeValue Scalar(std::string text, bool sensitive = false);
  static AttributeValue List(std::vector<AttributeValue> items, bool sensitive = false);
  static AttributeValue Map(std::map<std::string, AttributeValue> entries, bool sensitive = false);
  // True when this value or anything inside it is sensitive.
  bool ContainsSensitive() const;
};

// What identifies one live version of an object, so apply can refuse a plan
// computed against something that has since moved.
struct LiveVersion {
  std::string id;            // Docker object ID (or container IDs, comma separated)
  std::uint64_t index = 0;   // Swarm Version.Index; 0 where there is none
  bool operator==(const LiveVersion&) const = default;
};

struct ResourceState {
  std::string address;       // "service.app"; for unknown live objects "service.<name>"
  ResourceKind kind = ResourceKind::kService;
  std::string docker_name;   // "medianest_app", "medianest_db_password_3f2a9c1b0e"
  // Attributes by name (top-level keys like "image", "replicas", "env").
  std::map<std::string, AttributeValue> attributes;
  // Attributes whose change cannot be applied in place (Docker refuses, or
  // the object is immutable): a change to one of them means replace.
  std::vector<std::string> force_new;
  // Desired only: the addresses this resource depends on (references and
  // `depends_on` in the config, limited to resources of this state), sorted.
  // Not part of StateHash: an edge changes the order of apply, not its result.
  std::vector<std::string> depends_on;
  // Live only.
  std::optional<LiveVersion> version;
  bool managed = false;      // carries nest's address label
  bool stack_label = false;  // carries the stack label (com.docker.stack.namespace)
  // Desired: the hash of the canonical spec nest writes into the `nest.spec-hash`
  // label. Live: that label's value, empty when absent. Equal hashes with
  // different attributes mean the object was changed outside nest (drift).
  std::string spec_hash;
  std::vector<std::string> problems;  // half-broken objects: "image not found", "no address label"
  // Live services only: the engine is still rolling out an earlier change
  // ("an update is in progress on the engine"); empty when settled. Not
  // part of StateHash: it says where the engine is, not what it will run.
  std::string in_progress;
};

struct StackState {
  std::string stack;
  std::vector<ResourceState> resources;  // sorted by address
  // Live only: problems that belong to no resource, e.g. a plain container
  // carrying the stack label. Shown as warnings, never planned.
  std::vector<std::string> problems;
  // nullptr when absent. Binary search; falls back to a scan when unsorted.
  const ResourceState* Find(const std::string& address) const;
};

// sha256 (lower-case hex) of a canonical encoding of the whole state: stack
// name, and per resource its address, kind, Docker name, spec hash,
// attributes and force_new. Sensitive values enter only as "a sensitive
// value of this kind is here", never their content, so the hash can be
// published (plan JSON, PR comments) without offering a password to
// offline guessing. Their content is covered by SensitiveHash.
std::string StateHash(const StackState& state);

// sha256 (lower-case hex) of every sensitive value with its path; "" when
// the state holds none. Kept only in saved plan files (mode 0600) so apply
// notices a changed secret; never printed.
std::string SensitiveHash(const StackState& state);

}  // namespace nest::plan
