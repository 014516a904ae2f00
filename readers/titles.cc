#include "readers/titles.h"

#include "text/utf8.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

// Longer first paragraphs are prose, not a headline.
constexpr std::size_t kMaxTitleCodePoints = 150;
// Length of a title cut from a paragraph with no usable first sentence.
constexpr std::size_t kCutTitleCodePoints = 120;
// A sentence end this early is more likely an abbreviation ("M. Diop") than a sentence.
constexpr std::size_t kMinSentenceCodePoints = 20;

// Byte offset of code point `count`, or npos if `text` has no more than `count` code points.
std::size_t offset_of_code_point(std::string_view text, std::size_t count) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text::is_continuation_byte(text[i])) continue;
        if (seen == count) return i;
        ++seen;
    }
    return std::string_view::npos;
}

}  // namespace

DerivedTitle title_from_paragraph(std::string_view paragraph) {
    paragraph = text::trim_white_space(paragraph);
    if (offset_of_code_point(paragraph, kMaxTitleCodePoints) == std::string_view::npos) {
        return {std::string(paragraph), true};
    }
    std::size_t code_points = 0;
    for (std::size_t i = 0; i < paragraph.size() && code_points <= kMaxTitleCodePoints; ++i) {
        if (text::is_continuation_byte(paragraph[i])) continue;
        ++code_points;
        std::size_t end = std::string_view::npos;
        if (paragraph[i] == '.' || paragraph[i] == '!' || paragraph[i] == '?') {
            end = i + 1;
        } else if (paragraph.substr(i, 3) == "\xE2\x80\xA6") {  // …
            end = i + 3;
        }
        if (end == std::string_view::npos || code_points < kMinSentenceCodePoints) continue;
        if (end < paragraph.size() && text::white_space_length(paragraph, end) == 0) continue;
        std::string_view sentence = paragraph.substr(0, end);
        // A headline has no final full stop; "!", "?" and "…" carry meaning and stay.
        if (sentence.ends_with('.') && !sentence.ends_with("..")) sentence.remove_suffix(1);
        return {std::string(sentence), false};
    }
    std::size_t cut = offset_of_code_point(paragraph, kCutTitleCodePoints);
    std::string_view head = paragraph.substr(0, cut);
    if (std::size_t space = head.rfind(' '); space != std::string_view::npos && space > 0) {
        head = head.substr(0, space);
    }
    while (!head.empty() && std::string_view(" ,;:-").find(head.back()) != std::string_view::npos) {
        head.remove_suffix(1);
    }
    return {std::string(head) + "\xE2\x80\xA6", false};
}

void drop_leading_title(std::vector<std::string>& paragraphs, std::string_view title) {
    if (paragraphs.empty() || title.empty()) return;
    std::string& first = paragraphs.front();
    std::size_t line_end = first.find('\n');
    if (std::string_view(first).substr(0, line_end) != title) return;
    first.erase(0, line_end == std::string::npos ? line_end : line_end + 1);
    if (first.empty()) paragraphs.erase(paragraphs.begin());
}

}  // namespace trouvere::readers
