#include "searcher/did_you_mean.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "core/term_scheme.h"
#include "text/folding.h"

namespace trouvere::searcher {

SpellingDictionary read_spelling_dictionary(MatchEngine& engine) {
    const std::string word_prefix(scheme::kWordPrefix);
    const std::string exact_prefix(scheme::kExactWordPrefix);
    // Each accented form under the folded word it stands for, the one to show first.
    std::vector<SpellingEntry> forms;
    for (MatchEngine::TermFrequency& term : engine.terms_with_prefix(exact_prefix)) {
        std::string accented = term.term.substr(exact_prefix.size());
        std::string folded = text::strip_accents(accented);
        forms.push_back({std::move(folded), term.documents, std::move(accented)});
    }
    std::ranges::sort(forms, [](const SpellingEntry& a, const SpellingEntry& b) {
        return std::tie(a.folded, b.frequency, a.display) <
               std::tie(b.folded, a.frequency, b.display);
    });

    // Word terms come in byte order, and so do their folded words.
    std::vector<SpellingEntry> entries;
    auto form = forms.begin();
    for (MatchEngine::TermFrequency& term : engine.terms_with_prefix(word_prefix)) {
        std::string folded = term.term.substr(word_prefix.size());
        while (form != forms.end() && form->folded < folded) ++form;
        const auto best = form;
        std::int64_t accented_documents = 0;
        for (; form != forms.end() && form->folded == folded; ++form) {
            accented_documents += form->frequency;
        }
        // The documents that have no accented form of the word write it without accents: when
        // they outnumber those of the most frequent accented form (`premier` against a stray
        // `prémier`, `courbe` against `courbé`), the word is shown folded.
        const std::int64_t unaccented_at_least = term.documents - accented_documents;
        std::string display =
            best != form && best->frequency >= unaccented_at_least ? best->display : std::string();
        entries.push_back({std::move(folded), term.documents, std::move(display)});
    }
    return SpellingDictionary(std::move(entries));
}

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
    /// Some document has a word of its stem: the word finds documents as typed.
    bool stem_matches = false;
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
                // Stopwords and words too long for a word term have none to look up.
                if (token.is_stopword || token.word.empty() || has_digit(token.word)) continue;
                if (engine.frequency(std::string(scheme::kWordPrefix) + token.word) > 0) continue;
                unheld.push_back({&node, token.begin, token.end, token.word, token.term,
                                  engine.frequency(token.term) > 0});
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

const SpellingDictionary& dictionary_of(MatchEngine& engine, std::optional<CachedSpelling>& cache) {
    MatchEngine::State state = engine.state();
    if (!cache || cache->state != state) {
        cache = CachedSpelling{std::move(state), read_spelling_dictionary(engine)};
    }
    return cache->dictionary;
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
                                        MatchEngine& engine, std::optional<CachedSpelling>& cache) {
    QueryNode corrected = query.root;
    std::vector<UnheldWord> unheld;
    collect_unheld(corrected, analyzer, engine, unheld);
    const bool some_word_finds_nothing =
        std::ranges::any_of(unheld, [](const UnheldWord& word) { return !word.stem_matches; });
    if (unheld.empty() || !(query.answered_poorly || some_word_finds_nothing)) return std::nullopt;

    const SpellingDictionary& dictionary = dictionary_of(engine, cache);
    std::vector<Replacement> replacements;
    for (const UnheldWord& word : unheld) {
        const auto suggestion = dictionary.suggest(word.folded);
        if (!suggestion) continue;
        if (word.stem_matches) {
            const std::vector<Token> tokens = analyzer.analyze(suggestion->display);
            if (tokens.size() != 1 || tokens[0].term != word.stem) continue;
        }
        replacements.push_back({word.node, word.begin, word.end, suggestion->display});
    }
    if (replacements.empty()) return std::nullopt;

    // From the last word to the first, so that the offsets of those before stay true.
    for (auto replacement = replacements.rbegin(); replacement != replacements.rend();
         ++replacement) {
        replacement->node->text.replace(replacement->begin, replacement->end - replacement->begin,
                                        replacement->display);
    }
    if (!query.matches_in_full(corrected)) return std::nullopt;
    return query.typed ? replaced_in(*query.typed, std::move(replacements)) : to_string(corrected);
}

}  // namespace trouvere::searcher
