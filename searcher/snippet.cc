#include "trouvere/snippet.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

namespace trouvere {

namespace {

void append_html_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
}

void append_verbatim(std::string& out, std::string_view text) {
    out += text;
}

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

// Highlights are clamped to the text and to the end of the previous one, so that a hand-built
// Snippet with bad offsets still renders balanced marks instead of reading out of bounds.
template <typename Append>
std::string render(const Snippet& snippet, std::string_view open, std::string_view close,
                   Append append) {
    const std::string_view text = snippet.text;
    std::string out;
    out.reserve(text.size() + snippet.highlights.size() * (open.size() + close.size()));
    std::size_t at = 0;
    for (const Highlight& highlight : snippet.highlights) {
        std::size_t begin = std::clamp(highlight.begin, at, text.size());
        std::size_t end = std::clamp(highlight.end, begin, text.size());
        if (begin == end) continue;
        append(out, text.substr(at, begin - at));
        out += open;
        append(out, text.substr(begin, end - begin));
        out += close;
        at = end;
    }
    append(out, text.substr(at));
    return out;
}

}  // namespace

std::string to_html(const Snippet& snippet) {
    return render(snippet, "<mark>", "</mark>", append_html_escaped);
}

std::string to_marked_text(const Snippet& snippet, std::string_view open, std::string_view close) {
    return render(snippet, open, close, append_verbatim);
}

std::string to_terminal_text(const Snippet& snippet, std::string_view open,
                             std::string_view close) {
    return render(snippet, open, close, append_terminal_safe);
}

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_terminal_safe(out, text);
    return out;
}

}  // namespace trouvere
