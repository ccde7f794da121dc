#include "providers/compose/rollout.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "providers/compose/containers.h"
#include "providers/compose/health_wait.h"
#include "providers/compose/service_dns.h"

namespace nest::compose {
namespace {

// One container the rollout starts: under `number`, replacing `old` (when
// set).
struct Slot {
  std::optional<LiveContainer> old;
  int number = 0;
  std::string old_name;  // the old container's name before it moved aside
  std::string new_id;
};

// The service's live containers, sorted into what the rollout does with them.
struct Sorted {
  std::vector<LiveContainer> current;   // the spec's, running: kept
  std::vector<LiveContainer> surplus;   // the spec's, running, beyond the replicas: removed
  std::vector<LiveContainer> outdated;  // another spec's, running: replaced
  std::vector<LiveContainer> broken;    // not running: serve nothing, removed first
};

Sorted Sort(const std::vector<LiveContainer>& live, const ContainerSpec& spec) {
  Sorted out;
  std::set<int> numbers;
  for (const auto& c : live) {
    bool running = c.state == "running";
    if (!running) {
      out.broken.push_back(c);
    } else if (c.config_hash != spec.config_hash) {
      out.outdated.push_back(c);
    } else if (c.number > 0 && !numbers.count(c.number) && static_cast<int>(out.current.size()) < spec.replicas) {
      numbers.insert(c.number);
      out.current.push_back(c);
    } else {
      out.surplus.push_back(c);
    }
  }
  return out;
}

std::vector<WaitTarget> Targets(const std::vector<LiveContainer>& containers) {
  std::vector<WaitTarget> out;
  for (const auto& c : containers) out.push_back({c.id, c.name});
  return out;
}

// How long a container that left the service name still gets before its
// stop: a client that resolved the name just before sends its SYN again
// after TCP's initial retransmission timeout (1 s), to the same address.
constexpr std::chrono::milliseconds kAfterLeavingName{1200};

enum class AfterStop { kRemove, kKeep };

// Old containers leave the service name first, keeping their addresses, so
// that no client is sent to them any more while they answer what was sent;
// then each is stopped with its own grace period (the app drains as it was
// told it may) and removed (or kept, stopped, to be rolled back to).
Status Retire(engine::EngineClient& client, const std::vector<LiveContainer>& containers,
              const plan::StepContext& context, AfterStop after = AfterStop::kRemove) {
  if (containers.empty()) return Done{};
  for (const auto& c : containers) {
    if (Status left = LeaveServiceName(client, c.id, c.name, context); !left.ok()) return left;
  }
  std::this_thread::sleep_for(kAfterLeavingName);
  for (const auto& c : containers) {
    Result<int> grace = OwnStopGrace(client, c);
    if (!grace.ok()) return grace.error();
    if (after == AfterStop::kKeep) {
      if (Status stopped = Stop(client, c, grace.value()); !stopped.ok()) return stopped;
    } else if (Status removed = StopAndRemove(client, c, grace.value()); !removed.ok()) {
      return removed;
    }
  }
  return Done{};
}

class Rollout {
 public:
  Rollout(engine::EngineClient& client, const std::string& project, const ContainerSpec& spec,
          const RolloutSettings& settings, const plan::StepContext& context)
      : client_(client),
        project_(project),
        spec_(spec),
        unnamed_spec_(WithoutServiceAliases(spec)),
        settings_(settings),
        context_(context) {}

