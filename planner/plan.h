// A plan: the typed list of changes that would bring the live stack to the
// config, each with an action and a reason (Terraform's planner model).
// Renderers (text, JSON, Markdown) read only this.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planner/state.h"

namespace nest::plan {

enum class Action { kNoOp, kCreate, kUpdate, kReplace, kDelete };
const char* ActionName(Action action);  // "no-op", "create", "update", "replace", "delete"

enum class Reason {
  kNone,
  kNew,                // in the config, not live
  kChanged,            // the config changed attributes
  kDrift,              // live attributes differ from what nest last applied (changed outside nest)
  kForcedReplacement,  // an attribute that cannot change in place differs
  kNotInConfig,        // live, owned by the stack, gone from the config
  kDependencyChanged,  // replaced because something it embeds was replaced (a secret's new name)
};
const char* ReasonName(Reason reason);  // Terraform-style: "replace_because_cannot_update", ...

struct AttributeChange {
  std::string name;
  std::optional<AttributeValue> before;  // nullopt: not set
  std::optional<AttributeValue> after;
  bool forces_replacement = false;
};

struct ResourceChange {
  std::string address;
  ResourceKind kind = ResourceKind::kService;
  std::string docker_name;
  Action action = Action::kNoOp;
  Reason reason = Reason::kNone;
  std::string reason_detail;  // one line for people: "image changed", "scaled outside nest"
  std::optional<ResourceState> before;  // live
  std::optional<ResourceState> after;   // desired
  std::vector<AttributeChange> changes;  // only the attributes that differ
  std::optional<LiveVersion> live_version;
  std::vector<std::string> problems;    // copied from the live object
};

struct Plan {
  std::string stack;
  std::string target;        // "swarm" or "compose"
  std::string config_hash;   // sha256 of the desired state, hex
  std::string engine;        // the endpoint it was computed against
  std::vector<ResourceChange> changes;  // creation order for creates/updates, reverse for deletes
  std::vector<std::string> warnings;

  int Count(Action action) const;
  bool HasChanges() const;
};

}  // namespace nest::plan
