#include "native/collection_stats.h"

namespace trouvere::native {

Buffer encode_stats(const CollectionStats& stats) {
    Buffer out;
    append<std::uint32_t>(out, stats.document_count);
    append<std::uint32_t>(out, stats.last_docid);
    append<std::uint64_t>(out, stats.total_length);
    append<std::uint64_t>(out, stats.term_count);
    append<std::uint32_t>(out, stats.has_positions ? 1 : 0);
    append<std::uint32_t>(out, 0);
    return out;
}

std::optional<CollectionStats> decode_stats(Bytes bytes) {
    if (bytes.size() != kStatsBytes) return std::nullopt;
    ByteReader reader(bytes);
    CollectionStats stats;
    std::uint32_t has_positions = 0;
    std::uint32_t reserved = 0;
    (void)reader.fixed(stats.document_count);
    (void)reader.fixed(stats.last_docid);
    (void)reader.fixed(stats.total_length);
    (void)reader.fixed(stats.term_count);
    (void)reader.fixed(has_positions);
    (void)reader.fixed(reserved);
    // UINT32_MAX is kept for "no document" by the readers.
    if (stats.document_count > stats.last_docid || stats.last_docid == UINT32_MAX ||
        has_positions > 1 || reserved != 0) {
        return std::nullopt;
    }
    stats.has_positions = has_positions == 1;
    return stats;
}

}  // namespace trouvere::native
