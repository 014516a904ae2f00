#pragma once

// Little-endian fixed-width integers and LEB128 varints, written into a growing buffer and read
// back through a cursor that checks every length against the bytes it was given: the native
// index is read from a mapping that may hold anything, and no read may leave it.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace trouvere::native {

// The format is little-endian, the byte order of every machine trouvere is built for; loads and
// stores are then plain copies.
static_assert(std::endian::native == std::endian::little,
              "the native index is read and written on little-endian machines only");

using Bytes = std::span<const std::uint8_t>;
using Buffer = std::vector<std::uint8_t>;

template <typename Integer>
[[nodiscard]] inline Integer load(const std::uint8_t* bytes) {
    Integer value;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

template <typename Integer>
inline void append(Buffer& out, Integer value) {
    const auto old_size = out.size();
    out.resize(old_size + sizeof value);
    std::memcpy(out.data() + old_size, &value, sizeof value);
}

template <typename Integer>
inline void store(Buffer& out, std::size_t at, Integer value) {
    std::memcpy(out.data() + at, &value, sizeof value);
}

inline void append_varint(Buffer& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(value | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(value));
}

inline void append_bytes(Buffer& out, Bytes bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

inline void append_bytes(Buffer& out, std::string_view bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

[[nodiscard]] inline std::string_view as_text(Bytes bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// Reads a byte range front to back. Every read checks what is left first and fails, leaving the
/// reader where it was, rather than read past the end.
class ByteReader {
public:
    explicit ByteReader(Bytes bytes) : bytes_(bytes) {}

    [[nodiscard]] std::size_t position() const { return position_; }
    [[nodiscard]] std::size_t remaining() const { return bytes_.size() - position_; }
    [[nodiscard]] bool at_end() const { return position_ == bytes_.size(); }

    /// A varint of at most ten bytes whose value fits 64 bits.
    [[nodiscard]] bool varint(std::uint64_t& value) {
        std::uint64_t result = 0;
        for (std::size_t k = 0; k < 10; ++k) {
            if (position_ + k >= bytes_.size()) return false;
            const std::uint64_t byte = bytes_[position_ + k];
            if (k == 9 && byte > 1) return false;
            result |= (byte & 0x7F) << (7 * k);
            if ((byte & 0x80) == 0) {
                position_ += k + 1;
                value = result;
                return true;
            }
        }
        return false;
    }

    /// A varint that must fit 32 bits.
    [[nodiscard]] bool varint32(std::uint32_t& value) {
        std::uint64_t wide = 0;
        const std::size_t start = position_;
        if (!varint(wide)) return false;
        if (wide > UINT32_MAX) {
            position_ = start;
            return false;
        }
        value = static_cast<std::uint32_t>(wide);
        return true;
    }

    template <typename Integer>
    [[nodiscard]] bool fixed(Integer& value) {
        if (remaining() < sizeof value) return false;
        value = load<Integer>(bytes_.data() + position_);
        position_ += sizeof value;
        return true;
    }

    [[nodiscard]] bool take(std::size_t count, Bytes& out) {
        if (remaining() < count) return false;
        out = bytes_.subspan(position_, count);
        position_ += count;
        return true;
    }

    [[nodiscard]] bool skip(std::size_t count) {
        if (remaining() < count) return false;
        position_ += count;
        return true;
    }

private:
    Bytes bytes_;
    std::size_t position_ = 0;
};

/// `bytes[offset, offset + length)` when it lies inside `bytes`, else an empty span and false.
[[nodiscard]] inline bool checked_range(Bytes bytes, std::uint64_t offset, std::uint64_t length,
                                        Bytes& out) {
    if (offset > bytes.size() || length > bytes.size() - offset) return false;
    out = bytes.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
    return true;
}

}  // namespace trouvere::native
