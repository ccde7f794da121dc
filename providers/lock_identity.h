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

}  // namespace nest::providers
