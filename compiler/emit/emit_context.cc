#include "compiler/emit/emit_context.h"

#include <algorithm>
#include <fmt/format.h>

#include "compiler/support/digest.h"
#include "compiler/emit/yaml_writer.h"

namespace nest::emit {

std::string Context::DockerName(std::string_view address) const {
  auto it = docker_names->find(address);
  if (it != docker_names->end()) return it->second;
  return stack + "_" + ResourceNameFromAddress(address);
}

void Context::CannotExpress(const Resource& resource, std::string_view setting, Span where,
                            std::string why, std::string help) {
  Diagnostic& d = diags.Warning(
      DiagCode::TargetCannotExpress, where,
      fmt::format("{}: `{}` {} not supported by the {} target", resource.address, setting,
                  setting.find("`, `") == std::string_view::npos ? "is" : "are", PlatformName(target)));
  d.label = fmt::format("not in the {} file", PlatformName(target));
  d.notes.push_back(std::move(why));
  if (!help.empty()) d.help.push_back(std::move(help));
}

void Context::CannotRun(const Resource& resource, std::string_view setting, Span where, std::string why,
                        std::string help) {
  Diagnostic& d = diags.Error(DiagCode::TargetCannotExpress, where,
                              fmt::format("{}: `{}` cannot run on the {} target", resource.address, setting,
                                          PlatformName(target)));
  d.label = fmt::format("not possible on {}", PlatformName(target));
  d.notes.push_back(std::move(why));
  d.help.push_back(std::move(help));
}

std::string DurationText(const Value& v) { return FormatDuration(v.integer); }

std::string SizeText(const Value& v) {
  static const char* kUnits[] = {"B", "K", "M", "G"};
  std::int64_t n = v.integer;
  int unit = 0;
  while (unit < 3 && n != 0 && n % 1024 == 0) {
    n /= 1024;
    ++unit;
  }
  return fmt::format("{}{}", n, kUnits[unit]);
}

std::string CpusText(const Value& v) { return FormatDouble(v.number); }

Json StringMap(const Value& map) {
  // Sorted first, then built once. A key set twice keeps its last value,
  // as assigning in source order would.
  std::vector<const std::pair<std::string, Value>*> fields;
  fields.reserve(map.fields.size());
  for (const auto& field : map.fields) fields.push_back(&field);
  std::stable_sort(fields.begin(), fields.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  Json out = NewObject(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i + 1 < fields.size() && fields[i + 1]->first == fields[i]->first) continue;
    AppendNew(out, JsonString(fields[i]->first), fields[i]->second.text);
  }
  return out;
}

Json StringList(const Value& list) {
  Json out = Json::array();
  for (const auto& item : list.items) out.push_back(item.text);
  return out;
}

Json CommandJson(const Value& v) {
  if (v.kind == ValueKind::kList) return StringList(v);
  return Json::array({"/bin/sh", "-c", v.text});
}

void SortKeys(Json& object) {
  if (!object.is_object() || object.size() < 2) return;
  // Most maps are built in order already (labels, environment); rebuilding
  // one costs a copy of every key.
  const auto& fields = object.get_ref<const Json::object_t&>();
  if (std::is_sorted(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; }))
    return;
  std::vector<std::pair<JsonString, Json>> items;
  items.reserve(object.size());
  for (auto it = object.begin(); it != object.end(); ++it) items.emplace_back(it.key(), std::move(it.value()));
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Json sorted = NewObject(items.size());
  for (auto& [key, value] : items) AppendNew(sorted, std::move(key), std::move(value));
  object = std::move(sorted);
}

Json NewObject(std::size_t capacity) {
  Json object = Json::object();
  object.get_ref<Json::object_t&>().reserve(capacity);
  return object;
}

Json& InsertSorted(Json& object, std::string_view key, Json value) {
  if (!object.is_object()) object = Json::object();
  auto& fields = object.get_ref<Json::object_t&>();
  auto at = std::lower_bound(fields.begin(), fields.end(), key,
                             [](const auto& field, std::string_view k) { return std::string_view(field.first) < k; });
  if (at != fields.end() && at->first == key) return at->second = std::move(value);
  auto index = static_cast<std::size_t>(at - fields.begin());
  Json sorted = NewObject(fields.size() + 1);
  for (auto it = fields.begin(); it != at; ++it) AppendNew(sorted, it->first, std::move(it->second));
  AppendNew(sorted, JsonString(key), std::move(value));
  for (auto it = at; it != fields.end(); ++it) AppendNew(sorted, it->first, std::move(it->second));
  object = std::move(sorted);
  return (object.get_ref<Json::object_t&>().begin() + static_cast<std::ptrdiff_t>(index))->second;
}

void AppendNew(Json& object, JsonString key, Json value) {
  if (!object.is_object()) object = Json::object();
  auto& fields = object.get_ref<Json::object_t&>();
  static_cast<Json::object_t::Container&>(fields).emplace_back(std::move(key), std::move(value));
}

std::string SpecHash(std::string_view entry_yaml, std::string_view stack,
                     const std::vector<std::pair<std::string_view, std::string_view>>& refs) {
  // After the entry, lengths before texts: no two (stack, refs) read alike.
  std::string rest = fmt::format("\n{}:{}\n", stack.size(), stack);
  for (const auto& [name, docker_name] : refs)
    rest += fmt::format("{}:{}={}:{}\n", name.size(), name, docker_name.size(), docker_name);
  return Sha256Hex({entry_yaml, rest}).substr(0, 12);
}

}  // namespace nest::emit
