// ParseFile: checks the text, then parses it in parts (parse_in_parts.cc)
// or in one pass (parse_recovery.cc). How parsing works is told in
// parse_state.h; the grammar is grammar.h, the actions that build the AST
// parse_actions.h, the error messages parse_errors.def and parse_errors.cc.
// No PEGTL type or exception leaves compiler/syntax.
#include <fmt/format.h>
#include <new>
#include <string_view>

#include "compiler/syntax/grammar.h"
#include "compiler/syntax/grammar_check.h"
#include "compiler/syntax/parse_in_parts.h"
#include "compiler/syntax/parse_state.h"
#include "compiler/syntax/parser.h"
#include "compiler/syntax/utf8.h"

#include <tao/pegtl/contrib/analyze.hpp>

namespace nest {

ast::File ParseFile(const SourceManager& sources, FileId file, Diagnostics& diags, unsigned threads) {
  ast::File out;
  out.id = file;
  if (file >= sources.size()) return out;
  try {
    std::string_view text = sources.file(file).text();
    if (text.size() >= syntax::parsing::kNone) {
      diags.Error(DiagCode::CannotRead, Span{file, 0, 0}, "file is too large to parse (4 GiB or more)");
      return out;
    }
    if (auto bad = utf8::FindInvalid(text)) {
      auto at = static_cast<std::uint32_t>(*bad);
      auto& d = diags.Error(DiagCode::InvalidUtf8, Span{file, at, at + 1},
                            fmt::format("invalid UTF-8 sequence starting with byte 0x{:02X}",
                                        static_cast<unsigned char>(text[at])));
      d.label = "not UTF-8";
      d.help.push_back("save the file as UTF-8");
      return out;
    }
    if (!syntax::parsing::ParseInParts(text, file, out, threads)) {
      syntax::parsing::State st(text, file, out, diags);
      ParseRange(st, 0, st.size());
    }
  } catch (const std::bad_alloc&) {
    // Running out of memory on a huge file is reported rather than a crash.
    // Any other exception is a bug in nest, not in the file: it propagates.
    out.body = {};
    try {
      diags.Error(DiagCode::CannotRead, Span{file, 0, 0}, "out of memory while parsing");
    } catch (const std::bad_alloc&) {
    }
  }
  return out;
}

namespace syntax {
std::size_t AnalyzeGrammarForTests() { return tao::pegtl::analyze<grammar::segment>(1); }
}  // namespace syntax

}  // namespace nest
