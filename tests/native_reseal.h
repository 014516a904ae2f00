#pragma once

// Rewrites what a native index file's checksums cover, as a writer with a bug would: the bytes
// then pass every checksum, and only the readers' checks of the structures stand between them
// and a query. For the tests and the fuzz target that feed such files to the readers.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "native/byte_io.h"
#include "native/checksum.h"
#include "native/index_file.h"

namespace trouvere::testing {

/// Header fields (docs/NATIVE_FORMAT.md, "Header").
namespace native_header {
inline constexpr std::size_t kBytes = 128;
inline constexpr std::size_t kSectionCountAt = 12;
inline constexpr std::size_t kChunkBytesAt = 16;
inline constexpr std::size_t kRevisionAt = 32;
inline constexpr std::size_t kUuidLengthAt = 40;
inline constexpr std::size_t kUuidAt = 48;
inline constexpr std::size_t kMaxUuidBytes = 64;
inline constexpr std::size_t kChecksumAt = 120;
inline constexpr std::size_t kTableEntryBytes = 24;
}  // namespace native_header

/// Writes `source` into the header of `file` (at least a header long; `source.uuid` at most 64
/// bytes). The checksums are left as they are.
inline void stamp_native_source(std::string& file, const native::SourceState& source) {
    using namespace native_header;
    if (file.size() < kBytes || source.uuid.size() > kMaxUuidBytes) return;
    const auto uuid_length = static_cast<std::uint32_t>(source.uuid.size());
    std::memcpy(file.data() + kRevisionAt, &source.revision, sizeof source.revision);
    std::memcpy(file.data() + kUuidLengthAt, &uuid_length, sizeof uuid_length);
    std::memset(file.data() + kUuidAt, 0, kMaxUuidBytes);
    std::memcpy(file.data() + kUuidAt, source.uuid.data(), source.uuid.size());
}

/// Recomputes every chunk checksum whose place and range the header and section table of `file`
/// give, as far as the file holds them, then the front checksum. Any bytes: what the header says
/// is trusted only as far as the file's size allows.
inline void reseal_native_file(std::string& file) {
    using namespace native_header;
    if (file.size() < kBytes) return;
    auto* bytes = reinterpret_cast<std::uint8_t*>(file.data());
    const native::Bytes all(bytes, file.size());
    const auto put = [&](std::size_t at, std::uint64_t value) {
        std::memcpy(bytes + at, &value, sizeof value);
    };
    const auto sections = native::load<std::uint32_t>(bytes + kSectionCountAt);
    const auto chunk = native::load<std::uint32_t>(bytes + kChunkBytesAt);
    std::size_t meta_end = kBytes;
    if (sections <= (file.size() - kBytes) / kTableEntryBytes) {
        std::size_t next_sum = kBytes + kTableEntryBytes * sections;
        for (std::uint32_t k = 0; k < sections && chunk != 0; ++k) {
            const std::uint8_t* entry = bytes + kBytes + kTableEntryBytes * k;
            const auto offset = native::load<std::uint64_t>(entry + 8);
            const auto length = native::load<std::uint64_t>(entry + 16);
            for (std::uint64_t begin = 0; begin < length && next_sum + 8 <= file.size();
                 begin += chunk, next_sum += 8) {
                native::Bytes covered;
                if (offset + begin >= offset &&
                    native::checked_range(all, offset + begin,
                                          std::min<std::uint64_t>(chunk, length - begin),
                                          covered)) {
                    put(next_sum, native::checksum(covered));
                }
            }
        }
        meta_end = std::min(next_sum, file.size());
    }
    native::Buffer front(bytes, bytes + kChecksumAt);
    front.insert(front.end(), bytes + kBytes, bytes + meta_end);
    put(kChecksumAt, native::checksum(front));
}

/// Where section `id` lies in `file`, from its section table: {offset, length}, or {0, 0}.
inline std::pair<std::size_t, std::size_t> native_section(const std::string& file,
                                                          native::SectionId id) {
    using namespace native_header;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(file.data());
    const auto sections = native::load<std::uint32_t>(bytes + kSectionCountAt);
    for (std::uint32_t k = 0; k < sections; ++k) {
        const std::uint8_t* entry = bytes + kBytes + kTableEntryBytes * k;
        if (native::load<std::uint32_t>(entry) == static_cast<std::uint32_t>(id)) {
            return {native::load<std::uint64_t>(entry + 8),
                    native::load<std::uint64_t>(entry + 16)};
        }
    }
    return {0, 0};
}

}  // namespace trouvere::testing
