// `nest import`: compose scalars as nest literals, by the kind of value
// the key takes.
#include <fmt/format.h>

#include <cmath>

#include "compiler/compose_syntax/byte_size.h"
#include "compiler/compose_syntax/duration.h"
#include "compiler/config/value.h"
#include "compiler/import/importer_internal.h"
#include "compiler/syntax/literals.h"

namespace nest::import {

namespace {

std::string ShortestNumber(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

std::optional<bool> ParseYamlBool(const std::string& text) {
  static const char* kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"};
  static const char* kFalse[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"};
  for (const char* t : kTrue)
    if (text == t) return true;
  for (const char* f : kFalse)
    if (text == f) return false;
  return std::nullopt;
}

}  // namespace

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kString: return "a string";
    case Kind::kInteger: return "a whole number";
    case Kind::kNumber: return "a number";
    case Kind::kBool: return "true or false";
    case Kind::kDuration: return "a duration such as 30s";
    case Kind::kSize: return "a size such as 512M";
    case Kind::kFraction: return "a ratio from 0 to 1";
    case Kind::kCidr: return "an IPv4 subnet such as 10.0.0.0/24";
    case Kind::kIp: return "an IPv4 address";
    case Kind::kPortNumber: return "a port number";
  }
  return "a value";
}

const char* VariableType(Kind kind) {
  switch (kind) {
    case Kind::kInteger:
    case Kind::kNumber:
    case Kind::kPortNumber: return "number";
    case Kind::kBool: return "bool";
    case Kind::kDuration: return "duration";
    case Kind::kSize: return "size";
    case Kind::kFraction: return "percent";
    case Kind::kCidr: return "cidr";
    case Kind::kIp: return "ip";
    case Kind::kString: return "string";
  }
  return "string";
}

compose_syntax::Parsed<std::string> Importer::Literal(Kind kind, const std::string& text) {
  using compose_syntax::SyntaxError;
  const SyntaxError wrong{fmt::format("`{}` is not {}", text, KindName(kind))};
  switch (kind) {
    case Kind::kString: return QuoteString(text);
    case Kind::kInteger:
    case Kind::kPortNumber: {
      if (text.empty() || text.size() > 18) return wrong;
      // A sign is read here; ranges (replicas from 0, ulimits from -1) are
      // checked by nest validate, with its message.
      bool negative = text[0] == '-' && kind == Kind::kInteger;
      std::size_t start = (text[0] == '+' || negative) ? 1 : 0;
      if (start == text.size()) return wrong;
      for (std::size_t i = start; i < text.size(); ++i)
        if (text[i] < '0' || text[i] > '9') return wrong;
      long long v = std::stoll(text.substr(start)) * (negative ? -1 : 1);
      if (kind == Kind::kPortNumber && (v < 1 || v > 65535)) return wrong;
      return fmt::format("{}", v);
    }
    case Kind::kNumber: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(v) || v < 0) return wrong;
      return ShortestNumber(v);
    }
    case Kind::kBool: {
      auto b = ParseYamlBool(text);
      if (!b) return wrong;
      return std::string(*b ? "true" : "false");
    }
    case Kind::kDuration: {
      auto nanos = compose_syntax::ParseDuration(text);
      if (!nanos) return SyntaxError{nanos.error().message};
      if (nanos.value() < 0) return SyntaxError{fmt::format("`{}` is negative: a nest duration is not", text)};
      return FormatDuration(nanos.value());
    }
    case Kind::kSize: {
      auto bytes = compose_syntax::ParseByteSize(text);
      if (!bytes) return SyntaxError{bytes.error().message};
      return FormatSize(bytes.value());
    }
    case Kind::kFraction: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end == nullptr || *end != '\0' || !(v >= 0 && v <= 1)) return wrong;
      return ShortestNumber(std::round(v * 1e6) / 1e4) + "%";
    }
    case Kind::kCidr:
      if (!ParseCidrText(text)) return wrong;
      return text;
    case Kind::kIp:
      if (!ParseIpText(text)) return wrong;
      return text;
  }
  return wrong;
}

}  // namespace nest::import
