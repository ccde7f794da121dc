#include "compiler/compose_syntax/assignment.h"

namespace nest::compose_syntax {

Assignment SplitAssignment(std::string_view text, char separator) {
  std::size_t at = text.find(separator);
  if (at == std::string_view::npos) return Assignment{std::string(text), std::nullopt};
  return Assignment{std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
}

}  // namespace nest::compose_syntax
