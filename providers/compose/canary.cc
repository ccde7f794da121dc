#include "providers/compose/canary.h"

#include <algorithm>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "providers/compose/containers.h"
#include "providers/compose/health_wait.h"
#include "providers/compose/labels.h"
#include "providers/compose/normalize.h"
#include "providers/compose/rollout.h"
#include "providers/compose/service_dns.h"
#include "providers/engine/query.h"
#include "providers/metric_analysis.h"

namespace nest::compose {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kDefaultWindow{10'000};
constexpr milliseconds kPoll{250};
constexpr double kDefaultMinHealthy = 100;

std::string Percent(double percent) { return fmt::format("{:g}%", percent); }

std::string Seconds(milliseconds duration) { return fmt::format("{:g}s", duration.count() / 1000.0); }

std::string Label(const json& container, const char* key) {
  auto labels = container.find("Labels");
  if (labels == container.end() || !labels->is_object()) return "";
  auto it = labels->find(key);
  return it != labels->end() && it->is_string() ? it->get<std::string>() : "";
}

// The canary containers of the service on the engine, stopped ones too.
Result<std::vector<LiveContainer>> ListCanaryContainers(engine::EngineClient& client, const std::string& project,
                                                        const std::string& service) {
  std::string path = "/containers/json?all=1&" +
                     engine::LabelFilter({std::string(kProjectLabel) + "=" + project,
                                          std::string(kCanaryOfLabel) + "=" + service});
  auto listed = client.Get(path, fmt::format("listing the canary containers of service {}", service));
  if (!listed.ok()) return Error{listed.error().Describe()};
  std::vector<LiveContainer> out;
  if (!listed.value().is_array()) return out;
  for (const auto& c : listed.value()) {
    LiveContainer live;
    live.id = c.value("Id", "");
    if (auto names = c.find("Names"); names != c.end() && names->is_array() && !names->empty()) {
      live.name = names->front().get<std::string>();
      if (!live.name.empty() && live.name.front() == '/') live.name.erase(0, 1);
    }
    live.config_hash = Label(c, kConfigHashLabel);
    live.state = c.value("State", "");
    out.push_back(std::move(live));
  }
  return out;
}

// One canary run: the steps, then the promotion or the abort.
class Canary {
 public:
  Canary(engine::EngineClient& client, const std::string& project, const ContainerSpec& spec,
         const providers::DeployStrategy& strategy, const RolloutSettings& settings, const plan::StepContext& context)
      : client_(client), project_(project), spec_(spec), strategy_(strategy), settings_(settings), context_(context) {}

  Status Run(int stable) {
    stable_ = stable;
    const auto& steps = strategy_.steps;
    for (std::size_t i = 0; i < steps.size() && steps[i] < 100; ++i) {
      step_ = static_cast<int>(i) + 1;
      percent_ = steps[i];
      if (Status passed = RunStep(); !passed.ok()) return Abort(passed.error().message);
    }
    return Promote();
  }

 private:
  // "step 1 of 3 (10%, 1 container)".
  std::string Where() const {
    return fmt::format("step {} of {} ({}, {} container{})", step_, strategy_.steps.size(), Percent(percent_),
                       canary_.size(), canary_.size() == 1 ? "" : "s");
  }

  void Progress(const std::string& line) const {
    if (context_.progress) context_.progress(fmt::format("canary {}: {}", Where(), line));
  }

  Error Fail(const std::string& what) const { return Error{fmt::format("service {}: {}", spec_.service, what)}; }

  // An interruption or the deadline, as an error; Done otherwise.
  Status Interrupted() const {
    if (context_.cancelled()) return Error{"interrupted"};
    if (context_.expired()) return Error{"timed out"};
    return Done{};
  }

  // Waits `duration`, returning early on an interruption or the deadline.
  Status Sleep(milliseconds duration) const {
    const auto until = Clock::now() + duration;
    for (;;) {
      if (Status stop = Interrupted(); !stop.ok()) return stop;
      auto left = until - Clock::now();
      if (left <= Clock::duration::zero()) return Done{};
      std::this_thread::sleep_for(std::min<Clock::duration>(left, kPoll));
    }
  }

  // The container name the next canary container takes: the lowest free K.
  std::string NextName() {
    for (int k = 1;; ++k) {
      std::string name = CanaryContainerName(project_, spec_.service, k);
      if (!names_.count(name)) {
        names_.insert(name);
        return name;
      }
    }
  }

