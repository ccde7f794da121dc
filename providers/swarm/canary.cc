#include "providers/swarm/canary.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <thread>

#include "providers/engine/query.h"
#include "providers/metric_analysis.h"
#include "providers/swarm/converge_wait.h"
#include "providers/swarm/normalize.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kPoll{500};
constexpr milliseconds kDefaultWindow{10000};
// Removing the canary is never cut short by an interrupt (it is what an
// interrupt asks for), only by this bound on its containers' stopping.
constexpr auto kRemoveBound = std::chrono::minutes(2);
constexpr int kOutOfSequenceRetries = 5;

// The attributes Swarm changes without replacing a task.
const std::set<std::string> kServiceOnly = {"replicas", "labels", "update_config", "rollback_config"};

struct LiveCanary {
  std::string id;
  std::uint64_t index = 0;
  int step = 0;  // from 1; 0 when the label is missing or unreadable
  std::string spec_hash;
};

// What one step is: its number (from 1), share and replicas.
struct Step {
  int number = 0;
  int of = 0;
  double percent = 0;
  int replicas = 0;

  std::string Describe() const {
    return fmt::format("step {} of {} ({}%, {} replica{})", number, of, percent, replicas, replicas == 1 ? "" : "s");
  }
};

std::string LabelOf(const json& spec, const char* label) {
  auto labels = spec.find("Labels");
  if (labels == spec.end() || !labels->is_object()) return "";
  auto it = labels->find(label);
  return it != labels->end() && it->is_string() ? it->get<std::string>() : "";
}

std::uint64_t VersionIndex(const json& service) {
  auto version = service.find("Version");
  if (version == service.end() || !version->is_object()) return 0;
  return version->value("Index", std::uint64_t{0});
}

// The stable service's replicas as the plan read them (never changed
// before the promotion).
int StableReplicas(const plan::ResourceChange& change) {
  if (!change.before) return 1;
  auto it = change.before->attributes.find("replicas");
  if (it == change.before->attributes.end()) return 1;
  try {
    return std::stoi(it->second.scalar);
  } catch (const std::logic_error&) {
    return 1;
  }
}

Result<std::optional<LiveCanary>> FindCanary(engine::EngineClient& client, const std::string& docker_name) {
  auto listed = client.Get("/services?" + engine::LabelFilter({std::string(kCanaryOfLabel) + "=" + docker_name}),
                           "looking for the canary of service " + docker_name);
  if (!listed.ok()) return Error{listed.error().Describe()};
  const std::string name = CanaryName(docker_name);
  for (const auto& service : listed.value()) {
    if (!service.contains("Spec") || service["Spec"].value("Name", "") != name) continue;
    LiveCanary canary;
    canary.id = service.value("ID", "");
    canary.index = VersionIndex(service);
    canary.spec_hash = LabelOf(service["Spec"], kSpecHashLabel);
    try {
      canary.step = std::stoi(LabelOf(service["Spec"], kCanaryStepLabel));
    } catch (const std::logic_error&) {
      canary.step = 0;
    }
    return std::optional<LiveCanary>(canary);
  }
  return std::optional<LiveCanary>();
}

// The canary's spec: the stable's new one under the canary's name, with
// `replicas`, labelled with what it is a canary of and the step it is at.
// Not the stable's address (it is not a resource of the config), and no
// published ports (two services cannot publish one port; the canary is
// reached by the service's name on its networks).
json CanarySpec(const json& desired, const std::string& docker_name, const Step& step) {
  json spec = desired;
  spec["Name"] = CanaryName(docker_name);
  json& labels = spec["Labels"];
  if (!labels.is_object()) labels = json::object();
  labels.erase(kAddressLabel);
  labels[kCanaryOfLabel] = docker_name;
  labels[kCanaryStepLabel] = std::to_string(step.number);
  spec["Mode"] = {{"Replicated", {{"Replicas", step.replicas}}}};
  if (spec.contains("EndpointSpec") && spec["EndpointSpec"].is_object()) spec["EndpointSpec"].erase("Ports");
  return spec;
}

