#include "planner/render_json.h"

namespace nest::plan {
namespace {

using Json = nlohmann::ordered_json;

// Scalars as strings, lists as arrays, maps as objects; sensitive as null.
Json ValueJson(const AttributeValue& value) {
  if (value.sensitive) return nullptr;
  switch (value.kind) {
    case AttributeValue::Kind::kScalar: return value.scalar;
    case AttributeValue::Kind::kList: {
      Json list = Json::array();
      for (const auto& item : value.list) list.push_back(ValueJson(item));
      return list;
    }
    case AttributeValue::Kind::kMap: {
      Json map = Json::object();
      for (const auto& [key, item] : value.map) map[key] = ValueJson(item);
      return map;
    }
  }
  return nullptr;
}

// Terraform's sensitivity mask: true where a value is sensitive; objects
// keep only the keys with something sensitive inside; false elsewhere.
Json MaskJson(const AttributeValue& value) {
  if (value.sensitive) return true;
  if (!value.ContainsSensitive()) return false;
  if (value.kind == AttributeValue::Kind::kList) {
    Json list = Json::array();
    for (const auto& item : value.list) list.push_back(MaskJson(item));
    return list;
  }
  Json map = Json::object();
  for (const auto& [key, item] : value.map) {
    if (item.ContainsSensitive()) map[key] = MaskJson(item);
  }
  return map;
}

bool ContainsDisplay(const AttributeValue& value) {
  if (value.sensitive) return false;
  if (!value.display.empty()) return true;
  for (const auto& item : value.list) {
    if (ContainsDisplay(item)) return true;
  }
  for (const auto& [key, item] : value.map) {
    if (ContainsDisplay(item)) return true;
  }
  return false;
}

// The display mask, shaped like the sensitivity mask: the text a person
// would write ("1GiB") where it differs from the canonical value; objects
// keep only the keys with one inside; false elsewhere.
Json DisplayJson(const AttributeValue& value) {
  if (!ContainsDisplay(value)) return false;
  if (value.kind == AttributeValue::Kind::kScalar) return value.display;
  if (value.kind == AttributeValue::Kind::kList) {
    Json list = Json::array();
    for (const auto& item : value.list) list.push_back(DisplayJson(item));
    return list;
  }
  Json map = Json::object();
  for (const auto& [key, item] : value.map) {
    if (ContainsDisplay(item)) map[key] = DisplayJson(item);
  }
  return map;
}

Json StateDisplay(const std::optional<ResourceState>& state) {
  if (!state) return false;
  Json object = Json::object();
  for (const auto& [name, value] : state->attributes) {
    if (ContainsDisplay(value)) object[name] = DisplayJson(value);
  }
  return object;
}

Json StateJson(const std::optional<ResourceState>& state) {
  if (!state) return nullptr;
  Json object = Json::object();
  for (const auto& [name, value] : state->attributes) object[name] = ValueJson(value);
  return object;
}

Json StateMask(const std::optional<ResourceState>& state) {
  if (!state) return false;
  Json object = Json::object();
  for (const auto& [name, value] : state->attributes) {
    if (value.ContainsSensitive()) object[name] = MaskJson(value);
  }
  return object;
}

Json ChangeJson(const ResourceChange& change) {
  Json json;
  json["actions"] = TerraformActions(change);
  json["before"] = StateJson(change.before);
  json["after"] = StateJson(change.after);
  json["before_sensitive"] = StateMask(change.before);
  json["after_sensitive"] = StateMask(change.after);
  json["before_display"] = StateDisplay(change.before);
  json["after_display"] = StateDisplay(change.after);
  Json paths = Json::array();
  for (const auto& attribute : change.changes) {
    if (attribute.forces_replacement) paths.push_back(Json::array({attribute.name}));
  }
  if (change.action == Action::kReplace || !paths.empty()) json["replace_paths"] = paths;
  return json;
}

Json ResourceChangeJson(const ResourceChange& change) {
  Json json;
  json["address"] = change.address;
  std::string module = AddressModule(change.address);
  if (!module.empty()) json["module_address"] = module;
  json["mode"] = "managed";
  json["type"] = ResourceKindName(change.kind);
  json["name"] = AddressName(change.address);
  json["docker_name"] = change.docker_name;
  if (change.before && change.before->docker_name != change.docker_name) {
    json["previous_docker_name"] = change.before->docker_name;
  }
  json["change"] = ChangeJson(change);
  json["depends_on"] = change.depends_on;
  if (const char* reason = TerraformActionReason(change.reason)) json["action_reason"] = reason;
  json["nest_reason"] = ReasonName(change.reason);
  json["nest_reason_detail"] = change.reason_detail;
  Json changed = Json::array();
  for (const auto& attribute : change.changes) changed.push_back(attribute.name);
  json["nest_changed_attributes"] = changed;
  json["drift"] = change.drift;
  if (change.live_version) {
    json["live_version"] = Json{{"id", change.live_version->id}, {"index", change.live_version->index}};
  } else {
    json["live_version"] = nullptr;
  }
  json["problems"] = change.problems;
  return json;
}

}  // namespace

std::vector<std::string> TerraformActions(const ResourceChange& change) {
  switch (change.action) {
    case Action::kNoOp: return {"no-op"};
    case Action::kCreate: return {"create"};
    case Action::kUpdate: return {"update"};
    case Action::kDelete: return {"delete"};
    case Action::kReplace:
      if (change.create_before_destroy) return {"create", "delete"};
      return {"delete", "create"};
  }
  return {"no-op"};
}

nlohmann::ordered_json PlanToJson(const Plan& plan) {
  Json json;
  json["format_version"] = kPlanJsonFormatVersion;
  json["nest_version"] = NEST_VERSION;
  json["stack"] = plan.stack;
  json["target"] = plan.target;
  json["targets"] = plan.targets;
  json["config_hash"] = plan.config_hash;
  json["engine"] = plan.engine;
  PlanSummary summary = plan.Summary();
  json["applyable"] = plan.HasChanges();
  json["summary"] = Json{{"add", summary.add}, {"change", summary.change}, {"destroy", summary.destroy}};
  Json changes = Json::array();
  for (const auto& change : plan.changes) changes.push_back(ResourceChangeJson(change));
  json["resource_changes"] = changes;
  json["warnings"] = plan.warnings;
  return json;
}

std::string RenderPlanJson(const Plan& plan) {
  return PlanToJson(plan).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace nest::plan
