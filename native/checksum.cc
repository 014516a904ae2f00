#include "native/checksum.h"

#include <array>
#include <bit>

namespace trouvere::native {

namespace {

constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

std::uint64_t round(std::uint64_t accumulator, std::uint64_t input) {
    accumulator += input * kPrime2;
    return std::rotl(accumulator, 31) * kPrime1;
}

std::uint64_t merge_round(std::uint64_t hash, std::uint64_t lane) {
    hash ^= round(0, lane);
    return hash * kPrime1 + kPrime4;
}

}  // namespace

std::uint64_t checksum(Bytes bytes) {
    const std::uint8_t* at = bytes.data();
    const std::uint8_t* const end = at + bytes.size();
    std::uint64_t hash = 0;
    if (bytes.size() >= 32) {
        std::array<std::uint64_t, 4> lanes = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
        for (; end - at >= 32; at += 32) {
            for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
                lanes[lane] = round(lanes[lane], load<std::uint64_t>(at + 8 * lane));
            }
        }
        hash = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) +
               std::rotl(lanes[3], 18);
        for (std::uint64_t lane : lanes) hash = merge_round(hash, lane);
    } else {
        hash = kPrime5;
    }
    hash += bytes.size();
    for (; end - at >= 8; at += 8) {
        hash ^= round(0, load<std::uint64_t>(at));
        hash = std::rotl(hash, 27) * kPrime1 + kPrime4;
    }
    if (end - at >= 4) {
        hash ^= static_cast<std::uint64_t>(load<std::uint32_t>(at)) * kPrime1;
        hash = std::rotl(hash, 23) * kPrime2 + kPrime3;
        at += 4;
    }
    for (; at < end; ++at) {
        hash ^= *at * kPrime5;
        hash = std::rotl(hash, 11) * kPrime1;
    }
    hash ^= hash >> 33;
    hash *= kPrime2;
    hash ^= hash >> 29;
    hash *= kPrime3;
    hash ^= hash >> 32;
    return hash;
}

}  // namespace trouvere::native
