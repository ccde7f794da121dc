#include "planner/plan_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nest::plan {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormat = "nest-plan";

// ---------------------------------------------------------------------------
// Names both ways.

constexpr ResourceKind kKinds[] = {ResourceKind::kNetwork, ResourceKind::kVolume, ResourceKind::kSecret,
                                   ResourceKind::kConfig, ResourceKind::kService};
constexpr Action kActions[] = {Action::kNoOp, Action::kCreate, Action::kUpdate, Action::kReplace,
                               Action::kDelete};
constexpr Reason kReasons[] = {Reason::kNone, Reason::kNew, Reason::kChanged, Reason::kDrift,
                               Reason::kForcedReplacement, Reason::kNotInConfig, Reason::kDependencyChanged};

// A structural problem in a file that parsed as JSON; caught in ParsePlanFile.
struct Damaged {
  std::string what;
};

template <typename T, std::size_t N, typename NameOf>
T FromName(const T (&all)[N], NameOf name_of, const std::string& name, const char* what) {
  for (T item : all) {
    if (name == name_of(item)) return item;
  }
  throw Damaged{fmt::format("unknown {} `{}`", what, name)};
}

// ---------------------------------------------------------------------------
// Writing.

const char* KindTag(AttributeValue::Kind kind) {
  switch (kind) {
    case AttributeValue::Kind::kScalar: return "s";
    case AttributeValue::Kind::kList: return "l";
    case AttributeValue::Kind::kMap: return "m";
  }
  return "s";
}

// {"s": "text"}, {"l": [...]}, {"m": {...}}; a sensitive value keeps only its
// kind: {"sensitive": true, "kind": "s"}. A scalar with a display form adds
// it: {"s": "1073741824", "d": "1GiB"} (older files have none).
Json ValueToJson(const AttributeValue& value) {
  if (value.sensitive) return Json{{"sensitive", true}, {"kind", KindTag(value.kind)}};
  switch (value.kind) {
    case AttributeValue::Kind::kScalar:
      if (!value.display.empty()) return Json{{"s", value.scalar}, {"d", value.display}};
      return Json{{"s", value.scalar}};
    case AttributeValue::Kind::kList: {
      Json list = Json::array();
      for (const auto& item : value.list) list.push_back(ValueToJson(item));
      return Json{{"l", list}};
    }
    case AttributeValue::Kind::kMap: {
      Json map = Json::object();
      for (const auto& [key, item] : value.map) map[key] = ValueToJson(item);
      return Json{{"m", map}};
    }
  }
  return nullptr;
}

Json OptionalValue(const std::optional<AttributeValue>& value) {
  return value ? ValueToJson(*value) : Json(nullptr);
}

Json VersionToJson(const std::optional<LiveVersion>& version) {
  if (!version) return nullptr;
  return Json{{"id", version->id}, {"index", version->index}};
}

Json StateToJson(const std::optional<ResourceState>& state) {
  if (!state) return nullptr;
  Json json;
  json["address"] = state->address;
  json["kind"] = ResourceKindName(state->kind);
  json["docker_name"] = state->docker_name;
  json["spec_hash"] = state->spec_hash;
  json["managed"] = state->managed;
  json["stack_label"] = state->stack_label;
  json["force_new"] = state->force_new;
  json["depends_on"] = state->depends_on;
  json["version"] = VersionToJson(state->version);
  json["problems"] = state->problems;
  Json attributes = Json::object();
  for (const auto& [name, value] : state->attributes) attributes[name] = ValueToJson(value);
  json["attributes"] = attributes;
  return json;
}

