// ASCII case, for the parts of the text that are ASCII by definition: markup names, file
// extensions, operators and field names of the query language, the elided articles. Words of the
// text itself are folded by text/folding.h instead.
#pragma once

#include <algorithm>
#include <string_view>

namespace trouvere::text {

/// `c` in lower case if it is an ASCII capital letter, else `c` itself.
[[nodiscard]] constexpr char lower_ascii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] constexpr bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Whether `a` and `b` are equal once their ASCII letters are lowered.
[[nodiscard]] constexpr bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower_ascii(x) == lower_ascii(y);
           });
}

}  // namespace trouvere::text
