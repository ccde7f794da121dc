#include "providers/swarm/blue_green.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "providers/engine/query.h"
#include "providers/metric_analysis.h"
#include "providers/swarm/blue_green_colours.h"
#include "providers/swarm/converge_wait.h"
#include "providers/swarm/normalize.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kDefaultVerify{10000};
constexpr milliseconds kHealthInterval{1000};
constexpr auto kRemoveTimeout = std::chrono::seconds(60);
constexpr int kOutOfSequenceRetries = 5;

std::string Label(const json& spec, const char* key) {
  if (!spec.contains("Labels") || !spec["Labels"].is_object()) return "";
  auto it = spec["Labels"].find(key);
  return it != spec["Labels"].end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Seconds(milliseconds duration) { return fmt::format("{:.1f} s", duration.count() / 1000.0); }

void Progress(const plan::StepContext& context, const std::string& line) {
  if (context.progress) context.progress("blue-green: " + line);
}

// Attributes whose change leaves the running tasks as they are.
bool TouchesTasks(const plan::ResourceChange& change) {
  static const std::vector<std::string> kNotTasks = {"replicas", "labels", "update_config", "rollback_config"};
  for (const auto& attribute : change.changes) {
    if (std::find(kNotTasks.begin(), kNotTasks.end(), attribute.name) == kNotTasks.end()) return true;
  }
  return false;
}

// The service by name or ID; nullopt when there is none.
Result<std::optional<json>> FindService(engine::EngineClient& client, const std::string& name) {
  auto read = client.Get("/services/" + engine::UrlEncode(name), "reading service " + name);
  if (read.ok()) return std::optional<json>(std::move(read).value());
  if (read.error().http_status == 404) return std::optional<json>();
  return Error{read.error().Describe()};
}

// POST /services/{id}/update against the version read just before, keeping
// the live ForceUpdate counter (as apply.cc does), retried on "update out
// of sequence" (Swarm's own updater writes UpdateStatus meanwhile).
Status UpdateService(engine::EngineClient& client, const std::string& id, json body) {
  const std::string name = body.value("Name", id);
  for (int attempt = 0;; ++attempt) {
    auto live = client.Get("/services/" + id, "reading service " + name);
    if (!live.ok()) return Error{live.error().Describe()};
    const json& service = live.value();
    std::uint64_t index = service.contains("Version") ? service["Version"].value("Index", std::uint64_t{0}) : 0;
    const json& spec = service.contains("Spec") ? service["Spec"] : json::object();
    if (spec.contains("TaskTemplate") && spec["TaskTemplate"].contains("ForceUpdate")) {
      body["TaskTemplate"]["ForceUpdate"] = spec["TaskTemplate"]["ForceUpdate"];
    }
    auto updated = client.Post(fmt::format("/services/{}/update?version={}", id, index), body,
                               "updating service " + name);
    if (updated.ok()) return Done{};
    bool out_of_sequence = updated.error().daemon_message.find("update out of sequence") != std::string::npos;
    if (!out_of_sequence || attempt + 1 >= kOutOfSequenceRetries) return Error{updated.error().Describe()};
  }
}

// Removes the service and waits (at most a minute, whatever the deadline or
// an interrupt: this is the clean-up) until its containers are gone.
Status RemoveService(engine::EngineClient& client, const std::string& id, const std::string& name) {
  auto deleted = client.Delete("/services/" + id, "removing service " + name);
  if (!deleted.ok() && deleted.error().http_status != 404) return Error{deleted.error().Describe()};
  const std::string containers =
      "/containers/json?all=1&" + engine::LabelFilter({"com.docker.swarm.service.id=" + id});
  const auto until = Clock::now() + kRemoveTimeout;
  for (;;) {
    auto listed = client.Get(containers, "listing the containers of service " + name);
    if (!listed.ok()) return Error{listed.error().Describe()};
    if (listed.value().empty()) return Done{};
    if (Clock::now() >= until) return Error{fmt::format("the containers of service {} did not stop in 60 s", name)};
    std::this_thread::sleep_for(milliseconds(250));
  }
}

// Waits for the service (by ID) to converge. `interruptible`: an interrupt
// stops the wait (before the switch); during the switch it does not, so a
// switch once begun always ends with one live colour.
Status WaitConverged(engine::EngineClient& client, const std::string& id, const plan::StepContext& context,
                     bool interruptible, std::optional<milliseconds> monitor = std::nullopt) {
  WaitOptions options;
  options.cancel = interruptible ? context.cancel : nullptr;
  options.monitor = monitor;
  auto left = context.deadline - Clock::now();
  options.timeout = std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(left));
  if (context.progress) {
    options.on_progress = [&context](const WaitProgress& progress) {
      context.progress("blue-green: " + progress.status.Summary());
    };
  }
  WaitResult waited = WaitForConvergence(client, id, options);
  if (waited.outcome == WaitOutcome::kConverged) return Done{};
  return Error{waited.message};
}

