#include "native/postings.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "native/bit_packing.h"
#include "native/damaged.h"

namespace trouvere::native {

float float_at_least(double value) {
    auto rounded = static_cast<float>(value);
    if (static_cast<double>(rounded) < value) {
        rounded = std::nextafter(rounded, std::numeric_limits<float>::infinity());
    }
    return rounded;
}

void encode_postings(std::span<const Posting> postings,
                     std::span<const std::uint64_t> positions_starts,
                     std::span<const float> tf_bounds, Buffer& out) {
    const std::size_t block_count = (postings.size() + kBlockSize - 1) / kBlockSize;
    const std::size_t term_start = out.size();
    out.resize(term_start + kSkipEntryBytes * block_count, 0);
    std::uint32_t previous = 0;
    std::array<std::uint32_t, kBlockSize> gaps{};
    std::array<std::uint32_t, kBlockSize> wdfs{};
    for (std::size_t block = 0; block < block_count; ++block) {
        const std::size_t first = block * kBlockSize;
        const std::size_t size = std::min(kBlockSize, postings.size() - first);
        for (std::size_t k = 0; k < size; ++k) {
            gaps[k] = postings[first + k].docid - previous - 1;
            wdfs[k] = postings[first + k].wdf;
            previous = postings[first + k].docid;
        }
        const std::size_t entry = term_start + kSkipEntryBytes * block;
        store<std::uint32_t>(out, entry, previous);
        store<std::uint32_t>(out, entry + 4, static_cast<std::uint32_t>(out.size() - term_start));
        store<std::uint32_t>(
            out, entry + 8,
            positions_starts.empty() ? 0 : static_cast<std::uint32_t>(positions_starts[block]));
        store<float>(out, entry + 12, tf_bounds[block]);
        const unsigned gap_width = bit_width_of(std::span(gaps).first(size));
        const unsigned wdf_width = bit_width_of(std::span(wdfs).first(size));
        out.push_back(static_cast<std::uint8_t>(gap_width));
        out.push_back(static_cast<std::uint8_t>(wdf_width));
        pack(std::span(gaps).first(size), gap_width, out);
        pack(std::span(wdfs).first(size), wdf_width, out);
    }
}

PostingCursor::PostingCursor(Bytes postings, Bytes positions, std::uint32_t frequency,
                             std::uint32_t last_docid)
    : postings_(postings),
      positions_(positions),
      frequency_(frequency),
      last_docid_(last_docid),
      block_count_((std::size_t{frequency} + kBlockSize - 1) / kBlockSize) {
    if (frequency == 0) return;
    if (postings.size() / kSkipEntryBytes < block_count_) {
        throw Damaged("a postings list is shorter than its skip table");
    }
    enter_block(0);
}

PostingCursor::SkipEntry PostingCursor::skip_entry(std::size_t block) const {
    const std::uint8_t* entry = postings_.data() + kSkipEntryBytes * block;
    return {load<std::uint32_t>(entry), load<std::uint32_t>(entry + 4),
            load<std::uint32_t>(entry + 8), load<float>(entry + 12)};
}

void PostingCursor::enter_block(std::size_t block) {
    const SkipEntry entry = skip_entry(block);
    const std::size_t end =
        block + 1 < block_count_ ? skip_entry(block + 1).block_offset : postings_.size();
    const std::size_t size =
        block + 1 < block_count_ ? kBlockSize : frequency_ - kBlockSize * (block_count_ - 1);
    if (entry.block_offset < kSkipEntryBytes * block_count_ || entry.block_offset > end ||
        end > postings_.size() || end - entry.block_offset < 2) {
        throw Damaged("a postings block lies outside its list");
    }
    ByteReader reader(postings_.subspan(entry.block_offset, end - entry.block_offset));
    Bytes widths;
    (void)reader.take(2, widths);
    const unsigned gap_width = widths[0];
    const unsigned wdf_width = widths[1];
    Bytes gaps;
    Bytes wdfs;
    if (gap_width > kMaxBitWidth || wdf_width > kMaxBitWidth ||
        !reader.take(packed_bytes(size, gap_width), gaps) ||
        !reader.take(packed_bytes(size, wdf_width), wdfs)) {
        throw Damaged("a postings block is cut short");
    }
    unpack(gaps, gap_width, std::span(docids_).first(size));
    unpack(wdfs, wdf_width, std::span(wdfs_).first(size));
    std::uint64_t docid = block == 0 ? 0 : skip_entry(block - 1).last_docid;
    for (std::size_t k = 0; k < size; ++k) {
        docid += std::uint64_t{docids_[k]} + 1;
        docids_[k] = static_cast<std::uint32_t>(docid);
    }
    if (docid > last_docid_ || docid != entry.last_docid) {
        throw Damaged("a postings block does not match its skip entry");
    }
    if (!positions_.empty()) {
        const std::size_t positions_end =
            block + 1 < block_count_ ? skip_entry(block + 1).positions_offset : positions_.size();
        if (entry.positions_offset > positions_end || positions_end > positions_.size()) {
            throw Damaged("a positions block lies outside its list");
        }
        block_positions_ = BlockPositions(
            positions_.subspan(entry.positions_offset, positions_end - entry.positions_offset));
    }
    block_ = block;
    block_size_ = size;
    index_ = 0;
    doc_ = docids_[0];
}

void PostingCursor::skip_to(std::uint32_t target) {
    if (doc_ >= target) return;
    if (target > skip_entry(block_).last_docid) {
        // Every block before `low` ends before the target; block_bound() may have looked ahead.
        std::size_t low = block_ + 1;
        if (bound_block_ > low && skip_entry(bound_block_ - 1).last_docid < target) {
            low = bound_block_;
        }
        // Galloping, then halving: short skips, the usual ones, read few entries, and a long
        // one (a lookup of a single document) reads a logarithm of them.
        std::size_t high = low;
        for (std::size_t step = 1; high < block_count_ && skip_entry(high).last_docid < target;
             step *= 2) {
            low = high + 1;
            high = std::min(block_count_, low + step);
        }
        while (low < high) {
            const std::size_t middle = low + (high - low) / 2;
            if (skip_entry(middle).last_docid < target) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        const std::size_t block = low;
        if (block == block_count_) {
            index_ = 0;
            doc_ = kEndOfList;
            return;
        }
        enter_block(block);
    }
    while (docids_[index_] < target) ++index_;
    doc_ = docids_[index_];
}

PostingCursor::BlockBound PostingCursor::block_bound(std::uint32_t target) {
    if (doc_ == kEndOfList) return {kEndOfList, 0};
    // A target before the block last found (never one a walk gives) starts again from the
    // cursor's block.
    if (bound_block_ <= block_ || skip_entry(bound_block_ - 1).last_docid >= target) {
        bound_block_ = block_;
    }
    while (bound_block_ < block_count_ && skip_entry(bound_block_).last_docid < target) {
        ++bound_block_;
    }
    if (bound_block_ == block_count_) return {kEndOfList, 0};
    const SkipEntry entry = skip_entry(bound_block_);
    return {entry.last_docid, entry.tf_bound};
}

float PostingCursor::list_tf_bound() const {
    float bound = 0;
    for (std::size_t block = 0; block < block_count_; ++block) {
        bound = std::max(bound, skip_entry(block).tf_bound);
    }
    return bound;
}

void PostingCursor::positions(std::vector<std::uint32_t>& out) {
    out.clear();
    if (positions_.empty() || doc_ == kEndOfList) return;
    if (!block_positions_.read(index_, out)) throw Damaged("a position list does not hold");
}

}  // namespace trouvere::native
