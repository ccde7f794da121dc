#include "providers/swarm/apply.h"

#include <fmt/format.h>

#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "compiler/support/base64.h"
#include "compiler/support/read_file.h"
#include "providers/deploy_strategy.h"
#include "providers/engine/query.h"
#include "providers/swarm/canary.h"
#include "providers/swarm/blue_green.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using plan::ResourceChange;
using plan::StepContext;

constexpr auto kPoll = std::chrono::milliseconds(250);
constexpr int kOutOfSequenceRetries = 5;

// The Engine API's path segment for a kind: "/networks", "/secrets", ...
const char* Collection(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kNetwork: return "networks";
    case ResourceKind::kVolume: return "volumes";
    case ResourceKind::kSecret: return "secrets";
    case ResourceKind::kConfig: return "configs";
    case ResourceKind::kService: return "services";
  }
  return "services";
}

Error Failed(const ResourceChange& change, const std::string& what) {
  return Error{fmt::format("{} {}: {}", ResourceKindName(change.kind), change.docker_name, what)};
}

Error Failed(const ResourceChange& change, const engine::EngineError& error) {
  return Failed(change, error.Describe());
}

// The ID the plan saw for the live object; for volumes, the name.
std::string LiveId(const ResourceChange& change) {
  if (change.live_version && !change.live_version->id.empty()) return change.live_version->id;
  if (change.before && change.before->version && !change.before->version->id.empty()) {
    return change.before->version->id;
  }
  return change.docker_name;
}

const json* FindByName(const std::vector<json>& specs, const std::string& name) {
  for (const auto& spec : specs) {
    if (spec.value("Name", "") == name) return &spec;
  }
  return nullptr;
}

const FileObjectSpec* FindFileObject(const std::vector<FileObjectSpec>& objects, const std::string& name) {
  for (const auto& object : objects) {
    if (object.spec.value("Name", "") == name) return &object;
  }
  return nullptr;
}

// The IDs of the secrets (or configs) named in `references`, by exact name:
// the Engine's name filter also matches prefixes.
Result<std::map<std::string, std::string>> IdsByName(engine::EngineClient& client, const char* collection,
                                                     const std::vector<std::string>& names) {
  std::map<std::string, std::string> ids;
  if (names.empty()) return ids;
  auto listed = client.Get(fmt::format("/{}?{}", collection, engine::EncodeFilters({{"name", names}})),
                           fmt::format("looking up {}", collection));
  if (!listed.ok()) return Error{listed.error().Describe()};
  for (const auto& object : listed.value()) {
    std::string name = object.contains("Spec") ? object["Spec"].value("Name", "") : "";
    for (const auto& wanted : names) {
      if (name == wanted) ids[name] = object.value("ID", "");
    }
  }
  for (const auto& wanted : names) {
    if (!ids.count(wanted)) return Error{fmt::format("{} `{}` does not exist", collection, wanted)};
  }
  return ids;
}

// Fills SecretID / ConfigID of the service spec's references, which convert
// leaves empty (the CLI also looks them up by name just before sending).
Status ResolveFileReferences(engine::EngineClient& client, json& spec) {
  json* container = nullptr;
  if (spec.contains("TaskTemplate") && spec["TaskTemplate"].contains("ContainerSpec")) {
    container = &spec["TaskTemplate"]["ContainerSpec"];
  }
  if (container == nullptr) return Done{};
  for (auto [list, name_key, id_key, collection] :
       {std::tuple{"Secrets", "SecretName", "SecretID", "secrets"}, {"Configs", "ConfigName", "ConfigID", "configs"}}) {
    if (!container->contains(list)) continue;
    std::vector<std::string> names;
    for (const auto& reference : (*container)[list]) names.push_back(reference.value(name_key, ""));
    auto ids = IdsByName(client, collection, names);
    if (!ids.ok()) return ids.error();
    for (auto& reference : (*container)[list]) reference[id_key] = ids.value().at(reference.value(name_key, ""));
  }
  return Done{};
}

// The replica count the plan settled on: the config's, or the live one an
// autoscaler set within the service's [min, max] (AdoptAutoscaledReplicas).
void UsePlannedReplicas(const ResourceChange& change, json& spec) {
  if (!change.after) return;
  auto it = change.after->attributes.find("replicas");
  if (it == change.after->attributes.end() || it->second.kind != plan::AttributeValue::Kind::kScalar) return;
  if (!spec.contains("Mode") || !spec["Mode"].contains("Replicated")) return;
  try {
    spec["Mode"]["Replicated"]["Replicas"] = std::stoull(it->second.scalar);
  } catch (const std::logic_error&) {
    // Not a number: keep the spec's own count (the diff compares the same text).
  }
}