Json ChangeToJson(const ResourceChange& change) {
  Json json;
  json["address"] = change.address;
  json["kind"] = ResourceKindName(change.kind);
  json["docker_name"] = change.docker_name;
  json["action"] = ActionName(change.action);
  json["reason"] = ReasonName(change.reason);
  json["reason_detail"] = change.reason_detail;
  json["create_before_destroy"] = change.create_before_destroy;
  json["depends_on"] = change.depends_on;
  json["drift"] = change.drift;
  json["live_version"] = VersionToJson(change.live_version);
  json["problems"] = change.problems;
  if (!change.engine_in_progress.empty()) json["engine_in_progress"] = change.engine_in_progress;
  json["before"] = StateToJson(change.before);
  json["after"] = StateToJson(change.after);
  Json attributes = Json::array();
  for (const auto& attribute : change.changes) {
    attributes.push_back(Json{{"name", attribute.name},
                              {"before", OptionalValue(attribute.before)},
                              {"after", OptionalValue(attribute.after)},
                              {"forces_replacement", attribute.forces_replacement}});
  }
  json["changes"] = attributes;
  return json;
}

// ---------------------------------------------------------------------------
// Reading: every accessor names what it expected.

const Json& Field(const Json& object, const char* name) {
  if (!object.is_object()) throw Damaged{fmt::format("expected an object holding `{}`", name)};
  auto it = object.find(name);
  if (it == object.end()) throw Damaged{fmt::format("`{}` is missing", name)};
  return *it;
}

std::string Text(const Json& object, const char* name) {
  const Json& field = Field(object, name);
  if (!field.is_string()) throw Damaged{fmt::format("`{}` is not a string", name)};
  return field.get<std::string>();
}

bool Flag(const Json& object, const char* name) {
  const Json& field = Field(object, name);
  if (!field.is_boolean()) throw Damaged{fmt::format("`{}` is not true or false", name)};
  return field.get<bool>();
}

std::vector<std::string> Texts(const Json& object, const char* name) {
  const Json& field = Field(object, name);
  if (!field.is_array()) throw Damaged{fmt::format("`{}` is not a list", name)};
  std::vector<std::string> texts;
  for (const auto& item : field) {
    if (!item.is_string()) throw Damaged{fmt::format("`{}` holds something that is not a string", name)};
    texts.push_back(item.get<std::string>());
  }
  return texts;
}

// A list added after format 1 was first written: absent in older files.
std::vector<std::string> TextsIfPresent(const Json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) return {};
  return Texts(object, name);
}

const Json& Array(const Json& object, const char* name) {
  const Json& field = Field(object, name);
  if (!field.is_array()) throw Damaged{fmt::format("`{}` is not a list", name)};
  return field;
}

AttributeValue ValueFromJson(const Json& json) {
  if (!json.is_object()) throw Damaged{"an attribute value is not an object"};
  AttributeValue value;
  if (json.contains("sensitive")) {
    value.sensitive = true;
    std::string kind = Text(json, "kind");
    if (kind == "l") value.kind = AttributeValue::Kind::kList;
    else if (kind == "m") value.kind = AttributeValue::Kind::kMap;
    else if (kind != "s") throw Damaged{fmt::format("unknown value kind `{}`", kind)};
    return value;
  }
  if (json.contains("s")) {
    value = AttributeValue::Scalar(Text(json, "s"));
    if (json.contains("d")) value.display = Text(json, "d");
    return value;
  }
  if (json.contains("l")) {
    value.kind = AttributeValue::Kind::kList;
    for (const auto& item : Array(json, "l")) value.list.push_back(ValueFromJson(item));
    return value;
  }
  if (json.contains("m")) {
    const Json& map = json["m"];
    if (!map.is_object()) throw Damaged{"a map value is not an object"};
    value.kind = AttributeValue::Kind::kMap;
    for (const auto& [key, item] : map.items()) value.map[key] = ValueFromJson(item);
    return value;
  }
  throw Damaged{"an attribute value has no `s`, `l` or `m`"};
}

std::optional<AttributeValue> OptionalValueFromJson(const Json& json) {
  if (json.is_null()) return std::nullopt;
  return ValueFromJson(json);
}

LiveVersion VersionFromJson(const Json& json) {
  const Json& index = Field(json, "index");
  if (!index.is_number_unsigned()) throw Damaged{"a live version's `index` is not a number"};
  return LiveVersion{Text(json, "id"), index.get<std::uint64_t>()};
}

