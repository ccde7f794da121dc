#include "providers/swarm/stack_lock.h"

#include <unistd.h>

#include <cstdlib>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/engine/query.h"
#include "providers/lock_identity.h"
#include "compiler/support/base64.h"
#include "providers/swarm/manager_clock.h"

namespace nest::swarm {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using providers::CurrentHost;
using providers::CurrentUser;
using providers::RandomHolderId;

using namespace providers::lock_labels;  // the holder labels both locks share
constexpr const char* kRenewals = "nest.lock.renewals";
constexpr const char* kReleased = "nest.lock.released";

// Attempts before giving up with kBusy: each lost race means someone else
// changed the lock, so a handful is plenty.
constexpr int kAttempts = 8;

LockHolder MakeHolder(const LockOptions& options) {
  LockHolder holder;
  holder.holder_id = RandomHolderId();
  holder.user = options.user.empty() ? CurrentUser() : options.user;
  holder.host = options.host.empty() ? CurrentHost() : options.host;
  holder.pid = options.pid ? options.pid : getpid();
  holder.operation = options.operation;
  holder.started = FormatEngineTime(std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now()));
  holder.lease = options.lease;
  return holder;
}

json Labels(const std::string& stack, const LockHolder& holder, std::int64_t renewals, bool released) {
  json labels = {{kStack, stack},
                 {kHolder, holder.holder_id},
                 {kUser, holder.user},
                 {kHost, holder.host},
                 {kPid, std::to_string(holder.pid)},
                 {kOperation, holder.operation},
                 {kStarted, holder.started},
                 {kLease, std::to_string(holder.lease.count())},
                 {kRenewals, std::to_string(renewals)}};
  if (released) labels[kReleased] = "true";
  return labels;
}

std::string Label(const json& labels, const char* key) {
  if (!labels.is_object()) return "";
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
}

std::int64_t LabelNumber(const json& labels, const char* key, std::int64_t fallback) {
  std::string text = Label(labels, key);
  if (text.empty()) return fallback;
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  return end && *end == '\0' ? value : fallback;
}

// A lost race: someone wrote the object since we read it, or removed it.
bool IsConflict(const engine::EngineError& error) {
  return error.http_status == 404 ||
         (error.http_status == 500 && error.daemon_message.find("update out of sequence") != std::string::npos);
}

LockError EngineFailure(const engine::EngineError& error) {
  return LockError{LockFailure::kEngine, error.Describe(), std::nullopt, error};
}

engine::Result<json> UpdateLabels(engine::EngineClient& client, const std::string& id, std::int64_t version,
                                  const std::string& name, const json& labels, const std::string& doing) {
  // Only labels may change; leaving Data out keeps it.
  json spec = {{"Name", name}, {"Labels", labels}};
  return client.Post(fmt::format("/configs/{}/update?version={}", engine::UrlEncode(id), version), spec, doing);
}

LockInfo ParseLock(const std::string& stack, const json& config, milliseconds default_lease) {
  LockInfo info;
  info.stack = stack;
  info.config_id = config.value("ID", "");
  info.version = config.value("Version", json::object()).value("Index", std::int64_t{0});
  const json labels = config.value("Spec", json::object()).value("Labels", json::object());
  info.holder.holder_id = Label(labels, kHolder);
  info.holder.user = Label(labels, kUser);
  info.holder.host = Label(labels, kHost);
  info.holder.pid = LabelNumber(labels, kPid, 0);
  info.holder.operation = Label(labels, kOperation);
  info.holder.started = Label(labels, kStarted);
  info.holder.lease = milliseconds(LabelNumber(labels, kLease, default_lease.count()));
  info.released = Label(labels, kReleased) == "true";
  return info;
}

std::string LockReadMessage(const LockInfo& info) {
  return fmt::format("stack {} is locked: {}. If that run is gone, the lock goes stale {} after its last "
                     "renewal, or remove it with `nest force-unlock {}`",
                     info.stack, info.Describe(), fmt::format("{}s", info.holder.lease.count() / 1000.0),
                     info.holder.holder_id);
}

// DELETE /configs/{id}; gone already (404) counts as done.
std::optional<engine::EngineError> RemoveLockConfig(engine::EngineClient& client, const std::string& id,
                                                    const std::string& doing) {
  auto removed = client.Delete("/configs/" + engine::UrlEncode(id), doing);
  if (!removed.ok() && removed.error().http_status != 404) return removed.error();
  return std::nullopt;
}

// How nest removes a lock it read or holds: first write `labels` (marked
// released) at `version`, which fails (IsConflict) when anyone wrote the
// lock since, so a lock renewed in between is never removed; then delete
// it. nullopt when done; else the write's or the delete's error.
std::optional<engine::EngineError> ClaimThenDelete(engine::EngineClient& client, const std::string& id,
                                                   std::int64_t version, const std::string& name,
                                                   const json& labels, const std::string& doing) {
  auto claim = UpdateLabels(client, id, version, name, labels, doing);
  if (!claim.ok()) return claim.error();
  return RemoveLockConfig(client, id, doing);
}

