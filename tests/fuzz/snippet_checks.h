// Properties of a snippet, checked by the snippet target on every snippet it builds and by the
// query target on every snippet a search returns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "tests/fuzz/fuzz_support.h"
#include "trouvere/snippet.h"

namespace trouvere::fuzz {

/// `html` with its `<mark>` tags removed and its entities decoded, after checking that the tags
/// are balanced and never nested and that no other markup is there. Returns the number of marked
/// spans in `marks`.
inline std::string unmarked_html(std::string_view html, std::size_t& marks) {
    static constexpr std::string_view kOpen = "<mark>";
    static constexpr std::string_view kClose = "</mark>";
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    std::string text;
    bool open = false;
    marks = 0;
    for (std::size_t i = 0; i < html.size();) {
        const std::string_view rest = html.substr(i);
        if (rest.starts_with(kOpen)) {
            check(!open, "<mark> not nested", [&] { return printable(html); });
            open = true;
            ++marks;
            i += kOpen.size();
        } else if (rest.starts_with(kClose)) {
            check(open, "</mark> closes an open <mark>", [&] { return printable(html); });
            open = false;
            i += kClose.size();
        } else if (html[i] == '&') {
            std::size_t length = 0;
            for (const auto& [entity, character] : kEntities) {
                if (rest.starts_with(entity)) {
                    text += character;
                    length = entity.size();
                }
            }
            check(length > 0, "only the five escapes in HTML", [&] { return printable(rest, 20); });
            i += length;
        } else {
            check(html[i] != '<' && html[i] != '>' && html[i] != '"' && html[i] != '\'',
                  "markup characters escaped in HTML", [&] { return printable(html); });
            text += html[i++];
        }
    }
    check(!open, "every <mark> closed", [&] { return printable(html); });
    return text;
}

/// Valid UTF-8 of at most `max_chars` code points, ellipses included (build_snippet's
/// contract); highlights sorted, non-empty, not overlapping, inside the text and on character
/// boundaries; its HTML has balanced, unnested marks, one per highlight, around the same text.
inline void check_snippet(const Snippet& snippet, std::size_t max_chars, bool may_highlight) {
    const std::string& text = snippet.text;
    check(is_valid_utf8(text), "snippet is valid UTF-8", [&] { return printable(text); });
    check(code_points(text) <= max_chars, "snippet length within the requested length", [&] {
        return std::to_string(code_points(text)) + " > " + std::to_string(max_chars) + ": " +
               printable(text);
    });
    check(may_highlight || snippet.highlights.empty(), "no highlight without a match");
    std::size_t previous_end = 0;
    for (const Highlight& highlight : snippet.highlights) {
        const auto where = [&] {
            return "[" + std::to_string(highlight.begin) + ", " + std::to_string(highlight.end) +
                   ") in " + printable(text);
        };
        check(highlight.begin < highlight.end && highlight.end <= text.size(),
              "highlight non-empty and inside the snippet", where);
        check(highlight.begin >= previous_end, "highlights sorted and not overlapping", where);
        check(on_character_boundary(text, highlight.begin) &&
                  on_character_boundary(text, highlight.end),
              "highlight on character boundaries", where);
        previous_end = highlight.end;
    }
    const std::string html = to_html(snippet);
    check(is_valid_utf8(html), "snippet HTML is valid UTF-8", [&] { return printable(html); });
    std::size_t marks = 0;
    check(unmarked_html(html, marks) == text, "snippet HTML shows the snippet text",
          [&] { return printable(html); });
    check(marks == snippet.highlights.size(), "one <mark> per highlight",
          [&] { return printable(html); });
}

}  // namespace trouvere::fuzz
