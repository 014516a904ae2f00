// Finding matches: where the words a query matched occur in a text, and which run of them a
// passage of a given length shows best. Which words match is the analyser's decision alone (so
// `l’accord` marks `accord` and `militaires` marks `militaire`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "searcher/snippet_builder.h"
#include "searcher/snippet_columns.h"
#include "trouvere/analyzer.h"

namespace trouvere::searcher::snippets {

/// A matched word, or a whole phrase occurrence, as the passage chooser sees it.
struct Occurrence {
    std::size_t begin = 0;  // bytes
    std::size_t end = 0;
    // Columns from the first marked word: only their differences are used, so the text before
    // the first match (most of a long article, for a rare word) is never counted. A difference
    // is exact up to the budget find_matches was given; past it, it only says "more".
    std::size_t column_begin = 0;
    std::size_t column_end = 0;
    std::uint32_t key = 0;  // the term or phrase matched: terms first, then phrases
};

struct Matches {
    std::vector<std::size_t> marked;      // indices of the tokens to highlight, in text order
    std::vector<Occurrence> occurrences;  // sorted by begin, then end
    std::uint32_t key_count = 0;
    std::uint32_t distinct = 0;  // keys found at least once
};

/// The occurrences of `match` in `tokens`, with their columns exact up to `budget` apart.
[[nodiscard]] Matches find_matches(std::string_view text, const std::vector<Token>& tokens,
                                   const MatchSpec& match, std::size_t budget);

/// A run of consecutive occurrences, [first, last).
struct Window {
    std::size_t first = 0;
    std::size_t last = 0;
    std::uint32_t distinct = 0;

    // Among windows with as many distinct keys, the earliest wins (callers scan in text order),
    // not the one with the most repeats: that way the text after the first window that shows every
    // key never needs analysing (see tokens_as_needed).
    [[nodiscard]] bool better_than(const Window& other) const { return distinct > other.distinct; }
};

/// The run of occurrences[from, to) spanning at most `budget` columns with the most distinct keys,
/// then the earliest. An occurrence longer than the budget still forms a window on its own.
/// `counts` has one zero per key and is left that way.
[[nodiscard]] Window best_window(const std::vector<Occurrence>& occurrences, std::size_t from,
                                 std::size_t to, std::size_t budget,
                                 std::vector<std::uint32_t>& counts);

/// The bytes from the window's first occurrence to the last occurrence that brings a key of its
/// own. Repeats after that would only take room from the context around the match.
[[nodiscard]] Range span_of(const std::vector<Occurrence>& occurrences, const Window& window,
                            std::vector<std::uint32_t>& counts);

/// Every term `match` marks, phrase words included.
[[nodiscard]] std::vector<std::string_view> terms_of(const MatchSpec& match);

/// Where a block of analysis that starts at `from` and is about `size` bytes long may end: before
/// an ASCII space or line break that does not follow a digit. Every analysis step decides within a
/// word or across a single separator (thousands groups like `25 000` are the one case that spans
/// a space, hence the digit rule), so analysing the blocks one by one gives the same tokens as
/// analysing the whole text.
[[nodiscard]] std::size_t block_end(std::string_view text, std::size_t from, std::size_t size);

struct TokensAndMatches {
    std::vector<Token> tokens;
    Matches matches;  // find_matches of tokens
};

/// The tokens of `text` as far as the snippet needs them, and their matches: every token up to the
/// point where the earliest window of `budget` columns showing every key of `match` is known, and
/// `budget` more columns after it for the passage to end in. Without such a window, the whole text.
/// On a long document whose first lines show the query, this saves analysing, or locating and
/// counting the columns of, the rest of it. `append_tokens(from, to, tokens)` appends those of
/// text[from, to) in order; it is asked for consecutive blocks, each ending before a separator
/// (block_end).
template <typename AppendTokens>
TokensAndMatches tokens_as_needed(std::string_view text, const MatchSpec& match, std::size_t budget,
                                  AppendTokens append_tokens) {
    // Doubling the block keeps the repeated window checks to a logarithmic number.
    constexpr std::size_t kFirstBlockBytes = 512;
    // Until every term has been seen, no window can show every key, and the window search is not
    // worth running.
    std::unordered_map<std::string_view, bool> seen;
    for (std::string_view term : terms_of(match)) seen.emplace(term, false);
    std::size_t unseen = seen.size();

    std::vector<Token> tokens;
    std::size_t done = 0;
    for (std::size_t block = kFirstBlockBytes; done < text.size(); block *= 2) {
        std::size_t end = block_end(text, done, block);
        std::size_t first_new = tokens.size();
        append_tokens(done, end, tokens);
        for (std::size_t k = first_new; k < tokens.size() && unseen > 0; ++k) {
            auto term = seen.find(tokens[k].term);
            if (term != seen.end() && !term->second) {
                term->second = true;
                --unseen;
            }
        }
        done = end;
        if (done >= text.size()) break;
        if (unseen > 0) continue;

        Matches matches = find_matches(text, tokens, match, budget);
        if (matches.distinct < matches.key_count) continue;
        std::vector<std::uint32_t> counts(matches.key_count, 0);
        Window best =
            best_window(matches.occurrences, 0, matches.occurrences.size(), budget, counts);
        if (best.distinct < matches.key_count) continue;
        std::size_t last_hit_end = matches.occurrences[best.last - 1].end;
        if (done >= ColumnWalker(text, last_hit_end).advance_within(budget + 1, text.size())) {
            return {std::move(tokens), std::move(matches)};
        }
    }
    Matches matches = find_matches(text, tokens, match, budget);
    return {std::move(tokens), std::move(matches)};
}

}  // namespace trouvere::searcher::snippets
