#include "providers/lock_identity.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>
#include <openssl/rand.h>

namespace nest::providers {

std::string RandomHolderId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // libcrypto without entropy is not expected; the time and pid keep IDs apart.
    auto now = std::chrono::system_clock::now().time_since_epoch().count();
    return fmt::format("{:016x}{:016x}", static_cast<std::uint64_t>(now), static_cast<std::uint64_t>(getpid()));
  }
  std::string id;
  for (unsigned char byte : bytes) id += fmt::format("{:02x}", byte);
  return id;
}

std::string CurrentUser() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* entry = getpwuid(geteuid())) return entry->pw_name;
  return std::to_string(geteuid());
}

std::string CurrentHost() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace nest::providers
