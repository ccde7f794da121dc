// Base64 for the Data of swarm configs, which the Engine API carries as
// standard base64 (Go's encoding/json for []byte). OpenSSL's codec, so no
// hand-written table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nest::swarm {

std::string EncodeBase64(std::string_view bytes);
// nullopt when `text` is not base64 (padding required, as Go writes it).
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace nest::swarm