  Status Run() {
    auto listed = ListServiceContainers(client_, project_, spec_.service);
    if (!listed.ok()) return listed.error();
    Sorted sorted = Sort(listed.value(), spec_);
    for (const auto& c : listed.value()) {
      live_numbers_.insert(c.number);
      live_names_.insert(c.name);
    }
    // Stopped or never started (an apply killed halfway): nothing serves
    // from them, and they may hold the names the new containers take.
    for (const auto& c : sorted.broken) {
      if (Status removed = StopAndRemove(client_, c, 0); !removed.ok()) return Fail(removed.error().message);
      live_numbers_.erase(c.number);
      live_names_.erase(c.name);
    }
    // Kept containers a killed apply left out of the service name (started,
    // never joined) join it once they serve.
    if (Status named = NameKept(sorted.current); !named.ok()) return named;
    std::vector<Slot> slots = PlanSlots(sorted);
    std::vector<LiveContainer> retired_later = sorted.surplus;
    for (std::size_t i = slots.size(); i < sorted.outdated.size(); ++i) retired_later.push_back(sorted.outdated[i]);

    // Replacements in batches of `parallelism`; containers that replace
    // nothing (a create, a scale-up) all at once, as Compose starts them.
    std::vector<Slot*> replacing, adding;
    for (auto& slot : slots) (slot.old ? replacing : adding).push_back(&slot);
    const std::size_t batch = settings_.parallelism <= 0 ? std::max<std::size_t>(replacing.size(), 1)
                                                         : static_cast<std::size_t>(settings_.parallelism);
    for (std::size_t first = 0; first < replacing.size(); first += batch) {
      std::vector<Slot*> group(replacing.begin() + first, replacing.begin() + std::min(replacing.size(), first + batch));
      Status done = settings_.start_first ? StartFirst(group) : StopFirst(group);
      if (!done.ok()) return kept_.empty() ? done : RollBack(done.error().message);
    }
    for (const auto& k : kept_) {
      if (Status removed = StopAndRemove(client_, k.old, 0); !removed.ok()) return Fail(removed.error().message);
    }
    if (!adding.empty()) {
      // These take the service name at start: an apply killed before a
      // later join would leave them out of it with nothing on the live
      // side to show it (a replacement always leaves its old container,
      // which the next plan shows). So a scale-up's new containers get
      // requests a moment before they serve.
      if (Status done = StartAndWait(adding, "", Naming::kAtStart); !done.ok()) return done;
    }

    if (!retired_later.empty()) {
      // Scaling down: the containers that stay must serve before the
      // others go (after a killed apply they may be new and unproven).
      std::vector<WaitTarget> staying = Targets(sorted.current);
      for (const auto& slot : slots) staying.push_back({slot.new_id, ContainerName(project_, spec_.service, slot.number)});
      if (!staying.empty()) {
        if (Status ready = WaitReady(client_, staying, std::chrono::milliseconds(0), context_); !ready.ok()) {
          return Fail(ready.error().message + "; no container was removed");
        }
      }
      std::sort(retired_later.begin(), retired_later.end(),
                [](const LiveContainer& a, const LiveContainer& b) { return a.number > b.number; });
      for (const auto& c : retired_later) Progress(fmt::format("removing {}", c.name));
      if (Status removed = Retire(client_, retired_later, context_); !removed.ok()) {
        return Fail(removed.error().message);
      }
    }
    return Done{};
  }

 private:
  Error Fail(const std::string& what) const { return Error{fmt::format("service {}: {}", spec_.service, what)}; }

  void Progress(const std::string& line) const {
    if (context_.progress) context_.progress(line);
  }

  Status NameKept(const std::vector<LiveContainer>& kept) {
    std::vector<WaitTarget> unnamed;
    for (const auto& c : kept) {
      Result<bool> named = AnswersToServiceName(client_, spec_, c.id, c.name);
      if (!named.ok()) return Fail(named.error().message);
      if (!named.value()) unnamed.push_back({c.id, c.name});
    }
    if (unnamed.empty()) return Done{};
    if (Status ready = WaitReady(client_, unnamed, std::chrono::milliseconds(0), context_); !ready.ok()) {
      return Fail(ready.error().message);
    }
    for (const auto& c : unnamed) {
      Progress(fmt::format("{} joins the service name", c.name));
      if (Status joined = JoinServiceName(client_, spec_, c.id, c.name, context_); !joined.ok()) {
        return Fail(joined.error().message);
      }
    }
    return Done{};
  }

  int NextFreeNumber() {
    int n = 1;
    while (live_numbers_.count(n) || live_names_.count(ContainerName(project_, spec_.service, n))) ++n;
    live_numbers_.insert(n);
    return n;
  }