// Creates the canary, or updates the live one (its replicas and step label:
// no task is replaced when its spec is the same).
Result<std::string> PutCanary(engine::EngineClient& client, const std::optional<LiveCanary>& live, const json& spec) {
  const std::string name = spec.value("Name", "");
  if (!live) {
    auto created = client.Post("/services/create", spec, "creating service " + name);
    if (!created.ok()) return Error{created.error().Describe()};
    return created.value().value("ID", name);
  }
  for (int attempt = 0;; ++attempt) {
    auto read = client.Get("/services/" + live->id, "reading service " + name);
    if (!read.ok()) return Error{read.error().Describe()};
    json body = spec;
    const json& current = read.value();
    if (current.contains("Spec") && current["Spec"].contains("TaskTemplate") &&
        current["Spec"]["TaskTemplate"].contains("ForceUpdate")) {
      body["TaskTemplate"]["ForceUpdate"] = current["Spec"]["TaskTemplate"]["ForceUpdate"];
    }
    auto updated = client.Post(fmt::format("/services/{}/update?version={}", live->id, VersionIndex(current)), body,
                               "updating service " + name);
    if (updated.ok()) return live->id;
    bool out_of_sequence = updated.error().daemon_message.find("update out of sequence") != std::string::npos;
    if (!out_of_sequence || attempt + 1 >= kOutOfSequenceRetries) return Error{updated.error().Describe()};
  }
}

// The canary's tasks now: those running (Swarm holds a task with a health
// check in `starting` until its container is healthy, and fails it once it
// turns unhealthy, so running means healthy), and the newest failure.
struct TaskCounts {
  int running = 0;
  int failed = 0;
  std::string last_error;
};

Result<TaskCounts> CountTasks(engine::EngineClient& client, const std::string& canary_id) {
  auto listed = client.Get("/tasks?" + engine::EncodeFilters({{"service", {canary_id}}}), "listing the canary's tasks");
  if (!listed.ok()) return Error{listed.error().Describe()};
  TaskCounts counts;
  std::string newest;
  for (const auto& task : listed.value()) {
    const json status = task.value("Status", json::object());
    const std::string state = status.value("State", "");
    if (task.value("DesiredState", "") == "running" && state == "running") ++counts.running;
    if (state == "failed" || state == "rejected") {
      ++counts.failed;
      std::string time = status.value("Timestamp", "");
      if (time >= newest) {
        newest = time;
        std::string error = status.value("Err", "");
        counts.last_error = fmt::format("task {} {}: {}", task.value("ID", "").substr(0, 12), state,
                                        error.empty() ? status.value("Message", "") : error);
      }
    }
  }
  return counts;
}

// min_healthy over the canary's `replicas`: an error naming the measured
// value when too few are healthy.
Status CheckMinHealthy(const TaskCounts& counts, int replicas, double min_healthy) {
  int healthy = std::min(counts.running, replicas);
  double share = replicas > 0 ? 100.0 * healthy / replicas : 100.0;
  if (share + 1e-9 >= min_healthy) return Done{};
  std::string text = fmt::format("min_healthy: {} of {} canary tasks healthy ({}%) < {}%", healthy, replicas,
                                 static_cast<int>(share), min_healthy);
  if (!counts.last_error.empty()) text += "; " + counts.last_error;
  return Error{text};
}

// Removes the canary and waits until its containers are gone, so the
// service's name resolves to the stable set alone afterwards.
Status RemoveCanary(engine::EngineClient& client, const std::string& name) {
  auto inspected = client.Get("/services/" + name, "reading service " + name);
  if (!inspected.ok()) return inspected.error().http_status == 404 ? Status(Done{}) : Status(Error{inspected.error().Describe()});
  const std::string id = inspected.value().value("ID", name);
  auto deleted = client.Delete("/services/" + id, "removing service " + name);
  if (!deleted.ok() && deleted.error().http_status != 404) return Error{deleted.error().Describe()};
  const std::string containers = "/containers/json?all=1&" + engine::LabelFilter({"com.docker.swarm.service.id=" + id});
  const auto until = Clock::now() + kRemoveBound;
  for (;;) {
    auto listed = client.Get(containers, "listing the containers of service " + name);
    if (!listed.ok()) return Error{listed.error().Describe()};
    if (listed.value().empty()) return Done{};
    if (Clock::now() >= until) return Error{fmt::format("the containers of service {} did not stop", name)};
    std::this_thread::sleep_for(kPoll);
  }
}

class CanaryRunner {
 public:
  CanaryRunner(engine::EngineClient& client, const CanaryRun& run, const plan::StepContext& context)
      : client_(client),
        run_(run),
        context_(context),
        docker_name_(run.change->docker_name),
        canary_name_(CanaryName(docker_name_)),
        subject_(run.change->address),
        stable_replicas_(StableReplicas(*run.change)) {
    const auto& analysis = run.strategy.analysis;
    min_healthy_ = analysis && analysis->min_healthy ? *analysis->min_healthy : 100.0;
    window_ = analysis && analysis->window ? *analysis->window : run.strategy.pause.value_or(kDefaultWindow);
  }

