#pragma once

// The postings section: for each term, its documents and wdfs in blocks of kBlockSize postings.
// A term's list is a skip table, one entry per block (the block's last docid, where the block and
// its positions start, an upper bound of its BM25 tf part), then the blocks: two bit widths, the
// docid gaps and the wdfs, each bit-packed at its width. A cursor skips whole blocks through the
// table, and the bounds let a matcher skip blocks that cannot reach the top k.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "native/byte_io.h"
#include "native/positions.h"

namespace trouvere::native {

inline constexpr std::size_t kBlockSize = 128;
inline constexpr std::size_t kSkipEntryBytes = 16;
/// A cursor's docid once it has passed its last posting: above every docid.
inline constexpr std::uint32_t kEndOfList = UINT32_MAX;

struct Posting {
    std::uint32_t docid = 0;
    std::uint32_t wdf = 0;
};

/// `value` as a float not below it, for bounds stored in 32 bits.
[[nodiscard]] float float_at_least(double value);

/// Appends one term's postings (ascending docids) to `out`. `positions_starts` gives, for each
/// block, where its positions start in the term's positions (empty when the term has none);
/// `tf_bounds`, for each block, a bound of its postings' tf parts (Bm25::tf_part).
void encode_postings(std::span<const Posting> postings,
                     std::span<const std::uint64_t> positions_starts,
                     std::span<const float> tf_bounds, Buffer& out);

/// Walks one term's postings in docid order. Every block is checked as it is decoded: widths,
/// lengths, docids ascending and within the collection, the skip table's last docid; a block that
/// does not hold throws Damaged.
class PostingCursor {
public:
    /// An empty list.
    PostingCursor() = default;
    /// `postings` and `positions` are the term's ranges of their sections (TermInfo), `positions`
    /// empty when the term has none; `last_docid` is the collection's. Throws Damaged when the
    /// skip table does not fit.
    PostingCursor(Bytes postings, Bytes positions, std::uint32_t frequency,
                  std::uint32_t last_docid);

    /// The current docid, kEndOfList past the last.
    [[nodiscard]] std::uint32_t doc() const { return doc_; }
    /// The current posting's wdf (not past the last).
    [[nodiscard]] std::uint32_t wdf() const { return wdfs_[index_]; }
    [[nodiscard]] std::uint32_t frequency() const { return frequency_; }

    void next() {
        if (++index_ < block_size_) {
            doc_ = docids_[index_];
        } else if (block_ + 1 < block_count_) {
            enter_block(block_ + 1);
        } else {
            index_ = 0;
            doc_ = kEndOfList;
        }
    }

    /// Moves to the first posting whose docid is `target` or after (never backwards).
    void skip_to(std::uint32_t target);

    /// A block as its skip entry describes it.
    struct BlockBound {
        /// The block's last docid; kEndOfList past the last block.
        std::uint32_t last_docid;
        /// A bound of the tf parts of the block's postings; 0 past the last block.
        float tf_bound;
    };
    /// The block that holds the first posting at `target` or after, read from the skip table
    /// without decoding the block or moving the cursor. `target` must not go down from one call
    /// to the next (as the cursor's), which makes a walk of the list cost one pass of its table.
    [[nodiscard]] BlockBound block_bound(std::uint32_t target);
    /// The highest tf bound of the whole list.
    [[nodiscard]] float list_tf_bound() const;

    /// The current posting's positions, ascending; empty when the term has none.
    void positions(std::vector<std::uint32_t>& out);

private:
    struct SkipEntry {
        std::uint32_t last_docid;
        std::uint32_t block_offset;
        std::uint32_t positions_offset;
        float tf_bound;
    };
    [[nodiscard]] SkipEntry skip_entry(std::size_t block) const;
    void enter_block(std::size_t block);

    Bytes postings_;
    Bytes positions_;
    std::uint32_t frequency_ = 0;
    std::uint32_t last_docid_ = 0;
    std::size_t block_count_ = 0;
    std::size_t block_ = 0;
    // The block block_bound() last found; never before block_.
    std::size_t bound_block_ = 0;
    std::size_t block_size_ = 0;
    std::size_t index_ = 0;
    std::uint32_t doc_ = kEndOfList;
    BlockPositions block_positions_;
    std::array<std::uint32_t, kBlockSize> docids_{};
    std::array<std::uint32_t, kBlockSize> wdfs_{};
};

}  // namespace trouvere::native
