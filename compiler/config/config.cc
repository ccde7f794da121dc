#include "compiler/config/config.h"

namespace nest {

const Resource* Config::Find(std::string_view address) const {
  for (const auto& r : resources)
    if (r.address == address) return &r;
  return nullptr;
}

std::string ResourceNameFromAddress(std::string_view address) {
  std::string name;
  while (address.substr(0, 7) == "module.") {
    address.remove_prefix(7);
    std::size_t dot = address.find('.');
    if (dot == std::string_view::npos) break;
    name += std::string(address.substr(0, dot)) + "-";
    address.remove_prefix(dot + 1);
  }
  std::size_t dot = address.find('.');
  name += std::string(dot == std::string_view::npos ? address : address.substr(dot + 1));
  return name;
}

}  // namespace nest
