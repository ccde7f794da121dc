#include "compiler/compose_syntax/shell_words.h"

#include <fmt/format.h>

namespace nest::compose_syntax {
namespace {

bool IsSeparator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool EscapableInDoubleQuotes(char c) { return c == '"' || c == '\\' || c == '$' || c == '`'; }

}  // namespace

Parsed<std::vector<std::string>> SplitShellWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (IsSeparator(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i == text.size()) return SyntaxError{fmt::format("`{}` ends with a lone backslash", text)};
      word += text[i];
    } else if (c == '\'') {
      std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos)
        return SyntaxError{fmt::format("`{}` has an unterminated single quote (at character {})", text, i + 1)};
      word += text.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size() && EscapableInDoubleQuotes(text[j + 1])) ++j;
        word += text[j];
      }
      if (j == text.size())
        return SyntaxError{fmt::format("`{}` has an unterminated double quote (at character {})", text, i + 1)};
      i = j;
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace nest::compose_syntax
