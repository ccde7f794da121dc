#include "compiler/check/types.h"

#include <fmt/format.h>

namespace nest {

Type MakeType(TypeKind kind) { return Type{kind, nullptr, ResourceKind::kService, {}}; }

Type ListOf(Type element) {
  return Type{TypeKind::kList, std::make_shared<const Type>(std::move(element)),
              ResourceKind::kService, {}};
}

Type MapOf(Type element) {
  return Type{TypeKind::kMap, std::make_shared<const Type>(std::move(element)),
              ResourceKind::kService, {}};
}

Type RefTo(ResourceKind kind) { return Type{TypeKind::kReference, nullptr, kind, {}}; }

Type EnumOf(std::vector<std::string> choices) {
  return Type{TypeKind::kEnum, nullptr, ResourceKind::kService, std::move(choices)};
}

std::string TypeName(const Type& type) {
  switch (type.kind) {
    case TypeKind::kAny: return "any value";
    case TypeKind::kString: return "string";
    case TypeKind::kNumber: return "number";
    case TypeKind::kInteger: return "whole number";
    case TypeKind::kBool: return "bool";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kSize: return "size";
    case TypeKind::kPercent: return "percentage";
    case TypeKind::kCidr: return "CIDR";
    case TypeKind::kIp: return "IP address";
    case TypeKind::kPort: return "port mapping";
    case TypeKind::kPortNumber: return "port number";
    case TypeKind::kFileMode: return "file mode";
    case TypeKind::kEnum: return fmt::format("one of {}", fmt::join(type.choices, ", "));
    case TypeKind::kList: return fmt::format("list({})", TypeName(*type.element));
    case TypeKind::kMap: return fmt::format("map({})", TypeName(*type.element));
    case TypeKind::kReference: return fmt::format("{} reference", ResourceKindName(type.ref));
    case TypeKind::kAnyReference: return "resource reference";
    case TypeKind::kCommand: return "string or list(string)";
    case TypeKind::kMountSource: return "volume reference or host path";
    case TypeKind::kTypeExpression: return "type";
  }
  return "value";
}

namespace {

std::string Describe(const Value& v) {
  if (v.kind == ValueKind::kReference)
    return fmt::format("`{}` (a {})", v.text, ResourceKindName(v.ref_kind));
  if (v.kind == ValueKind::kString && v.bare_word) return fmt::format("the bare word `{}`", v.text);
  return fmt::format("a {}", ValueKindName(v.kind));
}

// The help line for the commonest mistakes: numbers where strings go and back.
void AddConversionHelp(Diagnostic& d, const Value& v, const Type& type) {
  if (type.kind == TypeKind::kString && v.kind == ValueKind::kString && v.bare_word)
    d.help.push_back(fmt::format("quote it: `\"{}\"`", v.text));
  else if (type.kind == TypeKind::kString && v.kind == ValueKind::kNumber)
    d.help.push_back("nest never converts numbers to strings; write the value in quotes");
  else if ((type.kind == TypeKind::kNumber || type.kind == TypeKind::kInteger ||
            type.kind == TypeKind::kPortNumber) &&
           v.kind == ValueKind::kString)
    d.help.push_back("nest never converts strings to numbers; remove the quotes");
  else if (type.kind == TypeKind::kDuration && v.kind == ValueKind::kNumber)
    d.help.push_back(fmt::format("add a unit: `{}s`", v.is_integer ? std::to_string(static_cast<long long>(v.number)) : "30"));
  else if (type.kind == TypeKind::kSize && v.kind == ValueKind::kNumber)
    d.help.push_back("add a unit, e.g. `512MiB`");
  else if (type.kind == TypeKind::kPercent && v.kind == ValueKind::kNumber)
    d.help.push_back("write a percentage, e.g. `70%`");
}

Diagnostic& Mismatch(const Value& v, const Type& type, const std::string& what, Diagnostics& diags) {
  Diagnostic& d = diags.Error(DiagCode::TypeMismatch, v.span,
                              fmt::format("{} expects a {}, found {}", what, TypeName(type), Describe(v)));
  d.label = fmt::format("expected {}", TypeName(type));
  AddConversionHelp(d, v, type);
  return d;
}

bool CheckEnum(const Value& v, const Type& type, const std::string& what, Diagnostics& diags) {
  if (v.kind != ValueKind::kString) {
    Mismatch(v, type, what, diags);
    return false;
  }
  for (const auto& c : type.choices)
    if (c == v.text) return true;
  Diagnostic& d = diags.Error(DiagCode::InvalidEnum, v.span,
                              fmt::format("`{}` is not a valid choice for {}", v.text, what));
  d.label = "not one of the choices";
  std::string s = Suggest(v.text, type.choices);
  if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
  d.notes.push_back(fmt::format("choices: {}", fmt::join(type.choices, ", ")));
  return false;
}

bool CheckReference(const Value& v, const Type& type, const std::string& what, Diagnostics& diags) {
  if (v.kind != ValueKind::kReference) {
    Mismatch(v, type, what, diags);
    return false;
  }
  if (type.kind == TypeKind::kAnyReference || v.ref_kind == type.ref) return true;
  Diagnostic& d = diags.Error(
      DiagCode::WrongReferenceKind, v.span,
      fmt::format("{} takes {} references, but `{}` is a {}", what, ResourceKindName(type.ref),
                  v.text, ResourceKindName(v.ref_kind)));
  d.label = fmt::format("expected a {}", ResourceKindName(type.ref));
  return false;
}

bool CheckFileMode(const Value& v, const Type& type, const std::string& what, Diagnostics& diags) {
  if (v.kind != ValueKind::kString) {
    Diagnostic& d = Mismatch(v, type, what, diags);
    d.help.push_back("write the mode as an octal string, e.g. `\"0440\"`");
    return false;
  }
  bool octal = !v.text.empty() && v.text.size() <= 4;
  for (char c : v.text) octal = octal && c >= '0' && c <= '7';
  if (!octal) {
    diags.Error(DiagCode::OutOfRange, v.span,
                fmt::format("{} must be an octal file mode such as \"0440\", found \"{}\"", what, v.text));
  }
  return octal;
}

}  // namespace

// The same verdict as CheckType without building any message: the fast path,
// since almost every value conforms.
bool Conforms(const Value& v, const Type& type) {
  auto is_string = [&] { return v.kind == ValueKind::kString && !v.bare_word; };
  auto is_whole = [&] { return v.kind == ValueKind::kNumber && v.is_integer; };
  switch (type.kind) {
    case TypeKind::kAny:
    case TypeKind::kTypeExpression: return true;
    case TypeKind::kString: return is_string();
    case TypeKind::kNumber: return v.kind == ValueKind::kNumber;
    case TypeKind::kInteger: return is_whole();
    case TypeKind::kPortNumber: return is_whole() && v.number >= 1 && v.number <= 65535;
    case TypeKind::kBool: return v.kind == ValueKind::kBool;
    case TypeKind::kDuration: return v.kind == ValueKind::kDuration;
    case TypeKind::kSize: return v.kind == ValueKind::kSize;
    case TypeKind::kPercent: return v.kind == ValueKind::kPercent;
    case TypeKind::kCidr: return v.kind == ValueKind::kCidr;
    case TypeKind::kIp: return v.kind == ValueKind::kIp;
    case TypeKind::kPort: return v.kind == ValueKind::kPort;
    case TypeKind::kFileMode: {
      if (v.kind != ValueKind::kString || v.text.empty() || v.text.size() > 4) return false;
      for (char c : v.text)
        if (c < '0' || c > '7') return false;
      return true;
    }
    case TypeKind::kEnum:
      if (v.kind != ValueKind::kString) return false;
      for (const auto& c : type.choices)
        if (c == v.text) return true;
      return false;
    case TypeKind::kReference: return v.kind == ValueKind::kReference && v.ref_kind == type.ref;
    case TypeKind::kAnyReference: return v.kind == ValueKind::kReference;
    case TypeKind::kMountSource:
      return is_string() || (v.kind == ValueKind::kReference && v.ref_kind == ResourceKind::kVolume);
    case TypeKind::kCommand:
      if (is_string()) return true;
      if (v.kind != ValueKind::kList) return false;
      for (const auto& item : v.items)
        if (item.kind != ValueKind::kString || item.bare_word) return false;
      return true;
    case TypeKind::kList:
      if (v.kind != ValueKind::kList) return false;
      for (const auto& item : v.items)
        if (!Conforms(item, *type.element)) return false;
      return true;
    case TypeKind::kMap:
      if (v.kind != ValueKind::kMap) return false;
      for (const auto& field : v.fields)
        if (!Conforms(field.second, *type.element)) return false;
      return true;
  }
  return false;
}

bool CheckType(const Value& v, const Type& type, const std::string& what, Diagnostics& diags) {
  if (Conforms(v, type)) return true;
  switch (type.kind) {
    case TypeKind::kAny:
    case TypeKind::kTypeExpression:
      return true;
    case TypeKind::kEnum:
      return CheckEnum(v, type, what, diags);
    case TypeKind::kReference:
    case TypeKind::kAnyReference:
      return CheckReference(v, type, what, diags);
    case TypeKind::kFileMode:
      return CheckFileMode(v, type, what, diags);
    case TypeKind::kList:
    case TypeKind::kMap: {
      ValueKind want = type.kind == TypeKind::kList ? ValueKind::kList : ValueKind::kMap;
      if (v.kind != want) {
        Mismatch(v, type, what, diags);
        return false;
      }
      bool ok = true;
      if (want == ValueKind::kList) {
        for (const auto& item : v.items)
          ok = CheckType(item, *type.element, fmt::format("each item of {}", what), diags) && ok;
      } else {
        for (const auto& [key, item] : v.fields)
          ok = CheckType(item, *type.element, fmt::format("{} key `{}`", what, key), diags) && ok;
      }
      return ok;
    }
    case TypeKind::kCommand: {
      if (v.kind == ValueKind::kString && !v.bare_word) return true;
      if (v.kind == ValueKind::kList) {
        bool ok = true;
        for (const auto& item : v.items)
          ok = CheckType(item, MakeType(TypeKind::kString), fmt::format("each item of {}", what), diags) && ok;
        return ok;
      }
      Mismatch(v, type, what, diags);
      return false;
    }
    case TypeKind::kMountSource:
      if (v.kind == ValueKind::kString && !v.bare_word) return true;
      if (v.kind == ValueKind::kReference) return CheckReference(v, RefTo(ResourceKind::kVolume), what, diags);
      Mismatch(v, type, what, diags);
      return false;
    case TypeKind::kInteger:
    case TypeKind::kPortNumber: {
      if (v.kind != ValueKind::kNumber) {
        Mismatch(v, type, what, diags);
        return false;
      }
      if (!v.is_integer) {
        diags.Error(DiagCode::TypeMismatch, v.span, fmt::format("{} expects a whole number", what)).label =
            "has a fraction";
        return false;
      }
      if (type.kind == TypeKind::kPortNumber && (v.number < 1 || v.number > 65535)) {
        diags.Error(DiagCode::InvalidPort, v.span,
                    fmt::format("{} must be a port number from 1 to 65535", what)).label = "out of range";
        return false;
      }
      return true;
    }
    default:
      break;
  }
  ValueKind want = ValueKind::kNull;
  switch (type.kind) {
    case TypeKind::kString: want = ValueKind::kString; break;
    case TypeKind::kNumber: want = ValueKind::kNumber; break;
    case TypeKind::kBool: want = ValueKind::kBool; break;
    case TypeKind::kDuration: want = ValueKind::kDuration; break;
    case TypeKind::kSize: want = ValueKind::kSize; break;
    case TypeKind::kPercent: want = ValueKind::kPercent; break;
    case TypeKind::kCidr: want = ValueKind::kCidr; break;
    case TypeKind::kIp: want = ValueKind::kIp; break;
    case TypeKind::kPort: want = ValueKind::kPort; break;
    default: break;
  }
  if (v.kind != want || (want == ValueKind::kString && v.bare_word)) {
    Mismatch(v, type, what, diags);
    return false;
  }
  return true;
}

std::optional<Type> TypeFromExpression(const ast::Expr& expr, Diagnostics& diags) {
  static const std::vector<std::pair<std::string, TypeKind>> kNames = {
      {"string", TypeKind::kString},     {"number", TypeKind::kNumber},
      {"bool", TypeKind::kBool},         {"duration", TypeKind::kDuration},
      {"size", TypeKind::kSize},         {"percent", TypeKind::kPercent},
      {"cidr", TypeKind::kCidr},         {"ip", TypeKind::kIp},
      {"port", TypeKind::kPort},         {"any", TypeKind::kAny}};
  bool is_word = expr.kind == ast::ExprKind::kReference && expr.path.size() == 1;
  if (is_word) {
    for (const auto& [name, kind] : kNames)
      if (expr.path[0].name == name) return MakeType(kind);
  }
  if (expr.kind == ast::ExprKind::kCall && expr.path.size() == 1 && expr.items().size() == 1 &&
      (expr.path[0].name == "list" || expr.path[0].name == "map")) {
    auto element = TypeFromExpression(expr.items()[0], diags);
    if (!element) return std::nullopt;
    return expr.path[0].name == "list" ? ListOf(*element) : MapOf(*element);
  }
  Diagnostic& d = diags.Error(DiagCode::TypeMismatch, expr.span, "not a type");
  d.label = "expected a type";
  if (is_word) {
    std::vector<std::string> names;
    for (const auto& entry : kNames) names.push_back(entry.first);
    std::string s = Suggest(expr.path[0].name, names);
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
  }
  d.notes.push_back(
      "types: string, number, bool, duration, size, percent, cidr, ip, port, any, list(T), map(T)");
  return std::nullopt;
}

bool SameType(const Type& a, const Type& b) {
  if (a.kind != b.kind) return false;
  if (a.element && b.element) return SameType(*a.element, *b.element);
  return true;
}

}  // namespace nest
