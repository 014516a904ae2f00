#include "core/stored_document.h"

#include <array>

namespace trouvere::stored {

namespace {

// The header's fields, in their stored order. Appending a field is compatible with old headers
// (it decodes as empty); reordering is a new term scheme.
constexpr std::array kFields = {&Document::id,     &Document::title, &Document::date,
                                &Document::source, &Document::url,   &Document::path};

void append_varint(std::string& out, std::size_t value) {
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7F) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

// Reads a varint at `in`, advancing it; false when the input ends inside one or it overflows.
bool read_varint(std::string_view& in, std::size_t& value) {
    value = 0;
    for (unsigned shift = 0; shift < 64 && !in.empty(); shift += 7) {
        auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        value |= static_cast<std::size_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) return true;
    }
    return false;
}

bool is_character_start(std::string_view text, std::size_t offset) {
    return offset == text.size() || (static_cast<unsigned char>(text[offset]) & 0xC0U) != 0x80;
}

}  // namespace

std::string encode_header(const Document& document) {
    std::string header;
    for (auto field : kFields) {
        const std::string& text = document.*field;
        append_varint(header, text.size());
        header += text;
    }
    return header;
}

Document decode_header(std::string_view header) {
    Document document;
    for (auto field : kFields) {
        std::size_t length = 0;
        if (!read_varint(header, length) || length > header.size()) break;
        (document.*field).assign(header.substr(0, length));
        header.remove_prefix(length);
    }
    return document;
}

std::string encode_word_offsets(std::uint32_t first_position, const std::vector<Token>& tokens) {
    std::string encoded;
    encoded.reserve(2 * tokens.size() + 5);
    append_varint(encoded, first_position);
    std::size_t previous_end = 0;
    for (const Token& token : tokens) {
        append_varint(encoded, token.begin - previous_end);
        append_varint(encoded, token.end - token.begin);
        previous_end = token.end;
    }
    return encoded;
}

std::optional<std::vector<WordSpan>> locate_words(std::string_view word_offsets,
                                                  std::span<const std::uint32_t> positions,
                                                  std::string_view body) {
    std::size_t first = 0;
    if (!read_varint(word_offsets, first)) return std::nullopt;
    std::vector<WordSpan> located;
    located.reserve(positions.size());
    // The last word read runs from `begin` to `end`; the next one is at `next_position`.
    std::size_t next_position = first;
    std::size_t begin = 0;
    std::size_t end = 0;
    for (std::uint32_t wanted : positions) {
        if (wanted < first) continue;
        while (next_position <= wanted) {
            std::size_t gap = 0;
            std::size_t length = 0;
            if (!read_varint(word_offsets, gap) || !read_varint(word_offsets, length) ||
                length == 0 || gap > body.size() - end || length > body.size() - end - gap) {
                return std::nullopt;
            }
            begin = end + gap;
            end = begin + length;
            ++next_position;
        }
        if (!is_character_start(body, begin) || !is_character_start(body, end)) {
            return std::nullopt;
        }
        located.push_back({wanted, begin, end});
    }
    return located;
}

}  // namespace trouvere::stored
