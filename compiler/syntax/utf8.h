// UTF-8 helpers for the parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nest::utf8 {

// The byte offset where the first invalid UTF-8 sequence starts (a stray or
// truncated sequence, an overlong form, a surrogate or a code point above
// U+10FFFF), or nullopt when the whole text is valid.
std::optional<std::size_t> FindInvalid(std::string_view text);

// Length of the (valid) UTF-8 sequence starting with byte `lead`: 1 to 4,
// or 1 for a stray continuation byte.
std::size_t SequenceLength(unsigned char lead);

// Appends code point `cp` (a Unicode scalar value) encoded as UTF-8.
void Append(std::string& out, std::uint32_t cp);

// True for U+0000..U+10FFFF excluding the surrogates U+D800..U+DFFF.
inline bool IsScalar(std::uint32_t cp) { return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF); }

}  // namespace nest::utf8
