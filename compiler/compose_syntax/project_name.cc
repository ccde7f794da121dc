#include "compiler/compose_syntax/project_name.h"

#include <cctype>

namespace nest::compose_syntax {

std::string ProjectName(std::string_view name) {
  std::string out;
  for (char c : name) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(lower)) || lower == '_' || lower == '-') out += lower;
  }
  return out;
}

}  // namespace nest::compose_syntax
