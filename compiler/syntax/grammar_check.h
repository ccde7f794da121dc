// Test-only hooks into the parser's grammar (which stays private to compiler/syntax).
#pragma once

#include <cstddef>

namespace nest::syntax {

// pegtl::analyze of the whole grammar: the number of problems found
// (rules that can loop without consuming input). Must be 0.
std::size_t AnalyzeGrammarForTests();

// The deepest nesting of blocks, lists, maps, calls and interpolations the
// parser accepts; one more level is a syntax error.
inline constexpr int kMaxNestingDepth = 100;

}  // namespace nest::syntax
