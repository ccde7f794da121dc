#include "compiler/import/interpolation.h"

namespace nest::import {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

void AddLiteral(Template& t, std::string_view text) {
  if (text.empty()) return;
  if (!t.parts.empty() && !t.parts.back().is_variable) {
    t.parts.back().text += text;
    return;
  }
  TemplatePart part;
  part.text = std::string(text);
  t.parts.push_back(std::move(part));
}

}  // namespace

bool Template::IsLiteral() const {
  for (const auto& p : parts)
    if (p.is_variable) return false;
  return true;
}

bool Template::IsSingleVariable() const { return parts.size() == 1 && parts[0].is_variable; }

std::string Template::LiteralText() const {
  std::string out;
  for (const auto& p : parts)
    if (!p.is_variable) out += p.text;
  return out;
}

std::optional<Template> ParseTemplate(std::string_view text, std::string& error) {
  Template t;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t dollar = text.find('$', i);
    if (dollar == std::string_view::npos) {
      AddLiteral(t, text.substr(i));
      break;
    }
    AddLiteral(t, text.substr(i, dollar - i));
    i = dollar + 1;
    if (i >= text.size()) {
      AddLiteral(t, "$");
      break;
    }
    if (text[i] == '$') {
      AddLiteral(t, "$");
      ++i;
      continue;
    }
    TemplatePart var;
    var.is_variable = true;
    if (IsNameStart(text[i])) {
      std::size_t start = i;
      while (i < text.size() && IsNameChar(text[i])) ++i;
      var.text = std::string(text.substr(start, i - start));
      t.parts.push_back(std::move(var));
      continue;
    }
    if (text[i] != '{') {
      // docker/cli: a `$` followed by anything else is an error.
      error = "a `$` must be followed by a variable name, `{` or another `$` (write `$$` for a literal `$`)";
      return std::nullopt;
    }
    std::size_t close = text.find('}', i);
    if (close == std::string_view::npos) {
      error = "`${` is not closed by `}`";
      return std::nullopt;
    }
    std::string_view inner = text.substr(i + 1, close - i - 1);
    std::size_t n = 0;
    while (n < inner.size() && IsNameChar(inner[n])) ++n;
    if (n == 0 || !IsNameStart(inner[0])) {
      error = "`${...}` needs a variable name";
      return std::nullopt;
    }
    var.text = std::string(inner.substr(0, n));
    std::string_view rest = inner.substr(n);
    if (rest.rfind(":-", 0) == 0) {
      var.default_value = std::string(rest.substr(2));
    } else if (rest.rfind("-", 0) == 0) {
      var.default_value = std::string(rest.substr(1));
    } else if (rest.rfind(":?", 0) == 0) {
      var.required = true;
      var.message = std::string(rest.substr(2));
    } else if (rest.rfind("?", 0) == 0) {
      var.required = true;
      var.message = std::string(rest.substr(1));
    } else if (!rest.empty()) {
      error = "`${" + std::string(inner) + "}`: only `:-`, `-`, `:?` and `?` may follow the name";
      return std::nullopt;
    }
    t.parts.push_back(std::move(var));
    i = close + 1;
  }
  return t;
}

}  // namespace nest::import
