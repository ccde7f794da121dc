#include "compiler/import/nest_writer.h"

#include <fmt/format.h>

namespace nest::import {
namespace {

void Render(const NestBlock& block, int depth, std::string& out) {
  std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  for (const auto& c : block.comments) out += indent + "# " + c + "\n";
  out += indent + block.type;
  for (const auto& label : block.labels) out += " " + QuoteString(label);
  out += " {\n";
  for (const auto& [name, expr] : block.attributes) out += indent + "  " + name + " = " + expr + "\n";
  for (const auto& nested : block.blocks) {
    out += "\n";
    Render(nested, depth + 1, out);
  }
  out += indent + "}\n";
}

}  // namespace

bool NestBlock::Has(std::string_view name) const {
  for (const auto& [n, e] : attributes)
    if (n == name) return true;
  return false;
}

std::string RenderBlocks(const std::vector<NestBlock>& blocks) {
  std::string out;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i > 0) out += "\n";
    Render(blocks[i], 0, out);
  }
  return out;
}

std::string EscapeStringBody(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '$':
        out += (i + 1 < text.size() && text[i + 1] == '{') ? "\\$" : "$";
        break;
      default:
        if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", c);
        else out += static_cast<char>(c);
    }
  }
  return out;
}

std::string QuoteString(std::string_view text) { return "\"" + EscapeStringBody(text) + "\""; }

bool IsIdentifier(std::string_view text) {
  if (text.empty()) return false;
  char first = text[0];
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')) return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  // Keywords cannot be map keys without quotes.
  return text != "true" && text != "false" && text != "null";
}

std::string MapKey(std::string_view key) { return IsIdentifier(key) ? std::string(key) : QuoteString(key); }

std::string ListExpr(const std::vector<std::string>& items, bool multiline) {
  if (items.empty()) return "[]";
  if (!multiline) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out + "]";
  }
  std::string out = "[\n";
  for (const auto& item : items) out += "    " + item + ",\n";
  return out + "  ]";
}

std::string MapExpr(const std::vector<std::pair<std::string, std::string>>& entries) {
  if (entries.empty()) return "{}";
  if (entries.size() == 1) return "{ " + MapKey(entries[0].first) + " = " + entries[0].second + " }";
  std::string out = "{\n";
  for (const auto& [key, value] : entries) out += "    " + MapKey(key) + " = " + value + "\n";
  return out + "  }";
}

}  // namespace nest::import