std::optional<LiveVersion> OptionalVersion(const Json& json) {
  if (json.is_null()) return std::nullopt;
  return VersionFromJson(json);
}

ResourceKind KindFromJson(const Json& object) {
  return FromName(kKinds, ResourceKindName, Text(object, "kind"), "resource kind");
}

std::optional<ResourceState> StateFromJson(const Json& json) {
  if (json.is_null()) return std::nullopt;
  ResourceState state;
  state.address = Text(json, "address");
  state.kind = KindFromJson(json);
  state.docker_name = Text(json, "docker_name");
  state.spec_hash = Text(json, "spec_hash");
  state.managed = Flag(json, "managed");
  state.stack_label = Flag(json, "stack_label");
  state.force_new = Texts(json, "force_new");
  state.depends_on = TextsIfPresent(json, "depends_on");
  state.version = OptionalVersion(Field(json, "version"));
  state.problems = Texts(json, "problems");
  const Json& attributes = Field(json, "attributes");
  if (!attributes.is_object()) throw Damaged{"`attributes` is not an object"};
  for (const auto& [name, value] : attributes.items()) state.attributes[name] = ValueFromJson(value);
  return state;
}

ResourceChange ChangeFromJson(const Json& json) {
  ResourceChange change;
  change.address = Text(json, "address");
  change.kind = KindFromJson(json);
  change.docker_name = Text(json, "docker_name");
  change.action = FromName(kActions, ActionName, Text(json, "action"), "action");
  change.reason = FromName(kReasons, ReasonName, Text(json, "reason"), "reason");
  change.reason_detail = Text(json, "reason_detail");
  change.create_before_destroy = Flag(json, "create_before_destroy");
  change.depends_on = TextsIfPresent(json, "depends_on");
  change.drift = Flag(json, "drift");
  change.live_version = OptionalVersion(Field(json, "live_version"));
  change.problems = Texts(json, "problems");
  // Absent from plan files written before it existed, and when settled.
  if (json.contains("engine_in_progress")) change.engine_in_progress = Text(json, "engine_in_progress");
  change.before = StateFromJson(Field(json, "before"));
  change.after = StateFromJson(Field(json, "after"));
  for (const auto& item : Array(json, "changes")) {
    AttributeChange attribute;
    attribute.name = Text(item, "name");
    attribute.before = OptionalValueFromJson(Field(item, "before"));
    attribute.after = OptionalValueFromJson(Field(item, "after"));
    attribute.forces_replacement = Flag(item, "forces_replacement");
    change.changes.push_back(std::move(attribute));
  }
  return change;
}

Plan PlanFromJson(const Json& json) {
  Plan plan;
  plan.stack = Text(json, "stack");
  plan.target = Text(json, "target");
  plan.targets = Texts(json, "targets");
  plan.config_hash = Text(json, "config_hash");
  plan.sensitive_hash = Text(json, "sensitive_hash");
  plan.engine = Text(json, "engine");
  // Absent in plans written before apply existed.
  if (json.contains("source")) plan.source = Text(json, "source");
  plan.warnings = Texts(json, "warnings");
  const Json& versions = Field(json, "live_versions");
  if (!versions.is_object()) throw Damaged{"`live_versions` is not an object"};
  for (const auto& [address, version] : versions.items()) plan.live_versions[address] = VersionFromJson(version);
  for (const auto& change : Array(json, "changes")) plan.changes.push_back(ChangeFromJson(change));
  return plan;
}

std::string ErrnoText(int error) { return std::strerror(error); }

}  // namespace

std::string StackStateJsonText(const StackState& state) {
  Json json;
  json["stack"] = state.stack;
  Json resources = Json::array();
  for (const auto& resource : state.resources) resources.push_back(StateToJson(resource));
  json["resources"] = std::move(resources);
  return json.dump(2) + "\n";
}

