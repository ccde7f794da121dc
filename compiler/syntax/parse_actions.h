// The PEGTL actions that build the AST as the grammar (grammar.h) matches,
// and the control that turns every failed must<Rule> into one diagnostic.
// Included only by parse_recovery.cc, the one translation unit that
// instantiates pegtl::parse.
#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "compiler/syntax/grammar.h"
#include "compiler/syntax/parse_state.h"
#include "compiler/syntax/utf8.h"

namespace nest::syntax::parsing {

namespace pegtl = tao::pegtl;
namespace g = nest::syntax::grammar;

// 1 + the number of `.name` segments at `p`: the length of a reference
// whose first name ends at `p`, so its path is allocated once.
inline std::size_t SegmentCount(const char* p, const char* end) {
  std::size_t count = 1;
  while (p + 1 < end && p[0] == '.' && IsIdentFirst(p[1])) {
    ++count;
    for (p += 2; p < end && IsIdentOther(*p); ++p) {
    }
  }
  return count;
}

template <typename Rule>
struct Action : pegtl::nothing<Rule> {};

// ---- comments ----

template <>
struct Action<g::line_comment> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.RecordComment(in.begin(), in.end());
  }
};
template <>
struct Action<g::block_comment> : Action<g::line_comment> {};
template <>
struct Action<g::block_comment_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.comment_start = st.Off(in.begin());
  }
};

// ---- strings ----

template <>
struct Action<g::str_plain> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.AppendText(in.string_view(), st.Off(in.begin()), st.Off(in.end()));
  }
};
template <>
struct Action<g::str_dollar> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.AppendText("$", st.Off(in.begin()), st.Off(in.end()));
  }
};
template <>
struct Action<g::esc_simple> {
  template <typename In>
  static void apply(const In& in, State& st) {
    char c = *in.begin();
    char out = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
    st.AppendText(std::string_view(&out, 1), st.Off(in.begin()) - 1, st.Off(in.end()));
  }
};
template <>
struct Action<g::esc_unicode> {
  template <typename In>
  static void apply(const In& in, State& st) {
    std::uint32_t cp = 0;
    for (const char* p = in.begin() + 1; p < in.end(); ++p) {
      char c = *p;
      cp = cp * 16 + static_cast<std::uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    std::uint32_t begin = st.Off(in.begin()) - 1;
    if (!utf8::IsScalar(cp)) {
      auto& d = st.diags().Error(DiagCode::InvalidEscape, st.At(begin, st.Off(in.end())),
                                 fmt::format("invalid escape `\\{}`: U+{:04X} is a surrogate, not a character",
                                             in.string_view(), cp));
      d.label = "not a unicode scalar value";
      d.help.push_back("write the character itself, or its code point outside U+D800..U+DFFF");
      throw SyntaxFailure{};
    }
    std::string encoded;
    utf8::Append(encoded, cp);
    st.AppendText(encoded, begin, st.Off(in.end()));
  }
};

template <>
struct Action<g::str_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kString, in.begin(), 1);
    ast::Expr& e = st.PushExpr(ast::ExprKind::kString);
    e.span = st.At(in.begin(), in.end());
  }
};
template <>
struct Action<g::str_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.exprs.back().span.end = st.Off(in.end());
    st.Close();
  }
};
template <>
struct Action<g::interp_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kInterp, in.begin(), 2);
    ast::Expr& e = st.exprs.back();
    // The first interpolation: the text so far becomes the first part.
    if (e.parts().empty() && !e.text.empty()) {
      ast::TemplatePart& text = e.mutable_parts().emplace_back();
      text.text = std::move(e.text);
      text.span = st.At(e.span.begin + 1, st.Off(in.begin()));
      e.text.clear();
    }
    ast::TemplatePart part;
    part.is_interpolation = true;
    part.span = st.At(in.begin(), in.end());
    e.mutable_parts().push_back(std::move(part));
  }
};
template <>
struct Action<g::interp_value> {
  static void apply0(State& st) {
    st.PopInto(st.Below().mutable_parts().back().expr);
  }
};
template <>
struct Action<g::interp_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.exprs.back().mutable_parts().back().span.end = st.Off(in.end());
    st.Close();
  }
};