// One half of an unrouted switch: the alias change sent with every task
// replaced at once (start-first or stop-first as the spec says), waited for
// without a monitor window (these tasks were verified; a task with a health
// check runs only once healthy), then the spec's own update settings put
// back, which restarts nothing. One batch instead of `replicas` batches
// shortens the time both colours answer the name.
Status UpdateAllAtOnce(engine::EngineClient& client, const std::string& id, const json& body,
                       const plan::StepContext& context) {
  json at_once = body;
  at_once["UpdateConfig"]["Parallelism"] = 0;
  if (Status updated = UpdateService(client, id, at_once); !updated.ok()) return updated;
  Status waited = WaitConverged(client, id, context, false, milliseconds(0));
  Status restored = UpdateService(client, id, body);
  if (!waited.ok()) return waited;
  return restored;
}

int DesiredReplicas(const json& spec) {
  if (spec.contains("Mode") && spec["Mode"].contains("Replicated")) {
    return spec["Mode"]["Replicated"].value("Replicas", 1);
  }
  return -1;  // global: every task the service wants
}

// The min_healthy check once: running tasks (healthy ones: see blue_green.h)
// against the replicas asked for.
Status CheckHealthy(engine::EngineClient& client, const std::string& id, const std::string& name,
                    int replicas, double min_healthy) {
  auto tasks = client.Get("/tasks?" + engine::EncodeFilters({{"service", {id}}, {"desired-state", {"running"}}}),
                          "listing the tasks of service " + name);
  if (!tasks.ok()) return Error{tasks.error().Describe()};
  int running = 0, wanted = 0;
  for (const auto& task : tasks.value()) {
    ++wanted;
    if (task.contains("Status") && task["Status"].value("State", "") == "running") ++running;
  }
  if (replicas >= 0) wanted = replicas;
  if (wanted == 0) return Done{};
  double percent = 100.0 * running / wanted;
  if (percent + 1e-9 < min_healthy) {
    return Error{fmt::format("min_healthy: {} of {} new-colour tasks healthy ({:g}%) < {:g}%", running, wanted,
                             percent, min_healthy)};
  }
  return Done{};
}

// Step 2: the new colour healthy (and passing the metric checks) for the
// whole verify time.
Status Verify(engine::EngineClient& client, const std::string& id, const std::string& name, int replicas,
              const providers::DeployStrategy& strategy, const plan::StepContext& context) {
  const milliseconds verify = strategy.verify.value_or(kDefaultVerify);
  const double min_healthy =
      strategy.analysis && strategy.analysis->min_healthy ? *strategy.analysis->min_healthy : 100.0;
  std::optional<providers::MetricAnalysis> metrics;
  if (strategy.analysis && strategy.analysis->HasMetricChecks()) {
    providers::AnalysisSettings analysis = *strategy.analysis;
    if (!analysis.window) analysis.window = verify;  // the queries look back over the time verified
    metrics.emplace(analysis, name);
  }
  const auto start = Clock::now();
  auto next_sample = start;
  for (;;) {
    if (context.cancelled()) return Error{"interrupted while verifying"};
    if (context.expired()) return Error{"timed out while verifying"};
    if (Status healthy = CheckHealthy(client, id, name, replicas, min_healthy); !healthy.ok()) return healthy;
    auto now = Clock::now();
    if (metrics && now >= next_sample) {
      if (Status sampled = metrics->Sample(); !sampled.ok()) return sampled;
      next_sample = now + metrics->interval();
    }
    auto elapsed = std::chrono::duration_cast<milliseconds>(now - start);
    // A check that never gave a value it could judge does not pass verify.
    if (elapsed >= verify) return metrics ? metrics->Conclude() : Status{Done{}};
    Progress(context, fmt::format("verifying {} ({} of {})", name, Seconds(elapsed), Seconds(verify)));
    std::this_thread::sleep_for(std::min(kHealthInterval, verify - elapsed));
  }
}

