#include "compiler/config/value.h"

#include <fmt/format.h>


namespace nest {

const char* ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return "null";
    case ValueKind::kString: return "string";
    case ValueKind::kNumber: return "number";
    case ValueKind::kBool: return "bool";
    case ValueKind::kDuration: return "duration";
    case ValueKind::kSize: return "size";
    case ValueKind::kPercent: return "percentage";
    case ValueKind::kCidr: return "CIDR";
    case ValueKind::kIp: return "IP address";
    case ValueKind::kPort: return "port mapping";
    case ValueKind::kList: return "list";
    case ValueKind::kMap: return "map";
    case ValueKind::kObject: return "block";
    case ValueKind::kReference: return "reference";
  }
  return "value";
}

const Value* Value::Find(std::string_view name) const {
  // Lengths first: a body has a few dozen fields and most lookups miss, and
  // string == string_view compares the bytes before the lengths.
  for (const auto& [key, value] : fields)
    if (key.size() == name.size() && std::char_traits<char>::compare(key.data(), name.data(), name.size()) == 0)
      return &value;
  return nullptr;
}

std::vector<const Value*> Value::All(std::string_view name) const {
  std::vector<const Value*> out;
  const Value* v = Find(name);
  if (v == nullptr) return out;
  if (v->kind == ValueKind::kList) {
    for (const auto& item : v->items) out.push_back(&item);
  } else {
    out.push_back(v);
  }
  return out;
}

std::string FormatDuration(std::int64_t nanos) {
  if (nanos == 0) return "0s";
  std::string out = nanos < 0 ? "-" : "";
  std::uint64_t n = nanos < 0 ? static_cast<std::uint64_t>(-(nanos + 1)) + 1 : nanos;
  constexpr std::uint64_t kSecond = 1000000000ULL;
  if (n % kSecond != 0 && n < kSecond) {
    if (n % 1000000 == 0) return out + fmt::format("{}ms", n / 1000000);
    if (n % 1000 == 0) return out + fmt::format("{}us", n / 1000);
    return out + fmt::format("{}ns", n);
  }
  std::uint64_t hours = n / (3600 * kSecond);
  n %= 3600 * kSecond;
  std::uint64_t minutes = n / (60 * kSecond);
  n %= 60 * kSecond;
  if (hours) out += fmt::format("{}h", hours);
  if (minutes) out += fmt::format("{}m", minutes);
  if (n) {
    if (n % kSecond == 0) {
      out += fmt::format("{}s", n / kSecond);
    } else {
      // Fractional seconds, trailing zeros trimmed: 1.5s.
      std::string frac = fmt::format("{:09}", n % kSecond);
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      out += fmt::format("{}.{}s", n / kSecond, frac);
    }
  }
  return out;
}

std::string FormatSize(std::int64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (unit < 4 && bytes != 0 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  return fmt::format("{}{}", bytes, kUnits[unit]);
}

}  // namespace nest
