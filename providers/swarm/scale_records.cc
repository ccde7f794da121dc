#include "providers/swarm/scale_records.h"

#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/support/base64.h"
#include "providers/engine/query.h"
#include "providers/swarm/manager_clock.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

constexpr const char* kStackKey = "nest.autoscale-record.stack";
constexpr const char* kServicePrefix = "nest.autoscale-record.";
constexpr const char* kNote = "The last scale change nest autoscale made to each service: see its labels.\n";
// Writes lost to another writer (two autoscalers, or a create race) before giving up.
constexpr int kAttempts = 5;

bool IsConflict(const engine::EngineError& error) {
  return error.http_status == 409 || error.http_status == 404 ||
         (error.http_status == 500 && error.daemon_message.find("update out of sequence") != std::string::npos);
}

std::optional<ScaleRecord> ParseRecord(const std::string& text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return std::nullopt;
  ScaleRecord record;
  record.time = value.value("time", "");
  record.from = value.value("from", 0);
  record.to = value.value("to", 0);
  record.reason = value.value("reason", "");
  return record;
}

std::string RecordText(const ScaleRecord& record) {
  return json{{"time", record.time}, {"from", record.from}, {"to", record.to}, {"reason", record.reason}}.dump();
}

// The stack's record config, or null when there is none.
engine::Result<json> FindConfig(engine::EngineClient& client, const std::string& stack, const std::string& doing) {
  auto listed = client.Get("/configs?" + engine::LabelFilter({std::string(kStackKey) + "=" + stack}), doing);
  if (!listed.ok()) return listed.error();
  if (listed.value().is_array())
    for (const json& config : listed.value())
      if (config.value("Spec", json::object()).value("Name", "") == ScaleRecordConfigName(stack)) return config;
  return json();
}

}  // namespace

std::string ScaleRecordConfigName(const std::string& stack) {
  std::string name = "nest-autoscale-" + stack;
  static const std::regex valid(R"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)");
  if (stack.empty() || name.size() > 64 || !std::regex_match(name, valid)) return "";
  return name;
}

engine::Result<std::map<std::string, ScaleRecord>> ReadScaleRecords(engine::EngineClient& client,
                                                                    const std::string& stack) {
  auto config = FindConfig(client, stack, "reading the autoscale records of stack " + stack);
  if (!config.ok()) return config.error();
  std::map<std::string, ScaleRecord> records;
  if (config.value().is_null()) return records;
  const json labels = config.value().value("Spec", json::object()).value("Labels", json::object());
  const std::string prefix = kServicePrefix;
  for (const auto& [key, value] : labels.items()) {
    if (key == kStackKey || key.rfind(prefix, 0) != 0 || !value.is_string()) continue;
    if (auto record = ParseRecord(value.get<std::string>())) records[key.substr(prefix.size())] = *record;
  }
  return records;
}

engine::Result<std::string> WriteScaleRecord(engine::EngineClient& client, const std::string& stack,
                                             const std::string& service, ScaleRecord record) {
  const std::string doing = fmt::format("recording the scale change of {} in stack {}", service, stack);
  const std::string name = ScaleRecordConfigName(stack);
  if (name.empty()) {
    engine::EngineError error;
    error.kind = engine::ErrorKind::kBadEndpoint;
    error.doing = doing;
    error.detail = fmt::format("`{}` cannot name a swarm config", "nest-autoscale-" + stack);
    return error;
  }
  auto now = ManagerTime(client, doing);
  if (!now.ok()) return now.error();
  record.time = FormatEngineTime(now.value());
  const std::string key = kServicePrefix + service;

  engine::EngineError last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto config = FindConfig(client, stack, doing);
    if (!config.ok()) return config.error();
    if (config.value().is_null()) {
      json spec = {{"Name", name},
                   {"Labels", {{kStackKey, stack}, {key, RecordText(record)}}},
                   {"Data", Base64Encode(kNote)}};
      auto created = client.Post("/configs/create", spec, doing);
      if (created.ok()) return record.time;
      if (!IsConflict(created.error())) return created.error();
      last = created.error();
      continue;
    }
    const json& found = config.value();
    json labels = found.value("Spec", json::object()).value("Labels", json::object());
    labels[key] = RecordText(record);
    std::int64_t version = found.value("Version", json::object()).value("Index", std::int64_t{0});
    json spec = {{"Name", name}, {"Labels", labels}};  // Data left out: kept
    auto updated = client.Post(
        fmt::format("/configs/{}/update?version={}", engine::UrlEncode(found.value("ID", "")), version), spec, doing);
    if (updated.ok()) return record.time;
    if (!IsConflict(updated.error())) return updated.error();
    last = updated.error();
  }
  return last;
}

}  // namespace nest::swarm
