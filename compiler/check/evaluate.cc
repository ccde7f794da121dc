#include "compiler/check/evaluate.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "compiler/check/schema.h"
#include "compiler/config/config.h"

namespace nest::check {
namespace {

const std::vector<std::string>& RootWords() {
  static const std::vector<std::string> words = {"var",    "module", "network", "volume",
                                                 "secret", "config", "service"};
  return words;
}

void Record(EvalContext& ctx, const std::string& address) {
  if (ctx.dependencies) ctx.dependencies->push_back(address);
}

// The value of `var.NAME`, read in place, with its dependencies recorded;
// null after reporting why there is none (or when its own error was reported).
const TrackedValue* LookUpVariable(const ast::Expr& expr, EvalContext& ctx) {
  const auto& path = expr.path;
  if (path.size() != 2) {
    ctx.state.diags.Error(DiagCode::InvalidReference, expr.span,
                          "a variable reference has the form `var.NAME`");
    return nullptr;
  }
  auto it = ctx.module.variables.find(path[1].name);
  if (it == ctx.module.variables.end()) {
    if (ctx.module.misspelt.count("var." + path[1].name)) return nullptr;  // E020 said why
    Diagnostic& d = ctx.state.diags.Error(DiagCode::UnresolvedReference, path[1].span,
                                          fmt::format("no variable named `{}`", path[1].name));
    d.label = "not declared";
    std::vector<std::string> names;
    for (const auto& [name, decl] : ctx.module.variables) names.push_back(name);
    std::string s = Suggest(path[1].name, names);
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `var.{}`?", s));
    else d.help.push_back(fmt::format("declare it: `variable \"{}\" {{ type = string }}`", path[1].name));
    return nullptr;
  }
  if (!it->second.value) return nullptr;  // its own error was reported
  for (const auto& dep : it->second.value->dependencies) Record(ctx, dep);
  return &*it->second.value;
}

// The resource `KIND.NAME` names, with the dependency recorded; null after
// reporting why there is none.
const DeclaredResource* LookUpResource(const ast::Expr& expr, ResourceKind kind, EvalContext& ctx) {
  const auto& path = expr.path;
  const char* kind_name = ResourceKindName(kind);
  if (path.size() != 2) {
    Diagnostic& d = ctx.state.diags.Error(
        DiagCode::InvalidReference, expr.span,
        fmt::format("a {} reference has the form `{}.NAME`", kind_name, kind_name));
    if (path.size() > 2)
      d.help.push_back(fmt::format("resources have no attributes to read; write `{}.{}`", kind_name,
                                   path[1].name));
    return nullptr;
  }
  std::string key = path[0].name;  // the kind's name, as written
  key += '.';
  key += path[1].name;
  auto it = ctx.module.resources.find(key);
  if (it == ctx.module.resources.end()) {
    if (ctx.module.misspelt.count(key)) return nullptr;  // E020 said why
    Diagnostic& d = ctx.state.diags.Error(DiagCode::UnresolvedReference, expr.span,
                                          fmt::format("unresolved reference `{}`", key));
    d.label = fmt::format("no {} named `{}`", kind_name, path[1].name);
    std::vector<std::pair<std::string_view, ResourceKind>> declared;  // sorted by key
    for (const auto& [k, r] : ctx.module.resources) declared.emplace_back(k, r.kind);
    std::sort(declared.begin(), declared.end());
    std::vector<std::string> same_kind;
    for (const auto& [k, k_kind] : declared)
      if (k_kind == kind) same_kind.emplace_back(k.substr(k.find('.') + 1));
    std::string s = Suggest(path[1].name, same_kind);
    if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}.{}`?", kind_name, s));
    for (const auto& [k, k_kind] : declared)
      if (k_kind != kind && k.substr(k.find('.') + 1) == path[1].name)
        d.help.push_back(fmt::format("there is a {} named `{}`: `{}`", ResourceKindName(k_kind),
                                     path[1].name, k));
    if (!same_kind.empty() && same_kind.size() <= 8)
      d.notes.push_back(fmt::format("{}s here: {}", kind_name, fmt::join(same_kind, ", ")));
    return nullptr;
  }
  Record(ctx, it->second.address);
  return &it->second;
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
  if (root == "var") {
    const TrackedValue* variable = LookUpVariable(expr, ctx);
    if (variable == nullptr) return std::nullopt;
    std::optional<Value> v = variable->value;
    v->span = expr.span;
    return v;
  }
  if (root == "module") {
    auto out = ModuleOutput(ctx, expr);
    if (!out) return std::nullopt;
    for (const auto& dep : out->dependencies) Record(ctx, dep);
    out->value.span = expr.span;
    return std::move(out->value);
  }
  if (auto kind = ResourceKindFromBlock(root)) {
    const DeclaredResource* resource = LookUpResource(expr, *kind, ctx);
    if (resource == nullptr) return std::nullopt;
    std::optional<Value> v(std::in_place);
    v->kind = ValueKind::kReference;
    v->span = expr.span;
    v->text = resource->address;
    v->ref_kind = *kind;
    return v;
  }
  Diagnostic& d = ctx.state.diags.Error(DiagCode::InvalidReference, path[0].span,
                                        fmt::format("unknown reference `{}`", root));
  d.label = "not a kind of reference";
  std::string s = Suggest(root, RootWords());
  if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
  d.notes.push_back(fmt::format("references start with one of: {}", fmt::join(RootWords(), ", ")));
  return std::nullopt;
}

void ReportSecretInString(const std::string& address, Span span, EvalContext& ctx) {
  Diagnostic& d = ctx.state.diags.Error(DiagCode::SensitiveInterpolation, span,
                                        fmt::format("`{}` is a secret and cannot be put in a string", address));
  d.label = "secret";
  d.help.push_back("mount it (`secrets = [...]`) and let the program read /run/secrets/NAME");
}

// Appends the text a value contributes to an interpolated string; false
// after reporting (at `span`, where the value is used) why it cannot.
bool AppendText(const Value& v, Span span, std::string& out, EvalContext& ctx) {
  switch (v.kind) {
    case ValueKind::kString:
    case ValueKind::kCidr:
    case ValueKind::kIp:
      out += v.text;
      return true;
    case ValueKind::kNumber:
      if (v.is_integer) fmt::format_to(std::back_inserter(out), "{}", static_cast<long long>(v.number));
      else fmt::format_to(std::back_inserter(out), "{}", v.number);
      return true;
    case ValueKind::kBool:
      out += v.boolean ? "true" : "false";
      return true;
    case ValueKind::kDuration:
      out += FormatDuration(v.integer);
      return true;
    case ValueKind::kSize:
      out += FormatSize(v.integer);
      return true;
    case ValueKind::kPercent:
      fmt::format_to(std::back_inserter(out), "{}%", v.number);
      return true;
    case ValueKind::kReference:
      if (v.ref_kind == ResourceKind::kSecret) {
        ReportSecretInString(v.text, span, ctx);
        return false;
      }
      // A service's DNS name on its networks; another object's name.
      out += ResourceNameFromAddress(v.text);
      return true;
    default: {
      Diagnostic& d = ctx.state.diags.Error(DiagCode::TypeMismatch, span,
                                            fmt::format("a {} cannot be put in a string", ValueKindName(v.kind)));
      d.label = "not a single value";
      return false;
    }
  }
}

// Appends the text of the interpolated expression `expr` to `out` (and its
// sensitivity); false after reporting an error. Variables and resources, by
// far the commonest, are read in place: a stack of thousands of services
// interpolating `${var.version}` copies no value for it.
bool AppendInterpolation(const ast::Expr& expr, EvalContext& ctx, Value& out) {
  if (expr.kind == ast::ExprKind::kReference && expr.path.size() > 1) {
    const std::string& root = expr.path[0].name;
    if (root == "var") {
      const TrackedValue* variable = LookUpVariable(expr, ctx);
      if (variable == nullptr || !AppendText(variable->value, expr.span, out.text, ctx)) return false;
      out.sensitive = out.sensitive || variable->value.sensitive;
      return true;
    }
    if (auto kind = ResourceKindFromBlock(root)) {
      const DeclaredResource* resource = LookUpResource(expr, *kind, ctx);
      if (resource == nullptr) return false;
      if (*kind == ResourceKind::kSecret) {
        ReportSecretInString(resource->address, expr.span, ctx);
        return false;
      }
      out.text += ResourceNameFromAddress(resource->address);
      return true;
    }
  }
  auto inner = Evaluate(expr, ctx);
  if (!inner || !AppendText(*inner, inner->span, out.text, ctx)) return false;
  out.sensitive = out.sensitive || inner->sensitive;
  return true;
}

std::optional<Value> EvaluateString(const ast::Expr& expr, EvalContext& ctx) {
  // "${var.x}" alone keeps the variable's own type (HCL's unwrapping), so
  // `replicas = "${var.n}"` is still a number. A resource reference always
  // becomes its name: "${service.db}" is a host name.
  if (expr.parts().size() == 1 && expr.parts()[0].is_interpolation && !expr.parts()[0].expr.empty()) {
    auto inner = Evaluate(expr.parts()[0].expr[0], ctx);
    if (!inner || inner->kind != ValueKind::kReference) return inner;
    std::optional<Value> v(std::in_place);
    v->kind = ValueKind::kString;
    v->span = expr.span;
    v->sensitive = inner->sensitive;
    if (!AppendText(*inner, inner->span, v->text, ctx)) return std::nullopt;
    return v;
  }
  std::optional<Value> v(std::in_place);
  v->kind = ValueKind::kString;
  v->span = expr.span;
  if (expr.parts().empty()) {  // no interpolation
    v->text = expr.text;
    return v;
  }
  // Room for the literal parts and a short interpolated value or two, so the
  // text is allocated once.
  std::size_t size = 0;
  for (const auto& part : expr.parts()) size += part.is_interpolation ? 16 : part.text.size();
  v->text.reserve(size);
  bool ok = true;
  for (const auto& part : expr.parts()) {
    if (!part.is_interpolation) {
      v->text += part.text;
    } else if (!part.expr.empty()) {
      ok = AppendInterpolation(part.expr[0], ctx, *v) && ok;
    }
  }
  if (!ok) return std::nullopt;
  return v;
}

}  // namespace

std::optional<Value> Evaluate(const ast::Expr& expr, EvalContext& ctx) {
  switch (expr.kind) {
    case ast::ExprKind::kString:
      return EvaluateString(expr, ctx);
    case ast::ExprKind::kReference:
      return EvaluateReference(expr, ctx);
    case ast::ExprKind::kCall: {
      Diagnostic& d = ctx.state.diags.Error(
          DiagCode::InvalidReference, expr.span,
          fmt::format("`{}(...)` is a type, not a value", expr.path.empty() ? "" : expr.path[0].name));
      d.help.push_back("function calls are only used in a variable's `type`");
      return std::nullopt;
    }
    default:
      break;
  }
  // Built in place in the optional: no Value is moved on the way out.
  std::optional<Value> result(std::in_place);
  Value& v = *result;
  v.span = expr.span;
  switch (expr.kind) {
    case ast::ExprKind::kNumber:
      v.kind = ValueKind::kNumber;
      v.number = expr.number;
      v.is_integer = expr.is_integer;
      return result;
    case ast::ExprKind::kBool:
      v.kind = ValueKind::kBool;
      v.boolean = expr.boolean;
      return result;
    case ast::ExprKind::kDuration:
      v.kind = ValueKind::kDuration;
      v.integer = expr.nanos;
      return result;
    case ast::ExprKind::kSize:
      v.kind = ValueKind::kSize;
      v.integer = expr.bytes;
      return result;
    case ast::ExprKind::kPercent:
      v.kind = ValueKind::kPercent;
      v.number = expr.number;
      return result;
    case ast::ExprKind::kCidr:
    case ast::ExprKind::kIp:
      v.kind = expr.kind == ast::ExprKind::kCidr ? ValueKind::kCidr : ValueKind::kIp;
      v.text = expr.text;
      return result;
    case ast::ExprKind::kPort:
      v.kind = ValueKind::kPort;
      v.port.published = expr.port.published;
      v.port.target = expr.port.target;
      v.port.protocol = expr.port.protocol;
      return result;
    case ast::ExprKind::kList: {
      v.kind = ValueKind::kList;
      v.items.reserve(expr.items().size());
      bool ok = true;
      for (const auto& item : expr.items()) {
        auto iv = Evaluate(item, ctx);
        if (iv) {
          v.sensitive = v.sensitive || iv->sensitive;
          v.items.push_back(std::move(*iv));
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return result;
    }
    case ast::ExprKind::kMap: {
      v.kind = ValueKind::kMap;
      v.fields.reserve(expr.entries().size());
      bool ok = true;
      for (const auto& entry : expr.entries()) {
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
      return result;
    }
    default:  // kNull
      return result;
  }
}

bool ContainsReference(const ast::Expr& expr) {
  if (expr.kind == ast::ExprKind::kReference) return expr.path.size() > 1;
  for (const auto& item : expr.items())
    if (ContainsReference(item)) return true;
  for (const auto& entry : expr.entries())
    if (ContainsReference(entry.value)) return true;
  for (const auto& part : expr.parts())
    for (const auto& e : part.expr)
      if (ContainsReference(e)) return true;
  return false;
}

}  // namespace nest::check