template <>
struct Action<g::label_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kString, in.begin(), 1);
    st.plain_mode = true;
    st.plain_buf.clear();
    st.plain_begin = st.Off(in.begin());
  }
};
template <>
struct Action<g::label_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    Span span = st.At(st.plain_begin, st.Off(in.end()));
    st.pending_labels.push_back({st.EndPlain(), span});
  }
};
template <>
struct Action<g::key_open> : Action<g::label_open> {};
template <>
struct Action<g::key_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::MapEntry entry;
    entry.key_span = st.At(st.plain_begin, st.Off(in.end()));
    entry.key = st.EndPlain();
    entry.quoted_key = true;
    st.entries.push_back(std::move(entry));
  }
};

// ---- scalars ----

template <>
struct Action<g::number_lit> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.PushExpr(ast::ExprKind::kNull);
    e.span = st.At(in.begin(), in.end());
    if (auto error = ParseNumericLiteralInto(in.string_view(), e)) {
      e.kind = ast::ExprKind::kNull;  // a null stands in for the bad literal
      st.ReportLiteral(std::move(*error), e.span);
    }
  }
};

template <ast::ExprKind Kind, bool Value>
struct KeywordAction {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.PushExpr(Kind);
    e.boolean = Value;
    e.span = st.At(in.begin(), in.end());
  }
};
template <>
struct Action<g::kw_true> : KeywordAction<ast::ExprKind::kBool, true> {};
template <>
struct Action<g::kw_false> : KeywordAction<ast::ExprKind::kBool, false> {};
template <>
struct Action<g::kw_null> : KeywordAction<ast::ExprKind::kNull, false> {};

template <>
struct Action<g::ref_head> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.PushExpr(ast::ExprKind::kReference);
    e.span = st.At(in.begin(), in.end());
    e.path.reserve(SegmentCount(in.end(), st.end()));
    e.path.push_back({in.string(), e.span});
  }
};
template <>
struct Action<g::ref_segment> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Expr& e = st.exprs.back();
    e.path.push_back({in.string(), st.At(in.begin(), in.end())});
    e.span.end = st.Off(in.end());
  }
};

// ---- calls, lists, maps ----

template <>
struct Action<g::call_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kCall, in.end() - 1, 1, st.exprs.size());
    ast::Expr& e = st.PushExpr(ast::ExprKind::kCall);
    e.span = st.At(in.begin(), in.end());
    e.path.push_back({std::string(in.begin(), in.end() - 1), st.At(in.begin(), in.end() - 1)});
  }
};

// List items and call arguments stay on the expression stack until the
// closing bracket moves them into the collection.

template <ast::ExprKind Kind, OpenConstruct::Kind Open>
struct CollectionOpen {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(Open, in.begin(), 1, Kind == ast::ExprKind::kMap ? st.entries.size() : st.exprs.size());
    ast::Expr& e = st.PushExpr(Kind);
    e.span = st.At(in.begin(), in.end());
  }
};
struct CollectionClose {
  template <typename In>
  static void apply(const In& in, State& st) {
    std::uint32_t mark = st.open.back().mark;
    if (st.open.back().kind == OpenConstruct::kMap) {
      State::MoveTail(st.entries, mark, st.exprs.back().mutable_entries());
    } else {
      State::MoveTail(st.exprs, mark + 1, st.exprs[mark].mutable_items());
    }
    ast::Expr& e = st.exprs.back();
    e.span.end = st.Off(in.end());
    e.multiline = std::memchr(st.base() + e.span.begin, '\n', e.span.end - e.span.begin) != nullptr;
    st.Close();
  }
};
template <>
struct Action<g::list_open> : CollectionOpen<ast::ExprKind::kList, OpenConstruct::kList> {};
template <>
struct Action<g::list_close> : CollectionClose {};
template <>
struct Action<g::map_open> : CollectionOpen<ast::ExprKind::kMap, OpenConstruct::kMap> {};
template <>
struct Action<g::map_close> : CollectionClose {};
template <>
struct Action<g::call_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    std::uint32_t mark = st.open.back().mark;
    State::MoveTail(st.exprs, mark + 1, st.exprs[mark].mutable_items());
    st.exprs.back().span.end = st.Off(in.end());
    st.Close();
  }
};

