#pragma once

// The term dictionary: every term of the database, in byte order, front-coded in blocks of up to
// kTermsPerBlock terms, with a block index holding each block's first term whole. A lookup is a
// binary search of the index and a scan of one block.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "native/byte_io.h"

namespace trouvere::native {

inline constexpr std::size_t kTermsPerBlock = 16;

/// Where a term's lists are, and how many documents it indexes.
struct TermInfo {
    std::uint32_t frequency = 0;
    std::uint64_t postings_offset = 0;
    std::uint64_t postings_length = 0;
    std::uint64_t positions_offset = 0;
    /// 0 when the term has no positions.
    std::uint64_t positions_length = 0;
    bool operator==(const TermInfo&) const = default;
};

class TermDictionaryWriter {
public:
    /// Terms come in strictly ascending byte order.
    void add(std::string_view term, const TermInfo& info);
    /// The term_index section.
    [[nodiscard]] Buffer index_bytes() const;
    /// The term_blocks section.
    [[nodiscard]] const Buffer& block_bytes() const { return blocks_; }

private:
    Buffer blocks_;
    std::vector<std::uint32_t> block_offsets_;
    std::string first_terms_;
    std::vector<std::uint32_t> first_term_offsets_;
    std::string previous_;
    std::size_t in_block_ = 0;
};

class TermDictionary {
public:
    /// nullopt, with `why`, when the index does not hold: offsets out of order or outside their
    /// sections, first terms not strictly ascending. The blocks are checked as they are read.
    [[nodiscard]] static std::optional<TermDictionary> open(Bytes index, Bytes blocks,
                                                            std::string& why);

    [[nodiscard]] std::size_t block_count() const { return block_count_; }
    /// The block that holds `term` if any term does: the last whose first term is not after it.
    [[nodiscard]] std::optional<std::size_t> block_for(std::string_view term) const;
    /// Where block `block` lies in the term_blocks section.
    [[nodiscard]] std::size_t block_offset(std::size_t block) const;
    [[nodiscard]] std::size_t block_length(std::size_t block) const;

    enum class Lookup { found, absent, damaged };
    /// Scans block `block` for `term`.
    [[nodiscard]] Lookup find_in_block(std::size_t block, std::string_view term,
                                       TermInfo& info) const;

    /// Every term of block `block` with its information, in order; false when the block is
    /// damaged.
    [[nodiscard]] bool read_block(std::size_t block,
                                  std::vector<std::pair<std::string, TermInfo>>& terms) const;

private:
    [[nodiscard]] std::string_view first_term(std::size_t block) const;

    Bytes entries_;      // block_count_ + 1 pairs of u32: first term offset, block offset
    Bytes first_terms_;  // the first terms, end to end
    Bytes blocks_;
    std::size_t block_count_ = 0;
};

}  // namespace trouvere::native
