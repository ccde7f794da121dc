// The compose document model as YAML text, deterministically.
//
// Block style throughout (empty maps and lists as `{}` and `[]`), two-space
// indentation, keys in the model's order, `\n` line endings, a final newline.
// One quoting rule for every string, key or value: it is written plain when it
// starts with a letter, `_` or `/`, holds only letters, digits and
// `_ . / @ : = , + -`, does not end with `:` and is not a word YAML 1.1 or 1.2
// reads as a bool or null (`yes`, `n`, `off`, `null`, ...); otherwise it is
// double-quoted with escapes. So a string never reads back as a number, a bool
// or null, whatever YAML version the reader implements (Go's yaml.v2 in
// `docker stack`, PyYAML in docker-compose 1.x).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "compiler/emit/entry_json.h"

namespace nest {

//
// Compose files interpolate `${VAR}` and `$VAR` in every value, so in a
// compose file (`compose_escapes`) each `$` of a string value is written `$$`:
// the model holds values as the loader sees them after interpolation.
std::string WriteYaml(const nlohmann::ordered_json& document, bool compose_escapes = true);

// One `key: value` entry of a block map at `indent` spaces, appended to
// `out`: exactly what WriteYaml writes for that entry inside a larger
// document, so a document can be written entry by entry (and in parts, on
// several threads) with the same bytes.
void AppendYamlEntry(std::string& out, const std::string& key, const nlohmann::ordered_json& value, int indent,
                     bool compose_escapes = true);
// Where one node of the model was written: [begin, end) in the output.
struct YamlMark {
  const void* node = nullptr;  // the scalar to find, by address
  std::size_t begin = std::string::npos;
  std::size_t end = std::string::npos;
};

// The same for the compiler's own model (compiler/emit/entry_json.h). When
// `mark` is given, the offsets of the scalar `mark->node` are recorded in it.
void AppendYamlEntry(std::string& out, const std::string& key, const emit::Json& value, int indent,
                     bool compose_escapes = true, YamlMark* mark = nullptr);

// A string value as the writer writes it: plain or double-quoted.
std::string YamlScalar(std::string_view text, bool compose_escapes = true);

// True when `text` is written without quotes under the rule above.
bool IsPlainSafe(std::string_view text);

// A double the way the writer prints it: shortest round-trip digits, always
// with a fraction or exponent ("1.0", "0.25").
std::string FormatDouble(double value);

}  // namespace nest
