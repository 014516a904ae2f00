#pragma once

// The positions section: for each term with positions, the position lists of its postings, in
// the order of its postings and in blocks that match its postings blocks, each block found from
// the postings' skip table. Read only for phrases and snippets.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "native/byte_io.h"

namespace trouvere::native {

/// Appends one term's positions to `out`, in blocks of `block_size` postings. A block is the byte
/// length of its table, then the table: the byte length of each posting's positions, in posting
/// order; then those positions, posting after posting, the first of each as it is and each next
/// one as its gap to the previous minus 1. All numbers are varints. `counts[k]` positions of
/// `positions` belong to posting k. Returns where each block starts, from the term's first byte.
[[nodiscard]] std::vector<std::uint64_t> encode_positions(std::span<const std::uint32_t> counts,
                                                          std::span<const std::uint32_t> positions,
                                                          std::size_t block_size, Buffer& out);

/// The position lists of one block of postings, read in posting order (any order works, going
/// back costs a rescan of the block's table).
class BlockPositions {
public:
    BlockPositions() = default;
    /// A block as encode_positions() wrote it; one whose table does not hold fails every read.
    /// The table is read on the first read(): a cursor enters many blocks whose positions no
    /// phrase or snippet asks for.
    explicit BlockPositions(Bytes block) : block_(block) {}

    /// The positions of the block's posting `index`, ascending, into `out`. False when the bytes
    /// do not hold (cut short, positions past 32 bits).
    [[nodiscard]] bool read(std::size_t index, std::vector<std::uint32_t>& out);

private:
    bool open_table();

    Bytes block_;
    Bytes table_;
    Bytes lists_;
    bool table_open_ = false;
    std::size_t next_index_ = 0;  // the posting whose length starts at next_entry_ in the table
    std::size_t next_entry_ = 0;  // and whose positions start at next_offset_ in the lists
    std::size_t next_offset_ = 0;
};

}  // namespace trouvere::native
