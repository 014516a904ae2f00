#include "core/term_scheme.h"

#include <charconv>

namespace trouvere::scheme {

std::uint64_t stable_hash(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char byte : bytes) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    }
    return hash;
}

std::string hex_hash(std::string_view bytes) {
    constexpr std::string_view kDigits = "0123456789abcdef";
    std::string hex(16, '0');
    std::uint64_t hash = stable_hash(bytes);
    for (auto digit = hex.rbegin(); digit != hex.rend(); ++digit, hash >>= 4U) {
        *digit = kDigits[hash & 0xFU];
    }
    return hex;
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

std::string bounded_key(std::string_view prefix, std::string_view text) {
    std::string key(prefix);
    key += text.substr(0, kKeptTextBytes);
    if (text.size() > kKeptTextBytes) {
        key += '#';
        key += hex_hash(text);
    }
    return key;
}

bool has_positions(std::string_view term) {
    // Folded stems start with a lower-case letter or a digit, prefixes are capitals.
    return term.empty() || term[0] < 'A' || term[0] > 'Z' || term.starts_with(kTitlePrefix);
}

std::string whole_title_term(const std::vector<std::string_view>& folded_words) {
    std::string title;
    for (std::string_view word : folded_words) {
        if (!title.empty()) title += ' ';
        title += word;
    }
    return bounded_key(kWholeTitlePrefix, title);
}

std::string id_term(std::string_view id) {
    return bounded_key(kIdPrefix, id);
}

std::string source_key(std::string_view absolute_path) {
    return bounded_key(kSourcePrefix, absolute_path);
}

}  // namespace trouvere::scheme