  Status Run() {
    auto found = FindCanary(client_, docker_name_);
    if (!found.ok()) return Fail(found.error().message);
    live_ = found.value();
    const auto gate = context_.gate;
    if (gate == plan::StepContext::Gate::kAbort) {
      if (!live_) return Fail("has no canary in progress to abort");
      Progress("removing the canary (--abort)");
      if (Status removed = RemoveCanary(client_, canary_name_); !removed.ok()) return Fail(removed.error().message);
      return Done{};
    }
    std::size_t first = 0;
    if (live_) {
      const std::string wanted = LabelOf(run_.desired, kSpecHashLabel);
      if (live_->spec_hash != wanted || live_->step < 1) {
        // The canary runs another spec than the one planned now (the config
        // changed while it waited): it starts over with this one.
        Progress("the canary runs another spec: starting over from step 1");
      } else {
        // Step n was reached: an apply stopped or killed there resumes it;
        // --promote goes on to the next.
        first = static_cast<std::size_t>(live_->step) - (gate == plan::StepContext::Gate::kPromote ? 0 : 1);
      }
    } else if (gate == plan::StepContext::Gate::kPromote) {
      return Fail("has no canary in progress to promote");
    }
    const auto& steps = run_.strategy.steps;
    for (std::size_t i = first; i < steps.size(); ++i) {
      if (steps[i] >= 100) break;
      Step step{static_cast<int>(i + 1), static_cast<int>(steps.size()), steps[i],
                providers::CanaryReplicas(stable_replicas_, steps[i])};
      if (Status ran = RunStep(step); !ran.ok()) return ran;
      if (!run_.strategy.pause) {
        return Error{fmt::format("{}: canary paused at {}: run nest apply --promote {} to go on or --abort {} to "
                                 "remove it",
                                 subject_, step.Describe(), GateName(subject_), GateName(subject_))};
      }
    }
    return Promote();
  }

 private:
  Error Fail(const std::string& what) const { return Error{fmt::format("{}: {}", subject_, what)}; }

  void Progress(const std::string& line) const {
    if (context_.progress) context_.progress("canary: " + line);
  }

  // Removes the canary after `why`; the stable service is left as it is.
  Error Abort(const Step& step, const std::string& why) {
    Progress("aborting: removing the canary");
    Status removed = RemoveCanary(client_, canary_name_);
    std::string text = fmt::format("{}: canary aborted at {}: {}; ", subject_, step.Describe(), why);
    text += removed.ok() ? "the canary was removed, the stable service is unchanged"
                         : "removing the canary failed: " + removed.error().message;
    return Error{text};
  }

  // Stops the step for an interrupt or the deadline; nullopt to go on.
  std::optional<Error> Stopped(const Step& step) {
    if (context_.cancelled()) return Abort(step, "interrupted");
    if (context_.expired()) return Abort(step, "timed out");
    return std::nullopt;
  }

  Status RunStep(const Step& step) {
    Progress(fmt::format("{}: starting the canary", step.Describe()));
    auto put = PutCanary(client_, live_, CanarySpec(run_.desired, docker_name_, step));
    if (!put.ok()) {
      if (!live_) return Fail("creating the canary failed: " + put.error().message);
      return Abort(step, "updating the canary failed: " + put.error().message);
    }
    live_ = LiveCanary{put.value(), 0, step.number, LabelOf(run_.desired, kSpecHashLabel)};

    // Until every canary task runs healthy; a failed task ends the wait
    // when min_healthy can no longer hold.
    for (;;) {
      auto counts = CountTasks(client_, live_->id);
      if (!counts.ok()) return Abort(step, counts.error().message);
      if (counts.value().running >= step.replicas) break;
      if (counts.value().failed > 0) {
        if (Status healthy = CheckMinHealthy(counts.value(), step.replicas, min_healthy_); !healthy.ok()) {
          return Abort(step, healthy.error().message);
        }
      }
      if (auto stopped = Stopped(step)) return *stopped;
      Progress(fmt::format("{}: {}/{} canary tasks running and healthy", step.Describe(), counts.value().running,
                           step.replicas));
      std::this_thread::sleep_for(kPoll);
    }

    // Observed for the window (health and metrics), then held for the
    // rest of the pause; the health check goes on through the hold.
    providers::AnalysisSettings analysis = run_.strategy.analysis.value_or(providers::AnalysisSettings{});
    analysis.window = window_;  // the checks' queries look back over the window observed
    providers::MetricAnalysis metrics(analysis, canary_name_);
    const auto start = Clock::now();
    const auto window_end = start + window_;
    const auto end = start + std::max(window_, run_.strategy.pause.value_or(milliseconds(0)));
    auto next_sample = start;
    while (Clock::now() < end) {
      if (auto stopped = Stopped(step)) return *stopped;
      auto counts = CountTasks(client_, live_->id);
      if (!counts.ok()) return Abort(step, counts.error().message);
      if (Status healthy = CheckMinHealthy(counts.value(), step.replicas, min_healthy_); !healthy.ok()) {
        return Abort(step, healthy.error().message);
      }
      const auto now = Clock::now();
      if (now < window_end && now >= next_sample) {
        if (Status sampled = metrics.Sample(); !sampled.ok()) return Abort(step, sampled.error().message);
        next_sample = now + metrics.interval();
      }
      auto left = std::chrono::duration_cast<std::chrono::seconds>(end - now).count();
      Progress(fmt::format("{}: {} ({}/{} healthy), {} s left", step.Describe(),
                           now < window_end ? "observing" : "holding", counts.value().running, step.replicas, left));
      std::this_thread::sleep_for(std::min<Clock::duration>(kPoll, end - Clock::now()));
    }
    // A check that never gave a value it could judge does not pass the step.
    if (Status concluded = metrics.Conclude(); !concluded.ok()) return Abort(step, concluded.error().message);
    return Done{};
  }

