#pragma once

// Query evaluation over trouvere's own index: a tree of matchers, one per TermQuery node, walked
// document at a time in docid order, scored with Xapian's BM25 (native/bm25.h).
//
// Every match is counted until `count_at_least` of them have been, and the count is then exact
// if the walk ends there. Past that, and once the top k is full, the walk leaves out what
// cannot enter the top k: the lowest score in it is a threshold that every node learns, scaled
// to its share of the score, and then
// - a term skips the blocks whose bound (its skip entries) is not above its threshold;
// - an AND skips the runs of documents where its parts' block bounds add up to no more, before
//   it decodes a block, and checks a phrase's positions only for candidates whose score is above;
// - an OR leaves the parts whose bounds add up to no more (MaxScore), visiting only the
//   documents of the others, and looks into the former only while their block bounds can still
//   lift a document above the threshold;
// - an AND_MAYBE whose required part alone cannot pass the threshold becomes an AND.
// A document left out scores at most the threshold, so the top k is the one a full walk gives;
// the count is then a lower bound, and the estimate extrapolates it.
//
// Under a date order, or when counting by year or source, nothing is left out: every match is
// walked, counted by its day and source (native/document_values.h), and the page kept in a heap
// of offset + limit, by day, then score, then docid.

#include <cstddef>

#include "native/native_index.h"
#include "searcher/match_engine.h"
#include "searcher/term_query.h"

namespace trouvere::searcher {

/// The documents `query` matches in `index`, ranked offset to offset + limit as `request` says,
/// in Xapian's order: by relevance, score descending then docid ascending; by date, the day
/// (undated documents last), then score descending, then docid ascending. By relevance without
/// counts by value, documents are left out once `count_at_least` matches are counted; otherwise
/// every match is counted. Throws native::Damaged when a list read on the way does not hold.
[[nodiscard]] MatchEngine::Matches match_native(const native::NativeIndex& index,
                                                const TermQuery& query,
                                                const MatchEngine::Request& request);

}  // namespace trouvere::searcher
