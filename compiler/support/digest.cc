#include "compiler/support/digest.h"

#include <memory>
#include <new>
#include <openssl/evp.h>

namespace nest {
namespace {

// Fetched once: OpenSSL 3 looks the algorithm up (under a lock) on every
// call given EVP_sha256(), a tenth of the hashing of a large stack.
const EVP_MD* Sha256() {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return sha256 != nullptr ? sha256 : EVP_sha256();
}

std::string Hex(const unsigned char* digest, unsigned int length) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) { return Sha256Hex({data}); }

std::string Sha256Hex(std::initializer_list<std::string_view> pieces) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // One context a thread, reset for each digest: making and freeing one
  // cost as much as hashing a compiled service entry.
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_MD_CTX* ctx = context.get();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, Sha256(), nullptr) == 1;
  for (std::string_view piece : pieces) ok = ok && EVP_DigestUpdate(ctx, piece.data(), piece.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  // Only an allocation failure inside OpenSSL gets here.
  if (!ok) throw std::bad_alloc();
  return Hex(digest, length);
}

}  // namespace nest
