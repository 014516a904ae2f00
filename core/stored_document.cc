#include "core/stored_document.h"

#include <lz4frame.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
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

// How compress_body() stored a body: its first byte. Value 1 was zstd, before term scheme 5.
// `damaged` marks a body that full_record_to_copy() found damaged.
enum class BodyEncoding : char { verbatim = 0, lz4 = 2, damaged = 3 };

struct DecompressionContextFree {
    void operator()(LZ4F_dctx* context) const { LZ4F_freeDecompressionContext(context); }
};

// One context per thread, reused: creating one costs more than reading a short article.
LZ4F_dctx* decompression_context() {
    thread_local std::unique_ptr<LZ4F_dctx, DecompressionContextFree> context = [] {
        LZ4F_dctx* created = nullptr;
        if (LZ4F_isError(LZ4F_createDecompressionContext(&created, LZ4F_VERSION)) != 0U) {
            created = nullptr;
        }
        return std::unique_ptr<LZ4F_dctx, DecompressionContextFree>(created);
    }();
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

// Four words of a few bytes, in a few bytes of each other, are most words in prose: their gaps and
// lengths are then one-byte varints, eight bytes in all, passed in one step.
constexpr std::size_t kWordsPerStep = 4;

// Passes the next kWordsPerStep words when their eight bytes are single-byte varints with no zero
// length, moving `end` to the last one's end; false, having read nothing, when they are not, or
// when they would end past `body_size` (then the word-by-word reading finds the damage).
bool skip_short_words(std::string_view& word_offsets, std::size_t body_size, std::size_t& end) {
    static_assert(std::endian::native == std::endian::little, "varint bytes read as one word");
    constexpr std::uint64_t kContinuationBits = 0x8080808080808080ULL;
    constexpr std::uint64_t kLowBytes = 0x00FF00FF00FF00FFULL;
    constexpr std::uint64_t kLaneOnes = 0x0001000100010001ULL;
    constexpr std::uint64_t kLaneSigns = 0x8000800080008000ULL;
    if (word_offsets.size() < 2 * kWordsPerStep) return false;
    std::uint64_t bytes = 0;
    std::memcpy(&bytes, word_offsets.data(), sizeof bytes);
    if ((bytes & kContinuationBits) != 0) return false;
    // Each 16-bit lane is one word: its gap in the low byte, its length in the high byte. Below
    // 0x80 each, a lane borrows when one is subtracted only if it is zero.
    const std::uint64_t gaps = bytes & kLowBytes;
    const std::uint64_t lengths = (bytes >> 8) & kLowBytes;
    if (((lengths - kLaneOnes) & kLaneSigns) != 0) return false;
    // Lane sums stay below 2^10, so adding the lanes up in the top lane cannot overflow.
    const std::size_t total = ((gaps + lengths) * kLaneOnes) >> 48;
    if (total > body_size - end) return false;
    end += total;
    word_offsets.remove_prefix(2 * kWordsPerStep);
    return true;
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
    LZ4F_preferences_t preferences{};
    // The size lets reading allocate once; the checksum (4 bytes a body) lets a damaged record be
    // reported instead of shown.
    preferences.frameInfo.contentSize = body.size();
    preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    std::string stored(1 + LZ4F_compressFrameBound(body.size(), &preferences), '\0');
    stored[0] = static_cast<char>(BodyEncoding::lz4);
    std::size_t size = LZ4F_compressFrame(stored.data() + 1, stored.size() - 1, body.data(),
                                          body.size(), &preferences);
    if (LZ4F_isError(size) != 0U || size >= body.size()) {
        stored.assign(1, static_cast<char>(BodyEncoding::verbatim));
        stored += body;
        return stored;
    }
    stored.resize(1 + size);
    return stored;
}

std::optional<std::string> decompress_body(std::string_view stored, BodyCheck check) {
    if (stored.empty()) return std::string();
    const auto encoding = static_cast<BodyEncoding>(stored[0]);
    stored.remove_prefix(1);
    if (encoding == BodyEncoding::verbatim) return std::string(stored);
    LZ4F_dctx* context = decompression_context();
    if (encoding != BodyEncoding::lz4 || context == nullptr) return std::nullopt;
    // A frame that failed half-way leaves the context mid-frame.
    LZ4F_resetDecompressionContext(context);
    LZ4F_frameInfo_t info{};
    std::size_t header = stored.size();
    if (LZ4F_isError(LZ4F_getFrameInfo(context, &info, stored.data(), &header)) != 0U ||
        info.contentChecksumFlag != LZ4F_contentChecksumEnabled) {
        return std::nullopt;
    }
    // A damaged size could ask for any amount of memory. An LZ4 sequence expands at most 255
    // times (each extra length byte adds 255), which bounds any true size.
    constexpr unsigned long long kMaxExpansion = 255;
    if (info.contentSize == 0 || info.contentSize > stored.size() * kMaxExpansion) {
        return std::nullopt;
    }
    std::string body(static_cast<std::size_t>(info.contentSize), '\0');
    std::size_t written = body.size();
    std::size_t consumed = stored.size() - header;
    LZ4F_decompressOptions_t options{};
    options.skipChecksums = check == BodyCheck::vouched_for ? 1 : 0;
    // 0 means the frame ended where it should, its checksum verified unless skipped.
    std::size_t left = LZ4F_decompress(context, body.data(), &written, stored.data() + header,
                                       &consumed, &options);
    if (LZ4F_isError(left) != 0U || left != 0 || written != body.size() ||
        header + consumed != stored.size()) {
        return std::nullopt;
    }
    return body;
}

std::string encode_full_record(std::string_view header, std::string_view word_offsets,
                               std::string_view sentence_breaks, std::string_view body) {
    std::string record;
    for (std::string_view part : {header, word_offsets, sentence_breaks}) {
        append_varint(record, part.size());
        record += part;
    }
    record += compress_body(body);
    return record;
}

std::optional<FullRecord> split_full_record(std::string_view value) {
    FullRecord record;
    for (std::string_view* part : {&record.header, &record.word_offsets, &record.sentence_breaks}) {
        std::size_t length = 0;
        if (!read_varint(value, length) || length > value.size()) return std::nullopt;
        *part = value.substr(0, length);
        value.remove_prefix(length);
    }
    record.stored_body = value;
    return record;
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

std::string encode_sentence_breaks(const std::vector<std::size_t>& breaks) {
    std::string encoded;
    encoded.reserve(breaks.size());
    for (std::size_t k = 1; k < breaks.size(); ++k)
        append_varint(encoded, breaks[k] - breaks[k - 1]);
    return encoded;
}

std::optional<std::size_t> SentenceBreakReader::next() {
    if (damaged_) return std::nullopt;
    if (!last_) return last_ = 0;
    if (*last_ == body_.size()) return std::nullopt;
    std::size_t gap = 0;
    if (!read_varint(encoded_, gap) || gap == 0 || gap > body_.size() - *last_ ||
        !is_character_start(body_, *last_ + gap)) {
        damaged_ = true;
        return std::nullopt;
    }
    return last_ = *last_ + gap;
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
        while (next_position + kWordsPerStep <= wanted) {
            if (!skip_short_words(word_offsets, body.size(), end)) break;
            next_position += kWordsPerStep;
        }
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

std::string full_record_to_copy(std::string value) {
    const std::optional<FullRecord> record = split_full_record(value);
    if (!record || decompress_body(record->stored_body)) return value;
    // The body ends the record.
    value.resize(value.size() - record->stored_body.size());
    value += static_cast<char>(BodyEncoding::damaged);
    return value;
}

}  // namespace trouvere::stored
