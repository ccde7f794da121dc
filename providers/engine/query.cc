#include "providers/engine/query.h"

#include <nlohmann/json.hpp>

namespace nest::engine {

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string EncodeFilters(const Filters& filters) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, values] : filters) object[key] = values;
  // error_handler::replace: a label with invalid UTF-8 must not throw.
  return "filters=" + UrlEncode(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string LabelFilter(const std::vector<std::string>& labels) {
  return EncodeFilters({{"label", labels}});
}

}  // namespace nest::engine
