#include "providers/compose/apply.h"

#include <thread>

#include <fmt/format.h>

#include "providers/compose/canary.h"
#include "providers/compose/container_spec.h"
#include "providers/compose/containers.h"
#include "providers/compose/health_wait.h"
#include "providers/compose/project_objects.h"
#include "providers/compose/rollout.h"
#include "providers/deploy_strategy.h"
#include "providers/engine/query.h"

namespace nest::compose {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using plan::ResourceChange;
using plan::StepContext;

constexpr auto kPoll = std::chrono::milliseconds(250);

Error Failed(const ResourceChange& change, const std::string& what) {
  return Error{fmt::format("{} {}: {}", ResourceKindName(change.kind), change.docker_name, what)};
}

// The document key of the network or volume the change names (its Docker
// name): the project's `default` network is not in the document.
std::optional<json> CreateBody(const ComposeDesired& desired, const ResourceChange& change) {
  const char* section = change.kind == ResourceKind::kNetwork ? "networks" : "volumes";
  std::vector<std::string> keys;
  if (auto s = desired.document.find(section); s != desired.document.end() && s->is_object()) {
    for (const auto& [key, entry] : s->items()) keys.push_back(key);
  }
  if (change.kind == ResourceKind::kNetwork) keys.push_back("default");
  for (const auto& key : keys) {
    std::optional<json> body = change.kind == ResourceKind::kNetwork
                                   ? NetworkCreateBody(desired.document, desired.project, key)
                                   : VolumeCreateBody(desired.document, desired.project, key);
    if (body && (*body)["Name"] == change.docker_name) return body;
  }
  return std::nullopt;
}

// The ID the plan saw for the live object; for volumes, the name.
std::string LiveId(const ResourceChange& change) {
  if (change.live_version && !change.live_version->id.empty()) return change.live_version->id;
  if (change.before && change.before->version && !change.before->version->id.empty()) return change.before->version->id;
  return change.docker_name;
}

// "volume is in use" (409), "network ... has active endpoints" (403).
bool InUse(const engine::EngineError& error) {
  const std::string& said = error.daemon_message;
  return error.http_status == 409 || said.find("active endpoints") != std::string::npos ||
         said.find("in use") != std::string::npos;
}

}  // namespace

ComposeApplier::ComposeApplier(engine::Endpoint endpoint, engine::ClientOptions options, const ComposeDesired& desired)
    : endpoint_(std::move(endpoint)), options_(options), desired_(desired) {}

engine::EngineClient ComposeApplier::Client() const { return engine::EngineClient(endpoint_, options_); }

Status ComposeApplier::RollOut(const ResourceChange& change, const StepContext& context) {
  Result<ContainerSpec> spec = BuildContainerSpec(desired_.document, desired_.project, change.docker_name);
  if (!spec.ok()) return spec.error();
  auto found = desired_.rollouts.find(change.docker_name);
  const RolloutSettings settings = found != desired_.rollouts.end() ? found->second : RolloutSettings{};
  Result<providers::DeployStrategy> strategy = providers::StrategyFromLabels(spec.value().create["Labels"]);
  if (!strategy.ok()) return Failed(change, strategy.error().message);
  engine::EngineClient client = Client();
  if (strategy.value().kind == providers::StrategyKind::kCanary) {
    return RollOutCanary(client, desired_.project, spec.value(), strategy.value(), settings, context);
  }
  if (Status rolled = RollOutService(client, desired_.project, spec.value(), settings, context); !rolled.ok()) {
    return rolled;
  }
  // A canary a killed run left, now that the service is no longer one.
  return RemoveCanaryContainers(client, desired_.project, change.docker_name, spec.value().stop_grace_seconds, context);
}

Status ComposeApplier::Create(const ResourceChange& change, const StepContext& context) {
  if (change.kind == ResourceKind::kService) return RollOut(change, context);
  if (change.kind != ResourceKind::kNetwork && change.kind != ResourceKind::kVolume) {
    return Failed(change, "compose has no such objects (a bug in nest: please report it)");
  }
  std::optional<json> body = CreateBody(desired_, change);
  if (!body) return Failed(change, "nest has no spec for it (a bug in nest: please report it)");
  engine::EngineClient client = Client();
  const char* collection = change.kind == ResourceKind::kNetwork ? "networks" : "volumes";
  auto created = client.Post(fmt::format("/{}/create", collection), *body,
                             fmt::format("creating {} {}", ResourceKindName(change.kind), change.docker_name));
  if (!created.ok()) return Failed(change, created.error().Describe());
  return Done{};
}

Status ComposeApplier::Update(const ResourceChange& change, const StepContext& context) {
  if (change.kind != ResourceKind::kService) {
    return Failed(change, "only services are updated in place (a bug in nest: please report it)");
  }
  return RollOut(change, context);
}

Status ComposeApplier::Delete(const ResourceChange& change, const StepContext& context) {
  engine::EngineClient client = Client();
  if (change.kind == ResourceKind::kService) {
    // The service is no longer in the document: Docker's default grace.
    Status removed = RemoveServiceContainers(client, desired_.project, change.docker_name, 10, context);
    if (removed.ok()) removed = RemoveCanaryContainers(client, desired_.project, change.docker_name, 10, context);
    if (!removed.ok()) return removed.error();
    return Done{};
  }
  const char* collection = change.kind == ResourceKind::kNetwork ? "networks" : "volumes";
  const std::string path = fmt::format("/{}/{}", collection, engine::UrlEncode(LiveId(change)));
  const std::string what = fmt::format("{} {}", ResourceKindName(change.kind), change.docker_name);
  // The containers of a service removed a moment ago may still hold it.
  for (;;) {
    auto deleted = client.Delete(path, "removing " + what);
    if (deleted.ok() || deleted.error().http_status == 404) return Done{};
    if (!InUse(deleted.error())) return Failed(change, deleted.error().Describe());
    if (context.cancelled()) return Failed(change, "interrupted while waiting for its containers to let go of it");
    if (context.expired()) return Failed(change, "timed out waiting for its containers to let go of it");
    std::this_thread::sleep_for(kPoll);
  }
}

Status ComposeApplier::WaitConverged(const ResourceChange& change, const StepContext& context) {
  if (change.kind != ResourceKind::kService) return Done{};
  Result<ContainerSpec> spec = BuildContainerSpec(desired_.document, desired_.project, change.docker_name);
  if (!spec.ok()) return spec.error();
  engine::EngineClient client = Client();
  auto listed = ListServiceContainers(client, desired_.project, change.docker_name);
  if (!listed.ok()) return listed.error();
  std::vector<WaitTarget> targets;
  int other = 0;
  for (const auto& c : listed.value()) {
    if (c.config_hash == spec.value().config_hash) {
      targets.push_back({c.id, c.name});
    } else {
      ++other;
    }
  }
  if (static_cast<int>(targets.size()) != spec.value().replicas || other != 0) {
    return Failed(change, fmt::format("{} containers of the current spec (of {} wanted), {} of another", targets.size(),
                                      spec.value().replicas, other));
  }
  if (targets.empty()) return Done{};
  Status ready = WaitReady(client, targets, std::chrono::milliseconds(0), context);
  if (!ready.ok()) return Failed(change, ready.error().message);
  return Done{};
}

}  // namespace nest::compose
