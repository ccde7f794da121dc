#include "providers/compose/project_lock.h"

#include <unistd.h>

#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/engine/query.h"
#include "providers/lock_identity.h"
#include "providers/swarm/manager_clock.h"
#include "providers/swarm/timestamp.h"

namespace nest::compose {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using providers::CurrentHost;
using providers::CurrentUser;
using providers::RandomHolderId;

using namespace providers::lock_labels;  // the holder labels both locks share
constexpr const char* kHeartbeatOf = "nest.lock.heartbeat-of";
constexpr const char* kRenewal = "nest.lock.renewal";
constexpr const char* kClaimedBy = "nest.lock.claimed-by";

constexpr int kAttempts = 5;

std::string Label(const json& volume, const char* key) {
  if (!volume.contains("Labels") || !volume["Labels"].is_object()) return "";
  auto it = volume["Labels"].find(key);
  return it != volume["Labels"].end() && it->is_string() ? it->get<std::string>() : "";
}

std::string HeartbeatName(const HeldProjectLock& lock, std::int64_t n) {
  return fmt::format("{}.{}.{}", ProjectLockName(lock.project), lock.holder.holder_id.substr(0, 12), n);
}

std::string ClaimName(const std::string& project, const std::string& stale_holder) {
  return fmt::format("{}.takeover-{}", ProjectLockName(project), stale_holder.substr(0, 16));
}

// Every volume of the project's lock: the lock, heartbeats, claims.
Result<std::vector<json>> LockVolumes(engine::EngineClient& client, const std::string& project) {
  auto listed = client.Get("/volumes?" + engine::LabelFilter({std::string(kStack) + "=" + project}),
                           "reading the lock of compose project " + project);
  if (!listed.ok()) return Error{listed.error().Describe()};
  std::vector<json> out;
  if (listed.value().contains("Volumes") && listed.value()["Volumes"].is_array()) {
    for (const auto& v : listed.value()["Volumes"]) out.push_back(v);
  }
  return out;
}

swarm::LockHolder HolderOf(const json& volume) {
  swarm::LockHolder holder;
  holder.holder_id = Label(volume, kHolder);
  holder.user = Label(volume, kUser);
  holder.host = Label(volume, kHost);
  try {
    holder.pid = std::stoll(Label(volume, kPid));
  } catch (const std::logic_error&) {
    holder.pid = 0;
  }
  holder.operation = Label(volume, kOperation);
  holder.started = Label(volume, kStarted);
  try {
    holder.lease = milliseconds(std::stoll(Label(volume, kLease)));
  } catch (const std::logic_error&) {
    holder.lease = swarm::kDefaultLockLease;
  }
  return holder;
}

// The lock as found: who, and how long since its last renewal by the
// engine's clock.
Result<swarm::LockInfo> ReadLock(engine::EngineClient& client, const std::string& project, const json& lock) {
  swarm::LockInfo info;
  info.stack = project;
  info.config_id = lock.value("Name", "");
  info.holder = HolderOf(lock);
  auto now = swarm::ManagerTime(client, "reading the engine's clock");
  if (!now.ok()) return Error{now.error().Describe()};
  auto volumes = LockVolumes(client, project);
  if (!volumes.ok()) return volumes.error();
  std::optional<swarm::EngineTime> last = swarm::ParseEngineTime(lock.value("CreatedAt", ""));
  for (const auto& v : volumes.value()) {
    if (Label(v, kHeartbeatOf) != info.holder.holder_id) continue;
    auto at = swarm::ParseEngineTime(v.value("CreatedAt", ""));
    if (at && (!last || *at > *last)) last = at;
  }
  info.since_renewal = last ? std::chrono::duration_cast<milliseconds>(now.value() - *last) : info.holder.lease * 2;
  if (info.since_renewal < milliseconds(0)) info.since_renewal = milliseconds(0);
  info.stale = info.since_renewal > info.holder.lease;
  return info;
}

std::string Refusal(const swarm::LockInfo& info) {
  return fmt::format("compose project {} is locked: {}. If that run is gone, the lock goes stale {}s after its last "
                     "renewal, or remove it with `nest force-unlock {}`",
                     info.stack, info.Describe(), info.holder.lease.count() / 1000.0, info.holder.holder_id);
}

// Removes the volumes of `holder`: its lock (if it still names it) and its
// heartbeats.
void RemoveHolderVolumes(engine::EngineClient& client, const std::string& project, const std::string& holder) {
  auto volumes = LockVolumes(client, project);
  if (!volumes.ok()) return;
  for (const auto& v : volumes.value()) {
    if (Label(v, kHeartbeatOf) != holder) continue;
    (void)client.Delete("/volumes/" + engine::UrlEncode(v.value("Name", "")), "removing a lock heartbeat");
  }
}

// Creates a volume, or finds the existing one of that name: the answer is
// the volume as it is on the engine.
Result<json> CreateOrFind(engine::EngineClient& client, const std::string& name, const json& labels,
                          const std::string& doing) {
  auto created = client.Post("/volumes/create", json{{"Name", name}, {"Labels", labels}}, doing);
  if (!created.ok()) return Error{created.error().Describe()};
  return created.value();
}

}  // namespace

std::string ProjectLockName(const std::string& project) { return "nest-lock-" + project; }