  // The create body of a canary container: the new spec's, as one of the
  // service's containers would get it, without the two labels that make a
  // container one of the service's own to Compose (canary.h says why).
  json CanaryBody() const {
    json body = ContainerCreateBody(spec_, 0);
    json& labels = body["Labels"];
    labels.erase(kServiceLabel);
    labels.erase(kContainerNumberLabel);
    labels[kCanaryOfLabel] = spec_.service;
    labels[kCanaryStepLabel] = std::to_string(step_);
    return body;
  }

  Status RunStep() {
    const int wanted = providers::CanaryReplicas(stable_, percent_);
    while (static_cast<int>(canary_.size()) < wanted) {
      std::string name = NextName();
      Progress(fmt::format("starting {} beside {} stable container{}", name, stable_, stable_ == 1 ? "" : "s"));
      Result<std::string> id = StartContainerAs(client_, spec_, name, CanaryBody());
      if (!id.ok()) return id.error();
      canary_.push_back({id.value(), name});
    }
    if (Status ready = WaitReady(client_, canary_, milliseconds(0), context_); !ready.ok()) return ready;
    if (Status observed = Observe(); !observed.ok()) return observed;
    const milliseconds pause = strategy_.pause.value_or(milliseconds(0));
    if (pause > window_used_) {
      Progress(fmt::format("holding for {}", Seconds(pause - window_used_)));
      if (Status held = Sleep(pause - window_used_); !held.ok()) return held;
    }
    return Done{};
  }

  // The analysis over the step's window: min_healthy over the canary
  // containers and the metric checks, sampled every interval.
  Status Observe() {
    providers::AnalysisSettings analysis = strategy_.analysis.value_or(providers::AnalysisSettings{});
    window_used_ = analysis.window ? *analysis.window : strategy_.pause ? *strategy_.pause : kDefaultWindow;
    analysis.window = window_used_;  // the checks' queries look back over the window observed
    const double min_healthy = analysis.min_healthy.value_or(kDefaultMinHealthy);
    // The canary's containers share the name up to their number.
    providers::MetricAnalysis metrics(analysis, fmt::format("{}_{}_canary", project_, spec_.service));
    Progress(fmt::format("observing for {}", Seconds(window_used_)));
    const auto end = Clock::now() + window_used_;
    for (;;) {
      std::string not_ready;
      Result<int> ready = CountReady(client_, canary_, &not_ready);
      if (!ready.ok()) return ready.error();
      const int total = static_cast<int>(canary_.size());
      const double healthy = 100.0 * ready.value() / total;
      if (healthy < min_healthy) {
        return Error{fmt::format("min_healthy: {} of {} canary containers healthy ({}) < {} ({})", ready.value(),
                                 total, Percent(healthy), Percent(min_healthy), not_ready)};
      }
      if (Status sampled = metrics.Sample(); !sampled.ok()) return sampled;
      const auto left = end - Clock::now();
      // A check that never gave a value it could judge does not pass the step.
      if (left <= Clock::duration::zero()) return metrics.Conclude();
      if (Status slept = Sleep(std::chrono::duration_cast<milliseconds>(
              std::min<Clock::duration>(left, metrics.interval())));
          !slept.ok()) {
        return slept;
      }
    }
  }

  Status RemoveCanary() {
    return RemoveCanaryContainers(client_, project_, spec_.service, spec_.stop_grace_seconds, context_);
  }

  Status Abort(const std::string& why) {
    const std::string where = Where();
    Status removed = RemoveCanary();
    if (!removed.ok()) {
      return Fail(fmt::format("canary aborted at {}: {}; removing its canary containers failed too: {}", where, why,
                              removed.error().message));
    }
    return Fail(fmt::format("canary aborted at {}: {}; its canary containers were removed, the stable ones keep "
                            "running untouched",
                            where, why));
  }

  // The stable containers to the new spec by the service's rolling
  // settings (the canary serves meanwhile), then the canary goes.
  Status Promote() {
    if (context_.progress) {
      context_.progress(fmt::format("canary promoted: replacing the {} stable container{}", stable_,
                                    stable_ == 1 ? "" : "s"));
    }
    Status rolled = RollOutService(client_, project_, spec_, settings_, context_);
    Status removed = RemoveCanary();
    if (!rolled.ok()) {
      return Error{fmt::format("{} (promoting the canary; its canary containers {})", rolled.error().message,
                               removed.ok() ? "were removed" : "could not be removed: " + removed.error().message)};
    }
    if (!removed.ok()) return Fail("promoted, but removing the canary containers failed: " + removed.error().message);
    return Done{};
  }