struct Colours {
  std::string of;     // the config's docker name
  std::string alias;  // the production alias
  bool routed = false;
  json desired;       // the desired spec
};

// Step 3 and 4: `to` (a colour's ID and name) becomes live with the desired
// spec, `from` (the live colour's) the previous one.
Status Switch(engine::EngineClient& client, const Colours& c, const std::string& to_id, const std::string& to_name,
              const std::string& from_id, const std::string& from_name, const providers::DeployStrategy& strategy,
              const plan::StepContext& context) {
  const auto start = Clock::now();
  json live;
  if (c.routed) {
    // Traefik's labels only: the tasks keep running as they were verified.
    auto read = client.Get("/services/" + to_id, "reading service " + to_name);
    if (!read.ok()) return Error{read.error().Describe()};
    live = read.value()["Spec"];
    live["Labels"] = c.desired["Labels"];
  } else {
    live = c.desired;
  }
  live["Name"] = to_name;
  SetColourLabels(live, c.of, ColourRole::kLive);
  Progress(context, fmt::format("switching {} to {}", c.alias, to_name));
  if (Status updated = c.routed ? UpdateService(client, to_id, live) : UpdateAllAtOnce(client, to_id, live, context);
      !updated.ok()) {
    return updated;
  }

  auto read = client.Get("/services/" + from_id, "reading service " + from_name);
  if (!read.ok()) return Error{read.error().Describe()};
  json previous = read.value()["Spec"];
  if (!strategy.keep_previous || strategy.keep_previous->count() == 0) {
    Progress(context, fmt::format("removing {} (no keep_previous)", from_name));
    return RemoveService(client, from_id, from_name);
  }
  if (c.routed) {
    previous["Labels"]["traefik.enable"] = "false";
  } else {
    ReplaceAlias(previous, c.alias, c.alias + "-previous");
  }
  SetColourLabels(previous, c.of, ColourRole::kPrevious,
                  std::chrono::system_clock::now() + *strategy.keep_previous);
  if (Status updated =
          c.routed ? UpdateService(client, from_id, previous) : UpdateAllAtOnce(client, from_id, previous, context);
      !updated.ok()) {
    return updated;
  }
  Progress(context, fmt::format("{} live, {} kept as previous for {} (switch took {})", to_name, from_name,
                                Seconds(*strategy.keep_previous),
                                Seconds(std::chrono::duration_cast<milliseconds>(Clock::now() - start))));
  return Done{};
}

}  // namespace

Result<std::optional<providers::DeployStrategy>> BlueGreenFor(const plan::ResourceChange& change,
                                                              const json& desired) {
  Result<providers::DeployStrategy> strategy =
      providers::StrategyFromLabels(desired.contains("Labels") ? desired["Labels"] : json::object());
  if (!strategy.ok()) return strategy.error();
  if (strategy.value().kind != providers::StrategyKind::kBlueGreen || !TouchesTasks(change)) {
    return std::optional<providers::DeployStrategy>();
  }
  return std::optional<providers::DeployStrategy>(std::move(strategy).value());
}

bool RanAsBlueGreen(const plan::ResourceChange& change, const StackSpecs& specs) {
  if (change.action != plan::Action::kUpdate) return false;
  for (const auto& spec : specs.services) {
    if (spec.value("Name", "") != change.docker_name) continue;
    auto strategy = BlueGreenFor(change, spec);
    return strategy.ok() && strategy.value().has_value();
  }
  return false;
}

