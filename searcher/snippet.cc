#include "trouvere/snippet.h"

#include <algorithm>
#include <cstdint>

#include "text/terminal.h"

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
