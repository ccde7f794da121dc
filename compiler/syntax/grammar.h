// The PEGTL grammar of .nest files: rules only.
//
// The actions live in parse_actions.h, the error messages in
// parse_errors.def; parse_recovery.cc is the one translation unit that runs
// the grammar (parser.cc only analyzes it, for a test). Rules that need
// their own action or their own error message are distinct types even when
// they match the same text (e.g. block_close and map_close are both `}`).
//
// Error strategy: every construct commits after its first token (if_must /
// must), so a failure raises at the exact spot that is wrong and the
// parser never backtracks over actions. Whitespace (including newlines) and
// comments are skipped with `sp` between tokens.
#pragma once

#include <tao/pegtl.hpp>

namespace nest::syntax::grammar {

namespace pegtl = tao::pegtl;
using pegtl::any;
using pegtl::at;
using pegtl::if_must;
using pegtl::must;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::ranges;
using pegtl::rep;
using pegtl::seq;
using pegtl::sor;
using pegtl::star;
using pegtl::string;
using pegtl::until;
using pegtl::xdigit;

// ---- Fast paths -----------------------------------------------------------
//
// PEGTL matches `plus<one<...>>` with one rule call per byte. The few rules
// that cover most of a file (whitespace, identifiers, string text) match
// their bytes in one plain loop instead; each still derives from its PEGTL
// definition, which stays the reference for what it matches (and is what
// pegtl::analyze checks).

constexpr bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
constexpr bool IsIdentFirst(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
constexpr bool IsIdentOther(char c) { return IsIdentFirst(c) || (c >= '0' && c <= '9') || c == '-'; }
constexpr bool IsStrPlain(char c) { return c != '"' && c != '\\' && c != '\n' && c != '\r' && c != '$'; }

// `Definition`, matched as one byte that `First` accepts followed by every
// byte after it that `Other` accepts.
template <typename Definition, bool (*First)(char), bool (*Other)(char)>
struct byte_run : Definition {
  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&...) {
    const char* p = in.current();
    const char* end = in.end();
    if (p == end || !First(*p)) return false;
    for (++p; p != end && Other(*p); ++p) {
    }
    in.bump(static_cast<std::size_t>(p - in.current()));
    return true;
  }
};

// ---- Trivia ---------------------------------------------------------------

struct ws : byte_run<plus<one<' ', '\t', '\r', '\n'>>, IsSpace, IsSpace> {};
// `#` or `//` to the end of the line; the newline is not part of the comment.
struct line_comment : seq<sor<one<'#'>, string<'/', '/'>>, star<not_one<'\n'>>> {};
struct block_comment_open : string<'/', '*'> {};
struct block_comment_rest : until<string<'*', '/'>> {};
struct block_comment : if_must<block_comment_open, block_comment_rest> {};
struct comment : sor<line_comment, block_comment> {};
// Between every two tokens: whitespace is skipped in a loop, and the comment
// rules are tried only where a comment can start.
struct sp : star<sor<ws, comment>> {
  template <pegtl::apply_mode A, pegtl::rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... st) {
    for (;;) {
      const char* p = in.current();
      while (p != in.end() && IsSpace(*p)) ++p;
      in.bump(static_cast<std::size_t>(p - in.current()));
      if (p == in.end() || (*p != '#' && *p != '/')) return true;
      if (!Control<comment>::template match<A, pegtl::rewind_mode::required, Action, Control>(in, st...))
        return true;
    }
  }
};

// ---- Names ----------------------------------------------------------------

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : sor<ranges<'a', 'z', 'A', 'Z', '0', '9'>, one<'_', '-'>> {};
struct identifier : byte_run<seq<ident_first, star<ident_other>>, IsIdentFirst, IsIdentOther> {};

// ---- Strings --------------------------------------------------------------

// Literal text: anything up to a quote, a backslash, a `$` or the end of the line.
struct str_plain : byte_run<plus<not_one<'"', '\\', '\n', '\r', '$'>>, IsStrPlain, IsStrPlain> {};
struct str_dollar : seq<one<'$'>, not_at<one<'{'>>> {};
struct esc_simple : one<'n', 't', 'r', '"', '\\', '$'> {};
struct esc_unicode : seq<one<'u'>, rep<4, xdigit>> {};
// `failure` last, so a partial `\u12` is rewound and the error points at it.
struct esc_char : sor<esc_simple, esc_unicode, pegtl::failure> {};
struct escape : if_must<one<'\\'>, esc_char> {};

