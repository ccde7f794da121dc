#include "compiler/support/base64.h"

#include <openssl/evp.h>

namespace nest {

std::string Base64Encode(std::string_view data) {
  // 4 characters for every 3 bytes, rounded up, plus the NUL EVP writes.
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace nest
