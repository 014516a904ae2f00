#include "trouvere/snippet.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "text/terminal.h"

namespace trouvere {

namespace {

// Runs of text without a character to escape are appended whole: every hit's snippet of every
// JSON answer goes through here.
void append_html_escaped(std::string& out, std::string_view text) {
    constexpr std::array<bool, 256> kSpecial = [] {
        std::array<bool, 256> special{};
        for (unsigned char c : std::string_view("&<>\"'")) special[c] = true;
        return special;
    }();
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!kSpecial[static_cast<unsigned char>(text[i])]) continue;
        std::string_view entity;
        switch (text[i]) {
            case '&': entity = "&amp;"; break;
            case '<': entity = "&lt;"; break;
            case '>': entity = "&gt;"; break;
            case '"': entity = "&quot;"; break;
            default: entity = "&#39;"; break;
        }
        out.append(text, plain, i - plain);
        out += entity;
        plain = i + 1;
    }
    out.append(text, plain);
}

void append_verbatim(std::string& out, std::string_view text) {
    out += text;
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
    return render(snippet, open, close, text::append_terminal_safe);
}

}  // namespace trouvere