  // One slot per missing container: the first ones replace outdated
  // containers (under their numbers where free), the rest are new.
  std::vector<Slot> PlanSlots(const Sorted& sorted) {
    std::set<int> current;
    for (const auto& c : sorted.current) current.insert(c.number);
    const int missing = std::max(0, spec_.replicas - static_cast<int>(sorted.current.size()));
    std::vector<Slot> slots;
    std::set<int> taken = current;
    for (int i = 0; i < missing; ++i) {
      Slot slot;
      if (i < static_cast<int>(sorted.outdated.size())) {
        slot.old = sorted.outdated[i];
        // Its own number, unless a container it is not holds that name
        // (one moved aside by a killed run and its successor, say).
        const std::string name = ContainerName(project_, spec_.service, slot.old->number);
        bool name_free = name == slot.old->name || !live_names_.count(name);
        if (slot.old->number > 0 && !taken.count(slot.old->number) && name_free) slot.number = slot.old->number;
      }
      if (slot.number == 0) slot.number = NextFreeNumber();
      taken.insert(slot.number);
      slots.push_back(std::move(slot));
    }
    return slots;
  }

  // Starts the batch's new containers and waits until they serve; on a
  // failure removes every one of them and says why. kOnceServing (a
  // start-first replacement): they start under their own names only and
  // get the service name once they serve, so no client is sent to one
  // before it answers.
  enum class Naming { kAtStart, kOnceServing };
  Status StartAndWait(std::vector<Slot*>& group, const std::string& keep_note, Naming naming) {
    std::vector<WaitTarget> targets;
    Status outcome = Done{};
    for (Slot* slot : group) {
      std::string name = ContainerName(project_, spec_.service, slot->number);
      Progress(slot->old ? fmt::format("starting {} to replace {}", name, slot->old_name) : "starting " + name);
      Result<std::string> id =
          StartContainer(client_, naming == Naming::kAtStart ? spec_ : unnamed_spec_, project_, slot->number);
      if (!id.ok()) {
        outcome = id.error();
        break;
      }
      slot->new_id = id.value();
      targets.push_back({slot->new_id, name});
    }
    if (outcome.ok()) outcome = WaitReady(client_, targets, settings_.monitor, context_);
    for (std::size_t i = 0; outcome.ok() && naming == Naming::kOnceServing && i < targets.size(); ++i) {
      outcome = JoinServiceName(client_, spec_, targets[i].id, targets[i].name, context_);
    }
    if (outcome.ok()) return Done{};
    for (Slot* slot : group) {
      if (slot->new_id.empty()) continue;
      LiveContainer started{slot->new_id, ContainerName(project_, spec_.service, slot->number), slot->number, "", ""};
      (void)StopAndRemove(client_, started, 0);
      slot->new_id.clear();
    }
    return Fail(outcome.error().message + "; its new containers were removed" + keep_note);
  }

  Status StartFirst(std::vector<Slot*>& group) {
    // The old containers make room for the names of their replacements.
    for (Slot* slot : group) {
      if (!slot->old) continue;
      slot->old_name = slot->old->name;
      std::string name = ContainerName(project_, spec_.service, slot->number);
      if (slot->old->name != name) continue;
      std::string aside = slot->old->id.substr(0, 12) + "_" + name;
      if (Status moved = RenameContainer(client_, *slot->old, aside); !moved.ok()) return Fail(moved.error().message);
      slot->old->name = aside;
    }
    Status started = StartAndWait(group, ", the old ones keep running", Naming::kOnceServing);
    if (!started.ok()) {
      for (Slot* slot : group) {
        if (slot->old && slot->old->name != slot->old_name) (void)RenameContainer(client_, *slot->old, slot->old_name);
      }
      return started;
    }
    return RetireOld(group, /*stop_first=*/false);
  }

  Status RetireOld(std::vector<Slot*>& group, bool stop_first) {
    // failure_action = rollback: a later batch may need them back.
    const bool keep = settings_.roll_back_earlier && !stop_first;
    std::vector<LiveContainer> old;
    for (Slot* slot : group) {
      if (!slot->old) continue;
      Progress(stop_first ? fmt::format("stopping {} first (stop-first: a fixed host port)", slot->old->name)
                          : fmt::format("stopping {}", slot->old->name));
      old.push_back(*slot->old);
      if (keep) {
        Result<std::vector<NetworkAttachment>> attachments = CurrentAttachments(client_, slot->old->id, slot->old->name);
        if (!attachments.ok()) return Fail(attachments.error().message);
        kept_.push_back({*slot->old, slot->old_name, std::move(attachments.value()), slot->new_id,
                         ContainerName(project_, spec_.service, slot->number)});
      }
    }
    if (Status retired = Retire(client_, old, context_, keep ? AfterStop::kKeep : AfterStop::kRemove); !retired.ok()) {
      return Fail(retired.error().message);
    }
    return Done{};
  }

