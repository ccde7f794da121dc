// A plan: the typed list of changes that would bring the live stack to the
// config, each with an action and a reason (Terraform's planner model).
// Renderers (text, JSON, Markdown) read only this.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "planner/state/state.h"

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
// Terraform-style names for every reason: "create_because_missing",
// "update_because_config_changed", "update_because_changed_outside",
// "replace_because_cannot_update", "delete_because_no_resource_config",
// "update_because_dependency_replaced"; "none" for kNone.
const char* ReasonName(Reason reason);
// The `action_reason` Terraform itself defines for this reason, or nullptr
// when Terraform has none (ordinary creates and updates carry none).
const char* TerraformActionReason(Reason reason);

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
  // kReplace only: create the new object before deleting the old one (secrets
  // and configs, whose new name differs, so services can move first); false
  // means delete, then create.
  bool create_before_destroy = false;
  // The addresses whose changes apply must finish before this one, sorted.
  // In the config (create, update, replace, no-op): what the resource depends
  // on. A delete: the services whose live objects use the deleted object and
  // that are deleted, updated or replaced here (they must let go of it first).
  // A create-before-destroy replace also lists the deleted services still
  // using its old object.
  std::vector<std::string> depends_on;
  // The live object differs from what nest last applied, or was made
  // outside nest: the change undoes someone's manual change.
  bool drift = false;
  // The engine is still rolling out an earlier change of this live object
  // (ResourceState::in_progress: an apply killed mid-update, say). A no-op
  // with it set is still a step of apply, a wait for that rollout, so apply
  // never reports success while the engine is mid-way.
  std::string engine_in_progress;
};

// Terraform's counting: a replace is one to add and one to destroy.
struct PlanSummary {
  int add = 0;
  int change = 0;
  int destroy = 0;
};

// The parts of an address: "module.db.service.postgres" has the module
// address "module.db" and the name "postgres"; "service.app": "" and "app".
std::string AddressModule(const std::string& address);
std::string AddressName(const std::string& address);

struct Plan {
  std::string stack;
  std::string target;        // "swarm" or "compose"
  std::string config_hash;   // StateHash of the desired state
  std::string sensitive_hash;  // SensitiveHash of the desired state: saved plans only, never rendered
  std::string engine;        // the endpoint it was computed against
  // Saved plans: the stack folder (or file) it was computed from, absolute,
  // so `nest apply PLANFILE` loads the same config (and checks its hash).
  std::string source;
  std::vector<ResourceChange> changes;  // creation order for creates/updates, reverse for deletes
  std::vector<std::string> warnings;
  std::vector<std::string> targets;  // --target addresses; empty: the whole stack
  // Every live object read (also those outside --target), by address, so
  // apply can refuse the plan if any of them moved.
  std::map<std::string, LiveVersion> live_versions;

  int Count(Action action) const;
  bool HasChanges() const;  // anything but no-ops
  // Changes, or rollouts of the engine apply must wait for.
  bool HasWork() const;
  PlanSummary Summary() const;
};

}  // namespace nest::plan
