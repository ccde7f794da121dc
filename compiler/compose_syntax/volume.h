// The short form of a compose service volume, "[source:]target[:options]":
// docker/cli's loader.ParseVolume, as `docker stack deploy` reads it.
// Windows drive letters ("C:\data:/data") are not recognised.
#pragma once

#include <string>
#include <string_view>

#include "compiler/compose_syntax/parsed.h"

namespace nest::compose_syntax {

struct ShortVolume {
  std::string source;       // "" for an anonymous volume ("/data")
  std::string target;
  std::string options;      // the third piece as written ("ro", "rw,z"); "" when none
  bool read_only = false;   // `ro` (the last of `ro`/`rw` wins)
  bool nocopy = false;      // `nocopy`
  std::string propagation;  // rprivate, private, rshared, shared, rslave or slave; "" when none
};

// Errors: an empty text, an empty piece between colons ("data::/x"), or more
// than three pieces. Unknown options are kept in `options` and otherwise
// ignored, as docker ignores them.
Parsed<ShortVolume> ParseShortVolume(std::string_view text);

// A source that is a host path (a bind mount) rather than a volume name:
// it starts with `/`, `.` or `~`.
bool IsHostPath(std::string_view source);

}  // namespace nest::compose_syntax