// GET /configs/{id}: the version after our write (the update answers with no body).
engine::Result<std::int64_t> ReadVersion(engine::EngineClient& client, const std::string& id, const std::string& doing) {
  auto config = client.Get("/configs/" + engine::UrlEncode(id), doing);
  if (!config.ok()) return config.error();
  return config.value().value("Version", json::object()).value("Index", std::int64_t{0});
}

// Who holds the stack's lock now, for a kLost message.
std::string NewHolderText(engine::EngineClient& client, const std::string& stack) {
  auto now = ReadStackLock(client, stack);
  if (!now.ok() || !now.value()) return "it was removed (nest force-unlock?)";
  return "it is now " + now.value()->Describe();
}

}  // namespace

std::string LockInfo::Describe() const {
  std::string who = holder.user.empty() && holder.host.empty()
                        ? std::string("an unknown holder")
                        : fmt::format("{}@{}", holder.user.empty() ? "?" : holder.user, holder.host.empty() ? "?" : holder.host);
  std::string text = fmt::format("held by {}", who);
  if (holder.pid) text += fmt::format(" (pid {})", holder.pid);
  if (!holder.operation.empty()) text += " for " + holder.operation;
  if (!holder.started.empty()) text += " since " + holder.started;
  text += fmt::format(", renewed {:.1f}s ago (lease {:.0f}s)", since_renewal.count() / 1000.0,
                      holder.lease.count() / 1000.0);
  if (!holder.holder_id.empty()) text += ", lock ID " + holder.holder_id;
  return text;
}

std::string LockConfigName(const std::string& stack) {
  std::string name = "nest-lock-" + stack;
  static const std::regex valid(R"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)");
  if (stack.empty() || name.size() > 64 || !std::regex_match(name, valid)) return "";
  return name;
}

engine::Result<std::optional<LockInfo>> ReadStackLock(engine::EngineClient& client, const std::string& stack,
                                                      milliseconds default_lease) {
  const std::string name = LockConfigName(stack);
  const std::string doing = "reading the lock of stack " + stack;
  // The name filter matches a prefix (nest-lock-web finds nest-lock-web2): compare exactly.
  auto listed = client.Get("/configs?" + engine::EncodeFilters({{"name", {name}}}), doing);
  if (!listed.ok()) return listed.error();
  const json* found = nullptr;
  if (listed.value().is_array())
    for (const json& config : listed.value())
      if (config.value("Spec", json::object()).value("Name", "") == name) found = &config;
  if (!found) return std::optional<LockInfo>();
  LockInfo info = ParseLock(stack, *found, default_lease);
  auto now = ManagerTime(client, doing);
  if (!now.ok()) return now.error();
  std::optional<EngineTime> renewed = ParseEngineTime(found->value("UpdatedAt", ""));
  auto age = renewed ? now.value() - *renewed : std::chrono::nanoseconds::max();
  info.since_renewal = std::chrono::duration_cast<milliseconds>(std::max(age, std::chrono::nanoseconds(0)));
  info.stale = info.since_renewal > info.holder.lease;
  return std::optional<LockInfo>(info);
}

AcquireResult AcquireStackLock(engine::EngineClient& client, const std::string& stack, const LockOptions& options) {
  AcquireResult result;
  const std::string name = LockConfigName(stack);
  if (name.empty()) {
    result.error = LockError{LockFailure::kInvalid,
                             fmt::format("stack name '{}' cannot name a lock (config names are 64 characters of "
                                         "letters, digits, '-', '_' and '.')", stack)};
    return result;
  }
  const LockHolder me = MakeHolder(options);
  const std::string doing = "taking the lock of stack " + stack;
  json body = {{"Name", name},
               {"Labels", Labels(stack, me, 0, false)},
               {"Data", Base64Encode(fmt::format("nest lock of stack {}: see its labels\n", stack))}};
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto created = client.Post("/configs/create", body, doing);
    if (created.ok()) {
      std::string id = created.value().value("ID", "");
      auto version = ReadVersion(client, id, doing);
      if (!version.ok()) {
        result.error = EngineFailure(version.error());
        return result;
      }
      result.lock = HeldLock{stack, id, version.value(), 0, me};
      return result;
    }
    if (created.error().http_status != 409) {
      result.error = EngineFailure(created.error());
      return result;
    }
    auto existing = ReadStackLock(client, stack, options.lease);
    if (!existing.ok()) {
      result.error = EngineFailure(existing.error());
      return result;
    }
    if (!existing.value()) continue;  // released since our create
    const LockInfo& other = *existing.value();
    if (!other.stale && !other.released) {
      result.error = LockError{LockFailure::kHeld, LockReadMessage(other), other};
      return result;
    }
    // Claim it first: a holder renewing at this moment makes this fail, and
    // then the lock is not stale after all (the next attempt says so).
    auto failed = ClaimThenDelete(client, other.config_id, other.version, name, Labels(stack, me, 0, true), doing);
    if (failed) {
      if (IsConflict(*failed)) continue;
      result.error = EngineFailure(*failed);
      return result;
    }
    if (!other.released)
      result.warnings.push_back(fmt::format("took over the stale lock of stack {}: it was {}", stack, other.Describe()));
  }
  result.error = LockError{LockFailure::kBusy,
                           fmt::format("could not take the lock of stack {}: it changed {} times while nest tried",
                                       stack, kAttempts)};
  return result;
}

