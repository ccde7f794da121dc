#include "providers/swarm/revisions.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "providers/engine/query.h"
#include "compiler/support/base64.h"
#include "providers/swarm/manager_clock.h"

namespace nest::swarm {
namespace {

using nlohmann::json;

constexpr const char* kStack = "nest.revision.stack";
constexpr const char* kNumber = "nest.revision.number";
constexpr const char* kTime = "nest.revision.time";
constexpr const char* kHash = "nest.revision.config-hash";
constexpr const char* kSummary = "nest.revision.summary";
constexpr std::size_t kSummaryLimit = 200;
// Creates lost to a concurrent writer before giving up.
constexpr int kAttempts = 5;

engine::EngineError NotFound(engine::EngineClient& client, const std::string& doing, std::string message) {
  engine::EngineError error;
  error.kind = engine::ErrorKind::kHttp;
  error.http_status = 404;
  error.doing = doing;
  error.endpoint = client.endpoint().Display();
  error.daemon_message = std::move(message);
  return error;
}

std::string Label(const json& labels, const char* key) {
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
}

Revision ParseRevision(const json& config) {
  Revision revision;
  revision.config_id = config.value("ID", "");
  const json labels = config.value("Spec", json::object()).value("Labels", json::object());
  std::string number = Label(labels, kNumber);
  revision.number = std::all_of(number.begin(), number.end(), ::isdigit) && !number.empty() ? std::stoll(number) : 0;
  revision.time = Label(labels, kTime);
  revision.config_hash = Label(labels, kHash);
  revision.summary = Label(labels, kSummary);
  return revision;
}

}  // namespace

std::string RevisionConfigName(const std::string& stack, std::int64_t number) {
  std::string name = fmt::format("nest-rev-{}-{}", stack, number);
  static const std::regex valid(R"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)");
  if (stack.empty() || number < 1 || name.size() > 64 || !std::regex_match(name, valid)) return "";
  return name;
}

engine::Result<std::vector<Revision>> ListRevisions(engine::EngineClient& client, const std::string& stack) {
  // A label filter matches exactly (names would match a prefix: stack "a" and "a-b").
  auto listed = client.Get("/configs?" + engine::LabelFilter({std::string(kStack) + "=" + stack}),
                           "listing the revisions of stack " + stack);
  if (!listed.ok()) return listed.error();
  std::vector<Revision> revisions;
  if (listed.value().is_array())
    for (const json& config : listed.value()) {
      Revision revision = ParseRevision(config);
      if (revision.number > 0) revisions.push_back(std::move(revision));
    }
  std::sort(revisions.begin(), revisions.end(), [](const Revision& a, const Revision& b) { return a.number < b.number; });
  return revisions;
}

engine::Result<int> PruneRevisions(engine::EngineClient& client, const std::string& stack, int keep) {
  auto revisions = ListRevisions(client, stack);
  if (!revisions.ok()) return revisions.error();
  const auto& all = revisions.value();
  int removed = 0;
  for (std::size_t i = 0; i + std::max(keep, 0) < all.size(); ++i) {
    auto deleted = client.Delete("/configs/" + engine::UrlEncode(all[i].config_id),
                                 fmt::format("removing revision {} of stack {}", all[i].number, stack));
    if (!deleted.ok() && deleted.error().http_status != 404) return deleted.error();
    ++removed;
  }
  return removed;
}

engine::Result<Revision> RecordRevision(engine::EngineClient& client, const std::string& stack,
                                        const RevisionRecord& record, int keep) {
  const std::string doing = "recording a revision of stack " + stack;
  auto existing = ListRevisions(client, stack);
  if (!existing.ok()) return existing.error();
  std::int64_t number = existing.value().empty() ? 1 : existing.value().back().number + 1;
  // Too large a document (a config holds under 1000 KiB) or a stack name no
  // config can carry: the daemon refuses the create with its own words.
  std::string data = record.document.dump(-1, ' ', false, json::error_handler_t::replace);
  auto now = ManagerTime(client, doing);
  if (!now.ok()) return now.error();
  Revision revision;
  revision.time = FormatEngineTime(now.value());
  revision.config_hash = record.config_hash;
  revision.summary = record.summary.substr(0, kSummaryLimit);
  for (int attempt = 0;; ++attempt, ++number) {
    json body = {{"Name", fmt::format("nest-rev-{}-{}", stack, number)},
                 {"Labels",
                  {{kStack, stack},
                   {kNumber, std::to_string(number)},
                   {kTime, revision.time},
                   {kHash, revision.config_hash},
                   {kSummary, revision.summary}}},
                 {"Data", Base64Encode(data)}};
    auto created = client.Post("/configs/create", body, doing);
    if (!created.ok()) {
      // 409: the number was taken by a concurrent writer; try the next.
      if (created.error().http_status == 409 && attempt + 1 < kAttempts) continue;
      return created.error();
    }
    revision.number = number;
    revision.config_id = created.value().value("ID", "");
    auto pruned = PruneRevisions(client, stack, keep);
    if (!pruned.ok()) return pruned.error();
    return revision;
  }
}

engine::Result<json> ReadRevisionDocument(engine::EngineClient& client, const std::string& stack, std::int64_t number) {
  const std::string doing = fmt::format("reading revision {} of stack {}", number, stack);
  std::string name = RevisionConfigName(stack, number);
  if (name.empty()) return NotFound(client, doing, fmt::format("no revision {} of stack {}", number, stack));
  auto listed = client.Get("/configs?" + engine::EncodeFilters({{"name", {name}}}), doing);
  if (!listed.ok()) return listed.error();
  if (listed.value().is_array())
    for (const json& config : listed.value()) {
      const json spec = config.value("Spec", json::object());
      if (spec.value("Name", "") != name) continue;  // the name filter is a prefix match: -1 finds -10
      auto data = Base64Decode(spec.value("Data", ""));
      json document = data ? json::parse(*data, nullptr, false) : json(json::value_t::discarded);
      if (document.is_discarded()) {
        engine::EngineError error;
        error.kind = engine::ErrorKind::kMalformedResponse;
        error.doing = doing;
        error.endpoint = client.endpoint().Display();
        error.detail = "the revision's data is not a JSON document";
        return error;
      }
      return document;
    }
  return NotFound(client, doing, fmt::format("no revision {} of stack {}", number, stack));
}

}  // namespace nest::swarm
