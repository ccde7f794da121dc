#include "compiler/emit/yaml_writer.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nest {
namespace {

using Json = nlohmann::ordered_json;

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

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

struct Writer {
  YAML::Emitter out;
  bool compose_escapes = true;
  void Emit(const Json& value);
  void EmitString(const std::string& s, bool is_value);
};

void Writer::EmitString(const std::string& raw, bool is_value) {
  std::string escaped;
  const std::string* text = &raw;
  if (is_value && compose_escapes && raw.find('$') != std::string::npos) {
    escaped.reserve(raw.size() + 4);
    for (char c : raw) {
      if (c == '$') escaped += '$';
      escaped += c;
    }
    text = &escaped;
  }
  const std::string& s = *text;
  if (IsPlainSafe(s)) {
    out << s;
  } else {
    out << YAML::DoubleQuoted << s;
  }
}

void Writer::Emit(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (auto it = value.begin(); it != value.end(); ++it) {
        out << YAML::Key;
        EmitString(it.key(), false);
        out << YAML::Value;
        Emit(it.value());
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& item : value) Emit(item);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string:
      EmitString(value.get_ref<const std::string&>(), true);
      return;
    case Json::value_t::boolean:
      out << (value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      out << value.get<std::int64_t>();
      return;
    case Json::value_t::number_unsigned:
      out << value.get<std::uint64_t>();
      return;
    case Json::value_t::number_float:
      out << FormatDouble(value.get<double>());
      return;
    default:
      out << YAML::Null;
      return;
  }
}

}  // namespace

bool IsPlainSafe(std::string_view s) {
  if (s.empty()) return false;
  char first = s.front();
  if (!IsLetter(first) && first != '_' && first != '/') return false;
  if (s.back() == ':') return false;
  for (char c : s) {
    if (IsLetter(c) || IsDigit(c)) continue;
    switch (c) {
      case '_': case '.': case '/': case '@': case ':': case '=': case ',': case '+': case '-':
        continue;
      default:
        return false;
    }
  }
  return !IsBoolOrNullWord(s);
}

std::string FormatDouble(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string WriteYaml(const Json& document, bool compose_escapes) {
  Writer writer;
  writer.compose_escapes = compose_escapes;
  writer.out.SetIndent(2);
  writer.out.SetMapFormat(YAML::Block);
  writer.out.SetSeqFormat(YAML::Block);
  writer.Emit(document);
  std::string text = writer.out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace nest
