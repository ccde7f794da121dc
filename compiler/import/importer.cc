// `nest import`: the file as a whole, the top-level objects (networks,
// volumes, secrets, configs), variables and the typed value readers.
#include "compiler/import/importer.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "compiler/config/value.h"
#include "compiler/format/formatter.h"
#include "compiler/import/importer_internal.h"
#include "compiler/syntax/literals.h"
#include "compiler/syntax/parser.h"

namespace nest {
namespace import {

namespace fs = std::filesystem;

// --- diagnostics ----------------------------------------------------------------

Span Importer::SpanOf(const YAML::Node& node) const {
  if (!node.IsDefined()) return Span{file_, 0, 0};
  YAML::Mark mark = node.Mark();
  const SourceFile& f = sources_.file(file_);
  if (mark.line < 0 || static_cast<std::uint32_t>(mark.line) >= f.LineCount()) return Span{file_, 0, 0};
  std::uint32_t line = static_cast<std::uint32_t>(mark.line) + 1;
  std::uint32_t begin = f.LineStart(line) + static_cast<std::uint32_t>(std::max(mark.column, 0));
  std::uint32_t line_end = f.LineStart(line) + static_cast<std::uint32_t>(f.Line(line).size());
  if (begin > line_end) begin = line_end;
  std::uint32_t length = 1;
  if (node.IsScalar()) length = static_cast<std::uint32_t>(std::max<std::size_t>(node.Scalar().size(), 1));
  return Span{file_, begin, std::min(begin + length, std::max(line_end, begin + 1))};
}

void Importer::Unsupported(const YAML::Node& at, std::string what, std::string why) {
  Diagnostic& d = diags_.Error(DiagCode::UnsupportedComposeKey, SpanOf(at),
                               fmt::format("nest cannot express {}", what));
  d.label = "not supported";
  if (!why.empty()) d.notes.push_back(std::move(why));
  d.help.push_back("docs/import.md lists what nest import maps; remove the key or express it another way");
  failed_ = true;
}

void Importer::Invalid(const YAML::Node& at, std::string message) {
  diags_.Error(DiagCode::InvalidComposeValue, SpanOf(at), std::move(message)).label = "here";
  failed_ = true;
}

void Importer::Dropped(const YAML::Node& at, std::string message) {
  diags_.Warning(DiagCode::DroppedComposeKey, SpanOf(at), std::move(message)).label = "dropped";
}

void Importer::UnknownKey(const Entry& e, std::string_view where) {
  if (e.key.rfind("x-", 0) == 0) {
    Dropped(e.key_node, fmt::format("the extension field `{}` in {} is dropped", e.key, where));
    return;
  }
  Unsupported(e.key_node, fmt::format("`{}` in {}", e.key, where));
}

// --- shapes ------------------------------------------------------------------------

bool Importer::CollectMerged(const YAML::Node& node, std::vector<Entry>& out, int depth) {
  if (depth > 32) {
    Invalid(node, "merge keys nest too deep");
    return false;
  }
  if (node.IsSequence()) {
    for (const auto& item : node)
      if (!CollectMerged(item, out, depth + 1)) return false;
    return true;
  }
  if (!node.IsMap()) {
    Invalid(node, "a merge key `<<` takes a mapping or a list of mappings");
    return false;
  }
  auto entries = Map(node, "a merged mapping");
  if (!entries) return false;
  for (auto& e : *entries) {
    bool seen = false;
    for (const auto& o : out) seen = seen || o.key == e.key;
    if (!seen) out.push_back(std::move(e));
  }
  return true;
}

std::optional<std::vector<Entry>> Importer::Map(const YAML::Node& node, std::string_view what) {
  if (!node.IsMap()) {
    Invalid(node, fmt::format("{} must be a mapping", what));
    return std::nullopt;
  }
  std::vector<Entry> out;
  std::vector<Entry> merged;
  for (auto it = node.begin(); it != node.end(); ++it) {
    // The iterator yields a temporary pair: copy the nodes (they are handles).
    YAML::Node key = it->first;
    YAML::Node value = it->second;
    if (!key.IsScalar()) {
      Invalid(key, fmt::format("the keys of {} must be strings", what));
      return std::nullopt;
    }
    if (key.Scalar() == "<<" && key.Tag() != "!") {
      if (!CollectMerged(value, merged, 0)) return std::nullopt;
      continue;
    }
    for (const auto& e : out) {
      if (e.key == key.Scalar()) {
        Invalid(key, fmt::format("`{}` appears twice in {}", key.Scalar(), what));
        return std::nullopt;
      }
    }
    out.push_back({key.Scalar(), key, value});
  }
  // Keys written in the mapping win over merged ones.
  for (auto& m : merged) {
    bool overridden = false;
    for (const auto& e : out) overridden = overridden || e.key == m.key;
    if (!overridden) out.push_back(std::move(m));
  }
  return out;
}

std::optional<std::vector<YAML::Node>> Importer::Seq(const YAML::Node& node, std::string_view what) {
  if (!node.IsSequence()) {
    Invalid(node, fmt::format("{} must be a list", what));
    return std::nullopt;
  }
  std::vector<YAML::Node> out;
  for (const auto& item : node) out.push_back(item);
  return out;
}

std::optional<std::string> Importer::Scalar(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) {
    Invalid(node, fmt::format("{} must be a single value", what));
    return std::nullopt;
  }
  return node.Scalar();
}

// --- literals ------------------------------------------------------------------------

std::optional<std::int64_t> ParseGoDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  long double total = 0;
  bool any = false;
  while (!text.empty()) {
    std::size_t i = 0;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (i == 0) return std::nullopt;
    std::string number(text.substr(0, i));
    text.remove_prefix(i);
    std::size_t u = 0;
    while (u < text.size() && !(text[u] >= '0' && text[u] <= '9') && text[u] != '.') ++u;
    std::string_view unit = text.substr(0, u);
    text.remove_prefix(u);
    long double scale;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else return std::nullopt;
    char* end = nullptr;
    long double v = std::strtold(number.c_str(), &end);
    if (end == nullptr || *end != '\0') return std::nullopt;
    total += v * scale;
    any = true;
  }
  if (!any || total > 9.2e18L) return std::nullopt;
  auto nanos = static_cast<std::int64_t>(std::llround(static_cast<double>(total)));
  return negative ? -nanos : nanos;
}

