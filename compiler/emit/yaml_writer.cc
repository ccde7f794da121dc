#include "compiler/emit/yaml_writer.h"

#include <array>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/emit/entry_json.h"

namespace nest {
namespace {

bool IsBoolOrNullWord(std::string_view s) {
  // YAML 1.1 booleans (what Go's yaml.v2 and PyYAML resolve) and nulls.
  static constexpr std::array<std::string_view, 26> kWords = {
      "y",    "Y",    "yes",  "Yes",   "YES",   "n",     "N",     "no",    "No",
      "NO",   "true", "True", "TRUE",  "false", "False", "FALSE", "on",    "On",
      "ON",   "off",  "Off",  "OFF",   "null",  "Null",  "NULL",  "~"};
  for (auto w : kWords)
    if (s == w) return true;
  return false;
}

constexpr bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A hand-written block-style emitter: yaml-cpp's Emitter re-validates every
// scalar with regular expressions, which cost half of `nest compile` on large
// stacks. The layout is the one yaml-cpp's Emitter produces (the golden files
// did not change when this replaced it), and yaml-cpp still reads it back in
// the tests. One writer for both models: nlohmann's ordered_json and the
// compiler's arena-allocated emit::Json.
template <typename Json>
struct Writer {
  std::string out;
  bool compose_escapes = true;
  YamlMark* mark = nullptr;

  void Scalar(const Json& value, bool is_key) {
    if (mark != nullptr && mark->node == &value) {
      mark->begin = out.size();
      WriteScalar(value, is_key);
      mark->end = out.size();
      return;
    }
    WriteScalar(value, is_key);
  }

  void WriteScalar(const Json& value, bool is_key) {
    switch (value.type()) {
      case Json::value_t::string: String(value.template get_ref<const typename Json::string_t&>(), !is_key); return;
      case Json::value_t::boolean: out += value.template get<bool>() ? "true" : "false"; return;
      case Json::value_t::number_integer: out += std::to_string(value.template get<std::int64_t>()); return;
      case Json::value_t::number_unsigned: out += std::to_string(value.template get<std::uint64_t>()); return;
      case Json::value_t::number_float: out += FormatDouble(value.template get<double>()); return;
      case Json::value_t::object: out += "{}"; return;
      case Json::value_t::array: out += "[]"; return;
      default: out += "~"; return;
    }
  }

  void String(std::string_view s, bool is_value) {
    bool escape_dollars = is_value && compose_escapes;
    if (IsPlainSafe(s)) {  // which holds no `$` either
      out += s;
      return;
    }
    out += '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '$': out += escape_dollars ? "$$" : "$"; break;
        default:
          if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02X}", c);
          else out += static_cast<char>(c);
      }
    }
    out += '"';
  }

  static bool Block(const Json& v) { return v.is_structured() && !v.empty(); }

  void Indent(int n) { out.append(static_cast<std::size_t>(n), ' '); }

  // A map whose first key continues the current line (after "- ").
  void Map(const Json& map, int indent, bool first_inline) {
    bool first = true;
    for (const auto& [key, value] : map.template get_ref<const typename Json::object_t&>()) {
      if (!(first && first_inline)) Indent(indent);
      first = false;
      Entry(key, value, indent);
    }
  }

  // "key: value" after the indentation.
  void Entry(std::string_view key, const Json& value, int indent) {
    String(key, false);
    out += ':';
    Value(value, indent, /*in_map=*/true);
  }

  void Seq(const Json& seq, int indent, bool first_inline) {
    bool first = true;
    for (const auto& item : seq.template get_ref<const typename Json::array_t&>()) {
      if (!(first && first_inline)) Indent(indent);
      first = false;
      out += "- ";
      if (Block(item)) {
        if (item.is_object()) Map(item, indent + 2, true);
        else Seq(item, indent + 2, true);
      } else {
        Scalar(item, false);
        out += '\n';
      }
    }
  }

  // After "key:": a scalar on the same line, a block on the next ones.
  void Value(const Json& v, int indent, bool in_map) {
    if (!Block(v)) {
      out += ' ';
      Scalar(v, false);
      out += '\n';
      return;
    }
    out += '\n';
    if (v.is_object()) Map(v, indent + 2, false);
    else Seq(v, in_map ? indent + 2 : indent, false);
  }
};

}  // namespace

// The characters a plain (unquoted) scalar may hold, past its first one.
constexpr std::array<bool, 256> kPlainChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c)
    table[c] = IsLetter(static_cast<char>(c)) || IsDigit(static_cast<char>(c));
  for (unsigned char c : std::string_view("_./@:=,+-")) table[c] = true;
  return table;
}();

bool IsPlainSafe(std::string_view s) {
  if (s.empty()) return false;
  char first = s.front();
  if (!IsLetter(first) && first != '_' && first != '/') return false;
  if (s.back() == ':') return false;
  for (char c : s)
    if (!kPlainChars[static_cast<unsigned char>(c)]) return false;
  // The longest boolean or null word is five letters.
  return s.size() > 5 || !IsBoolOrNullWord(s);
}

std::string FormatDouble(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

namespace {

template <typename Json>
void AppendEntry(std::string& out, const std::string& key, const Json& value, int indent, bool compose_escapes,
                 YamlMark* mark) {
  Writer<Json> writer;
  writer.mark = mark;
  writer.out = std::move(out);
  writer.compose_escapes = compose_escapes;
  writer.Indent(indent);
  writer.Entry(key, value, indent);
  out = std::move(writer.out);
}

}  // namespace

void AppendYamlEntry(std::string& out, const std::string& key, const nlohmann::ordered_json& value, int indent,
                     bool compose_escapes) {
  AppendEntry(out, key, value, indent, compose_escapes, nullptr);
}

void AppendYamlEntry(std::string& out, const std::string& key, const emit::Json& value, int indent,
                     bool compose_escapes, YamlMark* mark) {
  AppendEntry(out, key, value, indent, compose_escapes, mark);
}

std::string YamlScalar(std::string_view text, bool compose_escapes) {
  Writer<emit::Json> writer;
  writer.compose_escapes = compose_escapes;
  writer.String(text, true);
  return std::move(writer.out);
}

std::string WriteYaml(const nlohmann::ordered_json& document, bool compose_escapes) {
  Writer<nlohmann::ordered_json> writer;
  writer.compose_escapes = compose_escapes;
  if (document.is_object() && !document.empty()) writer.Map(document, 0, false);
  else if (document.is_array() && !document.empty()) writer.Seq(document, 0, false);
  else {
    writer.Scalar(document, false);
    writer.out += '\n';
  }
  return std::move(writer.out);
}

}  // namespace nest
