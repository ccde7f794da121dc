#include "providers/image_reference.h"

#include <fmt/format.h>

#include <algorithm>

namespace nest::providers {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kLocalhost = "localhost";
constexpr std::string_view kOfficialRepoPrefix = "library/";
constexpr std::string_view kDefaultTag = "latest";
constexpr std::size_t kRepositoryNameTotalLengthMax = 255;
constexpr std::size_t kTagLengthMax = 128;

// ASCII only, as Go's regexp classes are: [a-z0-9], [A-Za-z0-9], \w, [[:xdigit:]].
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLetter(char c) { return IsUpper(c) || (c >= 'a' && c <= 'z'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || IsUpper(c); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWord(char c) { return IsAlnum(c) || c == '_'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

template <typename Predicate>
bool All(std::string_view text, Predicate predicate) {
  return std::all_of(text.begin(), text.end(), predicate);
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (IsUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Calls `each` on the parts of `text` between `separator`s (empty parts too).
template <typename Each>
bool AllParts(std::string_view text, char separator, Each each) {
  while (true) {
    auto at = text.find(separator);
    if (!each(text.substr(0, at))) return false;
    if (at == std::string_view::npos) return true;
    text.remove_prefix(at + 1);
  }
}

// path-component := [a-z0-9]+ ( ( [._] | __ | [-]+ ) [a-z0-9]+ )*
bool IsPathComponent(std::string_view s) {
  std::size_t i = 0;
  auto alnum_run = [&] {
    std::size_t start = i;
    while (i < s.size() && IsLowerAlnum(s[i])) ++i;
    return i > start;
  };
  if (!alnum_run()) return false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;  // "__" is one separator, "___" none
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!alnum_run()) return false;
  }
  return true;
}

bool IsRemoteName(std::string_view s) { return AllParts(s, '/', IsPathComponent); }

// domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool IsDomainComponent(std::string_view s) {
  return !s.empty() && IsAlnum(s.front()) && IsAlnum(s.back()) &&
         All(s, [](char c) { return IsAlnum(c) || c == '-'; });
}

// host [":" port]: host a domain name (an IPv4 address is one) or "[" IPv6 "]".
bool IsDomainAndPort(std::string_view s) {
  std::string_view rest;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    if (!All(s.substr(1, close - 1), [](char c) { return IsHex(c) || c == ':'; })) return false;
    rest = s.substr(close + 1);
  } else {
    auto colon = s.find(':');
    if (!AllParts(s.substr(0, colon), '.', IsDomainComponent)) return false;
    if (colon != std::string_view::npos) rest = s.substr(colon);
  }
  return rest.empty() || (rest.size() > 1 && rest.front() == ':' && All(rest.substr(1), IsDigit));
}

// digest := algorithm ":" hex, algorithm components [A-Za-z][A-Za-z0-9]*
// joined by [-_+.], at least 32 hex digits.
bool IsDigestPattern(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view algorithm = s.substr(0, colon), hex = s.substr(colon + 1);
  std::size_t i = 0;
  while (true) {
    if (i >= algorithm.size() || !IsLetter(algorithm[i])) return false;
    while (i < algorithm.size() && IsAlnum(algorithm[i])) ++i;
    if (i == algorithm.size()) break;
    if (std::string_view("-_+.").find(algorithm[i]) == std::string_view::npos) return false;
    ++i;
  }
  return hex.size() >= 32 && All(hex, IsHex);
}

// tag := [\w][\w.-]{0,127}
bool IsTag(std::string_view s) {
  return !s.empty() && s.size() <= kTagLengthMax && IsWord(s.front()) &&
         All(s, [](char c) { return IsWord(c) || c == '.' || c == '-'; });
}

// The library's anchored reference regexp, name [":" tag] ["@" digest], with
// its captures. A name holds ":" only in a registry port, which a "/"
// follows, so the tag is after the last ":" that comes after the last "/".
bool MatchReference(std::string_view s, ImageReference* out) {
  std::string_view name = s, tag, digest;
  if (auto at = s.find('@'); at != std::string_view::npos) {
    name = s.substr(0, at);
    digest = s.substr(at + 1);
    if (!IsDigestPattern(digest)) return false;
  }
  auto colon = name.rfind(':');
  auto slash = name.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    tag = name.substr(colon + 1);
    name = name.substr(0, colon);
    if (!IsTag(tag)) return false;
  }
  // [domain "/"] remote-name: the domain is what comes before the first "/"
  // when that reads as one; otherwise the whole name must be a remote name.
  std::string domain, path;
  auto first = name.find('/');
  if (first != std::string_view::npos && IsDomainAndPort(name.substr(0, first)) &&
      IsRemoteName(name.substr(first + 1))) {
    domain = name.substr(0, first);
    path = name.substr(first + 1);
  } else if (IsRemoteName(name)) {
    path = name;
  } else {
    return false;
  }
  if (out != nullptr) *out = ImageReference{std::move(domain), std::move(path), std::string(tag), std::string(digest)};
  return true;
}

// opencontainers/go-digest's Validate, for the algorithms Docker registers.
std::optional<std::string> DigestError(std::string_view digest) {
  auto colon = digest.find(':');
  std::string_view algorithm = digest.substr(0, colon), encoded = digest.substr(colon + 1);
  std::size_t size = algorithm == "sha256" ? 64 : algorithm == "sha384" ? 96 : algorithm == "sha512" ? 128 : 0;
  if (size == 0) {
    // go-digest's own pattern wants a lower-case algorithm.
    if (!All(algorithm, [](char c) { return !IsUpper(c); })) return "invalid checksum digest format";
    return "unsupported digest algorithm";
  }
  if (encoded.size() != size) return "invalid checksum digest length";
  if (!All(encoded, IsLowerHex)) return "invalid checksum digest format";
  return std::nullopt;
}

// reference.Parse.
Result<ImageReference> Parse(const std::string& s) {
  if (s.empty()) return Error{"repository name must have at least one component"};
  ImageReference reference;
  if (!MatchReference(s, &reference)) {
    std::string lower = ToLower(s);
    if (lower != s && MatchReference(lower, nullptr)) return Error{"repository name must be lowercase"};
    return Error{"invalid reference format"};
  }
  if (reference.path.size() > kRepositoryNameTotalLengthMax) {
    return Error{fmt::format("repository name must not be more than {} characters", kRepositoryNameTotalLengthMax)};
  }
  if (!reference.digest.empty()) {
    if (auto error = DigestError(reference.digest)) return Error{*error};
  }
  return reference;
}

// splitDockerDomain: which registry a familiar name means.
std::pair<std::string, std::string> SplitDockerDomain(std::string_view name) {
  auto slash = name.find('/');
  if (slash == std::string_view::npos) {
    // A single element ("ubuntu", "ubuntu:22.04", even "localhost:5000") is an official image.
    return {std::string(kDefaultDomain), std::string(kOfficialRepoPrefix) + std::string(name)};
  }
  std::string_view maybe_domain = name.substr(0, slash);
  // "localhost", "example.com", "127.0.0.1", "example:5000", "[::1]:5000"
  // name a registry; so does an upper-case first element, which cannot be
  // a namespace. "index.docker.io" is Docker Hub's old name.
  bool is_domain = maybe_domain == kLocalhost || maybe_domain == kLegacyDefaultDomain ||
                   maybe_domain.find_first_of(".:") != std::string_view::npos || ToLower(maybe_domain) != maybe_domain;
  std::string domain(is_domain ? maybe_domain : kDefaultDomain);
  std::string remainder(is_domain ? name.substr(slash + 1) : name);
  if (domain == kLegacyDefaultDomain) domain = kDefaultDomain;
  if (domain == kDefaultDomain && remainder.find('/') == std::string::npos) {
    remainder = std::string(kOfficialRepoPrefix) + remainder;  // "docker.io/ubuntu" is "docker.io/library/ubuntu"
  }
  return {domain, remainder};
}

}  // namespace

