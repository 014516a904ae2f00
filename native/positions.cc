#include "native/positions.h"

namespace trouvere::native {

std::vector<std::uint64_t> encode_positions(std::span<const std::uint32_t> counts,
                                            std::span<const std::uint32_t> positions,
                                            std::size_t block_size, Buffer& out) {
    std::vector<std::uint64_t> block_starts;
    const std::size_t term_start = out.size();
    std::size_t at = 0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
        if (k % block_size == 0) block_starts.push_back(out.size() - term_start);
        append_varint(out, counts[k]);
        std::uint32_t previous = 0;
        for (std::uint32_t n = 0; n < counts[k]; ++n, ++at) {
            const std::uint32_t position = positions[at];
            append_varint(out, n == 0 ? position : position - previous - 1);
            previous = position;
        }
    }
    return block_starts;
}

bool BlockPositions::read(std::size_t index, std::vector<std::uint32_t>& out) {
    out.clear();
    if (index < next_index_) {
        next_index_ = 0;
        next_offset_ = 0;
    }
    ByteReader reader(block_.subspan(next_offset_));
    for (; next_index_ < index; ++next_index_) {
        std::uint64_t count = 0;
        if (!reader.varint(count)) return false;
        // Each varint ends with the first byte below 0x80.
        for (std::uint64_t seen = 0; seen < count;) {
            Bytes byte;
            if (!reader.take(1, byte)) return false;
            if (byte[0] < 0x80) ++seen;
        }
    }
    next_offset_ += reader.position();
    std::uint64_t count = 0;
    // Each position takes a byte at least, which bounds what is reserved.
    if (!reader.varint(count) || count > reader.remaining()) return false;
    out.reserve(static_cast<std::size_t>(count));
    std::uint64_t position = 0;
    for (std::uint64_t n = 0; n < count; ++n) {
        std::uint64_t gap = 0;
        if (!reader.varint(gap) || gap > UINT32_MAX) return false;
        position = n == 0 ? gap : position + gap + 1;
        if (position > UINT32_MAX) return false;
        out.push_back(static_cast<std::uint32_t>(position));
    }
    return true;
}

}  // namespace trouvere::native
