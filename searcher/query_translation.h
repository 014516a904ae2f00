#pragma once

#include <string>
#include <vector>

#include "searcher/snippet_builder.h"
#include "searcher/term_query.h"
#include "trouvere/analyzer.h"
#include "trouvere/query.h"

namespace trouvere::searcher {

/// How juxtaposed free words combine: first all of them, and if no document has them all, any.
enum class FreeWords { all, any };

struct Translation {
    TermQuery query;
    /// What to mark in snippets: every word the query looks for, none it excludes.
    MatchSpec match;
    /// Some group has several free words, so FreeWords::any would match more documents.
    bool can_relax = false;
};

/// Translates the user's query tree into a query over the term scheme, analysing every word with
/// `analyzer` exactly as indexing did. An empty Translation::query means nothing in the
/// tree was searchable. Throws QueryError when the tree holds more than kMaxQueryTerms words
/// (core/limits.h).
[[nodiscard]] Translation translate(const QueryNode& root, Analyzer& analyzer, FreeWords mode);

}  // namespace trouvere::searcher
