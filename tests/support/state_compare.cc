#include "tests/support/state_compare.h"

#include <set>

namespace nest::test_support {

std::string ValueText(const plan::AttributeValue& value) {
  using Kind = plan::AttributeValue::Kind;
  std::string out;
  switch (value.kind) {
    case Kind::kScalar:
      return "\"" + value.scalar + "\"";
    case Kind::kList:
      out = "[";
      for (std::size_t i = 0; i < value.list.size(); ++i) out += (i ? ", " : "") + ValueText(value.list[i]);
      return out + "]";
    case Kind::kMap: {
      out = "{";
      bool first = true;
      for (const auto& [key, item] : value.map) {
        out += (first ? "" : ", ") + key + ": " + ValueText(item);
        first = false;
      }
      return out + "}";
    }
  }
  return out;
}

std::string DescribeDifferences(const plan::StackState& desired, const plan::StackState& live) {
  std::string out;
  std::set<std::string> addresses;
  for (const auto& r : desired.resources) addresses.insert(r.address);
  for (const auto& r : live.resources) addresses.insert(r.address);
  for (const auto& address : addresses) {
    const plan::ResourceState* d = desired.Find(address);
    const plan::ResourceState* l = live.Find(address);
    if (d == nullptr) {
      out += address + ": live only (" + l->docker_name + ")\n";
      continue;
    }
    if (l == nullptr) {
      out += address + ": desired only (" + d->docker_name + ")\n";
      continue;
    }
    std::set<std::string> names;
    for (const auto& [name, _] : d->attributes) names.insert(name);
    for (const auto& [name, _] : l->attributes) names.insert(name);
    for (const auto& name : names) {
      auto di = d->attributes.find(name);
      auto li = l->attributes.find(name);
      if (di != d->attributes.end() && li != l->attributes.end() && di->second == li->second) continue;
      out += address + "." + name + ": desired " +
             (di == d->attributes.end() ? "(unset)" : ValueText(di->second)) + ", live " +
             (li == l->attributes.end() ? "(unset)" : ValueText(li->second)) + "\n";
    }
  }
  return out;
}

std::string DescribeState(const plan::StackState& state) {
  std::string out;
  for (const auto& r : state.resources) {
    out += r.address + " (" + r.docker_name + ")" + (r.managed ? "" : " unmanaged") + "\n";
    for (const auto& [name, value] : r.attributes) out += "  " + name + " = " + ValueText(value) + "\n";
    for (const auto& problem : r.problems) out += "  ! " + problem + "\n";
  }
  for (const auto& problem : state.problems) out += "! " + problem + "\n";
  return out;
}

}  // namespace nest::test_support
