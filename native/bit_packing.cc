#include "native/bit_packing.h"

#include <algorithm>
#include <bit>

namespace trouvere::native {

unsigned bit_width_of(std::span<const std::uint32_t> values) {
    std::uint32_t all = 0;
    for (std::uint32_t value : values) all |= value;
    return static_cast<unsigned>(std::bit_width(all));
}

void pack(std::span<const std::uint32_t> values, unsigned width, Buffer& out) {
    const std::size_t start = out.size();
    out.resize(start + packed_bytes(values.size(), width), 0);
    if (width == 0) return;
    std::uint8_t* packed = out.data() + start;
    std::size_t bit = 0;
    for (std::uint32_t value : values) {
        std::uint64_t shifted = static_cast<std::uint64_t>(value) << (bit % 8);
        for (std::size_t byte = bit / 8; shifted != 0; ++byte, shifted >>= 8) {
            packed[byte] |= static_cast<std::uint8_t>(shifted);
        }
        bit += width;
    }
}

void unpack(Bytes packed, unsigned width, std::span<std::uint32_t> out) {
    if (width == 0) {
        std::fill(out.begin(), out.end(), 0);
        return;
    }
    const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
    const std::size_t size = packed.size();
    std::size_t bit = 0;
    for (std::uint32_t& value : out) {
        const std::size_t byte = bit / 8;
        std::uint64_t word = 0;
        if (byte + 8 <= size) {
            word = load<std::uint64_t>(packed.data() + byte);
        } else {
            // The last few values: a value takes at most five bytes from its first.
            for (std::size_t k = 0; byte + k < size && k < 8; ++k) {
                word |= static_cast<std::uint64_t>(packed[byte + k]) << (8 * k);
            }
        }
        value = static_cast<std::uint32_t>((word >> (bit % 8)) & mask);
        bit += width;
    }
}

}  // namespace trouvere::native
