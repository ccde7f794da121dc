// `nest import`: diagnostics at a node of the YAML file, and the shapes
// every reader starts from (mappings with merge keys applied, lists,
// scalars).
#include <fmt/format.h>

#include <algorithm>

#include "compiler/import/importer_internal.h"

namespace nest::import {

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

void Importer::Invalid(const YAML::Node& at, std::string message, std::string why) {
  Diagnostic& d = diags_.Error(DiagCode::InvalidComposeValue, SpanOf(at), std::move(message));
  d.label = "here";
  d.notes.push_back(std::move(why));
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

void Importer::UnmappedKey(const Entry& e, std::string_view where, std::string_view reason) {
  if (e.key.rfind("x-", 0) == 0 || !reason.empty()) {
    if (reason.empty()) UnknownKey(e, where);
    else Unsupported(e.key_node, fmt::format("`{}` in {}", e.key, where), std::string(reason));
    return;
  }
  Unsupported(e.key_node, fmt::format("`{}` in {}", e.key, where),
              fmt::format("`{}` is not a key of the compose specification", e.key));
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

}  // namespace nest::import
