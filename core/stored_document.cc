#include "core/stored_document.h"

#include <unicode/utf8.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

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

// How compress_body() stored a body: its first byte.
enum class BodyEncoding : char { verbatim = 0, zstd = 1 };

// Level 3 is zstd's default. On the Littré's articles level 1 saves a quarter of the compression
// time, 0.2 s of a 25 s build, for 1% more bytes: not worth a setting of our own.
constexpr int kZstdLevel = 3;

struct CompressionContextFree {
    void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};
struct DecompressionContextFree {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

// One context per thread and direction, reused: creating one costs more than compressing a short
// article, and indexing threads each compress their own documents.
ZSTD_CCtx* compression_context() {
    thread_local std::unique_ptr<ZSTD_CCtx, CompressionContextFree> context = [] {
        std::unique_ptr<ZSTD_CCtx, CompressionContextFree> created(ZSTD_createCCtx());
        // The checksum (4 bytes a body) lets a damaged record be reported instead of shown.
        if (created &&
            (ZSTD_isError(ZSTD_CCtx_setParameter(created.get(), ZSTD_c_compressionLevel,
                                                 kZstdLevel)) != 0U ||
             ZSTD_isError(ZSTD_CCtx_setParameter(created.get(), ZSTD_c_checksumFlag, 1)) != 0U)) {
            created.reset();
        }
        return created;
    }();
    return context.get();
}

ZSTD_DCtx* decompression_context() {
    thread_local std::unique_ptr<ZSTD_DCtx, DecompressionContextFree> context(ZSTD_createDCtx());
    return context.get();
}

// Whether `offset` starts a character, or ends the text. Bytes that are not UTF-8 count as
// characters of their own, as analysis reads them, so words next to them are located too.
bool is_character_start(std::string_view text, std::size_t offset) {
    if (offset >= text.size()) return offset == text.size();
    // A character is at most four bytes: looking three back finds where this one starts.
    const std::size_t back = std::min<std::size_t>(offset, 3);
    auto start = static_cast<int32_t>(back);
    U8_SET_CP_START(reinterpret_cast<const uint8_t*>(text.data() + offset - back), 0, start);
    return static_cast<std::size_t>(start) == back;
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

std::string compress_body(std::string_view body) {
    std::string stored(1 + ZSTD_compressBound(body.size()), '\0');
    stored[0] = static_cast<char>(BodyEncoding::zstd);
    ZSTD_CCtx* context = compression_context();
    std::size_t size = context == nullptr
                           ? 0
                           : ZSTD_compress2(context, stored.data() + 1, stored.size() - 1,
                                            body.data(), body.size());
    if (context == nullptr || ZSTD_isError(size) != 0U || size >= body.size()) {
        stored.assign(1, static_cast<char>(BodyEncoding::verbatim));
        stored += body;
        return stored;
    }
    stored.resize(1 + size);
    return stored;
}

std::optional<std::string> decompress_body(std::string_view stored) {
    if (stored.empty()) return std::string();
    const auto encoding = static_cast<BodyEncoding>(stored[0]);
    stored.remove_prefix(1);
    if (encoding == BodyEncoding::verbatim) return std::string(stored);
    if (encoding != BodyEncoding::zstd) return std::nullopt;
    unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
    ZSTD_DCtx* context = decompression_context();
    // A damaged size could ask for any amount of memory. A zstd block takes at least 4 bytes
    // (a run-length block) and expands to at most 128 KiB, which bounds any true size.
    constexpr unsigned long long kMaxExpansion = 128 * 1024 / 4;
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > stored.size() * kMaxExpansion || context == nullptr) {
        return std::nullopt;
    }
    std::string body(static_cast<std::size_t>(size), '\0');
    std::size_t written =
        ZSTD_decompressDCtx(context, body.data(), body.size(), stored.data(), stored.size());
    if (ZSTD_isError(written) != 0U || written != body.size()) return std::nullopt;
    return body;
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
