// Why `nest import` has no form for a key of the compose specification.
// Every top-level and service key of the specification is either mapped
// (service_importer.cc, importer.cc) or named here with its reason, so a
// rejected key always says why; docs/import.md lists the same verdicts.
#pragma once

#include <string_view>

namespace nest::import {

// The reason a service key is not imported, or "" for a key this table
// does not know (a key nest maps, or one outside the specification).
std::string_view UnmappedServiceKeyReason(std::string_view key);

// The same for a top-level key.
std::string_view UnmappedTopLevelKeyReason(std::string_view key);

}  // namespace nest::import
