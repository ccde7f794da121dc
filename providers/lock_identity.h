// Who takes a lock on the engine: a fresh random holder ID, and the user and
// host the apply runs as. Shared by the Swarm stack lock (swarm/stack_lock.h)
// and the Compose project lock (compose/project_lock.h), which store them.
#pragma once

#include <string>

namespace nest::providers {

// 32 hex digits from OpenSSL's random bytes (the time and pid if libcrypto
// has no entropy, which is not expected).
std::string RandomHolderId();
// $USER, else the password entry of the effective uid, else the uid.
std::string CurrentUser();
// gethostname(), or "unknown".
std::string CurrentHost();

// The labels both locks write their holder under (a Swarm config's, a
// Compose lock volume's), so `docker ... inspect` reads alike on both.
namespace lock_labels {
inline constexpr const char* kStack = "nest.lock.stack";
inline constexpr const char* kHolder = "nest.lock.holder";
inline constexpr const char* kUser = "nest.lock.user";
inline constexpr const char* kHost = "nest.lock.host";
inline constexpr const char* kPid = "nest.lock.pid";
inline constexpr const char* kOperation = "nest.lock.operation";
inline constexpr const char* kStarted = "nest.lock.started";
inline constexpr const char* kLease = "nest.lock.lease-ms";
}  // namespace lock_labels

}  // namespace nest::providers
