// `nest autoscale`: measure, decide, scale; again every interval.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <thread>

#include "cli/autoscale_commands.h"
#include "cli/autoscale_events.h"
#include "cli/interrupt.h"
#include "cli/load_checked.h"
#include "compiler/diagnostics/render.h"
#include "compiler/syntax/literals.h"
#include "planner/autoscale/decide.h"
#include "providers/engine/endpoint.h"
#include "providers/swarm/container_stats.h"
#include "providers/swarm/manager_clock.h"
#include "providers/swarm/scale_records.h"
#include "providers/swarm/service_runtime.h"
#include "providers/swarm/stack_lock.h"

namespace nest {
namespace {

namespace as = plan::autoscale;
using as::Clock;

// A scale change holds the stack's lock for a second or so; a short lease
// lets a killed autoscaler block apply for moments, not half a minute.
constexpr std::chrono::milliseconds kLockLease{10000};

std::string WallClockNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", utc, millis);
}

class Autoscaler {
 public:
  Autoscaler(std::string stack, engine::Endpoint endpoint, bool dry_run, std::function<void(AutoscaleEvent)> emit)
      : stack_(std::move(stack)), endpoint_(std::move(endpoint)), client_(endpoint_), dry_run_(dry_run), emit_(std::move(emit)) {}

  // One round. False when something failed: nothing could be read, or a
  // change was due and not made.
  bool Round() {
    auto runtimes = swarm::ReadServiceRuntimes(client_, stack_);
    if (!runtimes.ok()) {
      Emit({.event = "error", .reason = runtimes.error().Describe()});
      return false;
    }
    if (!records_read_) ReadRecords();
    bool ok = true;
    std::vector<Target> targets = Targets(runtimes.value(), ok);
    ReportGone(runtimes.value());
    // Said once per stretch without any, not every round.
    if (targets.empty() && !idle_) {
      Emit({.event = "idle", .reason = fmt::format("no service of stack {} has an autoscale policy", stack_)});
    }
    idle_ = targets.empty();
    Measure(targets);
    for (auto& target : targets) ok = Decide(target) && ok;
    return ok;
  }

 private:
  struct Target {
    swarm::ServiceRuntime service;
    as::Policy policy;
    as::Sample sample;
  };

  void Emit(AutoscaleEvent event) {
    event.time = WallClockNow();
    emit_(std::move(event));
  }

  AutoscaleEvent EventFor(const Target& t, const char* kind, std::string reason) const {
    return {.event = kind, .service = t.service.name, .address = t.service.address, .from = t.service.desired,
            .to = t.service.desired, .cpu = t.sample.cpu, .memory = t.sample.memory, .tasks = t.sample.tasks,
            .reason = std::move(reason)};
  }

  // The cooldowns earlier runs started: a record's age by the manager's
  // clock, turned into this process's steady clock.
  void ReadRecords() {
    auto records = swarm::ReadScaleRecords(client_, stack_);
    auto now = swarm::ManagerTime(client_, "reading the manager's clock");
    if (!records.ok() || !now.ok()) return;  // tried again next round
    records_read_ = true;
    for (const auto& [name, record] : records.value()) {
      std::optional<swarm::EngineTime> at = swarm::ParseEngineTime(record.time);
      if (!at) continue;
      auto age = std::chrono::duration_cast<Clock::duration>(now.value() - *at);
      recorded_changes_[name] = Clock::now() - std::max(age, Clock::duration::zero());
    }
  }

  // The services with a policy; `ok` turns false for a policy that cannot be run.
  std::vector<Target> Targets(const std::vector<swarm::ServiceRuntime>& runtimes, bool& ok) {
    std::vector<Target> targets;
    for (const auto& service : runtimes) {
      auto policy = as::PolicyFromLabels(service.labels);
      if (!policy.ok()) {
        Emit({.event = "error", .service = service.name, .address = service.address, .reason = policy.error().message});
        ok = false;
        continue;
      }
      if (!policy.value()) continue;
      if (service.mode != "replicated") {
        ok = false;
        Emit({.event = "error", .service = service.name, .address = service.address,
              .reason = "only replicated services can be autoscaled, this one is " + service.mode});
        continue;
      }
      if (!states_.count(service.id)) {
        as::ScalerState& state = states_[service.id];
        if (auto it = recorded_changes_.find(service.name); it != recorded_changes_.end()) state.last_change = it->second;
      }
      names_[service.id] = service.name;
      targets.push_back({service, *policy.value(), {}});
    }
    return targets;
  }

  // A service seen in an earlier round and missing now was removed.
  void ReportGone(const std::vector<swarm::ServiceRuntime>& runtimes) {
    for (auto it = names_.begin(); it != names_.end();) {
      bool present = std::any_of(runtimes.begin(), runtimes.end(), [&](const auto& r) { return r.id == it->first; });
      if (present) {
        ++it;
        continue;
      }
      Emit({.event = "gone", .service = it->second, .reason = "the service was removed; no longer scaled"});
      states_.erase(it->first);
      it = names_.erase(it);
    }
  }

