// Base64 (RFC 4648, with padding), as the Engine API carries secret and
// config data. OpenSSL's libcrypto does the work.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nest {

std::string Base64Encode(std::string_view bytes);
// nullopt when `text` is not padded base64 (a length that is not a multiple
// of four, a character outside the alphabet).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace nest
