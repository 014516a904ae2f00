// "Did you mean": which words of a query to correct, with what, and whether the corrected query
// is worth proposing (SearchResults::suggestion).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "searcher/match_engine.h"
#include "trouvere/analyzer.h"
#include "trouvere/query.h"

namespace trouvere::searcher {

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
/// not misspelt words). Each word not held is replaced by its correction in the engine's
/// spelling dictionary (SpellingDictionary::suggest), shown with its accents, except that a word
/// whose stem matches documents is replaced by a word of another stem only when more documents
/// have that word than the word's stem (`téait`, stemmed `te`, by `était`; not `chevaux`, whose
/// stem is `cheval`'s, by a rarer `cheveux`). The corrected query is proposed when some word
/// changed, the query was answered poorly or some correction changes what it finds (not only a
/// word's spelling within its stem: `militair` alone finds what `militaire` does), and the
/// corrected query matches without falling back to any word. The dictionary is asked for only
/// when some word is not held. Throws as the engine's calls do.
[[nodiscard]] std::optional<std::string> did_you_mean(const SearchedQuery& query,
                                                      Analyzer& analyzer, MatchEngine& engine);

}  // namespace trouvere::searcher
