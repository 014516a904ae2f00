// "Did you mean": which words of a query to correct, with what, and whether the corrected query
// is worth proposing (SearchResults::suggestion).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "searcher/match_engine.h"
#include "searcher/spelling.h"
#include "trouvere/analyzer.h"
#include "trouvere/query.h"

namespace trouvere::searcher {

/// The surface words of the index as `engine` holds them: its word terms (scheme::kWordPrefix,
/// folded words) with the number of documents holding each, each shown as the most frequent of
/// its exact-word terms (scheme::kExactWordPrefix, accented forms) that folds to it, the bytewise
/// smallest among equals, unless more documents have the word and none of its accented forms:
/// then, and for a word without accented forms, it is shown folded. Reads every such term: half
/// a second on the Littré. Throws as the engine's calls do.
[[nodiscard]] SpellingDictionary read_spelling_dictionary(MatchEngine& engine);

/// A spelling dictionary and the state of the database it was read from.
struct CachedSpelling {
    MatchEngine::State state;
    SpellingDictionary dictionary;
};

/// A query as searched, for did_you_mean().
struct SearchedQuery {
    const QueryNode& root;
    /// The text `root` was parsed from, where corrected words are replaced in place; nullopt
    /// for a tree built in code, whose suggestion is the corrected tree rendered by to_string().
    std::optional<std::string_view> typed;
    /// The query matched nothing, or matched only by falling back to any of its free words.
    bool answered_poorly = false;
    /// Whether a query tree matches some document without falling back to any of its free
    /// words, within the date bounds of the search: what the corrected query must do.
    std::function<bool(const QueryNode&)> matches_in_full;
};

/// The query to propose instead of `query`, or nullopt. A query word is held by the index when
/// a document has it (its folded form is a word term), when it is a stopword (which has no word
/// term), when it is too long to have one (over 64 bytes), or when it holds a digit (numbers are
/// not misspelt words). A suggestion is looked for when some word is not held, and either the
/// query was answered poorly or that word's stem matches no document in its field. Each word not
/// held is then replaced by SpellingDictionary::suggest's correction of it, shown with its
/// accents, but a word whose stem matches documents keeps its meaning: it is replaced only by a
/// word of the same stem (`militair` by `militaire`, not `chevaux` by `cheveux`). The corrected
/// query is proposed when some word changed and it matches without falling back to any word.
///
/// The dictionary is read from `engine` only when some word is not held, and kept in `cache`
/// for later queries while the engine answers from the same state. Throws as the engine's calls
/// do.
[[nodiscard]] std::optional<std::string> did_you_mean(const SearchedQuery& query,
                                                      Analyzer& analyzer, MatchEngine& engine,
                                                      std::optional<CachedSpelling>& cache);

}  // namespace trouvere::searcher