Result<StackState> StackStateFromJsonText(const std::string& text) {
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return Error{"the recorded state is not a JSON object"};
  try {
    StackState state;
    state.stack = Text(json, "stack");
    for (const auto& resource : Array(json, "resources")) {
      std::optional<ResourceState> read = StateFromJson(resource);
      if (!read) throw Damaged{"a resource is null"};
      state.resources.push_back(std::move(*read));
    }
    return state;
  } catch (const Damaged& damaged) {
    return Error{"the recorded state is damaged: " + damaged.what};
  }
}

std::string PlanFileText(const Plan& plan) {
  Json json;
  json["format"] = kFormat;
  json["format_version"] = kPlanFileFormatVersion;
  json["nest_version"] = NEST_VERSION;
  json["stack"] = plan.stack;
  json["target"] = plan.target;
  json["targets"] = plan.targets;
  json["config_hash"] = plan.config_hash;
  json["sensitive_hash"] = plan.sensitive_hash;
  json["engine"] = plan.engine;
  if (!plan.source.empty()) json["source"] = plan.source;
  json["warnings"] = plan.warnings;
  Json versions = Json::object();
  for (const auto& [address, version] : plan.live_versions) versions[address] = VersionToJson(version);
  json["live_versions"] = versions;
  Json changes = Json::array();
  for (const auto& change : plan.changes) changes.push_back(ChangeToJson(change));
  json["changes"] = changes;
  return json.dump(1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<Plan> ParsePlanFile(const std::string& text, const std::string& path) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& e) {
    return Error{fmt::format("`{}` is not a nest plan file: it is not valid JSON (at byte {})", path, e.byte)};
  }
  if (!json.is_object() || !json.contains("format") || json["format"] != kFormat) {
    return Error{fmt::format("`{}` is not a nest plan file (write one with `nest plan -out FILE`)", path)};
  }
  const Json& version = json["format_version"];
  if (!version.is_number_integer() || version.get<int>() != kPlanFileFormatVersion) {
    std::string writer = json.contains("nest_version") && json["nest_version"].is_string()
                             ? json["nest_version"].get<std::string>()
                             : "an unknown version";
    return Error{fmt::format("`{}` is a nest plan in format {}, written by nest {}; this nest ({}) reads "
                             "format {}: run `nest plan -out {}` again",
                             path, version.dump(), writer, NEST_VERSION, kPlanFileFormatVersion, path)};
  }
  try {
    return PlanFromJson(json);
  } catch (const Damaged& damaged) {
    return Error{fmt::format("`{}` is a damaged nest plan file: {}", path, damaged.what)};
  }
}

Result<Plan> ReadPlanFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("cannot read the plan file `{}`: {}", path, ErrnoText(errno))};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{fmt::format("cannot read the plan file `{}`: {}", path, ErrnoText(errno))};
  return ParsePlanFile(text.str(), path);
}

Status WritePlanFile(const Plan& plan, const std::string& path) {
  std::string text = PlanFileText(plan);
  auto failed = [&](int code) { return Error{fmt::format("cannot write the plan file `{}`: {}", path, ErrnoText(code))}; };
  std::filesystem::path target(path);
  std::filesystem::path folder = target.parent_path().empty() ? "." : target.parent_path();
  std::string temp = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = mkstemp(temp.data());  // mode 0600
  if (fd < 0) return failed(errno);
  // Every failure after this point removes the temporary file.
  auto abandon = [&](int code, bool close_fd) {
    if (close_fd) close(fd);
    unlink(temp.c_str());
    return failed(code);
  };
  if (fchmod(fd, 0600) != 0) return abandon(errno, true);
  for (std::size_t written = 0; written < text.size();) {
    ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return abandon(errno, true);
    written += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return abandon(errno, true);
  if (close(fd) != 0) return abandon(errno, false);
  if (rename(temp.c_str(), path.c_str()) != 0) return abandon(errno, false);
  return Done{};
}

}  // namespace nest::plan
