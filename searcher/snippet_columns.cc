#include "searcher/snippet_columns.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace trouvere::searcher::snippets {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowSeven = 0x7F7F7F7F7F7F7F7FULL;

// The high bit of each byte of `bytes` equal to `value` (below 0x80), exactly: no carry crosses
// bytes.
std::uint64_t bytes_equal(std::uint64_t bytes, std::uint8_t value) {
    const std::uint64_t differ = bytes ^ (kOnes * value);
    return ~(((differ & kLowSeven) + kLowSeven) | differ) & kHighBits;
}

}  // namespace

std::size_t simple_ascii_prefix(std::string_view text, bool& in_space) {
    static_assert(std::endian::native == std::endian::little, "the first byte is the lowest");
    std::size_t taken = 0;
    for (; text.size() - taken >= 8; taken += 8) {
        std::uint64_t bytes = 0;
        std::memcpy(&bytes, text.data() + taken, sizeof bytes);
        // Past ASCII, below the space (line breaks, tabs, controls), or DEL: a unit of its own.
        // A byte below the space borrows in the subtraction, which marks it or a byte after it.
        const std::uint64_t below_space = (bytes - kOnes * 0x20) & ~bytes;
        if (((bytes | below_space) & kHighBits) != 0 || bytes_equal(bytes, 0x7F) != 0) break;
        // Adjacent spaces make one column, and so does a space after the space taken last.
        const std::uint64_t spaces = bytes_equal(bytes, 0x20);
        if ((spaces & (spaces << 8)) != 0 || (in_space && (spaces & 0x80) != 0)) break;
        in_space = (spaces >> 63) != 0;
    }
    return taken;
}

Range trimmed(std::string_view text, Range range) {
    while (range.begin < range.end) {
        Unit unit = next_unit(text, range.begin);
        if (!unit.space || unit.next > range.end) break;
        range.begin = unit.next;
    }
    while (range.end > range.begin) {
        auto [start, c] = previous_unit(text, range.end, range.begin);
        if (!text::is_white_space(c)) break;
        range.end = start;
    }
    return range;
}

bool only_space_between(std::string_view text, std::size_t from, std::size_t to) {
    while (from < to) {
        Unit unit = next_unit(text, from);
        if (!unit.space) return false;
        from = unit.next;
    }
    return true;
}

}  // namespace trouvere::searcher::snippets
