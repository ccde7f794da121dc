#include "compiler/check/variables.h"

#include <cstdlib>
#include <fmt/format.h>
#include <regex>

#include "compiler/check/evaluate.h"
#include "compiler/check/modules.h"
#include "compiler/syntax/parser.h"

namespace nest::check {
namespace {

std::size_t LengthOf(const Value& v) {
  return v.kind == ValueKind::kList ? v.items.size() : v.kind == ValueKind::kMap ? v.fields.size() : v.text.size();
}

bool SameValue(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kNumber:
    case ValueKind::kPercent: return a.number == b.number;
    case ValueKind::kBool: return a.boolean == b.boolean;
    case ValueKind::kDuration:
    case ValueKind::kSize: return a.integer == b.integer;
    default: return a.text == b.text;
  }
}

// The first rule of `rule` that `value` breaks, described; empty when none.
std::string BrokenRule(const Value& rule, const Value& value, Diagnostics& diags) {
  if (const Value* min = rule.Find("min"); min && (value.kind == ValueKind::kNumber) && value.number < min->number)
    return fmt::format("at least {}", min->number);
  if (const Value* max = rule.Find("max"); max && (value.kind == ValueKind::kNumber) && value.number > max->number)
    return fmt::format("at most {}", max->number);
  if (const Value* min = rule.Find("min_length"); min && LengthOf(value) < min->number)
    return fmt::format("length at least {}", min->number);
  if (const Value* max = rule.Find("max_length"); max && LengthOf(value) > max->number)
    return fmt::format("length at most {}", max->number);
  if (const Value* pattern = rule.Find("pattern"); pattern && value.kind == ValueKind::kString) {
    try {
      if (!std::regex_search(value.text, std::regex(pattern->text, std::regex::ECMAScript)))
        return fmt::format("matching /{}/", pattern->text);
    } catch (const std::regex_error& e) {
      diags.Error(DiagCode::TypeMismatch, pattern->span, fmt::format("invalid regular expression: {}", e.what()));
      return "a valid pattern";
    }
  }
  if (const Value* one_of = rule.Find("one_of")) {
    bool found = false;
    for (const auto& choice : one_of->items) found = found || SameValue(choice, value);
    if (!found) return "one of the allowed values";
  }
  return {};
}

// Parses a command-line or environment value per the variable's type: a
// string type takes the text as it is; any other type reads it as a nest
// expression, so `--var timeout=30s` is a duration.
std::optional<Value> ValueFromText(CheckState& state, VariableDecl& decl, const std::string& origin,
                                   const std::string& text) {
  if (!decl.type || decl.type->kind == TypeKind::kString) {
    Value v;
    v.kind = ValueKind::kString;
    v.text = text;
    FileId id = state.sources.Add(origin, decl.name + "=" + text);
    v.span = Span{id, static_cast<std::uint32_t>(decl.name.size() + 1),
                  static_cast<std::uint32_t>(decl.name.size() + 1 + text.size())};
    return v;
  }
  FileId id = state.sources.Add(origin, decl.name + "=" + text);
  Diagnostics parse_diags;
  ast::File file = ParseFile(state.sources, id, parse_diags);
  if (parse_diags.HasErrors() || file.body.attributes.size() != 1 || !file.body.blocks.empty()) {
    Diagnostic& d = state.diags.Error(DiagCode::InvalidVariableValue,
                                      Span{id, static_cast<std::uint32_t>(decl.name.size() + 1),
                                           static_cast<std::uint32_t>(decl.name.size() + 1 + text.size())},
                                      fmt::format("`{}` is not a valid {} for variable `{}`", text,
                                                  TypeName(*decl.type), decl.name));
    for (const auto& inner : parse_diags.list()) d.notes.push_back(inner.summary);
    return std::nullopt;
  }
  const ast::Expr& expr = file.body.attributes[0].value;
  if (ContainsReference(expr)) {
    state.diags.Error(DiagCode::InvalidVariableValue, expr.span,
                      fmt::format("the value of variable `{}` cannot refer to other values", decl.name));
    return std::nullopt;
  }
  ModuleInstance empty;
  EvalContext ctx{state, empty, nullptr};
  return Evaluate(expr, ctx);
}

struct Assignment {
  std::string name;
  std::string origin;
  std::optional<std::string> text;  // environment and --var
  std::optional<ast::Expr> expr;     // --var-file (a copy: the parsed file does not outlive the read)
  Span name_span;
};

void AssignFromVarFile(CheckState& state, const std::string& path, std::vector<Assignment>& out) {
  auto files = ParseFiles(state, {path});
  for (auto& file : files) {
    for (auto& attr : file.body.attributes)
      out.push_back({attr.name, "--var-file " + path, std::nullopt, std::move(attr.value), attr.name_span});
    for (const auto& block : file.body.blocks)
      state.diags.Error(DiagCode::UnexpectedToken, block.type_span, "a var file holds `name = value` lines only");
  }
  // ParseFiles recorded it as a source file of the stack; it is not one.
  if (!state.config.source_files.empty() && state.config.source_files.back() == path)
    state.config.source_files.pop_back();
}

std::vector<Assignment> CollectAssignments(CheckState& state, ModuleInstance& root) {
  std::vector<Assignment> out;
  if (state.options.read_environment) {
    for (const auto& [name, decl] : root.variables) {
      std::string env = "NEST_VAR_" + name;
      if (const char* value = std::getenv(env.c_str())) out.push_back({name, env, value, std::nullopt, {}});
    }
  }
  for (const auto& path : state.options.var_files) AssignFromVarFile(state, path, out);
  for (const auto& [name, value] : state.options.vars) out.push_back({name, "--var " + name, value, std::nullopt, {}});
  return out;
}

}  // namespace

