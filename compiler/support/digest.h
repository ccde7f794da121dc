// SHA-256 (OpenSSL libcrypto) for content-addressed names and spec hashes.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace nest {

// Lower-case hex of the SHA-256 of `data`, 64 characters.
std::string Sha256Hex(std::string_view data);
// The same of the pieces one after the other, without joining them.
std::string Sha256Hex(std::initializer_list<std::string_view> pieces);

}  // namespace nest
