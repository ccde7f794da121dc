// Compose variable interpolation, as docker/cli's template package reads it:
// `$$` (a literal `$`), `$NAME`, `${NAME}`, `${NAME:-default}`,
// `${NAME-default}`, `${NAME:?message}` and `${NAME?message}`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nest::import {

struct TemplatePart {
  bool is_variable = false;
  std::string text;  // literal text, or the variable's name
  // For a variable: the default (`:-`/`-`), or `required` (`:?`/`?`) with
  // the message in `text_if_unset`.
  std::optional<std::string> default_value;
  bool required = false;
  std::string message;
};

struct Template {
  std::vector<TemplatePart> parts;

  bool IsLiteral() const;           // no variable at all
  bool IsSingleVariable() const;    // exactly one variable and nothing else
  std::string LiteralText() const;  // the text when IsLiteral()
};

// Parses `text`; nullopt with `error` set when a `${` is not closed or a
// name is invalid.
std::optional<Template> ParseTemplate(std::string_view text, std::string& error);

}  // namespace nest::import