  // The stable service to the new spec by its own update settings (the
  // canary serves meanwhile), then the canary removed.
  Status Promote() {
    Step last{static_cast<int>(run_.strategy.steps.size()), static_cast<int>(run_.strategy.steps.size()), 100,
              stable_replicas_};
    Progress("promoting: rolling the stable service to the new spec");
    if (Status rolled = run_.roll_stable(); !rolled.ok()) return Abort(last, "promotion: " + rolled.error().message);
    WaitOptions options;
    options.cancel = context_.cancel;
    auto left = context_.deadline - Clock::now();
    options.timeout = std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(left));
    if (context_.progress) {
      options.on_progress = [this](const WaitProgress& progress) {
        Progress("promoting: " + progress.status.Summary());
      };
    }
    WaitResult waited = WaitForConvergence(client_, docker_name_, options);
    if (waited.outcome != WaitOutcome::kConverged) {
      std::string why = waited.outcome == WaitOutcome::kCancelled
                            ? "interrupted during the promotion (Swarm carries on rolling the stable service)"
                            : "promotion: " + waited.message;
      Progress("removing the canary");
      Status removed = RemoveCanary(client_, canary_name_);
      return Fail(fmt::format("{}; {}", why,
                              removed.ok() ? "the canary was removed" : "removing the canary failed: " +
                                                                              removed.error().message));
    }
    Progress("promoted: removing the canary");
    if (Status removed = RemoveCanary(client_, canary_name_); !removed.ok()) {
      return Fail("promoted, but removing the canary failed: " + removed.error().message);
    }
    return Done{};
  }

  engine::EngineClient& client_;
  const CanaryRun& run_;
  const plan::StepContext& context_;
  const std::string docker_name_;
  const std::string canary_name_;
  const std::string subject_;
  const int stable_replicas_;
  double min_healthy_ = 100;
  milliseconds window_{kDefaultWindow};
  std::optional<LiveCanary> live_;
};

}  // namespace

std::string CanaryName(const std::string& docker_name) { return docker_name + "-canary"; }

bool ChangesTasks(const plan::ResourceChange& change) {
  return std::any_of(change.changes.begin(), change.changes.end(),
                     [](const plan::AttributeChange& attribute) { return !kServiceOnly.count(attribute.name); });
}

std::string GateName(const std::string& address) {
  constexpr std::string_view kRoot = "service.";
  if (address.rfind(kRoot, 0) == 0 && address.find('.', kRoot.size()) == std::string::npos) {
    return address.substr(kRoot.size());
  }
  return address;
}

Status RunCanary(engine::EngineClient& client, const CanaryRun& run, const plan::StepContext& context) {
  if (run.change == nullptr) return Error{"a canary without its change (a bug in nest: please report it)"};
  if (!run.desired.contains("Mode") || !run.desired["Mode"].contains("Replicated")) {
    return Error{fmt::format("{}: a canary needs a replicated service", run.change->address)};
  }
  return CanaryRunner(client, run, context).Run();
}

}  // namespace nest::swarm
