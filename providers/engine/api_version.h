// Docker Engine API versions ("1.41") and how nest picks the one it speaks.
//
// The daemon interprets a request by the version in its path and silently
// drops fields newer than that version, so nest always states the version it
// speaks: the lower of the daemon's and nest's own (1.41, which has every
// field nest uses), never lower than kOldestApiVersion.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace nest::engine {

struct ApiVersion {
  int major = 1;
  int minor = 41;

  auto operator<=>(const ApiVersion&) const = default;
  // "1.41"
  std::string ToString() const;
  // "1.41" -> {1, 41}; nullopt for anything else ("1", "v1.41", "1.41.0", "").
  static std::optional<ApiVersion> Parse(std::string_view text);
};

// The newest API nest speaks; the one its request bodies are written for.
inline constexpr ApiVersion kNewestApiVersion{1, 41};
// The oldest API nest accepts: configs (1.30) and server-side rollback (1.28)
// are not optional for a stack tool.
inline constexpr ApiVersion kOldestApiVersion{1, 30};
// What the Docker client assumes when /_ping carries no API-Version header.
inline constexpr ApiVersion kPingDefaultApiVersion{1, 24};

// min(server, kNewestApiVersion); a missing server version counts as 1.24.
ApiVersion NegotiateApiVersion(std::optional<ApiVersion> server);

}  // namespace nest::engine
