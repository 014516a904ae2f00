#include "searcher/did_you_mean.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/term_scheme.h"

namespace trouvere::searcher {

namespace {

/// A word of the query that no document has.
struct UnheldWord {
    /// The words or phrase node it is in, in the copy of the query being corrected.
    QueryNode* node = nullptr;
    /// Its bytes in the node's text as typed.
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string folded;
    std::string stem;
    /// The documents that have a word of its stem: those the word finds as typed.
    std::uint32_t stem_frequency = 0;
};

bool has_digit(std::string_view word) {
    return std::ranges::any_of(word, [](char c) { return c >= '0' && c <= '9'; });
}

/// The words under `node` that the index does not hold, in query order.
void collect_unheld(QueryNode& node, Analyzer& analyzer, MatchEngine& engine,
                    std::vector<UnheldWord>& unheld) {
    switch (node.kind) {
        case QueryNode::Kind::words:
        case QueryNode::Kind::phrase:
            for (const Token& token : analyzer.analyze(node.text)) {
                // Stopwords and words too long for a word term have none to look up, and numbers
                // are not misspelt words.
                if (token.is_stopword || token.word.empty() || has_digit(token.word)) continue;
                if (engine.frequency(std::string(scheme::kWordPrefix) + token.word) > 0) continue;
                unheld.push_back({&node, token.begin, token.end, token.word, token.term,
                                  engine.frequency(token.term)});
            }
            return;
        case QueryNode::Kind::date: return;
        case QueryNode::Kind::group:
        case QueryNode::Kind::all:
        case QueryNode::Kind::any:
            for (QueryNode& child : node.children) collect_unheld(child, analyzer, engine, unheld);
            return;
    }
}

/// A word of the query and what replaces it.
struct Replacement {
    QueryNode* node = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string display;
};

/// `typed` with each replacement made where its node's text lies in it.
std::string replaced_in(std::string_view typed, std::vector<Replacement> replacements) {
    std::ranges::sort(replacements, [](const Replacement& a, const Replacement& b) {
        return a.node->offset + a.begin < b.node->offset + b.begin;
    });
    std::string out;
    std::size_t copied = 0;
    for (const Replacement& replacement : replacements) {
        const std::size_t begin = replacement.node->offset + replacement.begin;
        out.append(typed.substr(copied, begin - copied));
        out += replacement.display;
        copied = replacement.node->offset + replacement.end;
    }
    out.append(typed.substr(copied));
    return out;
}

}  // namespace

std::optional<std::string> did_you_mean(const SearchedQuery& query, Analyzer& analyzer,
                                        MatchEngine& engine) {
    QueryNode corrected = query.root;
    std::vector<UnheldWord> unheld;
    collect_unheld(corrected, analyzer, engine, unheld);
    if (unheld.empty()) return std::nullopt;

    const native::SpellingDictionary& dictionary = engine.spelling_dictionary();
    std::vector<Replacement> replacements;
    // Whether some correction changes which documents the query finds, not only how it spells
    // a word its stem already finds.
    bool changes_the_matches = false;
    for (const UnheldWord& word : unheld) {
        const auto suggestion = dictionary.suggest(word.folded);
        if (!suggestion) continue;
        if (word.stem_frequency > 0) {
            // A word that finds documents through its stem may be a form of that stem that the
            // documents happen not to have (`chevaux` beside `cheval`): a word of another stem
            // replaces it only when more documents have that word than the word's own stem, as
            // for a typo whose stem is a stray one (`téait`, stemmed `te`, for `était`).
            const std::vector<Token> tokens = analyzer.analyze(suggestion->display);
            const bool same_stem = tokens.size() == 1 && tokens[0].term == word.stem;
            if (!same_stem && suggestion->frequency <= word.stem_frequency) continue;
            changes_the_matches = changes_the_matches || !same_stem;
        } else {
            changes_the_matches = true;
        }
        replacements.push_back({word.node, word.begin, word.end, suggestion->display});
    }
    if (replacements.empty() || !(query.answered_poorly || changes_the_matches)) {
        return std::nullopt;
    }

    // From the last word to the first, so that the offsets of those before stay true.
    std::for_each(replacements.rbegin(), replacements.rend(), [](const Replacement& replacement) {
        replacement.node->text.replace(replacement.begin, replacement.end - replacement.begin,
                                       replacement.display);
    });
    if (!query.matches_in_full(corrected)) return std::nullopt;
    return query.typed ? replaced_in(*query.typed, std::move(replacements)) : to_string(corrected);
}

}  // namespace trouvere::searcher