std::optional<std::int64_t> ParseComposeBytes(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  std::string number(text.substr(0, i));
  std::string_view unit = text.substr(i);
  if (!unit.empty() && unit[0] == ' ') unit.remove_prefix(1);
  std::string lower;
  for (char c : unit) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  long double scale = 1;
  if (!lower.empty() && std::string_view("kmgtp").find(lower[0]) != std::string_view::npos) {
    scale = std::pow(1024.0L, 1 + static_cast<int>(std::string_view("kmgtp").find(lower[0])));
    lower.erase(0, 1);
    if (!lower.empty() && lower[0] == 'i') lower.erase(0, 1);
  }
  if (lower == "b") lower.clear();
  if (!lower.empty()) return std::nullopt;
  char* end = nullptr;
  long double v = std::strtold(number.c_str(), &end);
  if (end == nullptr || *end != '\0') return std::nullopt;
  long double bytes = v * scale;
  if (bytes > 9.2e18L) return std::nullopt;
  return static_cast<std::int64_t>(bytes);
}

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

bool LooksSensitive(const std::string& name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* word : {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE_KEY", "API_KEY"})
    if (upper.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

std::optional<std::string> Importer::Literal(Kind kind, const std::string& text) {
  switch (kind) {
    case Kind::kString: return QuoteString(text);
    case Kind::kInteger:
    case Kind::kPortNumber: {
      if (text.empty() || text.size() > 18) return std::nullopt;
      // A sign is read here; ranges (replicas from 0, ulimits from -1) are
      // checked by nest validate, with its message.
      bool negative = text[0] == '-' && kind == Kind::kInteger;
      std::size_t start = (text[0] == '+' || negative) ? 1 : 0;
      if (start == text.size()) return std::nullopt;
      for (std::size_t i = start; i < text.size(); ++i)
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
      long long v = std::stoll(text.substr(start)) * (negative ? -1 : 1);
      if (kind == Kind::kPortNumber && (v < 1 || v > 65535)) return std::nullopt;
      return fmt::format("{}", v);
    }
    case Kind::kNumber: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(v) || v < 0) return std::nullopt;
      return ShortestNumber(v);
    }
    case Kind::kBool: {
      auto b = ParseYamlBool(text);
      if (!b) return std::nullopt;
      return *b ? "true" : "false";
    }
    case Kind::kDuration: {
      auto nanos = ParseGoDuration(text);
      if (!nanos || *nanos < 0) return std::nullopt;
      return FormatDuration(*nanos);
    }
    case Kind::kSize: {
      auto bytes = ParseComposeBytes(text);
      if (!bytes) return std::nullopt;
      return FormatSize(*bytes);
    }
    case Kind::kFraction: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end == nullptr || *end != '\0' || !(v >= 0 && v <= 1)) return std::nullopt;
      return ShortestNumber(std::round(v * 1e6) / 1e4) + "%";
    }
    case Kind::kCidr:
      if (!ParseCidrText(text)) return std::nullopt;
      return text;
    case Kind::kIp:
      if (!ParseIpText(text)) return std::nullopt;
      return text;
  }
  return std::nullopt;
}

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
        Invalid(v.first_use, fmt::format("the default `{}` of `${{{}}}` is not {}", *v.default_text, v.name,
                                         KindName(kind)));
        continue;
      }
      b.Set("default", *literal);
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
    Invalid(at, fmt::format("{} must be {}, not `{}`", what, KindName(kind), text));
    return std::nullopt;
  }
  return literal;
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
      std::size_t eq = text->find('=');
      std::string key = text->substr(0, eq);
      if (key.empty()) {
        Invalid(item, fmt::format("an entry of {} needs a name before `=`", what));
        return std::nullopt;
      }
      std::optional<std::string> value;
      if (eq == std::string::npos) value = bare(item, key);
      else value = StringTemplate(item, text->substr(eq + 1));
      if (!value) return std::nullopt;
      out.emplace_back(key, *value);
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

