// Compose values as they appear in the JSON document model the providers
// read (a number, or compose text read by compiler/compose_syntax, the same
// readers `nest import` uses), and the canonical text nest compares them in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "compiler/compose_syntax/parsed.h"

namespace nest::providers {

// A JSON number is nanoseconds; a string is a compose duration ("1m30s").
compose_syntax::Parsed<std::int64_t> DurationFromJson(const nlohmann::ordered_json& value);

// A JSON number is bytes; a string is a compose size ("512m", "1g").
compose_syntax::Parsed<std::int64_t> BytesFromJson(const nlohmann::ordered_json& value);

// A JSON number or a decimal string of CPUs, as nano-CPUs ("0.5" -> 5e8).
compose_syntax::Parsed<std::int64_t> NanoCpusFromJson(const nlohmann::ordered_json& value);

// Nano-CPUs as nest compares them: compose_syntax::FormatNanoCpus.
std::string FormatNanoCpus(std::int64_t nanos);

// A file mode as four octal digits: 292 -> "0444".
std::string FormatFileMode(std::uint32_t mode);
// The string form of a file mode, octal as compose reads a string mode:
// "0440", "440", "0o440" -> 288; nullopt when not octal.
std::optional<std::uint32_t> ParseFileMode(std::string_view text);

// A JSON scalar as compose text: strings as they are, numbers without a
// fraction when whole, booleans "true"/"false", null "".
std::string ScalarText(const nlohmann::ordered_json& value);
std::string ScalarText(const nlohmann::json& value);

}  // namespace nest::providers
