// Reading the compose document model: members as text, flags, lists and
// mappings, scoped names and durations.
#include <fmt/format.h>

#include "compiler/compose_syntax/assignment.h"
#include "providers/swarm/convert_internal.h"
#include "providers/swarm/normalize.h"
#include "providers/units.h"

namespace nest::swarm::convert_parts {

void Refusals::Refuse(std::string_view key, const std::string& message) const {
  warnings.push_back(fmt::format("service {}: {}: {}", service, key, message));
}

const Doc* Field(const Doc& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Text(const Doc& object, const char* key) {
  const Doc* value = Field(object, key);
  return value != nullptr ? providers::ScalarText(*value) : std::string();
}

bool Flag(const Doc& object, const char* key) {
  const Doc* value = Field(object, key);
  if (value == nullptr) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_string()) return value->get<std::string>() == "true";
  return false;
}

std::vector<std::string> Strings(const Doc* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (value->is_array()) {
    for (const auto& item : *value) out.push_back(providers::ScalarText(item));
  } else if (!value->is_object()) {
    out.push_back(providers::ScalarText(*value));
  }
  return out;
}

std::map<std::string, std::string> Mapping(const Doc* value, char separator) {
  std::map<std::string, std::string> out;
  if (value == nullptr) return out;
  if (value->is_object()) {
    for (const auto& [k, v] : value->items()) out[k] = providers::ScalarText(v);
  } else if (value->is_array()) {
    for (const auto& item : *value) {
      auto entry = compose_syntax::SplitAssignment(providers::ScalarText(item), separator);
      out[entry.key] = entry.value.value_or("");
    }
  }
  return out;
}

json MapJson(const std::map<std::string, std::string>& map) {
  json out = json::object();
  for (const auto& [k, v] : map) out[k] = v;
  return out;
}

json WithStackLabel(std::map<std::string, std::string> labels, const std::string& stack) {
  labels[kStackLabel] = stack;
  return MapJson(labels);
}

std::string Scope(const std::string& stack, const std::string& name) { return stack + "_" + name; }

std::string ObjectName(const Doc& document, const char* section, const std::string& key, const std::string& stack) {
  if (const Doc* objects = Field(document, section)) {
    if (const Doc* object = Field(*objects, key.c_str())) {
      std::string name = Text(*object, "name");
      if (!name.empty()) return name;
    }
  }
  return Scope(stack, key);
}

std::optional<std::int64_t> DurationOf(const Doc& object, const char* key, const Refusals& refusals) {
  const Doc* value = Field(object, key);
  if (value == nullptr) return std::nullopt;
  auto nanos = providers::DurationFromJson(*value);
  if (!nanos) {
    refusals.Refuse(key, nanos.error().message);
    return std::nullopt;
  }
  return nanos.value();
}

}  // namespace nest::swarm::convert_parts