LockOutcome RenewStackLock(engine::EngineClient& client, HeldLock& lock) {
  LockOutcome outcome;
  const std::string name = LockConfigName(lock.stack);
  const std::string doing = "renewing the lock of stack " + lock.stack;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto update =
        UpdateLabels(client, lock.config_id, lock.version, name, Labels(lock.stack, lock.holder, lock.renewals + 1, false), doing);
    if (update.ok()) {
      ++lock.renewals;
      auto version = ReadVersion(client, lock.config_id, doing);
      if (!version.ok()) outcome.error = EngineFailure(version.error());
      else lock.version = version.value();
      return outcome;
    }
    if (!IsConflict(update.error())) {
      outcome.error = EngineFailure(update.error());
      return outcome;
    }
    // Someone else wrote our object (a takeover's claim) or removed it.
    auto current = client.Get("/configs/" + engine::UrlEncode(lock.config_id), doing);
    if (!current.ok() && current.error().http_status != 404) {
      outcome.error = EngineFailure(current.error());
      return outcome;
    }
    LockInfo seen;
    if (current.ok()) seen = ParseLock(lock.stack, current.value(), lock.holder.lease);
    if (!current.ok() || seen.holder.holder_id != lock.holder.holder_id || seen.released) {
      outcome.error = LockError{LockFailure::kLost, fmt::format("lost the lock of stack {}: {}", lock.stack,
                                                                NewHolderText(client, lock.stack))};
      return outcome;
    }
    lock.version = seen.version;  // still ours: an earlier write of ours landed after all
  }
  outcome.error = LockError{LockFailure::kBusy, fmt::format("could not renew the lock of stack {}", lock.stack)};
  return outcome;
}

LockOutcome ReleaseStackLock(engine::EngineClient& client, const HeldLock& lock) {
  LockOutcome outcome;
  const std::string name = LockConfigName(lock.stack);
  const std::string doing = "releasing the lock of stack " + lock.stack;
  std::int64_t version = lock.version;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // Marking it released with our version proves nobody claimed it since.
    auto failed = ClaimThenDelete(client, lock.config_id, version, name,
                                  Labels(lock.stack, lock.holder, lock.renewals, true), doing);
    if (!failed) return outcome;
    if (!IsConflict(*failed)) {
      outcome.error = EngineFailure(*failed);
      return outcome;
    }
    auto current = client.Get("/configs/" + engine::UrlEncode(lock.config_id), doing);
    if (!current.ok() && current.error().http_status != 404) {
      outcome.error = EngineFailure(current.error());
      return outcome;
    }
    LockInfo seen;
    if (current.ok()) seen = ParseLock(lock.stack, current.value(), lock.holder.lease);
    if (!current.ok() || seen.holder.holder_id != lock.holder.holder_id) {
      outcome.warnings.push_back(fmt::format("did not release the lock of stack {}: it was no longer ours ({})",
                                             lock.stack, NewHolderText(client, lock.stack)));
      return outcome;
    }
    version = seen.version;
  }
  outcome.error = LockError{LockFailure::kBusy, fmt::format("could not release the lock of stack {}", lock.stack)};
  return outcome;
}

LockOutcome ForceUnlock(engine::EngineClient& client, const std::string& stack, const std::string& holder_id) {
  LockOutcome outcome;
  if (LockConfigName(stack).empty()) {
    outcome.error = LockError{LockFailure::kInvalid, fmt::format("stack name '{}' cannot name a lock", stack)};
    return outcome;
  }
  auto found = ReadStackLock(client, stack);
  if (!found.ok()) {
    outcome.error = EngineFailure(found.error());
    return outcome;
  }
  if (!found.value()) {
    outcome.error = LockError{LockFailure::kMissing, fmt::format("stack {} is not locked", stack)};
    return outcome;
  }
  const LockInfo& info = *found.value();
  const std::string& id = info.holder.holder_id;
  bool matches = holder_id == id || (holder_id.size() >= 8 && id.starts_with(holder_id));
  if (!matches) {
    outcome.error = LockError{LockFailure::kHeld,
                              fmt::format("lock ID {} does not match the lock of stack {}: it is {}", holder_id,
                                          stack, info.Describe()),
                              info};
    return outcome;
  }
  // No claim first: force-unlock removes a live lock too, by the user's word.
  if (auto failed = RemoveLockConfig(client, info.config_id, "force-unlocking stack " + stack)) {
    outcome.error = EngineFailure(*failed);
    return outcome;
  }
  outcome.warnings.push_back(fmt::format("removed the lock of stack {}: it was {}", stack, info.Describe()));
  return outcome;
}

}  // namespace nest::swarm
