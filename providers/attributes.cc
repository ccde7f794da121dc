#include "providers/attributes.h"

#include <algorithm>

#include "compiler/config/value.h"

namespace nest::providers {

AttributeValue Text(std::string text) {
  AttributeValue value;
  value.kind = AttributeValue::Kind::kScalar;
  value.scalar = std::move(text);
  return value;
}

AttributeValue Size(std::int64_t bytes) {
  AttributeValue value = Text(std::to_string(bytes));
  value.display = FormatSize(bytes);
  return value;
}

AttributeValue ListValue(std::vector<AttributeValue> items) {
  AttributeValue value;
  value.kind = AttributeValue::Kind::kList;
  value.list = std::move(items);
  return value;
}

AttributeValue StringList(const std::vector<std::string>& items) {
  std::vector<AttributeValue> values;
  values.reserve(items.size());
  for (const auto& item : items) values.push_back(Text(item));
  return ListValue(std::move(values));
}

AttributeValue MapValue(Attributes entries) {
  AttributeValue value;
  value.kind = AttributeValue::Kind::kMap;
  value.map = std::move(entries);
  return value;
}

AttributeValue StringMap(const std::map<std::string, std::string>& entries) {
  Attributes values;
  for (const auto& [key, text] : entries) values.emplace(key, Text(text));
  return MapValue(std::move(values));
}

bool IsEmpty(const AttributeValue& value) {
  switch (value.kind) {
    case AttributeValue::Kind::kScalar: return value.scalar.empty();
    case AttributeValue::Kind::kList: return value.list.empty();
    case AttributeValue::Kind::kMap: return value.map.empty();
  }
  return true;
}

void Put(Attributes& attributes, const std::string& name, AttributeValue value) {
  if (IsEmpty(value)) return;
  attributes[name] = std::move(value);
}

void PutText(Attributes& attributes, const std::string& name, std::string text) {
  Put(attributes, name, Text(std::move(text)));
}

void PutFlag(Attributes& attributes, const std::string& name, bool flag) {
  if (flag) attributes[name] = Text("true");
}

bool ValueLess(const AttributeValue& a, const AttributeValue& b) {
  if (a.kind != b.kind) return a.kind < b.kind;
  switch (a.kind) {
    case AttributeValue::Kind::kScalar:
      return a.scalar < b.scalar;
    case AttributeValue::Kind::kList:
      return std::lexicographical_compare(a.list.begin(), a.list.end(), b.list.begin(), b.list.end(),
                                          ValueLess);
    case AttributeValue::Kind::kMap:
      return std::lexicographical_compare(
          a.map.begin(), a.map.end(), b.map.begin(), b.map.end(), [](const auto& x, const auto& y) {
            if (x.first != y.first) return x.first < y.first;
            return ValueLess(x.second, y.second);
          });
  }
  return false;
}

void SortUnique(std::vector<AttributeValue>& items) {
  std::sort(items.begin(), items.end(), ValueLess);
  items.erase(std::unique(items.begin(), items.end(),
                          [](const AttributeValue& a, const AttributeValue& b) {
                            return !ValueLess(a, b) && !ValueLess(b, a);
                          }),
              items.end());
}

}  // namespace nest::providers
