// Base64 (RFC 4648, with padding), as the Engine API wants secret and config
// data. OpenSSL's libcrypto does the encoding.
#pragma once

#include <string>
#include <string_view>

namespace nest {

std::string Base64Encode(std::string_view data);

}  // namespace nest
