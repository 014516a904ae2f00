#include "searcher/snippet_matches.h"

#include <algorithm>

namespace trouvere::searcher::snippets {

namespace {

bool phrase_at(const std::vector<Token>& tokens, std::size_t first,
               const std::vector<std::string>& phrase) {
    if (tokens.size() - first < phrase.size()) return false;
    for (std::size_t k = 0; k < phrase.size(); ++k) {
        const Token& token = tokens[first + k];
        if (token.term != phrase[k] || token.position != tokens[first].position + k) return false;
    }
    return true;
}

}  // namespace

Matches find_matches(std::string_view text, const std::vector<Token>& tokens,
                     const MatchSpec& match, std::size_t budget) {
    struct Found {
        std::size_t first;  // token indices, inclusive
        std::size_t last;
        std::uint32_t key;
    };
    std::vector<Found> found;
    Matches matches;

    std::unordered_map<std::string_view, std::uint32_t> term_keys;
    term_keys.reserve(match.terms.size());
    for (const std::string& term : match.terms) term_keys.emplace(term, matches.key_count++);
    if (!term_keys.empty()) {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            auto key = term_keys.find(tokens[i].term);
            if (key != term_keys.end()) found.push_back({i, i, key->second});
        }
    }
    for (const std::vector<std::string>& phrase : match.phrases) {
        std::uint32_t key = matches.key_count++;
        if (phrase.empty()) continue;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (phrase_at(tokens, i, phrase)) found.push_back({i, i + phrase.size() - 1, key});
        }
    }
    if (found.empty()) return matches;

    for (const Found& each : found) {
        for (std::size_t i = each.first; i <= each.last; ++i) matches.marked.push_back(i);
    }
    std::sort(matches.marked.begin(), matches.marked.end());
    matches.marked.erase(std::unique(matches.marked.begin(), matches.marked.end()),
                         matches.marked.end());

    // One pass over the text gives the columns of every marked token. A token starts with a
    // character that is not whitespace, so counting from there gives the same differences as
    // counting from the start of the text. No passage spans a gap of more than `budget` columns
    // between marked tokens, so the pass skips the rest of such a gap, which in a long article
    // is most of its text.
    std::vector<std::size_t> column_begin(matches.marked.size());
    std::vector<std::size_t> column_end(matches.marked.size());
    ColumnWalker walker(text, tokens[matches.marked.front()].begin);
    for (std::size_t k = 0; k < matches.marked.size(); ++k) {
        const Token& token = tokens[matches.marked[k]];
        column_begin[k] = walker.advance_or_skip_to(token.begin, budget);
        column_end[k] = walker.advance_to(token.end);
    }
    auto mark_index = [&](std::size_t token) {
        return static_cast<std::size_t>(
            std::lower_bound(matches.marked.begin(), matches.marked.end(), token) -
            matches.marked.begin());
    };

    std::vector<char> seen(matches.key_count, 0);
    matches.occurrences.reserve(found.size());
    for (const Found& each : found) {
        std::size_t first = mark_index(each.first);
        std::size_t last = mark_index(each.last);
        matches.occurrences.push_back({tokens[each.first].begin, tokens[each.last].end,
                                       column_begin[first], column_end[last], each.key});
        if (!seen[each.key]) {
            seen[each.key] = 1;
            ++matches.distinct;
        }
    }
    std::sort(matches.occurrences.begin(), matches.occurrences.end(),
              [](const Occurrence& a, const Occurrence& b) {
                  return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
              });
    return matches;
}

Window best_window(const std::vector<Occurrence>& occurrences, std::size_t from, std::size_t to,
                   std::size_t budget, std::vector<std::uint32_t>& counts) {
    Window best;
    std::uint32_t distinct = 0;
    auto add = [&](const Occurrence& occurrence) {
        if (counts[occurrence.key]++ == 0) ++distinct;
    };
    std::size_t next = from;
    for (std::size_t first = from; first < to; ++first) {
        if (next == first) add(occurrences[next++]);
        while (next < to &&
               occurrences[next].column_end - occurrences[first].column_begin <= budget) {
            add(occurrences[next++]);
        }
        Window candidate{first, next, distinct};
        if (candidate.better_than(best)) best = candidate;
        if (--counts[occurrences[first].key] == 0) --distinct;
    }
    return best;
}

Range span_of(const std::vector<Occurrence>& occurrences, const Window& window,
              std::vector<std::uint32_t>& counts) {
    Range span{occurrences[window.first].begin, occurrences[window.first].end};
    for (std::size_t k = window.first; k < window.last; ++k) {
        if (counts[occurrences[k].key]++ == 0) span.end = std::max(span.end, occurrences[k].end);
    }
    for (std::size_t k = window.first; k < window.last; ++k) counts[occurrences[k].key] = 0;
    return span;
}

std::vector<std::string_view> terms_of(const MatchSpec& match) {
    std::vector<std::string_view> terms(match.terms.begin(), match.terms.end());
    for (const std::vector<std::string>& phrase : match.phrases) {
        terms.insert(terms.end(), phrase.begin(), phrase.end());
    }
    return terms;
}

std::size_t block_end(std::string_view text, std::size_t from, std::size_t size) {
    for (std::size_t at = from + size; at < text.size(); ++at) {
        char c = text[at];
        if (text::is_ascii_white_space(c) && !(text[at - 1] >= '0' && text[at - 1] <= '9'))
            return at;
    }
    return text.size();
}

}  // namespace trouvere::searcher::snippets
