// UTF-8 as every layer reads it: what a valid sequence is, how text is decoded one character at a
// time, and where it may be cut. The one rule is ICU's (U8_NEXT): strict UTF-8 as RFC 3629 and
// Unicode define it, no overlong forms, no surrogates, nothing past U+10FFFF; an ill-formed
// sequence is read as one unit as long as its maximal valid subpart (Unicode's "best practice"
// for U+FFFD substitution, which the WHATWG decoder follows too).
#pragma once

#include <unicode/umachine.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trouvere::text {

/// The code point read by decode_at for an ill-formed sequence. Every valid code point is >= 0.
inline constexpr UChar32 kInvalid = -1;

/// Whether `byte` continues a multi-byte sequence (10xxxxxx) rather than starting a character.
[[nodiscard]] constexpr bool is_continuation_byte(char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

/// The code point starting at `offset` (< text.size()), or a negative value for an ill-formed
/// sequence; `next` is set past it (past the maximal subpart for an ill-formed one, so at least
/// one byte on). Works on texts of any size: U8_NEXT indexes with int32_t, so it is given the
/// four bytes a character can have at most.
[[nodiscard]] inline UChar32 decode_at(std::string_view text, std::size_t offset,
                                       std::size_t& next) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data() + offset);
    const auto length = static_cast<int32_t>(std::min<std::size_t>(4, text.size() - offset));
    int32_t i = 0;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    next = offset + static_cast<std::size_t>(i);
    return c;
}

/// The code point ending at `offset` (> floor), not looking before `floor`, or a negative value
/// for an ill-formed sequence; `start` is set to where it starts.
[[nodiscard]] inline UChar32 decode_before(std::string_view text, std::size_t offset,
                                           std::size_t floor, std::size_t& start) {
    const std::size_t base = std::max(floor, offset >= 4 ? offset - 4 : 0);
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data() + base);
    auto i = static_cast<int32_t>(offset - base);
    UChar32 c = 0;
    U8_PREV(bytes, 0, i, c);
    start = base + static_cast<std::size_t>(i);
    return c;
}

/// Byte length of the valid sequence starting at `offset` (< text.size()), or 0 when an
/// ill-formed one starts there.
[[nodiscard]] inline std::size_t valid_sequence_length(std::string_view text, std::size_t offset) {
    if (static_cast<unsigned char>(text[offset]) < 0x80) return 1;
    std::size_t next = 0;
    return decode_at(text, offset, next) < 0 ? 0 : next - offset;
}

/// Offset of the first byte of the first ill-formed sequence, or nullopt if `bytes` is valid
/// UTF-8.
[[nodiscard]] std::optional<std::size_t> find_invalid_utf8(std::string_view bytes);

[[nodiscard]] inline bool is_valid_utf8(std::string_view bytes) {
    return !find_invalid_utf8(bytes).has_value();
}

/// `text` with each ill-formed sequence (as decode_at delimits it) replaced by U+FFFD.
[[nodiscard]] std::string with_replacement_characters(std::string_view text);

/// The length of the longest prefix of `text` of at most `limit` bytes that does not end inside a
/// character, so that valid text stays valid when cut there.
[[nodiscard]] std::size_t prefix_at_boundary(std::string_view text, std::size_t limit);

/// Appends code point `c` (0 to U+10FFFF, not a surrogate) to `out` in UTF-8.
void append_utf8(std::string& out, UChar32 c);

}  // namespace trouvere::text