std::optional<std::vector<std::string>> SplitShellWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i >= text.size()) return std::nullopt;
      word += text[i];
    } else if (c == '\'') {
      std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      word += text.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size() &&
            std::string_view("\"\\$`").find(text[j + 1]) != std::string_view::npos)
          ++j;
        word += text[j];
      }
      if (j >= text.size()) return std::nullopt;
      i = j;
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::optional<std::string> Importer::CommandExpr(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> items;
  if (node.IsScalar()) {
    auto words = SplitShellWords(node.Scalar());
    if (!words) {
      Invalid(node, fmt::format("{} has an unclosed quote", what));
      return std::nullopt;
    }
    for (const auto& w : *words) {
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

std::optional<std::string> Importer::FileMode(const YAML::Node& node) {
  auto text = Scalar(node, "`mode`");
  if (!text) return std::nullopt;
  std::string t = *text;
  unsigned long value = 0;
  try {
    if (t.rfind("0o", 0) == 0 || t.rfind("0O", 0) == 0) value = std::stoul(t.substr(2), nullptr, 8);
    else if (t.size() > 1 && t[0] == '0') value = std::stoul(t, nullptr, 8);
    else value = std::stoul(t, nullptr, 10);
  } catch (...) {
    Invalid(node, fmt::format("`mode` must be a file mode such as 0440, not `{}`", t));
    return std::nullopt;
  }
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c))) value = 010000;
  if (value > 07777) {
    Invalid(node, fmt::format("`mode` must be a file mode such as 0440, not `{}`", t));
    return std::nullopt;
  }
  return QuoteString(fmt::format("{:04o}", value));
}

// --- top-level objects --------------------------------------------------------------

bool Importer::ExternalValue(const Entry& e, NestBlock& block) {
  if (e.value.IsMap()) {  // the 3.x form `external: {name: x}`
    auto entries = Map(e.value, "`external`");
    if (!entries) return false;
    block.Set("external", "true");
    for (const auto& x : *entries) {
      if (x.key != "name") {
        UnknownKey(x, "`external`");
        continue;
      }
      auto name = Expr(x.value, Kind::kString, "`external.name`");
      if (name) block.Set("name", *name);
    }
    return true;
  }
  auto b = Expr(e.value, Kind::kBool, "`external`");
  if (!b) return false;
  if (*b == "true") block.Set("external", "true");
  return true;
}

