#include "text/utf8.h"

#include <array>

namespace trouvere::text {

std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
            ++pos;
            continue;
        }
        std::size_t next = 0;
        if (decode_at(bytes, pos, next) < 0) return pos;
        pos = next;
    }
    return std::nullopt;
}

std::string with_replacement_characters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        std::size_t next = 0;
        if (decode_at(text, pos, next) < 0) {
            out.append(text.substr(copied, pos - copied));
            out += "\uFFFD";
            copied = next;
        }
        pos = next;
    }
    out.append(text.substr(copied));
    return out;
}

std::size_t prefix_at_boundary(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return text.size();
    std::size_t end = limit;
    // A character is at most four bytes: past three continuation bytes the text is not UTF-8,
    // and where it is cut no longer matters.
    for (int back = 0; back < 3 && end > 0 && is_continuation_byte(text[end]); ++back) --end;
    return end;
}

void append_utf8(std::string& out, UChar32 c) {
    std::array<char, U8_MAX_LENGTH> encoded{};
    int32_t written = 0;
    U8_APPEND_UNSAFE(encoded, written, c);
    out.append(encoded.data(), static_cast<std::size_t>(written));
}

}  // namespace trouvere::text