bool AcceptVariableValue(CheckState& state, VariableDecl& decl, TrackedValue value, DiagCode mismatch_code,
                         const std::string& origin) {
  if (decl.type) {
    Diagnostics type_diags;
    if (!CheckType(value.value, *decl.type, fmt::format("variable `{}`", decl.name), type_diags)) {
      const Diagnostic& inner = type_diags.list().front();
      Diagnostic& d = state.diags.Error(mismatch_code, inner.subject,
                                        fmt::format("{}: {}", origin, inner.summary));
      d.label = inner.label;
      d.help = inner.help;
      d.notes = inner.notes;
      d.related.push_back(decl.block->labels[0].span);
      decl.rejected = true;
      return false;
    }
  }
  if (decl.declaration) {
    for (const Value* rule : decl.declaration->All("validation")) {
      std::string broken = BrokenRule(*rule, value.value, state.diags);
      if (broken.empty()) continue;
      const Value* message = rule->Find("message");
      Diagnostic& d = state.diags.Error(DiagCode::VariableValidation, value.value.span,
                                        fmt::format("invalid value for variable `{}`: {}", decl.name,
                                                    message ? message->text : "validation failed"));
      d.label = fmt::format("expected {}", broken);
      d.related.push_back(rule->span);
      decl.rejected = true;
      return false;
    }
  }
  value.value.sensitive = value.value.sensitive || decl.sensitive;
  if (value.value.sensitive) state.config.has_sensitive_values = true;
  decl.value = std::move(value);
  decl.origin = origin;
  return true;
}

void ApplyDefaults(CheckState& state, ModuleInstance& instance, const ast::Block* call_site) {
  for (auto& [name, decl] : instance.variables) {
    if (decl.value || decl.rejected) continue;
    const Value* fallback = decl.declaration ? decl.declaration->Find("default") : nullptr;
    if (fallback != nullptr) {
      AcceptVariableValue(state, decl, TrackedValue{*fallback, {}}, DiagCode::TypeMismatch, "default");
      continue;
    }
    if (!decl.declaration) continue;  // the declaration itself was wrong (reported)
    if (call_site != nullptr) {
      Diagnostic& d = state.diags.Error(DiagCode::MissingModuleInput, call_site->type_span,
                                        fmt::format("module `{}` needs the input `{}`",
                                                    call_site->labels[0].value, name));
      d.label = fmt::format("add `{} = ...`", name);
      d.related.push_back(decl.block->labels[0].span);
    } else {
      Diagnostic& d = state.diags.Error(DiagCode::MissingVariable, decl.block->labels[0].span,
                                        fmt::format("variable `{}` has no value", name));
      d.label = "no default and no value given";
      d.help.push_back(fmt::format("set it with `--var {0}=VALUE`, in a `--var-file`, or with NEST_VAR_{0}", name));
    }
  }
}

void ResolveRootVariables(CheckState& state, ModuleInstance& root) {
  for (const auto& a : CollectAssignments(state, root)) {
    auto it = root.variables.find(a.name);
    if (it == root.variables.end()) {
      Diagnostic& d = state.diags.Error(DiagCode::UndeclaredVariable, a.name_span,
                                        fmt::format("{}: no variable `{}` is declared", a.origin, a.name));
      std::vector<std::string> names;
      for (const auto& [n, v] : root.variables) names.push_back(n);
      std::string s = Suggest(a.name, names);
      if (!s.empty()) d.help.push_back(fmt::format("did you mean `{}`?", s));
      continue;
    }
    VariableDecl& decl = it->second;
    std::optional<Value> value;
    if (a.text) {
      value = ValueFromText(state, decl, a.origin, *a.text);
    } else {
      if (ContainsReference(*a.expr)) {
        state.diags.Error(DiagCode::InvalidVariableValue, a.expr->span, "a var file value cannot refer to other values");
        decl.rejected = true;
        continue;
      }
      ModuleInstance empty;
      EvalContext ctx{state, empty, nullptr};
      value = Evaluate(*a.expr, ctx);
    }
    if (!value) {
      decl.rejected = true;
      continue;
    }
    decl.value.reset();  // a later source overrides an earlier one
    AcceptVariableValue(state, decl, TrackedValue{std::move(*value), {}}, DiagCode::InvalidVariableValue, a.origin);
  }
  ApplyDefaults(state, root, nullptr);
  for (const auto& [name, decl] : root.variables) {
    if (!decl.value) continue;
    state.config.variables.push_back({name, decl.value->value, decl.sensitive, decl.origin});
  }
}

}  // namespace nest::check