struct expr;
struct interp_open : string<'$', '{'> {};
struct interp_value : seq<expr> {};
struct interp_close : one<'}'> {};
struct interpolation : if_must<interp_open, sp, interp_value, sp, interp_close> {};

struct str_open : one<'"'> {};
struct str_close : one<'"'> {};
struct template_string
    : if_must<str_open, star<sor<str_plain, escape, interpolation, str_dollar>>, str_close> {};

// A string without interpolation: block labels and quoted map keys.
struct plain_content : star<sor<str_plain, escape, str_dollar>> {};
struct label_open : one<'"'> {};
struct label_close : one<'"'> {};
struct label : if_must<label_open, plain_content, label_close> {};
struct key_open : one<'"'> {};
struct key_close : one<'"'> {};
struct key_string : if_must<key_open, plain_content, key_close> {};

// ---- Numbers and typed literals -------------------------------------------

// A number and whatever is glued to it (unit, `%`, dots of an address,
// `:` and `/` of a port). The action classifies the whole token, so
// `30sec` is one bad literal, not `30s` followed by `ec`. A `/` that
// starts a comment ends the token.
struct num_char : sor<ranges<'a', 'z', 'A', 'Z', '0', '9'>,
                      one<'.', '_', '%', ':', '-'>,
                      seq<one<'/'>, not_at<one<'/', '*'>>>,
                      ranges<char(0x80), char(0xFF)>> {};
struct number_lit : seq<opt<one<'-'>>, ranges<'0', '9'>, star<num_char>> {};

// ---- Keywords, references and calls --------------------------------------

struct kw_true : seq<string<'t', 'r', 'u', 'e'>, not_at<ident_other>> {};
struct kw_false : seq<string<'f', 'a', 'l', 's', 'e'>, not_at<ident_other>> {};
struct kw_null : seq<string<'n', 'u', 'l', 'l'>, not_at<ident_other>> {};

struct ref_head : identifier {};
struct ref_dot : one<'.'> {};
struct ref_segment : identifier {};
struct reference : seq<ref_head, star<ref_dot, must<ref_segment>>> {};

struct call_open : seq<identifier, one<'('>> {};
struct call_arg : seq<expr> {};
struct call_sep : sor<one<','>, at<one<')'>>> {};
struct call_close : one<')'> {};
struct call : if_must<call_open, sp, star<not_at<one<')'>>, must<call_arg>, sp, must<call_sep>, sp>, call_close> {};

// ---- Collections ----------------------------------------------------------

struct list_open : one<'['> {};
struct list_item : seq<expr> {};
struct list_sep : sor<one<','>, at<one<']'>>> {};
struct list_close : one<']'> {};
struct list : if_must<list_open, sp, star<not_at<one<']'>>, must<list_item>, sp, must<list_sep>, sp>, list_close> {};

// Map entries are separated by commas, newlines or both (newlines are
// whitespace, so the separator is simply optional).
struct map_open : one<'{'> {};
struct map_key_ident : identifier {};
struct map_key : sor<map_key_ident, key_string> {};
struct map_eq : one<'='> {};
struct map_value : seq<expr> {};
struct map_entry : seq<map_key, sp, must<map_eq>, sp, must<map_value>> {};
struct map_close : one<'}'> {};
struct map : if_must<map_open, sp, star<not_at<one<'}'>>, must<map_entry>, sp, opt<one<','>, sp>>, map_close> {};

// ---- Expressions ----------------------------------------------------------

struct expr : sor<template_string, list, map, number_lit, kw_true, kw_false, kw_null, call, reference> {};

// ---- Bodies ---------------------------------------------------------------

struct body_item;
struct item_name : identifier {};
struct attr_eq : one<'='> {};
struct attr_value : seq<expr> {};
struct attr_rest : if_must<attr_eq, sp, attr_value> {};

struct labels : star<label, sp> {};
struct block_open : one<'{'> {};
struct block_body : star<body_item, sp> {};
struct block_close : one<'}'> {};
struct block_rest : if_must<at<one<'"', '{'>>, labels, block_open, sp, block_body, block_close> {};

struct item_rest : sor<attr_rest, block_rest> {};
struct body_item : seq<item_name, sp, must<item_rest>> {};

// The top level: items until something that cannot start an item. The
// parser reports what is left (a stray token) and resumes after it.
struct segment : seq<sp, star<body_item, sp>> {};

}  // namespace nest::syntax::grammar