  // Every target's containers at once: each stats request takes a second.
  void Measure(std::vector<Target>& targets) {
    std::vector<std::string> ids;
    for (const auto& t : targets) ids.insert(ids.end(), t.service.running_containers.begin(), t.service.running_containers.end());
    if (ids.empty()) return;
    engine::Endpoint endpoint = endpoint_;
    endpoint.pinned_version = client_.api_version();
    auto usages = swarm::ReadContainerStats(endpoint, client_.options(), ids);
    std::size_t next = 0;
    for (auto& t : targets) {
      std::vector<swarm::ContainerUsage> measured;
      for (std::size_t i = 0; i < t.service.running_containers.size(); ++i, ++next)
        if (usages[next].ok()) measured.push_back(usages[next].value());
      swarm::UsageAverage average = swarm::AverageUsage(measured, t.service.cpu_limit);
      t.sample = {average.cpu_percent, average.memory_percent, average.measured};
    }
  }

  bool Decide(Target& t) {
    as::ScalerState& state = states_[t.service.id];
    as::Decision decision = as::Decide(t.policy, t.service.desired, t.sample, Clock::now(), state);
    AutoscaleEvent event = EventFor(t, "hold", decision.reason);
    event.to = decision.to;
    if (decision.direction == as::Direction::kHold) {
      Emit(event);
      return true;
    }
    if (dry_run_) {
      event.event = "would-scale";
      Emit(event);
      return true;
    }
    std::string why_not = Scale(t, decision);
    if (!why_not.empty()) {
      event.event = why_not == "gone" ? "gone" : "skipped";
      event.reason = why_not == "gone" ? "the service was removed before it could be scaled" : decision.reason + "; not scaled: " + why_not;
      Emit(event);
      return why_not == "gone";
    }
    as::NoteChange(state, Clock::now());
    event.event = "scaled";
    Emit(event);
    return true;
  }

  // Takes the lock, scales, records, releases. "" when done; "gone" when the
  // service was removed; else why the change was not made.
  std::string Scale(const Target& t, const as::Decision& decision) {
    swarm::AcquireResult lock = swarm::AcquireStackLock(client_, stack_, {.operation = "autoscale", .lease = kLockLease});
    if (!lock.ok()) return lock.error->message;
    auto scaled = swarm::ScaleService(client_, t.service.id, decision.to);
    std::string outcome;
    if (!scaled.ok()) {
      outcome = scaled.error().http_status == 404 ? "gone" : scaled.error().Describe();
    } else {
      auto recorded = swarm::WriteScaleRecord(client_, stack_, t.service.name,
                                              {.from = decision.from, .to = decision.to, .reason = decision.reason});
      if (!recorded.ok()) {
        Emit({.event = "error", .service = t.service.name, .address = t.service.address,
              .reason = "scaled, but the change was not recorded: " + recorded.error().Describe()});
      }
    }
    (void)swarm::ReleaseStackLock(client_, *lock.lock);
    return outcome;
  }

  std::string stack_;
  engine::Endpoint endpoint_;
  engine::EngineClient client_;
  bool dry_run_;
  std::function<void(AutoscaleEvent)> emit_;
  bool records_read_ = false;
  bool idle_ = false;
  std::map<std::string, Clock::time_point> recorded_changes_;  // by service name
  std::map<std::string, as::ScalerState> states_;              // by service ID
  std::map<std::string, std::string> names_;                   // service ID -> name, for `gone`
};

void PrintError(std::FILE* err, const std::string& message) { fmt::print(err, "error: {}\n", message); }

}  // namespace

int RunAutoscale(const AutoscaleArgs& args, std::FILE* out, std::FILE* err) {
  auto interval = ParseDurationText(args.interval);
  if (!interval.ok() || *interval.value <= 0) {
    PrintError(err, fmt::format("--interval `{}` is not a duration such as 10s", args.interval));
    return 1;
  }
  std::string stack = args.stack_name;
  if (stack.empty()) {
    SourceManager source_files;
    Diagnostics diags;
    std::optional<Config> config = LoadCheckedConfig(args.stack, source_files, diags);
    if (!diags.empty()) fmt::print(err, "{}", RenderText(diags, source_files, TextStyle{false}));
    if (!config) return 1;
    stack = config->stack_name;
  }
  auto endpoint = engine::ResolveEndpoint(engine::ProcessEnvironment());
  if (!endpoint.ok()) {
    PrintError(err, endpoint.error().Describe());
    return 1;
  }

  auto emit = [&](const AutoscaleEvent& event) {
    fmt::print(out, "{}", args.json ? AutoscaleEventJson(event) : AutoscaleEventText(event));
    std::fflush(out);
  };
  Autoscaler autoscaler(stack, endpoint.value(), args.dry_run, emit);
  if (args.once) return autoscaler.Round() ? 0 : 1;

  InterruptGuard interrupt("\nnest: stopping after this round (press Ctrl-C again to exit now)\n");
  const auto& stop = interrupt.stop_requested();
  while (!stop.load()) {
    auto next = Clock::now() + std::chrono::nanoseconds(*interval.value);
    (void)autoscaler.Round();  // each failure is an event; the next round tries again
    while (!stop.load() && Clock::now() < next) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return 0;
}

}  // namespace nest