void Importer::ImportNetwork(const std::string& name, const YAML::Node& node, std::vector<NestBlock>& out) {
  NestBlock b;
  b.type = "network";
  b.labels = {name};
  if (!node.IsNull()) {
    auto entries = Map(node, fmt::format("network `{}`", name));
    if (!entries) return;
    std::vector<std::pair<std::string, std::string>> opts;
    for (const auto& e : *entries) {
      if (e.key == "driver") {
        auto d = Scalar(e.value, "`driver`");
        if (!d) continue;
        if (*d == "overlay" || *d == "bridge" || *d == "macvlan" || *d == "ipvlan") b.Set("driver", *d);
        else Unsupported(e.value, fmt::format("the network driver `{}`", *d), "nest networks are overlay, bridge, macvlan or ipvlan");
      } else if (e.key == "driver_opts") {
        auto map = StringMap(e.value, "`driver_opts`");
        if (!map) continue;
        for (auto& [k, v] : *map) {
          if (k == "encrypted") b.Set("encrypted", "true");
          else opts.emplace_back(k, v);
        }
      } else if (e.key == "attachable" || e.key == "internal") {
        if (auto v = Expr(e.value, Kind::kBool, "`" + e.key + "`")) b.Set(e.key, *v);
      } else if (e.key == "labels") {
        if (auto map = StringMap(e.value, "`labels`")) b.Set("labels", MapExpr(*map));
      } else if (e.key == "external") {
        ExternalValue(e, b);
      } else if (e.key == "name") {
        if (auto v = Expr(e.value, Kind::kString, "`name`")) b.Set("name", *v);
      } else if (e.key == "ipam") {
        auto ipam = Map(e.value, "`ipam`");
        if (!ipam) continue;
        for (const auto& i : *ipam) {
          if (i.key == "driver") {
            auto d = Scalar(i.value, "`ipam.driver`");
            if (d && *d != "default") Unsupported(i.value, fmt::format("the IPAM driver `{}`", *d));
          } else if (i.key == "config") {
            auto pools = Seq(i.value, "`ipam.config`");
            if (!pools) continue;
            if (pools->size() > 1) {
              Unsupported((*pools)[1], "a second IPAM pool", "a nest network has one subnet");
              continue;
            }
            for (const auto& pool : *pools) {
              auto keys = Map(pool, "an `ipam.config` entry");
              if (!keys) continue;
              for (const auto& k : *keys) {
                if (k.key == "subnet" || k.key == "ip_range") {
                  if (auto v = Expr(k.value, Kind::kCidr, "`" + k.key + "`")) b.Set(k.key, *v);
                } else if (k.key == "gateway") {
                  if (auto v = Expr(k.value, Kind::kIp, "`gateway`")) b.Set("gateway", *v);
                } else {
                  UnknownKey(k, "`ipam.config`");
                }
              }
            }
          } else {
            UnknownKey(i, "`ipam`");
          }
        }
      } else {
        UnknownKey(e, fmt::format("network `{}`", name));
      }
    }
    if (!opts.empty()) b.Set("driver_opts", MapExpr(opts));
  }
  out.push_back(std::move(b));
}

void Importer::ImportVolume(const std::string& name, const YAML::Node& node, std::vector<NestBlock>& out) {
  NestBlock b;
  b.type = "volume";
  b.labels = {name};
  if (!node.IsNull()) {
    auto entries = Map(node, fmt::format("volume `{}`", name));
    if (!entries) return;
    for (const auto& e : *entries) {
      if (e.key == "driver" || e.key == "name") {
        if (auto v = Expr(e.value, Kind::kString, "`" + e.key + "`")) b.Set(e.key, *v);
      } else if (e.key == "driver_opts" || e.key == "labels") {
        if (auto map = StringMap(e.value, "`" + e.key + "`")) b.Set(e.key, MapExpr(*map));
      } else if (e.key == "external") {
        ExternalValue(e, b);
      } else {
        UnknownKey(e, fmt::format("volume `{}`", name));
      }
    }
  }
  out.push_back(std::move(b));
}

