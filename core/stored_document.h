#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/analyzer.h"
#include "trouvere/document.h"

namespace trouvere::stored {

// What Xapian keeps for each document, so that results and snippets need nothing but the
// database. Every field but the body is the header. A hit shown without a snippet reads only the
// header, in value slot scheme::kHeaderSlot; one shown with a snippet reads only its full record,
// in scheme::kFullRecordSlot: the header again, where the body's words and sentences are, and the
// body. Each value read is a B-tree lookup of its own, with a system call per block, so a hit
// reads one value, at the price of the header stored twice.
//
// The document data is left empty: Xapian compresses it with zlib, so reading a title through it
// would inflate the whole body. Values are stored as given, and the body is compressed with LZ4,
// whose set-up per frame is small next to decoding even a short article, unlike zstd's or
// zlib's. docs/DESIGN.md ("Stored records") describes the bytes and the measurements.

/// The header of `document` (every field but the body), for value slot scheme::kHeaderSlot.
/// Each field is a varint byte length followed by the bytes, in a fixed order.
[[nodiscard]] std::string encode_header(const Document& document);

/// Inverse of encode_header(); the body is left empty. A damaged header gives a Document with
/// the fields read before the damage, without throwing.
[[nodiscard]] Document decode_header(std::string_view header);

/// The body as stored: a byte saying how, then the bytes (an LZ4 frame with its size and
/// checksum). Bodies that LZ4 does not make smaller (short ones) are kept as they are.
[[nodiscard]] std::string compress_body(std::string_view body);

/// How decompress_body() checks a body: against its own checksum, or not, for bytes read from a
/// copy that a checksum of its own vouches for (the native index, whose builder checked each body
/// with full_record_to_copy()). The body's checksum costs more than decompressing it.
enum class BodyCheck { own_checksum, vouched_for };

/// Inverse of compress_body(); nullopt when the stored bytes are damaged.
[[nodiscard]] std::optional<std::string> decompress_body(std::string_view stored,
                                                         BodyCheck check = BodyCheck::own_checksum);

/// Where each word of the body is, for snippets (in the full record): with it,
/// a snippet finds its matches from Xapian's position lists instead of analysing the body again,
/// which is most of a snippet's cost. `tokens` is Analyzer::analyze(body, first_position), so
/// token k is at position first_position + k. Stored as first_position, then each word's byte
/// range as two varints, the gap from the previous word's end and the length: about two bytes a
/// word.
[[nodiscard]] std::string encode_word_offsets(std::uint32_t first_position,
                                              const std::vector<Token>& tokens);

/// A body word located by its stored offsets.
struct WordSpan {
    std::uint32_t position = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// The byte ranges in `body` of its words at `positions` (ascending, no repeats), from
/// encode_word_offsets(body's tokens); positions before the body (title words) are left out.
/// nullopt when the offsets are damaged: past the body's words, outside `body` or off its
/// character boundaries. The caller then analyses the body instead.
[[nodiscard]] std::optional<std::vector<WordSpan>> locate_words(
    std::string_view word_offsets, std::span<const std::uint32_t> positions, std::string_view body);

/// Where the body's sentences start and end, for snippets (in the full record): with them, a
/// snippet cuts its passage at sentence boundaries without running ICU's sentence rules, which
/// cost more than a third of building it. `breaks` are analysis::sentence_breaks(body): ascending,
/// 0 first, the body's size last. Stored as the gaps between them, one varint each: about one byte
/// a sentence.
[[nodiscard]] std::string encode_sentence_breaks(const std::vector<std::size_t>& breaks);

/// Reads what encode_sentence_breaks() stored for `body`, one boundary at a time, checking each.
class SentenceBreakReader {
public:
    SentenceBreakReader(std::string_view encoded, std::string_view body)
        : encoded_(encoded), body_(body) {}

    /// The next boundary (the first is 0); nullopt after the body's size, and from the first
    /// damage on: a boundary that does not follow the one before, lies past the body or inside
    /// a character, or stored bytes that end before the body's size.
    [[nodiscard]] std::optional<std::size_t> next();

    /// Whether next() stopped at damage rather than at the end.
    [[nodiscard]] bool damaged() const { return damaged_; }

private:
    std::string_view encoded_;
    std::string_view body_;
    std::optional<std::size_t> last_;
    bool damaged_ = false;
};

/// A full record's parts, viewing the value they were split from. The word offsets and the
/// sentence breaks are empty for a document without body.
struct FullRecord {
    std::string_view header;           // encode_header()
    std::string_view word_offsets;     // encode_word_offsets()
    std::string_view sentence_breaks;  // encode_sentence_breaks()
    std::string_view stored_body;      // compress_body()
};

/// The value for scheme::kFullRecordSlot: `header`, `word_offsets` and `sentence_breaks` each as
/// a varint byte length and the bytes, then compress_body(body).
[[nodiscard]] std::string encode_full_record(std::string_view header, std::string_view word_offsets,
                                             std::string_view sentence_breaks,
                                             std::string_view body);

/// Inverse of encode_full_record(), without decompressing the body; nullopt when a length is
/// damaged.
[[nodiscard]] std::optional<FullRecord> split_full_record(std::string_view value);

/// The full record `value` as a copy read with BodyCheck::vouched_for keeps it: unchanged when its
/// body decompresses with its checksum verified (or it does not split), else with the body replaced
/// by a mark that decompress_body() refuses however it checks, so that the copy's body reads as
/// damaged as the original's does.
[[nodiscard]] std::string full_record_to_copy(std::string value);

}  // namespace trouvere::stored