template <>
struct Action<g::map_key_ident> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::MapEntry entry;
    entry.key = in.string();
    entry.key_span = st.At(in.begin(), in.end());
    st.entries.push_back(std::move(entry));
  }
};
template <>
struct Action<g::map_value> {
  static void apply0(State& st) {
    st.entries.back().value = std::move(st.exprs.back());
    st.exprs.pop_back();
  }
};

// ---- bodies ----

template <>
struct Action<g::item_name> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.pending_name.assign(in.begin(), in.end());
    st.pending_name_span = st.At(in.begin(), in.end());
    st.pending_labels.clear();
    if (st.blocks.empty()) st.item_start = st.Off(in.begin());
  }
};
template <>
struct Action<g::attr_rest> {
  static void apply0(State& st) {
    // Built in place: the value is moved once, off the expression stack.
    ast::Attribute& attr = (st.blocks.empty() ? st.out().body.attributes : st.attributes).emplace_back();
    attr.name = std::move(st.pending_name);
    attr.name_span = st.pending_name_span;
    attr.value = std::move(st.exprs.back());
    st.exprs.pop_back();
    attr.span = Span::Join(attr.name_span, attr.value.span);
    st.ItemDone();
  }
};
template <>
struct Action<g::block_open> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.Open(OpenConstruct::kBlock, in.begin(), 1, st.attributes.size());
    st.open.back().block_mark = static_cast<std::uint32_t>(st.closed_blocks.size());
    ast::Block& block = st.blocks.emplace_back();
    block.type = std::move(st.pending_name);
    block.type_span = st.pending_name_span;
    block.labels = std::move(st.pending_labels);
    block.open_brace = st.At(in.begin(), in.end());
    st.pending_labels.clear();
  }
};
template <>
struct Action<g::block_close> {
  template <typename In>
  static void apply(const In& in, State& st) {
    ast::Block block = std::move(st.blocks.back());
    st.blocks.pop_back();
    State::MoveTail(st.attributes, st.open.back().mark, block.body.attributes);
    State::MoveTail(st.closed_blocks, st.open.back().block_mark, block.body.blocks);
    block.span = {block.type_span.file, block.type_span.begin, st.Off(in.end())};
    if (st.blocks.empty()) st.out().body.blocks.push_back(std::move(block));
    else st.closed_blocks.push_back(std::move(block));
    st.Close();
    st.ItemDone();
  }
};

// ---------------------------------------------------------------------------
// Control: every failed must<Rule> becomes one diagnostic.

template <typename Rule>
struct ErrorOf {
  static constexpr Err value = Err::kGeneric;
};
#define NEST_ERROR_OF(rule, err)               \
  template <>                                  \
  struct ErrorOf<g::rule> {                    \
    static constexpr Err value = Err::err;     \
  };
NEST_ERROR_OF(item_rest, kItemRest)
NEST_ERROR_OF(block_open, kBlockOpen)
NEST_ERROR_OF(block_close, kBlockClose)
NEST_ERROR_OF(attr_value, kAttrValue)
NEST_ERROR_OF(list_item, kListItem)
NEST_ERROR_OF(list_sep, kListSep)
NEST_ERROR_OF(call_arg, kCallArg)
NEST_ERROR_OF(call_sep, kCallSep)
NEST_ERROR_OF(map_entry, kMapEntry)
NEST_ERROR_OF(map_eq, kMapEq)
NEST_ERROR_OF(map_value, kMapValue)
NEST_ERROR_OF(ref_segment, kRefSegment)
NEST_ERROR_OF(interp_value, kInterpValue)
NEST_ERROR_OF(interp_close, kInterpClose)
NEST_ERROR_OF(str_close, kStrClose)
NEST_ERROR_OF(label_close, kLabelClose)
NEST_ERROR_OF(key_close, kKeyClose)
NEST_ERROR_OF(esc_char, kEscape)
NEST_ERROR_OF(block_comment_rest, kCommentClose)
#undef NEST_ERROR_OF

template <typename Rule>
struct Control : pegtl::normal<Rule> {
  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, State& st) {
    st.Raise(ErrorOf<Rule>::value, in.current());
  }
};

}  // namespace nest::syntax::parsing
