// Writing nest source text: blocks, attributes and literals. The importer
// builds NestBlocks and renders them; the result is then reformatted by the
// project formatter, so the text here only has to be valid, not pretty.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nest::import {

struct NestBlock {
  std::string type;
  std::vector<std::string> labels;
  std::vector<std::pair<std::string, std::string>> attributes;  // name, expression text
  std::vector<NestBlock> blocks;
  std::vector<std::string> comments;  // `# ...` lines above the block

  void Set(std::string name, std::string expression) { attributes.emplace_back(std::move(name), std::move(expression)); }
  bool Has(std::string_view name) const;
};

std::string RenderBlocks(const std::vector<NestBlock>& blocks);

// A string literal for `text`: escapes, and `\${` for a literal `${`.
std::string QuoteString(std::string_view text);
// The body of a string literal (no quotes), for building interpolations.
std::string EscapeStringBody(std::string_view text);
// `ident` when `key` is an identifier, else a quoted string.
std::string MapKey(std::string_view key);
bool IsIdentifier(std::string_view text);
// [a, b] on one line, or one item per line when `multiline`.
std::string ListExpr(const std::vector<std::string>& items, bool multiline = false);
// { k = v } entries, one per line when there are two or more.
std::string MapExpr(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace nest::import
