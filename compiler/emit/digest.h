// SHA-256 (OpenSSL libcrypto) for content-addressed names and spec hashes.
#pragma once

#include <string>
#include <string_view>

namespace nest {

// Lower-case hex of the SHA-256 of `data`, 64 characters.
std::string Sha256Hex(std::string_view data);

}  // namespace nest
