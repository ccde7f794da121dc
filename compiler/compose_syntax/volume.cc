#include "compiler/compose_syntax/volume.h"

#include <fmt/format.h>

#include <vector>

namespace nest::compose_syntax {
namespace {

bool IsPropagation(std::string_view option) {
  for (const char* p : {"rprivate", "private", "rshared", "shared", "rslave", "slave"})
    if (option == p) return true;
  return false;
}

}  // namespace

Parsed<ShortVolume> ParseShortVolume(std::string_view text) {
  if (text.empty()) return SyntaxError{"a volume cannot be empty"};
  ShortVolume out;
  // docker takes a text of one or two characters as a target, colon or not.
  if (text.size() <= 2) {
    out.target = text;
    return out;
  }
  std::vector<std::string_view> pieces;
  for (std::size_t start = 0;;) {
    std::size_t colon = text.find(':', start);
    pieces.push_back(text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  for (auto piece : pieces)
    if (piece.empty()) return SyntaxError{fmt::format("`{}` is not a volume mount: an empty piece between colons", text)};
  if (pieces.size() > 3) return SyntaxError{fmt::format("`{}` is not a volume mount: too many colons", text)};
  if (pieces.size() == 1) {
    out.target = pieces[0];
    return out;
  }
  out.source = pieces[0];
  out.target = pieces[1];
  if (pieces.size() == 3) {
    out.options = pieces[2];
    for (std::size_t start = 0;;) {
      std::size_t comma = out.options.find(',', start);
      std::string_view option = std::string_view(out.options).substr(
          start, comma == std::string::npos ? std::string_view::npos : comma - start);
      if (option == "ro") out.read_only = true;
      else if (option == "rw") out.read_only = false;
      else if (option == "nocopy") out.nocopy = true;
      else if (IsPropagation(option)) out.propagation = option;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

bool IsHostPath(std::string_view source) {
  return !source.empty() && (source[0] == '/' || source[0] == '.' || source[0] == '~');
}

}  // namespace nest::compose_syntax
