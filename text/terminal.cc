#include "text/terminal.h"

#include "text/utf8.h"
#include "trouvere/snippet.h"

namespace trouvere {

namespace text {

void append_terminal_safe(std::string& out, std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte < 0x7F) {
            out += text[i++];
            continue;
        }
        std::size_t next = 0;
        const UChar32 c = decode_at(text, i, next);
        std::string_view original = text.substr(i, next - i);
        i = next;
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