std::string ImageReference::Name() const { return domain.empty() ? path : domain + "/" + path; }

std::string ImageReference::String() const {
  std::string out = Name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

Result<ImageReference> ParseNormalizedNamed(std::string_view text) {
  if (text.size() == 64 && All(text, IsLowerHex)) {
    return Error{fmt::format("invalid repository name ({}), cannot specify 64-byte hexadecimal strings", text)};
  }
  auto [domain, remainder] = SplitDockerDomain(text);
  std::string remote = remainder.substr(0, remainder.find(':'));
  if (ToLower(remote) != remote) {
    return Error{fmt::format("invalid reference format: repository name ({}) must be lowercase", remote)};
  }
  return Parse(domain + "/" + remainder);
}

ImageReference TagNameOnly(ImageReference reference) {
  if (reference.tag.empty() && reference.digest.empty()) reference.tag = kDefaultTag;
  return reference;
}

std::string FamiliarName(const ImageReference& reference) {
  if (reference.domain != kDefaultDomain) return reference.Name();
  std::string_view path = reference.path;
  // Only a one-element official name loses "library/": "library/a/b" keeps it.
  if (path.starts_with(kOfficialRepoPrefix) && path.substr(kOfficialRepoPrefix.size()).find('/') == std::string_view::npos) {
    path.remove_prefix(kOfficialRepoPrefix.size());
  }
  return std::string(path);
}

std::string FamiliarString(const ImageReference& reference) {
  std::string out = FamiliarName(reference);
  if (!reference.tag.empty()) out += ":" + reference.tag;
  if (!reference.digest.empty()) out += "@" + reference.digest;
  return out;
}

namespace {

// Whether the digest on `live` was added by Docker resolving a tag rather
// than written by the user (see CompareForm in the header).
bool DigestIsDockers(const ImageReference& live, std::optional<std::string_view> written) {
  if (!written) return !live.tag.empty();
  auto user = ParseNormalizedNamed(*written);
  if (!user.ok() || !user.value().digest.empty() || user.value().Name() != live.Name()) return false;
  if (live.tag.empty()) return user.value().tag.empty();  // "x" resolved to "x@sha256:..."
  return live.tag == TagNameOnly(user.value()).tag;       // "x" or "x:1" resolved to "x:1@sha256:..."
}

}  // namespace

ComparableImage CompareForm(std::string_view image, std::optional<std::string_view> written) {
  if (image.empty()) return {};
  auto parsed = ParseNormalizedNamed(image);
  if (!parsed.ok()) return {std::string(image), fmt::format("image `{}`: {}", image, parsed.error().message)};
  ImageReference reference = std::move(parsed).value();
  if (!reference.digest.empty() && DigestIsDockers(reference, written)) reference.digest.clear();
  return {FamiliarString(TagNameOnly(std::move(reference))), ""};
}

}  // namespace nest::providers
