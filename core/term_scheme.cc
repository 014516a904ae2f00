#include "core/term_scheme.h"

#include <charconv>
#include <cstdio>

namespace trouvere::scheme {

std::uint64_t stable_hash(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char byte : bytes) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    }
    return hash;
}

bool is_older_version(std::string_view version) {
    auto as_number = [](std::string_view text) {
        int number = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        return error == std::errc() && end == text.data() + text.size() ? number : -1;
    };
    int stored = as_number(version);
    return stored > 0 && stored < as_number(kSchemeVersion);
}

std::string id_term(std::string_view id) {
    constexpr std::size_t kKeptBytes = 200;
    std::string term(kIdPrefix);
    if (id.size() <= kKeptBytes) {
        term += id;
        return term;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(stable_hash(id)));
    term += id.substr(0, kKeptBytes);
    term += '#';
    term += hex;
    return term;
}

}  // namespace trouvere::scheme
