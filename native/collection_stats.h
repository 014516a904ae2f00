#pragma once

// The collection statistics section: what BM25 needs of the whole database, as Xapian gives it.

#include <cstdint>
#include <optional>

#include "native/byte_io.h"

namespace trouvere::native {

struct CollectionStats {
    std::uint32_t document_count = 0;
    /// The highest docid in use (docids are Xapian's: deletions leave holes).
    std::uint32_t last_docid = 0;
    /// The sum of every document's length, Xapian's get_total_length().
    std::uint64_t total_length = 0;
    std::uint64_t term_count = 0;
    /// Whether any document has positions: without any, Xapian matches a phrase as an AND.
    bool has_positions = false;
    bool operator==(const CollectionStats&) const = default;
};

/// Fixed size: document_count u32, last_docid u32, total_length u64, term_count u64,
/// has_positions u32 (0 or 1), reserved u32 (0).
inline constexpr std::size_t kStatsBytes = 32;

[[nodiscard]] Buffer encode_stats(const CollectionStats& stats);

/// nullopt when `bytes` is not kStatsBytes long or its fields contradict each other.
[[nodiscard]] std::optional<CollectionStats> decode_stats(Bytes bytes);

}  // namespace trouvere::native
