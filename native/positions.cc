#include "native/positions.h"

#include <algorithm>

namespace trouvere::native {

std::vector<std::uint64_t> encode_positions(std::span<const std::uint32_t> counts,
                                            std::span<const std::uint32_t> positions,
                                            std::size_t block_size, Buffer& out) {
    std::vector<std::uint64_t> block_starts;
    const std::size_t term_start = out.size();
    Buffer table;
    Buffer lists;
    std::size_t at = 0;
    for (std::size_t first = 0; first < counts.size(); first += block_size) {
        block_starts.push_back(out.size() - term_start);
        table.clear();
        lists.clear();
        for (std::size_t k = first; k < std::min(first + block_size, counts.size()); ++k) {
            const std::size_t list_start = lists.size();
            for (std::uint32_t n = 0; n < counts[k]; ++n, ++at) {
                append_varint(lists,
                              n == 0 ? positions[at] : positions[at] - positions[at - 1] - 1);
            }
            append_varint(table, lists.size() - list_start);
        }
        append_varint(out, table.size());
        append_bytes(out, Bytes(table));
        append_bytes(out, Bytes(lists));
    }
    return block_starts;
}

bool BlockPositions::open_table() {
    ByteReader reader(block_);
    std::uint64_t table_bytes = 0;
    if (!reader.varint(table_bytes) || table_bytes > reader.remaining()) return false;
    const auto table_end = reader.position() + static_cast<std::size_t>(table_bytes);
    table_ = block_.subspan(reader.position(), static_cast<std::size_t>(table_bytes));
    lists_ = block_.subspan(table_end);
    table_open_ = true;
    return true;
}

bool BlockPositions::read(std::size_t index, std::vector<std::uint32_t>& out) {
    out.clear();
    if (!table_open_ && !open_table()) return false;
    if (index < next_index_) {
        next_index_ = 0;
        next_entry_ = 0;
        next_offset_ = 0;
    }
    // The table's lengths lie together: passing lists costs a few bytes each, not their bytes.
    ByteReader entries(table_.subspan(next_entry_));
    std::uint64_t length = 0;
    for (; next_index_ < index; ++next_index_) {
        if (!entries.varint(length) || length > lists_.size() - next_offset_) {
            next_index_ = 0;
            next_entry_ = 0;
            next_offset_ = 0;
            return false;
        }
        next_offset_ += static_cast<std::size_t>(length);
    }
    next_entry_ += entries.position();
    ByteReader wanted(table_.subspan(next_entry_));
    if (!wanted.varint(length) || length > lists_.size() - next_offset_) return false;
    const std::uint8_t* bytes = lists_.data() + next_offset_;
    const std::uint8_t* const end = bytes + length;
    // Each position takes a byte at least, which bounds what is reserved.
    out.reserve(static_cast<std::size_t>(length));
    std::uint64_t position = 0;
    while (bytes < end) {
        std::uint64_t gap = 0;
        if (*bytes < 0x80) {
            gap = *bytes++;  // most gaps take one byte
        } else {
            ByteReader rest(Bytes(bytes, static_cast<std::size_t>(end - bytes)));
            if (!rest.varint(gap) || gap > UINT32_MAX) return false;
            bytes += rest.position();
        }
        position = out.empty() ? gap : position + gap + 1;
        if (position > UINT32_MAX) return false;
        out.push_back(static_cast<std::uint32_t>(position));
    }
    return true;
}

}  // namespace trouvere::native