// Polls `done` until it says true, the deadline passes or the user stops.
// `done` returns an error to give up at once.
Status PollUntil(const StepContext& context, const std::string& waiting_for,
                 const std::function<Result<bool>()>& done) {
  for (;;) {
    Result<bool> finished = done();
    if (!finished.ok()) return finished.error();
    if (finished.value()) return Done{};
    if (context.cancelled()) return Error{fmt::format("interrupted while waiting for {}", waiting_for)};
    if (context.expired()) return Error{fmt::format("timed out waiting for {}", waiting_for)};
    std::this_thread::sleep_for(kPoll);
  }
}

// Sends the service's update against the version the plan saw, keeping
// the live ForceUpdate counter; retried on "update out of sequence".
Status SendUpdate(engine::EngineClient& client, const ResourceChange& change, json body) {
  const std::string id = LiveId(change);
  const std::uint64_t planned_index = change.live_version ? change.live_version->index : 0;
  for (int attempt = 0;; ++attempt) {
    auto live = client.Get("/services/" + id, "reading service " + change.docker_name);
    if (!live.ok()) return Failed(change, live.error());
    const json& service = live.value();
    std::uint64_t index = service.contains("Version") ? service["Version"].value("Index", std::uint64_t{0}) : 0;
    if (attempt == 0 && planned_index != 0 && index != planned_index) {
      // Someone changed it since the plan: what the plan showed may no
      // longer be the change this update would make.
      return Failed(change, fmt::format("it changed since the plan was made (version {} -> {}): plan again",
                                        planned_index, index));
    }
    // docker stack deploy keeps the live ForceUpdate counter; so does nest.
    if (service.contains("Spec") && service["Spec"].contains("TaskTemplate") &&
        service["Spec"]["TaskTemplate"].contains("ForceUpdate")) {
      body["TaskTemplate"]["ForceUpdate"] = service["Spec"]["TaskTemplate"]["ForceUpdate"];
    }
    if (service.contains("Spec")) KeepColour(service["Spec"], body);  // a blue-green colour keeps its name
    auto updated = client.Post(fmt::format("/services/{}/update?version={}", id, index), body,
                               "updating service " + change.docker_name);
    if (updated.ok()) return Done{};
    const auto& error = updated.error();
    bool out_of_sequence = error.daemon_message.find("update out of sequence") != std::string::npos;
    if (!out_of_sequence || attempt + 1 >= kOutOfSequenceRetries) return Failed(change, error);
    // The version moved between our read and our write (Swarm's own updater
    // writes UpdateStatus): read again and retry (moby#30708).
  }
}

bool InUse(const engine::EngineError& error) {
  if (error.kind != engine::ErrorKind::kHttp) return false;
  if (error.http_status == 409) return true;
  return error.http_status == 400 && (error.daemon_message.find("in use") != std::string::npos ||
                                      error.daemon_message.find("has active endpoints") != std::string::npos);
}

}  // namespace

SwarmApplier::SwarmApplier(engine::Endpoint endpoint, engine::ClientOptions options, const StackSpecs& specs)
    : endpoint_(std::move(endpoint)), options_(options), specs_(specs) {}

engine::EngineClient SwarmApplier::Client() const { return engine::EngineClient(endpoint_, options_); }

Status SwarmApplier::Create(const ResourceChange& change, const StepContext& context) {
  engine::EngineClient client = Client();
  const std::string doing = fmt::format("creating {} {}", ResourceKindName(change.kind), change.docker_name);
  json body;
  switch (change.kind) {
    case ResourceKind::kNetwork:
    case ResourceKind::kVolume:
    case ResourceKind::kService: {
      const auto& list = change.kind == ResourceKind::kNetwork  ? specs_.networks
                         : change.kind == ResourceKind::kVolume ? specs_.volumes
                                                                : specs_.services;
      const json* spec = FindByName(list, change.docker_name);
      if (spec == nullptr) return Failed(change, "nest has no spec for it (a bug in nest: please report it)");
      body = *spec;
      if (change.kind == ResourceKind::kService) {
        if (Status resolved = ResolveFileReferences(client, body); !resolved.ok()) {
          return Failed(change, resolved.error().message);
        }
        UsePlannedReplicas(change, body);
      }
      break;
    }
    case ResourceKind::kSecret:
    case ResourceKind::kConfig: {
      const auto& list = change.kind == ResourceKind::kSecret ? specs_.secrets : specs_.configs;
      const FileObjectSpec* object = FindFileObject(list, change.docker_name);
      if (object == nullptr) return Failed(change, "nest has no spec for it (a bug in nest: please report it)");
      // A config written inline in the .nest file carries its data; any
      // other object reads it from its file now.
      std::optional<std::string> data = object->content ? object->content : ReadWholeFile(object->file);
      if (!data) return Failed(change, fmt::format("cannot read `{}`", object->file));
      body = object->spec;
      body["Data"] = Base64Encode(*data);
      break;
    }
  }
  const std::string path = fmt::format("/{}/create", Collection(change.kind));
  if (change.kind == ResourceKind::kNetwork && change.action == plan::Action::kReplace) {
    // The old network, removed a moment ago, lingers on the node until the
    // containers of the services that were on it have stopped, and its name
    // with it (409 "already exists"): retry until the name is free.
    Status created = PollUntil(context, "the old network's name to be free", [&]() -> Result<bool> {
      auto posted = client.Post(path, body, doing);
      if (posted.ok()) return true;
      if (posted.error().http_status == 409) return false;
      return Error{posted.error().Describe()};
    });
    if (!created.ok()) return Failed(change, created.error().message);
    return Done{};
  }
  auto created = client.Post(path, body, doing);
  if (!created.ok()) return Failed(change, created.error());
  return Done{};
}