void Importer::ImportFileObject(const std::string& kind, const std::string& name, const YAML::Node& node,
                                std::vector<NestBlock>& out) {
  NestBlock b;
  b.type = kind;
  b.labels = {name};
  auto entries = Map(node, fmt::format("{} `{}`", kind, name));
  if (!entries) return;
  for (const auto& e : *entries) {
    if (e.key == "file") {
      auto path = Scalar(e.value, "`file`");
      if (path) b.Set("file", QuoteString(RelocatedPath(*path)));
    } else if (e.key == "content" && kind == "config") {
      if (auto v = Expr(e.value, Kind::kString, "`content`")) b.Set("content", *v);
    } else if (e.key == "name") {
      if (auto v = Expr(e.value, Kind::kString, "`name`")) b.Set("name", *v);
    } else if (e.key == "labels") {
      if (auto map = StringMap(e.value, "`labels`")) b.Set("labels", MapExpr(*map));
    } else if (e.key == "external") {
      ExternalValue(e, b);
    } else {
      UnknownKey(e, fmt::format("{} `{}`", kind, name));
    }
  }
  out.push_back(std::move(b));
}

// --- the file -------------------------------------------------------------------------

std::optional<std::string> Importer::Run(const YAML::Node& root, std::string stack_name,
                                         const std::string& fallback_name, const std::string& compose_name) {
  auto top = Map(root, "a compose file");
  if (!top) return std::nullopt;
  YAML::Node services_node, networks_node, volumes_node, secrets_node, configs_node;
  for (const auto& e : *top) {
    if (e.key == "version") continue;  // the format's version, not a setting
    if (e.key == "name") {
      if (auto n = Scalar(e.value, "`name`"); n && stack_name.empty()) stack_name = *n;
    } else if (e.key == "services") {
      services_node = e.value;
    } else if (e.key == "networks") {
      networks_node = e.value;
    } else if (e.key == "volumes") {
      volumes_node = e.value;
    } else if (e.key == "secrets") {
      secrets_node = e.value;
    } else if (e.key == "configs") {
      configs_node = e.value;
    } else {
      UnknownKey(e, "the file");
    }
  }

  // Declare every name first: services refer to them in any order.
  struct Section {
    const char* kind;
    YAML::Node node;
    std::set<std::string>* names;
    std::vector<Entry> entries;
  };
  Section sections[] = {{"network", networks_node, &networks, {}},
                        {"volume", volumes_node, &volumes, {}},
                        {"secret", secrets_node, &secrets, {}},
                        {"config", configs_node, &configs, {}},
                        {"service", services_node, &services, {}}};
  for (auto& s : sections) {
    if (!s.node.IsDefined() || s.node.IsNull()) continue;
    auto entries = Map(s.node, fmt::format("`{}s`", s.kind));
    if (!entries) continue;
    for (auto& e : *entries) {
      if (e.key.rfind("x-", 0) == 0 && std::string_view(s.kind) == "service") {
        Dropped(e.key_node, fmt::format("the extension field `{}` in `services` is dropped", e.key));
        continue;
      }
      if (!IsIdentifier(e.key)) {
        Invalid(e.key_node, fmt::format("`{}` cannot be a nest {} name: use letters, digits, `_` and `-`, "
                                        "starting with a letter or `_`",
                                        e.key, s.kind));
        continue;
      }
      s.names->insert(e.key);
      s.entries.push_back(std::move(e));
    }
  }

  std::vector<NestBlock> objects;
  for (const auto& e : sections[0].entries) ImportNetwork(e.key, e.value, objects);
  for (const auto& e : sections[1].entries) ImportVolume(e.key, e.value, objects);
  for (const auto& e : sections[2].entries) ImportFileObject("secret", e.key, e.value, objects);
  for (const auto& e : sections[3].entries) ImportFileObject("config", e.key, e.value, objects);
  std::vector<NestBlock> service_blocks;
  for (const auto& e : sections[4].entries) service_blocks.push_back(ImportService(*this, e.key, e.value));
  if (!services_node.IsDefined() || services_node.IsNull() || (services_node.IsMap() && services_node.size() == 0))
    Invalid(root, "the file has no services");

  if (stack_name.empty()) stack_name = fallback_name;
  std::vector<NestBlock> blocks;
  NestBlock stack;
  stack.type = "stack";
  stack.labels = {stack_name};
  stack.comments = {fmt::format("Imported by nest import from {}.", compose_name)};
  blocks.push_back(std::move(stack));
  for (auto& v : VariableBlocks()) blocks.push_back(std::move(v));
  if (uses_default_network) {
    NestBlock def;
    def.type = "network";
    def.labels = {"default"};
    def.comments = {"The network compose gives services that name none."};
    blocks.push_back(std::move(def));
  }
  for (auto& o : objects) blocks.push_back(std::move(o));
  for (auto& s : service_blocks) blocks.push_back(std::move(s));
  if (failed_) return std::nullopt;
  return RenderBlocks(blocks);
}

}  // namespace import

