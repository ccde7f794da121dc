#include "cli/approval.h"

#include <fmt/format.h>

#include <string>

namespace nest {

bool AskApproval(std::FILE* out, std::FILE* in) {
  fmt::print(out,
             "\nDo you want to perform these actions?\n"
             "  nest will perform the actions described above.\n"
             "  Only 'yes' will be accepted to approve.\n\n"
             "  Enter a value: ");
  std::fflush(out);
  std::string line;
  for (int c; (c = std::fgetc(in)) != EOF && c != '\n';) line += static_cast<char>(c);
  auto first = line.find_first_not_of(" \t\r");
  auto last = line.find_last_not_of(" \t\r");
  std::string answer = first == std::string::npos ? "" : line.substr(first, last - first + 1);
  fmt::print(out, "\n");
  return answer == "yes";
}

}  // namespace nest