  engine::EngineClient& client_;
  const std::string& project_;
  const ContainerSpec& spec_;
  const providers::DeployStrategy& strategy_;
  const RolloutSettings& settings_;
  const plan::StepContext& context_;
  int stable_ = 0;
  int step_ = 0;
  double percent_ = 0;
  milliseconds window_used_{0};
  std::vector<WaitTarget> canary_;
  std::set<std::string> names_;
};

}  // namespace

std::string CanaryContainerName(const std::string& project, const std::string& service, int number) {
  return fmt::format("{}_{}_canary_{}", project, service, number);
}

Status RemoveCanaryContainers(engine::EngineClient& client, const std::string& project, const std::string& service,
                              int grace_seconds, const plan::StepContext& context) {
  auto listed = ListCanaryContainers(client, project, service);
  if (!listed.ok()) return listed.error();
  // Off the service's name first, all of them, still answering what they
  // were sent (service_dns.h); a client's retried SYN reaches them within
  // TCP's first retransmission, then they stop.
  bool any_running = false;
  for (const auto& c : listed.value()) {
    if (c.state != "running") continue;
    any_running = true;
    if (Status left = LeaveServiceName(client, c.id, c.name, context); !left.ok()) {
      return Error{fmt::format("service {}: {}", service, left.error().message)};
    }
  }
  if (any_running) std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  for (const auto& c : listed.value()) {
    if (context.progress) context.progress("removing canary container " + c.name);
    Status off = StopAndRemove(client, c, c.state == "running" ? grace_seconds : 0);
    if (!off.ok()) return Error{fmt::format("service {}: {}", service, off.error().message)};
  }
  return Done{};
}

Status RollOutCanary(engine::EngineClient& client, const std::string& project, const ContainerSpec& spec,
                     const providers::DeployStrategy& strategy, const RolloutSettings& settings,
                     const plan::StepContext& context) {
  // A run killed halfway left these: the canary starts over.
  if (Status cleaned = RemoveCanaryContainers(client, project, spec.service, spec.stop_grace_seconds, context);
      !cleaned.ok()) {
    return cleaned;
  }
  auto listed = ListServiceContainers(client, project, spec.service);
  if (!listed.ok()) return listed.error();
  int running = 0, outdated = 0;
  for (const auto& c : listed.value()) {
    if (c.state != "running") continue;
    ++running;
    if (c.config_hash != spec.config_hash) ++outdated;
  }
  // Nothing running is replaced: no old version to compare the new with.
  if (outdated == 0) return RollOutService(client, project, spec, settings, context);
  if (!settings.fixed_host_ports.empty()) {
    return Error{fmt::format("service {}: a canary cannot run beside it: it publishes host port {}, which one "
                             "container holds at a time",
                             spec.service, fmt::join(settings.fixed_host_ports, ", "))};
  }
  return Canary(client, project, spec, strategy, settings, context).Run(running);
}

bool CheckCanaryServices(const Config& config, const nlohmann::ordered_json& document,
                         const std::map<std::string, RolloutSettings>& rollouts, Diagnostics& diags) {
  auto services = document.find("services");
  if (services == document.end() || !services->is_object()) return true;
  bool ok = true;
  for (const auto& resource : config.resources) {
    if (resource.kind != ResourceKind::kService) continue;
    auto entry = services->find(resource.name);
    if (entry == services->end()) continue;
    const Value* deploy = resource.body.Find("deploy");
    const Span span = deploy != nullptr ? deploy->span : resource.span;
    json labels = json::object();
    if (auto l = entry->find("labels"); l != entry->end() && l->is_object()) {
      for (const auto& [key, value] : l->items()) labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    Result<providers::DeployStrategy> strategy = providers::StrategyFromLabels(labels);
    if (!strategy.ok()) {
      diags.Error(DiagCode::TargetCannotExpress, span,
                  fmt::format("{}: nest apply cannot read its deploy strategy: {}", resource.address,
                              strategy.error().message));
      ok = false;
      continue;
    }
    if (strategy.value().kind != providers::StrategyKind::kCanary) continue;
    auto rollout = rollouts.find(resource.name);
    if (rollout == rollouts.end() || rollout->second.fixed_host_ports.empty()) continue;
    Diagnostic& d = diags.Error(
        DiagCode::TargetCannotExpress, span,
        fmt::format("{}: a canary cannot run beside it on compose: it publishes host port {}, which one container "
                    "holds at a time",
                    resource.address, fmt::join(rollout->second.fixed_host_ports, ", ")));
    d.help.push_back("publish no host port (`published` unset) and reach the containers by service name, "
                     "or use deploy \"rolling\"");
    ok = false;
  }
  return ok;
}

}  // namespace nest::compose
