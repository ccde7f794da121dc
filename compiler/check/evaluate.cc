#include "compiler/check/evaluate.h"

#include <cmath>
#include <fmt/format.h>

#include "compiler/config/config.h"

namespace nest::check {
namespace {

void RecordReferences(const Value& v, std::set<std::string>* deps) {
  if (deps == nullptr) return;
  if (v.kind == ValueKind::kReference) deps->insert(v.text);
  for (const auto& item : v.items) RecordReferences(item, deps);
  for (const auto& [key, field] : v.fields) RecordReferences(field, deps);
}

const std::vector<std::string>& RootWords() {
  static const std::vector<std::string> words = {"var",    "module", "network", "volume",
                                                 "secret", "config", "service"};
  return words;
}

std::optional<Value> EvaluateVariable(const ast::Expr& expr, EvalContext& ctx) {
  const auto& path = expr.path;
  if (path.size() != 2) {
    ctx.state.diags.Error(DiagCode::InvalidReference, expr.span,
                          "a variable reference has the form `var.NAME`");
    return std::nullopt;
  }
  auto it = ctx.module.variables.find(path[1].name);
  if (it == ctx.module.variables.end()) {
    if (ctx.module.misspelt.count("var." + path[1].name)) return std::nullopt;  // E020 said why
    Diagnostic& d = ctx.state.diags.Error(DiagCode::UnresolvedReference, path[1].span,
                                          fmt::format("no variable named `{}`", path[1].name));
    d.label = "not declared";
    std::vector<std::string> names;
    for (const auto& [name, decl] : ctx.module.variables) names.push_back(name);
    std::string s = Suggest(path[1].name, names);
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `var.{}`?", s));
    else d.help.push_back(fmt::format("declare it: `variable \"{}\" {{ type = string }}`", path[1].name));
    return std::nullopt;
  }
  if (!it->second.value) return std::nullopt;  // its own error was reported
  for (const auto& dep : it->second.value->dependencies)
    if (ctx.dependencies) ctx.dependencies->insert(dep);
  Value v = it->second.value->value;
  v.span = expr.span;
  return v;
}

std::optional<Value> EvaluateResourceReference(const ast::Expr& expr, ResourceKind kind,
                                               EvalContext& ctx) {
  const auto& path = expr.path;
  const char* kind_name = ResourceKindName(kind);
  if (path.size() != 2) {
    Diagnostic& d = ctx.state.diags.Error(
        DiagCode::InvalidReference, expr.span,
        fmt::format("a {} reference has the form `{}.NAME`", kind_name, kind_name));
    if (path.size() > 2)
      d.help.push_back(fmt::format("resources have no attributes to read; write `{}.{}`", kind_name,
                                   path[1].name));
    return std::nullopt;
  }
  std::string key = std::string(kind_name) + "." + path[1].name;
  auto it = ctx.module.resources.find(key);
  if (it == ctx.module.resources.end()) {
    if (ctx.module.misspelt.count(key)) return std::nullopt;  // E020 said why
    Diagnostic& d = ctx.state.diags.Error(DiagCode::UnresolvedReference, expr.span,
                                          fmt::format("unresolved reference `{}`", key));
    d.label = fmt::format("no {} named `{}`", kind_name, path[1].name);
    std::vector<std::string> same_kind;
    for (const auto& [k, r] : ctx.module.resources)
      if (r.kind == kind) same_kind.push_back(k.substr(k.find('.') + 1));
    std::string s = Suggest(path[1].name, same_kind);
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}.{}`?", kind_name, s));
    for (const auto& [k, r] : ctx.module.resources)
      if (r.kind != kind && k.substr(k.find('.') + 1) == path[1].name)
        d.help.push_back(fmt::format("there is a {} named `{}`: `{}`", ResourceKindName(r.kind),
                                     path[1].name, k));
    if (!same_kind.empty() && same_kind.size() <= 8)
      d.notes.push_back(fmt::format("{}s here: {}", kind_name, fmt::join(same_kind, ", ")));
    return std::nullopt;
  }
  Value v;
  v.kind = ValueKind::kReference;
  v.span = expr.span;
  v.text = it->second.address;
  v.ref_kind = kind;
  if (ctx.dependencies) ctx.dependencies->insert(v.text);
  return v;
}

std::optional<Value> EvaluateReference(const ast::Expr& expr, EvalContext& ctx) {
  const auto& path = expr.path;
  if (path.size() == 1) {  // a bare word: the value of an enum attribute
    Value v;
    v.kind = ValueKind::kString;
    v.span = expr.span;
    v.text = path[0].name;
    v.bare_word = true;
    return v;
  }
  const std::string& root = path[0].name;
  if (root == "var") return EvaluateVariable(expr, ctx);
  if (root == "module") {
    auto out = ModuleOutput(ctx, expr);
    if (!out) return std::nullopt;
    if (ctx.dependencies)
      for (const auto& dep : out->dependencies) ctx.dependencies->insert(dep);
    out->value.span = expr.span;
    return out->value;
  }
  for (ResourceKind kind : {ResourceKind::kNetwork, ResourceKind::kVolume, ResourceKind::kSecret,
                            ResourceKind::kConfig, ResourceKind::kService})
    if (root == ResourceKindName(kind)) return EvaluateResourceReference(expr, kind, ctx);
  Diagnostic& d = ctx.state.diags.Error(DiagCode::InvalidReference, path[0].span,
                                        fmt::format("unknown reference `{}`", root));
  d.label = "not a kind of reference";
  std::string s = Suggest(root, RootWords());
  if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
  d.notes.push_back(fmt::format("references start with one of: {}", fmt::join(RootWords(), ", ")));
  return std::nullopt;
}

// The text a value contributes to an interpolated string.
std::optional<std::string> Interpolate(const Value& v, EvalContext& ctx) {
  switch (v.kind) {
    case ValueKind::kString:
    case ValueKind::kCidr:
    case ValueKind::kIp:
      return v.text;
    case ValueKind::kNumber:
      if (v.is_integer) return fmt::format("{}", static_cast<long long>(v.number));
      return fmt::format("{}", v.number);
    case ValueKind::kBool:
      return v.boolean ? "true" : "false";
    case ValueKind::kDuration:
      return FormatDuration(v.integer);
    case ValueKind::kSize:
      return FormatSize(v.integer);
    case ValueKind::kPercent:
      return fmt::format("{}%", v.number);
    case ValueKind::kReference: {
      if (v.ref_kind == ResourceKind::kSecret) {
        Diagnostic& d = ctx.state.diags.Error(DiagCode::SensitiveInterpolation, v.span,
                                              fmt::format("`{}` is a secret and cannot be put in a string", v.text));
        d.label = "secret";
        d.help.push_back("mount it (`secrets = [...]`) and let the program read /run/secrets/NAME");
        return std::nullopt;
      }
      // A service's DNS name on its networks; another object's name.
      return ResourceNameFromAddress(v.text);
    }
    default: {
      Diagnostic& d = ctx.state.diags.Error(DiagCode::TypeMismatch, v.span,
                                            fmt::format("a {} cannot be put in a string", ValueKindName(v.kind)));
      d.label = "not a single value";
      return std::nullopt;
    }
  }
}

std::optional<Value> EvaluateString(const ast::Expr& expr, EvalContext& ctx) {
  Value v;
  v.kind = ValueKind::kString;
  v.span = expr.span;
  bool ok = true;
  for (const auto& part : expr.parts) {
    if (!part.is_interpolation) {
      v.text += part.text;
      continue;
    }
    if (part.expr.empty()) continue;
    auto inner = Evaluate(part.expr[0], ctx);
    if (!inner) {
      ok = false;
      continue;
    }
    // "${var.x}" alone keeps the variable's own type (HCL's unwrapping), so
    // `replicas = "${var.n}"` is still a number.
    // A resource reference always becomes its name: "${service.db}" is a host name.
    if (expr.parts.size() == 1 && inner->kind != ValueKind::kReference) return inner;
    auto text = Interpolate(*inner, ctx);
    if (!text) {
      ok = false;
      continue;
    }
    v.text += *text;
    v.sensitive = v.sensitive || inner->sensitive;
  }
  if (!ok) return std::nullopt;
  return v;
}

}  // namespace

std::optional<Value> Evaluate(const ast::Expr& expr, EvalContext& ctx) {
  Value v;
  v.span = expr.span;
  switch (expr.kind) {
    case ast::ExprKind::kString:
      return EvaluateString(expr, ctx);
    case ast::ExprKind::kNumber:
      v.kind = ValueKind::kNumber;
      v.number = expr.number;
      v.is_integer = expr.is_integer;
      return v;
    case ast::ExprKind::kBool:
      v.kind = ValueKind::kBool;
      v.boolean = expr.boolean;
      return v;
    case ast::ExprKind::kNull:
      return v;
    case ast::ExprKind::kDuration:
      v.kind = ValueKind::kDuration;
      v.integer = expr.nanos;
      return v;
    case ast::ExprKind::kSize:
      v.kind = ValueKind::kSize;
      v.integer = expr.bytes;
      return v;
    case ast::ExprKind::kPercent:
      v.kind = ValueKind::kPercent;
      v.number = expr.number;
      return v;
    case ast::ExprKind::kCidr:
    case ast::ExprKind::kIp:
      v.kind = expr.kind == ast::ExprKind::kCidr ? ValueKind::kCidr : ValueKind::kIp;
      v.text = expr.text;
      return v;
    case ast::ExprKind::kPort:
      v.kind = ValueKind::kPort;
      v.port.published = expr.port.published;
      v.port.target = expr.port.target;
      v.port.protocol = expr.port.protocol;
      return v;
    case ast::ExprKind::kList: {
      v.kind = ValueKind::kList;
      bool ok = true;
      for (const auto& item : expr.items) {
        auto iv = Evaluate(item, ctx);
        if (iv) {
          v.sensitive = v.sensitive || iv->sensitive;
          v.items.push_back(std::move(*iv));
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return v;
    }
    case ast::ExprKind::kMap: {
      v.kind = ValueKind::kMap;
      bool ok = true;
      for (const auto& entry : expr.entries) {
        if (v.Find(entry.key) != nullptr) {
          Diagnostic& d = ctx.state.diags.Error(DiagCode::DuplicateAttribute, entry.key_span,
                                                fmt::format("key `{}` appears twice in this map", entry.key));
          d.label = "repeated key";
          ok = false;
          continue;
        }
        auto iv = Evaluate(entry.value, ctx);
        if (iv) {
          v.sensitive = v.sensitive || iv->sensitive;
          v.fields.emplace_back(entry.key, std::move(*iv));
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return v;
    }
    case ast::ExprKind::kReference:
      return EvaluateReference(expr, ctx);
    case ast::ExprKind::kCall: {
      Diagnostic& d = ctx.state.diags.Error(
          DiagCode::InvalidReference, expr.span,
          fmt::format("`{}(...)` is a type, not a value", expr.path.empty() ? "" : expr.path[0].name));
      d.help.push_back("function calls are only used in a variable's `type`");
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool ContainsReference(const ast::Expr& expr) {
  if (expr.kind == ast::ExprKind::kReference) return expr.path.size() > 1;
  for (const auto& item : expr.items)
    if (ContainsReference(item)) return true;
  for (const auto& entry : expr.entries)
    if (ContainsReference(entry.value)) return true;
  for (const auto& part : expr.parts)
    for (const auto& e : part.expr)
      if (ContainsReference(e)) return true;
  return false;
}

}  // namespace nest::check
