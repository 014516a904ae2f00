#include "native/bit_packing.h"

#include <algorithm>
#include <bit>
#include <utility>

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

namespace {

// The values whose eight bytes from their first lie within `size` bytes are read with one load
// each; with the width known at compile time, the loop's shifts and offsets are constants once
// unrolled. The few last values are read byte by byte.
template <unsigned Width>
void unpack_width(Bytes packed, std::span<std::uint32_t> out) {
    constexpr std::uint64_t kMask = (std::uint64_t{1} << Width) - 1;
    const std::size_t size = packed.size();
    const std::size_t fast = size < 8 ? 0 : std::min(out.size(), ((size - 8) * 8) / Width + 1);
    const std::uint8_t* bytes = packed.data();
    for (std::size_t k = 0; k < fast; ++k) {
        const std::size_t bit = k * Width;
        out[k] =
            static_cast<std::uint32_t>((load<std::uint64_t>(bytes + bit / 8) >> (bit % 8)) & kMask);
    }
    for (std::size_t k = fast; k < out.size(); ++k) {
        const std::size_t bit = k * Width;
        std::uint64_t word = 0;
        // A value takes at most five bytes from its first.
        for (std::size_t n = 0; bit / 8 + n < size && n < 8; ++n) {
            word |= static_cast<std::uint64_t>(bytes[bit / 8 + n]) << (8 * n);
        }
        out[k] = static_cast<std::uint32_t>((word >> (bit % 8)) & kMask);
    }
}

template <unsigned... Widths>
void unpack_any(Bytes packed, unsigned width, std::span<std::uint32_t> out,
                std::integer_sequence<unsigned, Widths...> /*widths*/) {
    // Calls the one instance of unpack_width whose width is `width`.
    (void)((width == Widths + 1 && (unpack_width<Widths + 1>(packed, out), true)) || ...);
}

}  // namespace

void unpack(Bytes packed, unsigned width, std::span<std::uint32_t> out) {
    if (width == 0) {
        std::fill(out.begin(), out.end(), 0);
        return;
    }
    unpack_any(packed, width, out, std::make_integer_sequence<unsigned, kMaxBitWidth>());
}

}  // namespace trouvere::native