  // The batches before a failing one, undone: their old containers start
  // again and, once they serve, take the service name back; their
  // replacements leave it and are removed; the old ones get their names
  // back.
  Error RollBack(const std::string& failure) {
    std::vector<WaitTarget> restarting;
    for (const auto& k : kept_) {
      Progress(fmt::format("rolling back: starting {} again", k.old_name));
      if (Status started = StartExisting(client_, k.old); !started.ok()) {
        return Error{failure + "; rolling back the batches before it failed: " + started.error().message};
      }
      restarting.push_back({k.old.id, k.old.name});
    }
    if (Status ready = WaitReady(client_, restarting, std::chrono::milliseconds(0), context_); !ready.ok()) {
      return Error{failure + "; rolling back the batches before it failed: " + ready.error().message};
    }
    std::vector<LiveContainer> replacements;
    std::vector<std::string> names;
    for (const auto& k : kept_) {
      if (Status joined = JoinServiceName(client_, k.attachments, k.old.id, k.old.name, context_); !joined.ok()) {
        return Error{failure + "; rolling back the batches before it failed: " + joined.error().message};
      }
      replacements.push_back({k.new_id, k.new_name, 0, spec_.config_hash, "running"});
      names.push_back(k.old_name);
    }
    if (Status removed = Retire(client_, replacements, context_); !removed.ok()) {
      return Error{failure + "; rolling back the batches before it failed: " + removed.error().message};
    }
    for (const auto& k : kept_) {
      if (Status renamed = RenameContainer(client_, k.old, k.old_name); !renamed.ok()) {
        return Error{failure + "; rolling back the batches before it failed: " + renamed.error().message};
      }
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return Error{fmt::format("{}; the batches before it were rolled back (failure_action = rollback): {} run "
                             "the previous version again",
                             failure, list)};
  }

  Status StopFirst(std::vector<Slot*>& group) {
    for (Slot* slot : group) {
      if (slot->old) slot->old_name = slot->old->name;
    }
    if (Status retired = RetireOld(group, /*stop_first=*/true); !retired.ok()) {
      return retired;
    }
    return StartAndWait(group, " (stop-first: the old ones were already stopped)", Naming::kAtStart);
  }

  engine::EngineClient& client_;
  const std::string& project_;
  const ContainerSpec& spec_;
  const ContainerSpec unnamed_spec_;  // spec_ without the service's aliases: how new containers start
  const RolloutSettings& settings_;
  const plan::StepContext& context_;
  // The old containers of batches that succeeded, stopped, while a later
  // batch may still fail (failure_action = rollback).
  struct Kept {
    LiveContainer old;  // renamed aside
    std::string old_name;
    std::vector<NetworkAttachment> attachments;  // as it had them, aliases included
    std::string new_id, new_name;                // its replacement
  };
  std::vector<Kept> kept_;
  std::set<int> live_numbers_;
  std::set<std::string> live_names_;
};

}  // namespace

Status RollOutService(engine::EngineClient& client, const std::string& project, const ContainerSpec& spec,
                      const RolloutSettings& settings, const plan::StepContext& context) {
  return Rollout(client, project, spec, settings, context).Run();
}

Status RemoveServiceContainers(engine::EngineClient& client, const std::string& project, const std::string& service,
                               int grace_seconds, const plan::StepContext& context) {
  auto listed = ListServiceContainers(client, project, service);
  if (!listed.ok()) return listed.error();
  for (const auto& c : listed.value()) {
    if (context.progress) context.progress("stopping " + c.name);
    if (Status removed = StopAndRemove(client, c, grace_seconds); !removed.ok()) {
      return Error{fmt::format("service {}: {}", service, removed.error().message)};
    }
  }
  return Done{};
}

}  // namespace nest::compose
