// The value syntaxes of compose files, read as the docker CLI reads them, and
// the canonical text nest compares them in. Shared by the swarm and compose
// providers (both start from a compose document).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace nest::providers {

// Go's time.ParseDuration ("1m30s", "500ms", "1.5h", "10us", "0"), the
// format compose durations are written in. A JSON number is nanoseconds.
// nullopt when the text is not a duration.
std::optional<std::int64_t> ParseGoDuration(std::string_view text);
std::optional<std::int64_t> DurationFromJson(const nlohmann::ordered_json& value);

// docker's units.RAMInBytes: "512m", "512M", "512MiB", "1g", "1024" (binary
// multiples whatever the spelling). A JSON number is bytes.
std::optional<std::int64_t> ParseRamBytes(std::string_view text);
std::optional<std::int64_t> BytesFromJson(const nlohmann::ordered_json& value);

// docker's opts.ParseCPUs: a decimal number of CPUs to nano-CPUs, exactly
// ("0.5" -> 500000000). nullopt when not a number or finer than 1e-9.
std::optional<std::int64_t> ParseNanoCpus(std::string_view text);
std::optional<std::int64_t> NanoCpusFromJson(const nlohmann::ordered_json& value);

// Nano-CPUs as a decimal number of CPUs without trailing zeros: "0.5", "2".
std::string FormatNanoCpus(std::int64_t nanos);

// A file mode as four octal digits: 292 -> "0444".
std::string FormatFileMode(std::uint32_t mode);
// "0440", "440", "0o440" -> 288; nullopt when not octal.
std::optional<std::uint32_t> ParseFileMode(std::string_view text);

// A JSON scalar as compose text: strings as they are, numbers without a
// fraction when whole, booleans "true"/"false", null "".
std::string ScalarText(const nlohmann::ordered_json& value);
std::string ScalarText(const nlohmann::json& value);

}  // namespace nest::providers