Status ApplyBlueGreen(engine::EngineClient& client, const plan::ResourceChange& change, json desired,
                      const providers::DeployStrategy& strategy, const plan::StepContext& context) {
  const std::string live_id =
      change.live_version && !change.live_version->id.empty() ? change.live_version->id : change.docker_name;
  auto read = client.Get("/services/" + live_id, "reading service " + change.docker_name);
  if (!read.ok()) return Error{read.error().Describe()};
  const json& live = read.value();
  std::uint64_t index = live.contains("Version") ? live["Version"].value("Index", std::uint64_t{0}) : 0;
  if (change.live_version && change.live_version->index != 0 && index != change.live_version->index) {
    return Error{fmt::format("it changed since the plan was made (version {} -> {}): plan again",
                             change.live_version->index, index)};
  }
  Colours c;
  c.of = desired.value("Name", change.docker_name);
  c.alias = ProductionAlias(desired);
  c.routed = IsRouted(desired.contains("Labels") ? desired["Labels"] : json::object());
  c.desired = desired;
  const std::string live_name = live["Spec"].value("Name", c.of);
  const std::string other = OtherColourName(live_name, c.of);

  // The colour beside the live one: the kept previous colour with this very
  // spec is a switch back; anything else there (an older previous colour, a
  // preview an interrupted apply left) makes way for the new colour.
  auto existing = FindService(client, other);
  if (!existing.ok()) return existing.error();
  if (existing.value()) {
    const json& spec = (*existing.value())["Spec"];
    const std::string id = existing.value()->value("ID", "");
    const std::string hash = Label(spec, kSpecHashLabel);
    if (ColourOf(spec["Labels"]).role == ColourRole::kPrevious && !hash.empty() &&
        hash == Label(desired, kSpecHashLabel)) {
      Progress(context, fmt::format("{} is the previous colour with this spec: switching back", other));
      return Switch(client, c, id, other, live_id, live_name, strategy, context);
    }
    Progress(context, fmt::format("removing {} to make way for the new colour", other));
    if (Status removed = RemoveService(client, id, other); !removed.ok()) return removed;
  }

  json preview = desired;
  preview["Name"] = other;
  ReplaceAlias(preview, c.alias, c.alias + "-preview");
  SetColourLabels(preview, c.of, ColourRole::kPreview);
  if (c.routed) preview["Labels"]["traefik.enable"] = "false";
  auto created = client.Post("/services/create", preview, "creating service " + other);
  if (!created.ok()) return Error{created.error().Describe()};
  const std::string new_id = created.value().value("ID", "");

  Progress(context, fmt::format("{} created under {}-preview", other, c.alias));
  Status verified = WaitConverged(client, new_id, context, true);
  if (verified.ok()) verified = Verify(client, new_id, other, DesiredReplicas(desired), strategy, context);
  if (!verified.ok()) {
    Status removed = RemoveService(client, new_id, other);
    std::string cleanup = removed.ok() ? fmt::format("{} was removed", other)
                                       : fmt::format("removing {} failed too: {}", other, removed.error().message);
    if (context.cancelled()) {
      return Error{fmt::format("interrupted before the blue-green switch: {}, {} untouched", cleanup, live_name)};
    }
    return Error{fmt::format("blue-green verify of {} failed: {}; {}, {} untouched", other, verified.error().message,
                             cleanup, live_name)};
  }
  return Switch(client, c, new_id, other, live_id, live_name, strategy, context);
}

void KeepColour(const json& live_spec, json& body) {
  const json& labels = live_spec.contains("Labels") ? live_spec["Labels"] : json::object();
  Colour colour = ColourOf(labels);
  if (colour.role == ColourRole::kNone) return;
  std::string alias = ProductionAlias(body);
  body["Name"] = live_spec.value("Name", body.value("Name", ""));
  for (const char* key : {kColourOfLabel, kColourRoleLabel, kColourExpiresLabel}) {
    if (labels.contains(key)) body["Labels"][key] = labels[key];
  }
  // A routed colour kept the alias it was verified under (blue_green_colours.h).
  json probe = live_spec;
  if (IsRouted(labels) && ReplaceAlias(probe, alias + "-preview", alias)) ReplaceAlias(body, alias, alias + "-preview");
}

}  // namespace nest::swarm
