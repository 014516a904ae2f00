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

}  // namespace trouvere::stored
