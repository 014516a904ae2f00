#pragma once

// Fixed-width bit packing of small integer arrays (a postings block's docid gaps and wdfs): value
// k takes bits [k * width, (k + 1) * width) of the packed bytes, least significant bit first.

#include <cstddef>
#include <cstdint>
#include <span>

#include "native/byte_io.h"

namespace trouvere::native {

/// Widths go up to 32 bits: docids and wdfs are 32-bit in Xapian.
inline constexpr unsigned kMaxBitWidth = 32;

/// Bytes holding `count` values of `width` bits.
[[nodiscard]] constexpr std::size_t packed_bytes(std::size_t count, unsigned width) {
    return (count * width + 7) / 8;
}

/// The fewest bits that hold every value (0 when every value is 0).
[[nodiscard]] unsigned bit_width_of(std::span<const std::uint32_t> values);

/// Appends `values` packed at `width` bits each; every value must fit `width` bits.
void pack(std::span<const std::uint32_t> values, unsigned width, Buffer& out);

/// Unpacks `out.size()` values of `width` (at most kMaxBitWidth) bits from `packed`, which must
/// hold packed_bytes(out.size(), width) bytes at least.
void unpack(Bytes packed, unsigned width, std::span<std::uint32_t> out);

}  // namespace trouvere::native
