#pragma once

#include <cstdint>

#include "native/byte_io.h"

namespace trouvere::native {

/// XXH64 of `bytes` with seed 0, as specified by the xxHash project: the checksum of every part
/// of the native index. Fast enough (several GB/s) to check a part the first time a query reads
/// it, which keeps opening an index cheap.
[[nodiscard]] std::uint64_t checksum(Bytes bytes);

}  // namespace trouvere::native