Status SwarmApplier::Update(const ResourceChange& change, const StepContext& context) {
  if (change.kind != ResourceKind::kService) {
    // Networks, volumes, secrets and configs cannot change in place: the
    // diff plans a replace for them, never an update.
    return Failed(change, "only services are updated in place (a bug in nest: please report it)");
  }
  const json* spec = FindByName(specs_.services, change.docker_name);
  if (spec == nullptr) return Failed(change, "nest has no spec for it (a bug in nest: please report it)");
  engine::EngineClient client = Client();
  json body = *spec;
  if (Status resolved = ResolveFileReferences(client, body); !resolved.ok()) {
    return Failed(change, resolved.error().message);
  }
  UsePlannedReplicas(change, body);
  // A blue-green update runs its whole procedure here (blue_green.h).
  auto blue_green = BlueGreenFor(change, body);
  if (!blue_green.ok()) return Failed(change, blue_green.error().message);
  if (blue_green.value()) {
    Status ran = ApplyBlueGreen(client, change, body, *blue_green.value(), context);
    if (!ran.ok()) return Failed(change, ran.error().message);
    return Done{};
  }

  // A canary runs the new spec beside the stable service first, and sends
  // this update only at its promotion (canary.h). A change Swarm makes
  // without replacing tasks (replicas, labels) needs none.
  auto strategy = providers::StrategyFromLabels(body.contains("Labels") ? body["Labels"] : json::object());
  if (!strategy.ok()) return Failed(change, strategy.error().message);
  const bool canary = strategy.value().kind == providers::StrategyKind::kCanary && ChangesTasks(change);
  if (canary || context.gate != StepContext::Gate::kNone) {
    CanaryRun run{&change, body, strategy.value(), [&] { return SendUpdate(client, change, body); }};
    return RunCanary(client, run, context);
  }
  return SendUpdate(client, change, body);
}

Status SwarmApplier::Delete(const ResourceChange& change, const StepContext& context) {
  engine::EngineClient client = Client();
  const std::string id = LiveId(change);
  const std::string what = fmt::format("{} {}", ResourceKindName(change.kind), change.docker_name);
  const std::string path = fmt::format("/{}/{}", Collection(change.kind), id);

  // A network, secret, config or volume may still be in use by the tasks of
  // a service removed a moment ago: retry until they are gone.
  Status removed = PollUntil(context, "nothing to use " + what, [&]() -> Result<bool> {
    auto deleted = client.Delete(path, "removing " + what);
    if (deleted.ok()) return true;
    if (deleted.error().http_status == 404) return true;  // already gone
    if (InUse(deleted.error()) && change.kind != ResourceKind::kService) return false;
    return Error{deleted.error().Describe()};
  });
  if (!removed.ok()) return Failed(change, removed.error().message);
  if (change.kind != ResourceKind::kService) return Done{};

  // The service's containers outlive it by up to their stop grace period.
  const std::string containers =
      "/containers/json?all=1&" + engine::LabelFilter({"com.docker.swarm.service.id=" + id});
  Status drained = PollUntil(context, "the containers of " + what + " to stop", [&]() -> Result<bool> {
    auto listed = client.Get(containers, "listing the containers of " + what);
    if (!listed.ok()) return Error{listed.error().Describe()};
    if (context.progress && !listed.value().empty()) {
      context.progress(fmt::format("{} containers still stopping", listed.value().size()));
    }
    return listed.value().empty();
  });
  if (!drained.ok()) return Failed(change, drained.error().message);
  return Done{};
}

}  // namespace nest::swarm
