// Small builders for canonical AttributeValues, shared by the providers'
// normalisers: empty values are never stored, so "not set" and "set to
// nothing" compare equal on both sides of the diff.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "planner/state/state.h"

namespace nest::providers {

using plan::AttributeValue;
using Attributes = std::map<std::string, AttributeValue>;

AttributeValue Text(std::string text);
// A size in bytes: compared as the number, shown as nest writes it
// ("512MiB", the largest exact binary unit), so a plan never shows a raw
// byte count.
AttributeValue Size(std::int64_t bytes);
AttributeValue ListValue(std::vector<AttributeValue> items);
AttributeValue StringList(const std::vector<std::string>& items);
AttributeValue MapValue(Attributes entries);
AttributeValue StringMap(const std::map<std::string, std::string>& entries);

// True for "", an empty list or an empty map.
bool IsEmpty(const AttributeValue& value);

// Stores `value` under `name` unless it is empty.
void Put(Attributes& attributes, const std::string& name, AttributeValue value);
void PutText(Attributes& attributes, const std::string& name, std::string text);
// Stores "true" when `flag`; false is the same as not set.
void PutFlag(Attributes& attributes, const std::string& name, bool flag);

// A total order on values, for sorting lists whose order Docker ignores.
bool ValueLess(const AttributeValue& a, const AttributeValue& b);
void SortUnique(std::vector<AttributeValue>& items);

}  // namespace nest::providers
