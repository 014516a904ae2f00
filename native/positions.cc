#include "native/positions.h"

#include <bit>

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

namespace {

constexpr std::size_t kCutShort = SIZE_MAX;

// Where the `count`th varint from `from` ends (one past its last byte), or kCutShort. A varint
// ends at each byte below 0x80, so skipping varints is finding such bytes, eight at a time.
std::size_t after_varints(Bytes bytes, std::size_t from, std::uint64_t count) {
    std::size_t at = from;
    constexpr std::uint64_t kHighBits = 0x8080808080808080;
    constexpr std::uint64_t kLowBytes = 0x0101010101010101;
    while (count > 0 && bytes.size() - at >= 8) {
        std::uint64_t ends = ~load<std::uint64_t>(bytes.data() + at) & kHighBits;
        // Each end is one high bit: moved to the low bit of its byte and the bytes summed by a
        // multiplication (std::popcount is a library call on baseline x86-64).
        const auto found = static_cast<unsigned>(((ends >> 7) * kLowBytes) >> 56);
        if (found < count) {
            count -= found;
            at += 8;
            continue;
        }
        for (; count > 1; --count) ends &= ends - 1;  // drops the ends before the one wanted
        return at + static_cast<std::size_t>(std::countr_zero(ends)) / 8 + 1;
    }
    for (; count > 0 && at < bytes.size(); ++at) {
        if (bytes[at] < 0x80) --count;
    }
    return count == 0 ? at : kCutShort;
}

}  // namespace

bool BlockPositions::read(std::size_t index, std::vector<std::uint32_t>& out) {
    out.clear();
    if (index < next_index_) {
        next_index_ = 0;
        next_offset_ = 0;
    }
    for (; next_index_ < index; ++next_index_) {
        ByteReader reader(block_.subspan(next_offset_));
        std::uint64_t count = 0;
        if (!reader.varint(count)) return false;
        next_offset_ = after_varints(block_, next_offset_ + reader.position(), count);
        if (next_offset_ == kCutShort) {
            next_offset_ = 0;
            next_index_ = 0;
            return false;
        }
    }
    ByteReader reader(block_.subspan(next_offset_));
    std::uint64_t count = 0;
    // Each position takes a byte at least, which bounds what is reserved.
    if (!reader.varint(count) || count > reader.remaining()) return false;
    out.resize(static_cast<std::size_t>(count));
    std::uint64_t position = 0;
    const std::uint8_t* bytes = block_.data() + next_offset_ + reader.position();
    const std::uint8_t* const end = block_.data() + block_.size();
    for (std::uint64_t n = 0; n < count; ++n) {
        std::uint64_t gap = 0;
        if (bytes < end && *bytes < 0x80) {
            gap = *bytes++;  // most gaps take one byte
        } else {
            ByteReader rest(Bytes(bytes, static_cast<std::size_t>(end - bytes)));
            if (!rest.varint(gap) || gap > UINT32_MAX) return false;
            bytes += rest.position();
        }
        position = n == 0 ? gap : position + gap + 1;
        if (position > UINT32_MAX) return false;
        out[n] = static_cast<std::uint32_t>(position);
    }
    return true;
}

}  // namespace trouvere::native
