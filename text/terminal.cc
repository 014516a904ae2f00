#include "text/terminal.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

#include "trouvere/snippet.h"

namespace trouvere {

namespace text {

void append_terminal_safe(std::string& out, std::string_view text) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    std::size_t i = 0;
    while (i < text.size()) {
        if (bytes[i] >= 0x20 && bytes[i] < 0x7F) {
            out += text[i++];
            continue;
        }
        // U8_NEXT indexes with int32_t: decode one character at a time, as the readers do.
        int32_t length = static_cast<int32_t>(std::min<std::size_t>(4, text.size() - i));
        int32_t next = 0;
        UChar32 c = 0;
        U8_NEXT(bytes + i, next, length, c);
        std::string_view original = text.substr(i, static_cast<std::size_t>(next));
        i += static_cast<std::size_t>(next);
        if (c == '\t' || c == '\n' || c == '\r') {
            out += ' ';
        } else if (c >= 0 && c < 0x20) {
            // Control pictures: U+2400 + the control's code.
            out += "\xE2\x90";
            out += static_cast<char>(0x80 + c);
        } else if (c == 0x7F) {
            out += "\xE2\x90\xA1";  // U+2421 SYMBOL FOR DELETE
        } else if (c < 0 || (c >= 0x80 && c <= 0x9F)) {
            out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
        } else {
            out += original;
        }
    }
}

}  // namespace text

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    text::append_terminal_safe(out, text);
    return out;
}

}  // namespace trouvere