ProjectLockResult AcquireProjectLock(engine::EngineClient& client, const std::string& project,
                                     const swarm::LockOptions& options) {
  ProjectLockResult result;
  HeldProjectLock held;
  held.project = project;
  held.holder.holder_id = RandomHolderId();
  held.holder.user = options.user.empty() ? CurrentUser() : options.user;
  held.holder.host = options.host.empty() ? CurrentHost() : options.host;
  held.holder.pid = options.pid ? options.pid : getpid();
  held.holder.operation = options.operation;
  held.holder.started = swarm::FormatEngineTime(
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
  held.holder.lease = options.lease;
  const json labels = {{kStack, project},
                       {kHolder, held.holder.holder_id},
                       {kUser, held.holder.user},
                       {kHost, held.holder.host},
                       {kPid, std::to_string(held.holder.pid)},
                       {kOperation, held.holder.operation},
                       {kStarted, held.holder.started},
                       {kLease, std::to_string(held.holder.lease.count())}};
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto lock = CreateOrFind(client, ProjectLockName(project), labels, "taking the lock of compose project " + project);
    if (!lock.ok()) {
      result.error = lock.error().message;
      return result;
    }
    if (Label(lock.value(), kHolder) == held.holder.holder_id) {
      result.lock = std::move(held);
      return result;
    }
    auto info = ReadLock(client, project, lock.value());
    if (!info.ok()) {
      result.error = info.error().message;
      return result;
    }
    if (!info.value().stale) {
      result.error = Refusal(info.value());
      return result;
    }
    // Stale: one taker wins the claim on this holder, and only it removes
    // the lock (if it still names that holder).
    const std::string stale = info.value().holder.holder_id;
    const std::string claim = ClaimName(project, stale);
    auto claimed = CreateOrFind(client, claim, json{{kStack, project}, {kClaimedBy, held.holder.holder_id}},
                                "claiming the stale lock of compose project " + project);
    if (!claimed.ok()) {
      result.error = claimed.error().message;
      return result;
    }
    if (Label(claimed.value(), kClaimedBy) != held.holder.holder_id) {
      // Someone else is taking it over: their lock will be live next time.
      std::this_thread::sleep_for(milliseconds(200));
      continue;
    }
    auto again = client.Get("/volumes/" + engine::UrlEncode(ProjectLockName(project)), "reading the lock");
    if (again.ok() && Label(again.value(), kHolder) == stale) {
      auto removed = client.Delete("/volumes/" + engine::UrlEncode(ProjectLockName(project)), "removing the stale lock");
      if (!removed.ok() && removed.error().http_status != 404) {
        result.error = removed.error().Describe();
        return result;
      }
    }
    RemoveHolderVolumes(client, project, stale);
    held.claim = claim;
    result.warnings.push_back(fmt::format("took over the stale lock of compose project {}: it was {}", project,
                                          info.value().Describe()));
  }
  result.error = fmt::format("the lock of compose project {} kept changing while nest tried to take it; try again", project);
  return result;
}

RenewOutcome RenewProjectLock(engine::EngineClient& client, HeldProjectLock& lock) {
  auto current = client.Get("/volumes/" + engine::UrlEncode(ProjectLockName(lock.project)), "reading the lock");
  if (!current.ok()) return current.error().http_status == 404 ? RenewOutcome::kLost : RenewOutcome::kFailed;
  if (Label(current.value(), kHolder) != lock.holder.holder_id) return RenewOutcome::kLost;
  const std::int64_t next = lock.renewals + 1;
  auto beat = client.Post("/volumes/create",
                          json{{"Name", HeartbeatName(lock, next)},
                               {"Labels", {{kStack, lock.project}, {kHeartbeatOf, lock.holder.holder_id},
                                           {kRenewal, std::to_string(next)}}}},
                          "renewing the lock");
  if (!beat.ok()) return RenewOutcome::kFailed;
  if (lock.renewals > 0) {
    (void)client.Delete("/volumes/" + engine::UrlEncode(HeartbeatName(lock, lock.renewals)), "removing a lock heartbeat");
  }
  lock.renewals = next;
  return RenewOutcome::kRenewed;
}

std::vector<std::string> ReleaseProjectLock(engine::EngineClient& client, const HeldProjectLock& lock) {
  std::vector<std::string> warnings;
  const std::string path = "/volumes/" + engine::UrlEncode(ProjectLockName(lock.project));
  auto current = client.Get(path, "reading the lock");
  if (current.ok() && Label(current.value(), kHolder) == lock.holder.holder_id) {
    auto removed = client.Delete(path, "releasing the lock");
    if (!removed.ok() && removed.error().http_status != 404) {
      warnings.push_back("the lock was not released: " + removed.error().Describe());
    }
  } else if (current.ok()) {
    warnings.push_back(fmt::format("the lock of compose project {} was taken over by {}; left it alone", lock.project,
                                   Label(current.value(), kHolder)));
  }
  RemoveHolderVolumes(client, lock.project, lock.holder.holder_id);
  if (!lock.claim.empty()) (void)client.Delete("/volumes/" + engine::UrlEncode(lock.claim), "removing the takeover claim");
  return warnings;
}

Status ForceUnlockProject(engine::EngineClient& client, const std::string& project, const std::string& id) {
  const std::string path = "/volumes/" + engine::UrlEncode(ProjectLockName(project));
  auto current = client.Get(path, "reading the lock of compose project " + project);
  if (!current.ok()) {
    if (current.error().http_status == 404) return Error{fmt::format("compose project {} is not locked", project)};
    return Error{current.error().Describe()};
  }
  const std::string holder = Label(current.value(), kHolder);
  if (id.size() < 8 || holder.rfind(id, 0) != 0) {
    return Error{fmt::format("the lock of compose project {} has the ID {}, not {}: nothing was removed", project,
                             holder, id)};
  }
  auto removed = client.Delete(path, "removing the lock of compose project " + project);
  if (!removed.ok() && removed.error().http_status != 404) return Error{removed.error().Describe()};
  RemoveHolderVolumes(client, project, holder);
  return Done{};
}

}  // namespace nest::compose
