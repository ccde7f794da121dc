// Image references read the way the Docker CLI reads them, so that the two
// sides of a plan compare what Docker would run, not how it was spelled.
//
// The grammar and the normalisation are those of the distribution reference
// library (github.com/distribution/reference) the CLI uses:
// ParseNormalizedNamed ("nginx" -> docker.io/library/nginx, index.docker.io
// -> docker.io, a first element with "." or ":" or "localhost" is a
// registry, repository names lower-case), TagNameOnly (no tag and no digest
// -> ":latest") and FamiliarString (the short form `docker service ls`
// shows). The CLI sends FamiliarString(TagNameOnly(ref)) for every service
// it creates, so "someorg/worker" lives on as "someorg/worker:latest"; that
// same text is what nest compares (ComparableImage).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/support/result.h"

namespace nest::providers {

struct ImageReference {
  std::string domain;  // "docker.io", "localhost:5000", "[::1]:5000"; "" only in odd cases (see .cc)
  std::string path;    // "library/nginx", "someorg/worker"
  std::string tag;     // "" when none
  std::string digest;  // "sha256:<hex>", "" when none

  std::string Name() const;    // "docker.io/library/nginx"
  std::string String() const;  // Name() [":" tag] ["@" digest]
  bool operator==(const ImageReference&) const = default;
};

// ParseNormalizedNamed: the reference fully qualified, or the library's error
// message ("invalid reference format: repository name (Foo) must be
// lowercase", "invalid checksum digest length", ...).
Result<ImageReference> ParseNormalizedNamed(std::string_view text);

// TagNameOnly: "latest" when the reference has neither tag nor digest.
ImageReference TagNameOnly(ImageReference reference);

// FamiliarName / FamiliarString: docker.io and its library/ namespace left
// out ("nginx", "someorg/worker", "localhost:5000/x"), tag and digest kept.
std::string FamiliarName(const ImageReference& reference);
std::string FamiliarString(const ImageReference& reference);

// The image text both sides of the diff store: the familiar form with the
// default tag, so every spelling of one image gives one text, and a plan
// that shows it shows what `docker service ls` shows.
//
// A digest is kept (and so compared) when it is the user's; one Docker
// added by resolving a tag is left out. `written` says which: the reference
// as the user wrote it (the com.docker.stack.image label docker stack
// deploy and nest put on a service, or the image itself where nothing
// resolves). A digest is Docker's when `written` names the same image and
// tag without a digest. With no `written` (a service made by `docker
// service create`, which resolves by default), a digest that comes with a
// tag ("name:tag@sha256:...", the resolved form) is Docker's; a bare
// "name@sha256:..." is a pin.
//
// An empty image stays empty. An invalid one is kept as written, with the
// reason in `problem` ("image `Foo`: invalid reference format: ...").
struct ComparableImage {
  std::string text;
  std::string problem;  // "" when the reference is valid
};
ComparableImage CompareForm(std::string_view image, std::optional<std::string_view> written);

}  // namespace nest::providers