namespace {

std::string DefaultStackName(const std::filesystem::path& compose_path) {
  std::string folder = std::filesystem::absolute(compose_path).lexically_normal().parent_path().filename().string();
  std::string name;
  for (char c : folder) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_' || c == '-') name += static_cast<char>(std::tolower(u));
  }
  return name.empty() ? "stack" : name;
}

}  // namespace

std::optional<std::string> ImportComposeText(const std::string& path, std::string text, const ImportOptions& options,
                                             SourceManager& sources, Diagnostics& diags) {
  namespace fs = std::filesystem;
  FileId id = sources.Add(path, text);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const SourceFile& f = sources.file(id);
    Span where{id, 0, 0};
    if (e.mark.line >= 0 && static_cast<std::uint32_t>(e.mark.line) < f.LineCount()) {
      std::uint32_t begin = f.LineStart(static_cast<std::uint32_t>(e.mark.line) + 1) +
                            static_cast<std::uint32_t>(std::max(e.mark.column, 0));
      where = Span{id, begin, begin + 1};
    }
    diags.Error(DiagCode::InvalidYaml, where, fmt::format("invalid YAML: {}", e.msg)).label = "here";
    return std::nullopt;
  }
  fs::path compose_dir = fs::path(path).parent_path();
  if (compose_dir.empty()) compose_dir = ".";
  import::Importer importer(sources, id, diags, compose_dir, options.output_dir.empty() ? "." : options.output_dir);
  std::optional<std::string> raw;
  try {
    raw = importer.Run(root, options.stack_name, DefaultStackName(path), fs::path(path).filename().string());
  } catch (const std::exception& e) {
    // yaml-cpp reports some malformed documents only on access.
    diags.Error(DiagCode::InvalidYaml, Span{id, 0, 0}, fmt::format("cannot read the compose file: {}", e.what()));
    return std::nullopt;
  }
  if (!raw) return std::nullopt;

  // The generated source goes through the project's parser and formatter:
  // the output is in `nest fmt` layout, and a generator bug shows up here.
  SourceManager generated;
  FileId gid = generated.Add("imported.nest", *raw);
  Diagnostics parse_diags;
  ast::File file = ParseFile(generated, gid, parse_diags);
  if (parse_diags.HasErrors()) {
    diags.Error(DiagCode::InvalidComposeValue, Span{id, 0, 0},
                "nest import generated source that does not parse (a bug in nest import)")
        .notes.push_back(parse_diags.list().front().summary);
    return std::nullopt;
  }
  return FormatFile(generated, file);
}

std::optional<std::string> ImportComposeFile(const std::string& compose_path, const ImportOptions& options,
                                             SourceManager& sources, Diagnostics& diags) {
  std::ifstream in(compose_path, std::ios::binary);
  if (!in) {
    diags.Error(DiagCode::CannotRead, Span{}, fmt::format("cannot read `{}`", compose_path));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ImportComposeText(compose_path, text.str(), options, sources, diags);
}

}  // namespace nest
