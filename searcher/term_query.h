#pragma once

#include <string>
#include <vector>

#include "core/dates.h"

namespace trouvere::searcher {

/// A query over the terms of the term scheme (core/term_scheme.h), what every matching engine
/// answers: the engine-neutral half of the searcher analyses the user's query tree into one, and
/// each engine translates it into its own matcher. Its operators mean what Xapian's of the same
/// name mean, scores included (BM25 summed over the subqueries that match), so that every engine
/// gives Xapian's answers.
///
/// Built only through the functions below, which keep it in the simplest form: no empty part,
/// no AND or OR of a single part. An empty TermQuery matches nothing.
struct TermQuery {
    enum class Op {
        nothing,     ///< matches no document (the empty query)
        everything,  ///< matches every document, weight 0
        term,        ///< the documents indexing `term`
        all,         ///< every part matches; the weights add up
        any,         ///< one part at least matches; the weights of those that do add up
        phrase,      ///< every part is a term, and they occur adjacent and in order
        and_maybe,   ///< parts[0] matches; parts[1] only adds its weight where it matches too
        and_not,     ///< parts[0] matches and parts[1] does not; only parts[0] weighs
        dated,       ///< the documents dated first_day to last_day (inclusive), weight 0
        sourced,     ///< the documents whose source is `term`, as stored, weight 0
    };

    Op op = Op::nothing;
    std::string term;
    std::vector<TermQuery> parts;
    dates::DayNumber first_day = dates::kNoDay;
    dates::DayNumber last_day = dates::kNoDay;

    [[nodiscard]] bool empty() const { return op == Op::nothing; }
    bool operator==(const TermQuery&) const = default;
};

[[nodiscard]] TermQuery term_query(std::string term);
[[nodiscard]] TermQuery match_everything();
/// Empty when a part is empty or there is none; the part itself when it is alone.
[[nodiscard]] TermQuery all_of(std::vector<TermQuery> parts);
/// Without the empty parts; empty when none is left; the part itself when it is alone.
[[nodiscard]] TermQuery any_of(std::vector<TermQuery> parts);
/// `terms` adjacent and in order; a single term is that term.
[[nodiscard]] TermQuery phrase_of(const std::vector<std::string>& terms);
/// `required`, scored higher where `optional` also matches; `required` alone when `optional`
/// is empty.
[[nodiscard]] TermQuery and_maybe(TermQuery required, TermQuery optional);
/// `required` without what `excluded` matches; `required` alone when `excluded` is empty.
[[nodiscard]] TermQuery and_not(TermQuery required, TermQuery excluded);

/// The documents dated `first_day` to `last_day`, both included, the range kept within kFirstDay
/// to kLastDay; empty when it holds no day.
[[nodiscard]] TermQuery dated_between(dates::DayNumber first_day, dates::DayNumber last_day);

/// The documents whose source is `source`, byte for byte as stored; empty when `source` is.
[[nodiscard]] TermQuery from_source(std::string source);

/// A compact rendering for tests and debugging: `(and_maybe (phrase a b) (any Ax Ay))`; a
/// date range is `(dated 2024-01-01..2024-06-30)`, a source `(source Le Monde)`.
[[nodiscard]] std::string to_string(const TermQuery& query);

}  // namespace trouvere::searcher
