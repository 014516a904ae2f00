#include "text/white_space.h"

#include "text/utf8.h"

namespace trouvere::text {

std::size_t white_space_length(std::string_view text, std::size_t offset) {
    if (static_cast<unsigned char>(text[offset]) < 0x80) {
        return is_ascii_white_space(text[offset]) ? 1 : 0;
    }
    std::size_t next = 0;
    return is_white_space(decode_at(text, offset, next)) ? next - offset : 0;
}

std::string_view trim_white_space(std::string_view text) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t length = white_space_length(text, begin);
        if (length == 0) break;
        begin += length;
    }
    std::size_t end = text.size();
    while (end > begin) {
        std::size_t start = 0;
        if (!is_white_space(decode_before(text, end, begin, start))) break;
        end = start;
    }
    return text.substr(begin, end - begin);
}

std::string_view trim_ascii_white_space(std::string_view text) {
    while (!text.empty() && is_ascii_white_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_ascii_white_space(text.back())) text.remove_suffix(1);
    return text;
}

std::string collapse_layout_white_space(std::string_view text) {
    text = trim_white_space(text);
    std::string collapsed;
    collapsed.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
        if (is_ascii_white_space(c)) {
            pending_space = true;
            continue;
        }
        if (pending_space) collapsed += ' ';
        pending_space = false;
        collapsed += c;
    }
    return collapsed;
}

}  // namespace trouvere::text
