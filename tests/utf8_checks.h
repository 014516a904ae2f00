// UTF-8 checks for tests and fuzz targets. Written here rather than taken from ICU or the
// library, so that a check does not share the bugs of the code it checks.
#pragma once

#include <cstddef>
#include <string_view>

namespace trouvere::testing {

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
inline bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80           ? 1
                                   : (lead >> 5) == 0x6  ? 2
                                   : (lead >> 4) == 0xE  ? 3
                                   : (lead >> 3) == 0x1E ? 4
                                                         : 0;
        if (length == 0 || text.size() - i < length) return false;
        char32_t c = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto trail = static_cast<unsigned char>(text[i + k]);
            if ((trail & 0xC0) != 0x80) return false;
            c = (c << 6) | (trail & 0x3F);
        }
        constexpr char32_t kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (c < kShortest[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

/// Code points of valid UTF-8 text.
inline std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    }
    return count;
}

/// Byte length of the valid UTF-8 sequence starting at `i`, or 0 if none starts there.
inline std::size_t sequence_length(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    for (std::size_t length = 1; length <= 4 && length <= text.size() - i; ++length) {
        if (is_valid_utf8(text.substr(i, length))) return length;
        if (lead < 0x80) break;
    }
    return 0;
}

/// `offset` does not fall inside a valid multi-byte sequence. In invalid text each stray byte
/// is a unit of its own, so the offsets around it are boundaries too.
inline bool on_character_boundary(std::string_view text, std::size_t offset) {
    if (offset > text.size()) return false;
    for (std::size_t back = 1; back <= 3 && back <= offset; ++back) {
        const std::size_t start = offset - back;
        if (sequence_length(text, start) > back) return false;
    }
    return true;
}

}  // namespace trouvere::testing
