// `nest import`: compose values as nest expressions: typed scalars,
// string templates, lists, mappings, commands, references and paths.
#include <fmt/format.h>

#include "compiler/compose_syntax/assignment.h"
#include "compiler/compose_syntax/shell_words.h"
#include "compiler/import/importer_internal.h"

namespace nest::import {

namespace fs = std::filesystem;

// --- values ------------------------------------------------------------------------

std::optional<std::string> Importer::StringTemplate(const YAML::Node& at, const std::string& text) {
  std::string error;
  auto tmpl = ParseTemplate(text, error);
  if (!tmpl) {
    Invalid(at, fmt::format("invalid interpolation in `{}`: {}", text, error));
    return std::nullopt;
  }
  std::string body;
  for (const auto& part : tmpl->parts) {
    if (part.is_variable) body += "${" + UseVariable(part, Kind::kString, at) + "}";
    else body += EscapeStringBody(part.text);
  }
  return "\"" + body + "\"";
}

std::optional<std::string> Importer::Expr(const YAML::Node& node, Kind kind, std::string_view what) {
  if (!node.IsDefined() || node.IsNull()) {
    Invalid(node, fmt::format("{} needs a value ({})", what, KindName(kind)));
    return std::nullopt;
  }
  if (!node.IsScalar()) {
    Invalid(node, fmt::format("{} must be {}", what, KindName(kind)));
    return std::nullopt;
  }
  return ExprText(node.Scalar(), node, kind, what);
}

std::optional<std::string> Importer::ExprText(const std::string& text, const YAML::Node& at, Kind kind,
                                              std::string_view what) {
  if (kind == Kind::kString) return StringTemplate(at, text);
  std::string error;
  auto tmpl = ParseTemplate(text, error);
  if (!tmpl) {
    Invalid(at, fmt::format("invalid interpolation in `{}`: {}", text, error));
    return std::nullopt;
  }
  if (tmpl->IsSingleVariable()) return UseVariable(tmpl->parts[0], kind, at);
  if (!tmpl->IsLiteral()) {
    Invalid(at, fmt::format("{}: an interpolation in {} must be the whole value", what, KindName(kind)));
    return std::nullopt;
  }
  auto literal = Literal(kind, tmpl->LiteralText());
  if (!literal) {
    std::string message = fmt::format("{} must be {}, not `{}`", what, KindName(kind), text);
    if (ReadByComposeSyntax(kind)) Invalid(at, std::move(message), literal.error().message);
    else Invalid(at, std::move(message));
    return std::nullopt;
  }
  return literal.value();
}

std::optional<std::vector<std::string>> Importer::StringItems(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> items;
  if (node.IsScalar()) {
    auto e = Expr(node, Kind::kString, what);
    if (!e) return std::nullopt;
    items.push_back(*e);
    return items;
  }
  auto seq = Seq(node, what);
  if (!seq) return std::nullopt;
  for (const auto& item : *seq) {
    auto e = Expr(item, Kind::kString, what);
    if (!e) return std::nullopt;
    items.push_back(*e);
  }
  return items;
}

std::optional<std::vector<std::pair<std::string, std::string>>> Importer::StringMap(const YAML::Node& node,
                                                                                    std::string_view what,
                                                                                    bool environment) {
  std::vector<std::pair<std::string, std::string>> out;
  auto bare = [&](const YAML::Node& at, const std::string& key) -> std::optional<std::string> {
    if (!environment) return QuoteString("");
    // `KEY` alone takes the value from the deploying shell: a variable.
    TemplatePart part;
    part.is_variable = true;
    part.text = key;
    Dropped(at, fmt::format("`{}` has no value in {}: it becomes the variable `{}` (empty unless set)", key, what, key));
    return UseVariable(part, Kind::kString, at);
  };
  if (node.IsSequence()) {
    for (const auto& item : node) {
      auto text = Scalar(item, what);
      if (!text) return std::nullopt;
      auto entry = compose_syntax::SplitAssignment(*text);
      if (entry.key.empty()) {
        Invalid(item, fmt::format("an entry of {} needs a name before `=`", what));
        return std::nullopt;
      }
      std::optional<std::string> value;
      if (!entry.value) value = bare(item, entry.key);
      else value = StringTemplate(item, *entry.value);
      if (!value) return std::nullopt;
      out.emplace_back(entry.key, *value);
    }
    return out;
  }
  auto entries = Map(node, what);
  if (!entries) return std::nullopt;
  for (const auto& e : *entries) {
    std::optional<std::string> value;
    if (e.value.IsNull()) value = bare(e.key_node, e.key);
    else value = Expr(e.value, Kind::kString, what);
    if (!value) return std::nullopt;
    out.emplace_back(e.key, *value);
  }
  return out;
}

std::optional<std::string> Importer::CommandExpr(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> items;
  if (node.IsScalar()) {
    auto words = compose_syntax::SplitShellWords(node.Scalar());
    if (!words) {
      Invalid(node, fmt::format("{} cannot be split into words", what), words.error().message);
      return std::nullopt;
    }
    for (const auto& w : words.value()) {
      auto e = StringTemplate(node, w);
      if (!e) return std::nullopt;
      items.push_back(*e);
    }
  } else {
    auto list = StringItems(node, what);
    if (!list) return std::nullopt;
    items = *list;
  }
  std::size_t length = 0;
  for (const auto& i : items) length += i.size() + 2;
  return ListExpr(items, length > 80);
}

std::optional<std::string> Importer::Reference(const YAML::Node& node, std::string_view kind, std::string_view what) {
  auto name = Scalar(node, what);
  if (!name) return std::nullopt;
  const std::set<std::string>* declared = kind == "network"  ? &networks
                                          : kind == "volume" ? &volumes
                                          : kind == "secret" ? &secrets
                                          : kind == "config" ? &configs
                                                             : &services;
  if (kind == "network" && *name == "default" && !declared->count(*name)) {
    uses_default_network = true;
    return std::string("network.default");
  }
  if (!declared->count(*name)) {
    Invalid(node, fmt::format("{} `{}` is not declared in the file's top-level `{}s`", kind, *name, kind));
    return std::nullopt;
  }
  return fmt::format("{}.{}", kind, *name);
}

std::string Importer::AbsolutePath(const std::string& path) const {
  fs::path p(path);
  if (p.is_relative()) p = compose_dir_ / p;
  return fs::absolute(p).lexically_normal().generic_string();
}

std::string Importer::RelocatedPath(const std::string& path) const {
  fs::path p(path);
  if (p.is_absolute()) return p.lexically_normal().generic_string();
  fs::path abs = fs::absolute(compose_dir_ / p).lexically_normal();
  fs::path rel = abs.lexically_relative(fs::absolute(output_dir_).lexically_normal());
  return rel.empty() ? abs.generic_string() : rel.generic_string();
}

namespace {

// A mode as YAML writes the integer: 0o440 (YAML 1.2) and 0440 (YAML 1.1)
// octal, 288 decimal. nullopt for anything else.
std::optional<unsigned long> YamlFileMode(std::string_view text) {
  unsigned base = 10;
  if (text.starts_with("0o") || text.starts_with("0O")) {
    base = 8;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 8) return std::nullopt;
  unsigned long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || static_cast<unsigned>(c - '0') >= base) return std::nullopt;
    value = value * base + static_cast<unsigned>(c - '0');
  }
  return value;
}

}  // namespace

std::optional<std::string> Importer::FileMode(const YAML::Node& node) {
  auto text = Scalar(node, "`mode`");
  if (!text) return std::nullopt;
  auto value = YamlFileMode(*text);
  if (!value || *value > 07777) {
    Invalid(node, fmt::format("`mode` must be a file mode such as 0440, not `{}`", *text));
    return std::nullopt;
  }
  return QuoteString(fmt::format("{:04o}", *value));
}

}  // namespace nest::import
