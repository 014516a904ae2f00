// Checks shared by the fuzz targets. A property that does not hold is a bug as real as a crash,
// so it ends the run the same way: a message saying what broke, then abort(), which libFuzzer
// reports as a crash and saves the input for.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>

#include "tests/utf8_checks.h"

namespace trouvere::fuzz {

[[noreturn]] inline void fail(std::string_view property, std::string_view detail = {}) {
    // Whether the message could be written changes nothing: the abort follows either way.
    static_cast<void>(std::fprintf(stderr, "\nPROPERTY VIOLATED: %.*s\n",
                                   static_cast<int>(property.size()), property.data()));
    if (!detail.empty()) {
        static_cast<void>(
            std::fprintf(stderr, "  %.*s\n", static_cast<int>(detail.size()), detail.data()));
    }
    std::abort();
}

inline void check(bool holds, std::string_view property) {
    if (!holds) fail(property);
}

/// Like check(holds, property), with `describe()` (returning the offending value, shown) as the
/// detail. It is only called when the property fails: shown values are costly to build, and
/// building them for every check took a third of a run.
template <typename Describe>
requires std::is_invocable_v<Describe&>
void check(bool holds, std::string_view property, Describe&& describe) {
    if (!holds) fail(property, describe());
}

using testing::code_points;
using testing::is_valid_utf8;
using testing::on_character_boundary;

/// The bytes of `text`, escaped so that a violation message shows them whatever they hold.
inline std::string printable(std::string_view text, std::size_t limit = 200) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte < 0x7F && byte != '\\') {
            out += static_cast<char>(byte);
        } else {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    if (text.size() > limit) out += "...";
    return out;
}

}  // namespace trouvere::fuzz
