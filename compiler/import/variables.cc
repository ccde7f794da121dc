// `nest import`: compose `${VAR}` interpolations as nest `variable`
// blocks, typed by their uses.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/import/importer_internal.h"

namespace nest::import {

namespace {

bool LooksSensitive(const std::string& name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* word : {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE_KEY", "API_KEY"})
    if (upper.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

// --- variables -------------------------------------------------------------------

std::string Importer::UseVariable(const TemplatePart& part, Kind kind, const YAML::Node& at) {
  auto it = variable_index_.find(part.text);
  if (it == variable_index_.end()) {
    Variable v;
    v.name = part.text;
    v.first_use = at;
    variable_index_[part.text] = variables_.size();
    variables_.push_back(std::move(v));
    it = variable_index_.find(part.text);
  }
  Variable& v = variables_[it->second];
  v.kinds.insert(kind);
  if (part.default_value && !v.default_text) v.default_text = part.default_value;
  if (part.required) {
    v.required = true;
    if (v.message.empty()) v.message = part.message;
  }
  return "var." + v.name;
}

std::vector<NestBlock> Importer::VariableBlocks() {
  std::vector<NestBlock> blocks;
  std::vector<const Variable*> sorted;
  for (const Variable& v : variables_) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(), [](const Variable* a, const Variable* b) { return a->name < b->name; });
  for (const Variable* pv : sorted) {
    const Variable& v = *pv;
    if (!IsIdentifier(v.name)) {
      Invalid(v.first_use, fmt::format("`{}` is not a valid nest variable name", v.name));
      continue;
    }
    Kind kind = Kind::kString;
    for (Kind k : v.kinds) {
      if (k == Kind::kString) continue;
      if (kind != Kind::kString && VariableType(k) != std::string_view(VariableType(kind))) {
        Invalid(v.first_use, fmt::format("`${{{}}}` is used both as {} and as {}", v.name, KindName(kind),
                                         KindName(k)));
        break;
      }
      kind = k;
    }
    NestBlock b;
    b.type = "variable";
    b.labels = {v.name};
    b.Set("type", VariableType(kind));
    if (v.default_text) {
      auto literal = Literal(kind, *v.default_text);
      if (!literal) {
        std::string message =
            fmt::format("the default `{}` of `${{{}}}` is not {}", *v.default_text, v.name, KindName(kind));
        if (ReadByComposeSyntax(kind)) Invalid(v.first_use, std::move(message), literal.error().message);
        else Invalid(v.first_use, std::move(message));
        continue;
      }
      b.Set("default", literal.value());
    } else if (!v.required && kind == Kind::kString) {
      // Compose reads an unset variable as the empty string.
      b.Set("default", "\"\"");
    }
    if (v.required && !v.message.empty()) {
      b.Set("description", QuoteString(v.message));
    } else {
      b.Set("description", QuoteString(fmt::format("the compose file's {}", v.name)));
    }
    if (LooksSensitive(v.name)) b.Set("sensitive", "true");
    blocks.push_back(std::move(b));
  }
  return blocks;
}

}  // namespace nest::import
