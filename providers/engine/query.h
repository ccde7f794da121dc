// Query strings for Engine API paths.
//
// List endpoints take `filters=` + URL-encoded JSON of map[string][]string:
// several values under `label` must all match (AND), under `name` or `id`
// any may match (OR). Building them here keeps the encoding in one place:
//   "/services?" + EncodeFilters({{"label", {"com.docker.stack.namespace=x"}}})
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nest::engine {

using Filters = std::map<std::string, std::vector<std::string>>;

// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string UrlEncode(std::string_view text);

// "filters=%7B%22label%22%3A%5B%22k%3Dv%22%5D%7D" for {"label":["k=v"]}.
// Keys in sorted order, values in the given order, so paths are stable.
std::string EncodeFilters(const Filters& filters);

// EncodeFilters of {"label": labels}: objects carrying every one of `labels`
// ("key" = the key is present, "key=value" = exactly that value).
std::string LabelFilter(const std::vector<std::string>& labels);

}  // namespace nest::engine
