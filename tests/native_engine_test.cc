#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/dates.h"
#include "core/term_scheme.h"
#include "native/native_index.h"
#include "searcher/native_engine.h"
#include "searcher/query_translation.h"
#include "searcher/term_query.h"
#include "searcher/xapian_engine.h"
#include "tests/native_corpus.h"
#include "tests/test_support.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"
#include "trouvere/index_writer.h"
#include "trouvere/query.h"

namespace {

using trouvere::searcher::MatchEngine;
using trouvere::searcher::TermQuery;
using trouvere::testing::TempDir;

// Both engines over one generated database whose docids have holes.
struct TwoEngines {
    TempDir dir;
    std::string db = (dir.path() / "db").string();
    std::unique_ptr<MatchEngine> xapian;
    std::unique_ptr<trouvere::searcher::NativeEngine> native;
    /// Each dated document's date, as Xapian holds it.
    std::map<MatchEngine::DocumentNumber, std::string> dates;

    /// `document`'s date, empty when it has none.
    [[nodiscard]] std::string date_of(MatchEngine::DocumentNumber document) const {
        const auto found = dates.find(document);
        return found == dates.end() ? std::string() : found->second;
    }

    explicit TwoEngines(std::size_t documents)
        : TwoEngines(trouvere::testing::generated_documents(21, documents)) {}

    explicit TwoEngines(std::vector<trouvere::Document> documents) {
        (void)trouvere::testing::write_with_holes(db, std::move(documents), {.remove_every = 9});
        xapian = trouvere::searcher::open_xapian_engine(db);
        auto opening = trouvere::searcher::open_native_engine(db, *xapian);
        REQUIRE(opening.engine);
        native = std::move(opening.engine);
        Xapian::Database database(db);
        for (auto date = database.valuestream_begin(trouvere::scheme::kDateSlot);
             date != database.valuestream_end(trouvere::scheme::kDateSlot); ++date) {
            dates[date.get_docid()] = *date;
        }
    }
};

// Generated documents with days to filter, sort and count by: a sixth undated, the others on
// a few dozen days over five years (two of them 29 February), so that many share a day; sources
// that differ only by case, and a fifth without one.
std::vector<trouvere::Document> dated_documents(std::size_t count) {
    auto documents = trouvere::testing::generated_documents(31, count);
    std::vector<std::string> days = {"2000-02-29", "2024-02-29"};
    for (int year : {1999, 2000, 2023, 2024, 2025}) {
        for (int k = 0; k < 8; ++k) {
            days.push_back(trouvere::dates::iso_day(static_cast<trouvere::dates::DayNumber>(
                year * 10000 + (1 + k * 5 % 12) * 100 + 1 + k * 7 % 28)));
        }
    }
    const char* const sources[] = {"Le Monde",   "le monde",   "LE MONDE",
                                   "Libération", "l'Humanité", "Ouest-France"};
    std::mt19937 random(37);
    for (auto& document : documents) {
        document.date = random() % 6 == 0 ? "" : days[random() % days.size()];
        document.source = random() % 5 == 0 ? "" : sources[random() % std::size(sources)];
    }
    return documents;
}

bool close_enough(double a, double b, double tolerance) {
    return std::fabs(a - b) <= tolerance * std::max(std::fabs(a), std::fabs(b));
}

// Every match of `query` with its score, from both engines: the same documents, the same scores
// to `tolerance` relative.
void require_same_matches(TwoEngines& engines, const TermQuery& query, double tolerance) {
    INFO("query: " << trouvere::searcher::to_string(query));
    const std::size_t all = engines.xapian->document_count() + 1;
    auto expected = engines.xapian->match(query, {0, all, SIZE_MAX});
    auto got = engines.native->match(query, {0, all, SIZE_MAX});
    std::map<std::uint32_t, double> expected_scores;
    for (const auto& match : expected.ranked) expected_scores[match.document] = match.score;
    std::map<std::uint32_t, double> got_scores;
    for (const auto& match : got.ranked) got_scores[match.document] = match.score;
    REQUIRE(got.exact);
    REQUIRE(got.estimate == expected.ranked.size());
    REQUIRE(got.upper_bound == expected.ranked.size());
    REQUIRE(got_scores.size() == expected_scores.size());
    for (const auto& [document, score] : expected_scores) {
        INFO("document " << document << ": Xapian " << score << ", native "
                         << got_scores[document]);
        REQUIRE(got_scores.count(document) == 1);
        REQUIRE(close_enough(got_scores[document], score, tolerance));
    }
    // Ranked alike: by score, then by docid.
    for (std::size_t k = 1; k < got.ranked.size(); ++k) {
        const auto& before = got.ranked[k - 1];
        const auto& after = got.ranked[k];
        REQUIRE((before.score > after.score ||
                 (before.score == after.score && before.document < after.document)));
    }
}

// The page offset to offset + limit of `query` when the native engine leaves out documents from
// the first match on, against Xapian's from counting every match: the same scores rank by rank,
// the same documents where a score is not tied; an exact count only where nothing was left out,
// and an estimate within the bounds.
void require_same_page(TwoEngines& engines, const TermQuery& query, std::size_t offset,
                       std::size_t limit, double tolerance) {
    INFO("query: " << trouvere::searcher::to_string(query) << ", offset " << offset << ", limit "
                   << limit);
    auto expected = engines.xapian->match(query, {offset, limit, SIZE_MAX});
    auto got = engines.native->match(query, {offset, limit, 0});
    REQUIRE(got.ranked.size() == expected.ranked.size());
    auto tied = [&](std::size_t k) {
        const auto& ranked = expected.ranked;
        return (k > 0 && close_enough(ranked[k - 1].score, ranked[k].score, tolerance)) ||
               (k + 1 < ranked.size() &&
                close_enough(ranked[k + 1].score, ranked[k].score, tolerance));
    };
    for (std::size_t k = 0; k < got.ranked.size(); ++k) {
        INFO("rank " << offset + k + 1 << ": Xapian " << expected.ranked[k].document << " "
                     << expected.ranked[k].score << ", native " << got.ranked[k].document << " "
                     << got.ranked[k].score);
        REQUIRE(close_enough(got.ranked[k].score, expected.ranked[k].score, tolerance));
        if (!tied(k)) REQUIRE(got.ranked[k].document == expected.ranked[k].document);
    }
    if (got.exact) {
        REQUIRE(got.estimate == expected.estimate);
    } else {
        REQUIRE(got.estimate <= got.upper_bound);
        REQUIRE(got.upper_bound >= expected.estimate);
    }
}

std::vector<MatchEngine::ValueCount> sorted(std::vector<MatchEngine::ValueCount> counts) {
    std::sort(counts.begin(), counts.end(),
              [](const auto& a, const auto& b) { return a.value < b.value; });
    return counts;
}

// The answer of both engines to `query` under `request`, which counts every match: the same
// count, exact; the same page, rank by rank the same day (under a date order) and score, and
// the same document unless another of the page has that day and score; the same counts by year
// and by source.
void require_same_answer(TwoEngines& engines, const TermQuery& query,
                         const MatchEngine::Request& request, double tolerance) {
    INFO("query: " << trouvere::searcher::to_string(query) << ", order "
                   << static_cast<int>(request.order) << ", offset " << request.offset << ", limit "
                   << request.limit << ", years " << request.count_years << ", sources "
                   << request.count_sources);
    const auto expected = engines.xapian->match(query, request);
    const auto got = engines.native->match(query, request);
    REQUIRE(expected.exact);
    REQUIRE(got.exact);
    REQUIRE(got.estimate == expected.estimate);
    REQUIRE(got.upper_bound == expected.upper_bound);
    REQUIRE(got.ranked.size() == expected.ranked.size());
    const bool by_date = request.order != MatchEngine::Order::relevance;
    const auto& ranked = expected.ranked;
    auto day_of = [&](MatchEngine::DocumentNumber document) {
        return by_date ? engines.date_of(document) : std::string();
    };
    auto same_rank = [&](std::size_t a, std::size_t b) {
        return day_of(ranked[a].document) == day_of(ranked[b].document) &&
               close_enough(ranked[a].score, ranked[b].score, tolerance);
    };
    for (std::size_t k = 0; k < got.ranked.size(); ++k) {
        INFO("rank " << request.offset + k + 1 << ": Xapian " << ranked[k].document << " "
                     << ranked[k].score << " '" << engines.date_of(ranked[k].document)
                     << "', native " << got.ranked[k].document << " " << got.ranked[k].score << " '"
                     << engines.date_of(got.ranked[k].document) << "'");
        REQUIRE(day_of(got.ranked[k].document) == day_of(ranked[k].document));
        REQUIRE(close_enough(got.ranked[k].score, ranked[k].score, tolerance));
        const bool tied =
            (k > 0 && same_rank(k - 1, k)) || (k + 1 < ranked.size() && same_rank(k + 1, k));
        if (!tied) REQUIRE(got.ranked[k].document == ranked[k].document);
    }
    REQUIRE(sorted(got.years) == sorted(expected.years));
    REQUIRE(sorted(got.sources) == sorted(expected.sources));
    if (!request.count_years) REQUIRE(got.years.empty());
    if (!request.count_sources) REQUIRE(got.sources.empty());
}

std::vector<std::string> all_terms(const std::string& db) {
    Xapian::Database database(db);
    std::vector<std::string> terms;
    for (auto term = database.allterms_begin(); term != database.allterms_end(); ++term) {
        terms.push_back(*term);
    }
    return terms;
}

// Runs of adjacent terms as some document has them, for phrases that match.
std::vector<std::vector<std::string>> adjacent_runs(const std::string& db, std::size_t count) {
    Xapian::Database database(db);
    std::vector<std::vector<std::string>> runs;
    for (Xapian::docid docid = 2; docid <= database.get_lastdocid() && runs.size() < count;
         docid += 3) {
        std::map<Xapian::termpos, std::string> at;
        try {
            for (auto term = database.termlist_begin(docid); term != database.termlist_end(docid);
                 ++term) {
                const std::string name = *term;
                if (!name.empty() && (name[0] == 'Q' || name[0] == 'A')) continue;
                for (auto position = term.positionlist_begin(); position != term.positionlist_end();
                     ++position) {
                    at[*position] = name;
                }
            }
        } catch (const Xapian::DocNotFoundError&) {
            continue;
        }
        if (at.size() < 4) continue;
        auto start = std::next(at.begin(), static_cast<long>(at.size() / 2));
        std::vector<std::string> run{start->second};
        for (auto next = std::next(start); next != at.end() && run.size() < 2 + docid % 3; ++next) {
            if (next->first != std::prev(next)->first + 1) break;
            run.push_back(next->second);
        }
        if (run.size() >= 2) runs.push_back(std::move(run));
    }
    return runs;
}

// Random TermQuery trees over the terms of a database: terms (a third of them among the frequent
// ones), phrases that occur, every operator as query translation builds it, and, when asked,
// date ranges over the days the database holds, alone and as a part anywhere. Seeded.
class RandomTrees {
public:
    RandomTrees(const std::string& db, unsigned seed, bool with_dates)
        : terms_(all_terms(db)), runs_(adjacent_runs(db, 60)), random_(seed) {
        REQUIRE(runs_.size() > 20);
        if (!with_dates) return;
        Xapian::Database database(db);
        for (auto date = database.valuestream_begin(trouvere::scheme::kDateSlot);
             date != database.valuestream_end(trouvere::scheme::kDateSlot); ++date) {
            days_.push_back(*trouvere::dates::parse_iso_day(*date));
        }
        REQUIRE(days_.size() > 20);
    }

    std::size_t pick(std::size_t size) {
        return std::uniform_int_distribution<std::size_t>(0, size - 1)(random_);
    }

    TermQuery tree(int depth) {
        using namespace trouvere::searcher;
        const std::size_t shapes = days_.empty() ? 9 : 11;
        const std::size_t shape = depth == 0 ? pick(shapes == 9 ? 2 : 3) : pick(shapes);
        switch (shape) {
            case 0: return term();
            case 1: return phrase();
            case 2: return depth == 0 ? dated() : all_of({tree(depth - 1), tree(depth - 1)});
            case 3: return any_of({tree(depth - 1), tree(depth - 1), tree(depth - 1)});
            // As query translation builds it: terms on the optional side. Xapian 1.4.22 scores a
            // phrase inside an OR there as an AND of its terms, adjacent or not; the native
            // engine keeps it a phrase (see the translation test below).
            case 4:
                return and_maybe(tree(depth - 1), pick(2) == 0 ? term() : any_of({term(), term()}));
            case 5: return and_not(tree(depth - 1), tree(depth - 1));
            case 6: return and_not(match_everything(), tree(depth - 1));
            case 7: {
                // The same term twice weighs twice, as two leaves of Xapian's query.
                TermQuery repeated = term();
                return all_of({repeated, repeated});
            }
            case 8: return any_of({term(), phrase(), all_of({term(), match_everything()})});
            // As a date filter is meant: what the words match, within the dates.
            case 9: return all_of({tree(depth - 1), dated()});
            default: return and_not(tree(depth - 1), dated());
        }
    }

    /// A range of days: one the database holds, a year, from one it holds to another, or open
    /// at one end.
    TermQuery dated() {
        using trouvere::searcher::dated_between;
        const trouvere::dates::DayNumber day = days_[pick(days_.size())];
        switch (pick(4)) {
            case 0: return dated_between(day, day);
            case 1: return dated_between(day / 10000 * 10000 + 101, day / 10000 * 10000 + 1231);
            case 2: {
                const trouvere::dates::DayNumber other = days_[pick(days_.size())];
                return dated_between(std::min(day, other), std::max(day, other));
            }
            default:
                return pick(2) == 0 ? dated_between(trouvere::dates::kFirstDay, day)
                                    : dated_between(day, trouvere::dates::kLastDay);
        }
    }

private:
    // Frequent terms are the unprefixed ones of two to four letters, which stopwords stem to.
    TermQuery term() {
        if (pick(3) == 0) {
            for (;;) {
                const std::string& candidate = terms_[pick(terms_.size())];
                if (candidate.size() <= 4 && candidate[0] >= 'a' && candidate[0] <= 'z') {
                    return trouvere::searcher::term_query(candidate);
                }
            }
        }
        return trouvere::searcher::term_query(terms_[pick(terms_.size())]);
    }
    TermQuery phrase() { return trouvere::searcher::phrase_of(runs_[pick(runs_.size())]); }

    std::vector<std::string> terms_;
    std::vector<std::vector<std::string>> runs_;
    std::mt19937 random_;
    std::vector<trouvere::dates::DayNumber> days_;
};

}  // namespace

TEST_CASE("native engine scores every term exactly as Xapian's BM25Weight", "[native][search]") {
    TwoEngines engines(500);
    const auto terms = all_terms(engines.db);
    REQUIRE(terms.size() > 300);
    for (std::size_t k = 0; k < terms.size(); k += 3) {
        require_same_matches(engines, trouvere::searcher::term_query(terms[k]), 1e-12);
    }
    require_same_matches(engines, trouvere::searcher::term_query("no such term"), 1e-12);
}

TEST_CASE(
    "native engine matches and scores every operator as Xapian does, and ranks the same "
    "page when it leaves out what cannot enter it",
    "[native][search]") {
    using namespace trouvere::searcher;
    TwoEngines engines(500);
    RandomTrees trees(engines.db, 17, false);
    for (int trial = 0; trial < 400; ++trial) {
        const TermQuery query = trees.tree(1 + trial % 3);
        require_same_matches(engines, query, 1e-12);
        require_same_page(engines, query, trees.pick(3) == 0 ? trees.pick(30) : 0,
                          1 + trees.pick(20), 1e-12);
    }
    require_same_matches(engines, match_everything(), 1e-12);
}

TEST_CASE("native engine ranks equal scores in docid order and pages as Xapian",
          "[native][search]") {
    using namespace trouvere::searcher;
    TwoEngines engines(300);
    // Counting every match or leaving out what cannot rank in the page, the page is the same:
    // a document left out scores no more than the page's last, and comes after it in docid order.
    for (std::size_t count_at_least : {SIZE_MAX, std::size_t{0}, std::size_t{20}}) {
        INFO("count at least " << count_at_least);
        // Every document of `everything` weighs 0: the order is the docids'.
        for (std::size_t offset : {0, 1, 7, 100, 1000}) {
            for (std::size_t limit : {1, 5, 40}) {
                auto expected =
                    engines.xapian->match(match_everything(), {offset, limit, SIZE_MAX});
                auto got =
                    engines.native->match(match_everything(), {offset, limit, count_at_least});
                REQUIRE(got.ranked.size() == expected.ranked.size());
                for (std::size_t k = 0; k < got.ranked.size(); ++k) {
                    REQUIRE(got.ranked[k].document == expected.ranked[k].document);
                    REQUIRE(got.ranked[k].score == 0);
                }
            }
        }
        for (const char* term : {"de", "le", "arme", "chevau"}) {
            for (std::size_t offset : {0, 3, 50}) {
                auto expected = engines.xapian->match(term_query(term), {offset, 10, SIZE_MAX});
                auto got = engines.native->match(term_query(term), {offset, 10, count_at_least});
                REQUIRE(got.ranked.size() == expected.ranked.size());
                for (std::size_t k = 0; k < got.ranked.size(); ++k) {
                    REQUIRE(got.ranked[k].document == expected.ranked[k].document);
                    REQUIRE(got.ranked[k].score == expected.ranked[k].score);
                }
            }
        }
    }
}

TEST_CASE("native engine asked for no hit stops counting at count_at_least", "[native][search]") {
    using namespace trouvere::searcher;
    TwoEngines engines(300);
    for (const char* term : {"de", "arme", "no such term"}) {
        INFO(term);
        const auto all = engines.xapian->match(term_query(term), {0, 0, SIZE_MAX});
        REQUIRE(all.exact);
        for (std::size_t count_at_least : {std::size_t{0}, std::size_t{1}, std::size_t{5}}) {
            INFO("count at least " << count_at_least);
            const auto got = engines.native->match(term_query(term), {0, 0, count_at_least});
            CHECK(got.ranked.empty());
            // Nothing matching is known for sure; otherwise at least one match was counted, and
            // the bounds hold the true count.
            CHECK((got.upper_bound == 0) == (all.upper_bound == 0));
            CHECK(got.exact == (all.upper_bound <= std::max<std::size_t>(count_at_least, 1) - 1));
            CHECK(got.upper_bound >= all.upper_bound);
            CHECK(got.estimate <= got.upper_bound);
            if (!got.exact) CHECK(got.estimate >= std::max<std::size_t>(count_at_least, 1));
        }
    }
}

TEST_CASE("native engine gives each term's positions in a set of documents as Xapian does",
          "[native][search]") {
    TwoEngines engines(100);
    Xapian::Database database(engines.db);
    // Every document (holes included), every fifth, the last alone, and none.
    std::vector<std::vector<trouvere::searcher::MatchEngine::DocumentNumber>> sets(3);
    for (Xapian::docid docid = 1; docid <= database.get_lastdocid(); ++docid) {
        sets[0].push_back(docid);
        if (docid % 5 == 1) sets[1].push_back(docid);
    }
    sets[2] = {database.get_lastdocid()};
    for (const char* term : {"de", "le", "arme", "Sarm", "Aarmé", "no such term"}) {
        for (const auto& documents : sets) {
            INFO(term << ", " << documents.size() << " documents");
            const auto expected = engines.xapian->positions(term, documents);
            REQUIRE(expected.size() == documents.size());
            REQUIRE(engines.native->positions(term, documents) == expected);
        }
        CHECK(engines.native->positions(term, {}).empty());
    }
    CHECK(engines.native->positions("no such term", sets[0]) ==
          std::vector<std::vector<std::uint32_t>>(sets[0].size()));
}

TEST_CASE("native engine gives term frequencies, and the spelling dictionary, as Xapian does",
          "[native][search][spelling]") {
    TwoEngines engines(300);
    Xapian::Database database(engines.db);
    std::size_t terms = 0;
    for (auto term = database.allterms_begin(); term != database.allterms_end(); ++term) {
        REQUIRE(engines.xapian->frequency(*term) == term.get_termfreq());
        REQUIRE(engines.native->frequency(*term) == term.get_termfreq());
        ++terms;
    }
    CHECK(terms > 1000);
    CHECK(engines.xapian->frequency("no such term") == 0);
    CHECK(engines.native->frequency("no such term") == 0);

    // The native index stores the dictionary Xapian's word terms give, byte for byte.
    const trouvere::native::SpellingDictionary& stored = engines.native->spelling_dictionary();
    const trouvere::native::SpellingDictionary& read = engines.xapian->spelling_dictionary();
    CHECK(stored.size() > 300);
    CHECK(std::ranges::equal(stored.bytes(), read.bytes()));
    const auto suggestion = stored.suggest("militair");
    REQUIRE(suggestion);
    CHECK(suggestion->display == "militaire");
    // Kept: asked again, the engines give what they made.
    CHECK(&engines.native->spelling_dictionary() == &stored);
    CHECK(&engines.xapian->spelling_dictionary() == &read);
}

TEST_CASE("translated queries hold only terms on the optional side of AND_MAYBE",
          "[native][query]") {
    // Xapian 1.4.22 scores a phrase inside an OR on that side as an AND of its terms (adjacent or
    // not), where the native engine keeps it a phrase: the two agree because translation never
    // puts one there.
    using namespace trouvere::searcher;
    std::vector<std::string> texts;
    for (const auto& document : trouvere::testing::generated_documents(5, 200)) {
        texts.push_back(document.title + " " + document.body);
    }
    trouvere::testing::QueryGenerator queries(texts, 8);
    trouvere::Analyzer analyzer;
    std::function<void(const TermQuery&)> check = [&](const TermQuery& query) {
        if (query.op == TermQuery::Op::and_maybe) {
            const TermQuery& optional = query.parts.at(1);
            if (optional.op != TermQuery::Op::term) {
                REQUIRE(optional.op == TermQuery::Op::any);
                for (const TermQuery& part : optional.parts) {
                    REQUIRE(part.op == TermQuery::Op::term);
                }
            }
        }
        for (const TermQuery& part : query.parts) check(part);
    };
    for (int n = 0; n < 3000; ++n) {
        const std::string text = queries.next();
        INFO("query: " << text);
        const auto parsed = trouvere::parse_query(text);
        for (auto mode : {FreeWords::all, FreeWords::any}) {
            check(translate(parsed.root, analyzer, mode).query);
        }
    }
}

TEST_CASE("native engine reads each document's header and full record as Xapian does",
          "[native][search]") {
    TwoEngines engines(100);
    Xapian::Database database(engines.db);
    REQUIRE(database.get_doccount() < database.get_lastdocid());
    std::string xapian_buffer;
    std::string native_buffer;
    for (Xapian::docid docid = 1; docid <= database.get_lastdocid(); ++docid) {
        std::string header;
        try {
            header = engines.xapian->header(docid, xapian_buffer);
        } catch (const trouvere::DatabaseError&) {
            // A hole left by a removal: neither engine has a record for it.
            CHECK_THROWS_AS(engines.native->header(docid, native_buffer), trouvere::DatabaseError);
            CHECK_THROWS_AS(engines.native->full_record(docid, native_buffer),
                            trouvere::DatabaseError);
            continue;
        }
        REQUIRE(engines.native->header(docid, native_buffer) == header);
        REQUIRE(engines.native->full_record(docid, native_buffer) ==
                engines.xapian->full_record(docid, xapian_buffer));
    }
}

TEST_CASE(
    "native engine filters by date as Xapian does, alone and as a part of any operator, and "
    "ranks the same page when it leaves out what cannot enter it",
    "[native][search][dates]") {
    using namespace trouvere::searcher;
    using trouvere::dates::kFirstDay;
    using trouvere::dates::kLastDay;
    TwoEngines engines(dated_documents(500));
    // Every range, a year, a 29 February, a range no document is in, and one from day 0 (which
    // undated documents are not in either).
    for (const TermQuery& range :
         {dated_between(kFirstDay, kLastDay), dated_between(20240101, 20241231),
          dated_between(20000229, 20000229), dated_between(20050101, 20221231),
          dated_between(trouvere::dates::kNoDay, 20001231)}) {
        require_same_matches(engines, range, 1e-12);
        require_same_page(engines, range, 0, 10, 1e-12);
        require_same_matches(engines, and_not(match_everything(), range), 1e-12);
    }
    REQUIRE(engines.native->match(dated_between(20050101, 20221231), {}).ranked.empty());
    RandomTrees trees(engines.db, 41, true);
    for (int trial = 0; trial < 400; ++trial) {
        const TermQuery query = trees.tree(trial % 4);
        require_same_matches(engines, query, 1e-12);
        require_same_page(engines, query, trees.pick(3) == 0 ? trees.pick(30) : 0,
                          1 + trees.pick(20), 1e-12);
    }
}

TEST_CASE(
    "native engine ranks newest and oldest first as Xapian does: undated last, the same day by "
    "score then docid, at any offset",
    "[native][search][dates]") {
    using namespace trouvere::searcher;
    using Order = MatchEngine::Order;
    TwoEngines engines(dated_documents(500));
    RandomTrees trees(engines.db, 43, true);
    const std::size_t all = engines.xapian->document_count() + 1;
    for (Order order : {Order::newest, Order::oldest}) {
        // Every document weighs 0: days, then docids.
        for (std::size_t offset : {0, 1, 37, 400, 1000}) {
            require_same_answer(engines, match_everything(), {offset, 25, 0, order}, 1e-12);
        }
        require_same_answer(engines, match_everything(), {0, all, 0, order}, 1e-12);
    }
    for (int trial = 0; trial < 300; ++trial) {
        const TermQuery query = trees.tree(trial % 4);
        const Order order = trial % 2 == 0 ? Order::newest : Order::oldest;
        // A count_at_least that would prune by relevance changes nothing under a date order.
        const std::size_t count_at_least = trees.pick(2) == 0 ? 0 : 1000;
        const std::size_t offset = trees.pick(3) == 0 ? trees.pick(60) : 0;
        const std::size_t limit = trees.pick(5) == 0 ? all : 1 + trees.pick(20);
        require_same_answer(engines, query, {offset, limit, count_at_least, order}, 1e-12);
    }
}

TEST_CASE("native engine counts the matches of each year and each source as Xapian does",
          "[native][search][dates]") {
    using namespace trouvere::searcher;
    using Order = MatchEngine::Order;
    TwoEngines engines(dated_documents(500));
    RandomTrees trees(engines.db, 47, true);
    MatchEngine::Request every_count{0, 10, 0, Order::relevance, true, true};
    require_same_answer(engines, match_everything(), every_count, 1e-12);
    // Every dated document once, in its year; sources that differ by case counted apart.
    const auto everything = engines.native->match(match_everything(), every_count);
    std::size_t dated = 0;
    for (const auto& year : everything.years) dated += year.count;
    CHECK(dated == engines.dates.size());
    CHECK(everything.years.size() == 5);
    CHECK(everything.sources.size() == 6);
    for (int trial = 0; trial < 300; ++trial) {
        const TermQuery query = trees.tree(trial % 4);
        MatchEngine::Request request;
        request.offset = trees.pick(3) == 0 ? trees.pick(30) : 0;
        request.limit = trees.pick(4) == 0 ? 0 : 1 + trees.pick(20);
        request.count_at_least = trees.pick(2) == 0 ? 0 : 1000;
        request.order = static_cast<Order>(trees.pick(3));
        request.count_years = trial % 3 != 1;
        request.count_sources = trial % 3 != 0;
        require_same_answer(engines, query, request, 1e-12);
    }
}

TEST_CASE(
    "date filters, date orders and counts by year and source give the documents and counts "
    "worked out by hand",
    "[native][search][dates]") {
    using namespace trouvere::searcher;
    using Order = MatchEngine::Order;
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    // Words without accents, so that a document's length is its number of words: the word
    // scores highest in d2 (three times in three words), then d3 (once in one word), then d1, d7
    // and d8 alike (once in two words, in docid order), then d4 (once in four words).
    const std::vector<trouvere::Document> documents = {
        {.id = "d1", .body = "chemin pont", .date = "2023-05-01", .source = "Le Monde"},
        {.id = "d2", .body = "chemin chemin chemin", .date = "2024-02-29", .source = "le monde"},
        {.id = "d3", .body = "chemin", .source = "Libération"},
        {.id = "d4", .body = "chemin pont pont pont", .date = "2024-02-29"},
        {.id = "d5", .body = "village", .date = "2024-12-31", .source = "Le Monde"},
        {.id = "d6", .body = "chemin village", .date = "2022-01-15", .source = "Libération"},
        {.id = "d7", .body = "chemin village"},
        {.id = "d8", .body = "chemin route", .date = "2025-01-01", .source = "Le Monde"},
    };
    {
        trouvere::IndexWriter writer(db, 1);
        for (const auto& document : documents) writer.add_or_replace(document);
        writer.commit();
        REQUIRE(writer.remove("d6"));
        writer.commit();
        REQUIRE(writer.update_native_index());
    }
    auto xapian = open_xapian_engine(db);
    auto native = open_native_engine(db, *xapian).engine;
    REQUIRE(native);
    Xapian::Database database(db);
    auto ids = [&](const MatchEngine::Matches& matches) {
        std::vector<std::string> found;
        for (const auto& match : matches.ranked) {
            for (auto term = database.termlist_begin(match.document);
                 term != database.termlist_end(match.document); ++term) {
                if ((*term)[0] == 'Q') found.push_back((*term).substr(1));
            }
        }
        return found;
    };
    trouvere::Analyzer analyzer;
    const TermQuery word =
        translate(trouvere::parse_query("chemin").root, analyzer, FreeWords::all).query;
    const TermQuery in_2024 = dated_between(20240101, 20241231);
    using Ids = std::vector<std::string>;
    struct Case {
        const char* what;
        TermQuery query;
        MatchEngine::Request request;
        Ids expected;
    };
    const std::vector<Case> cases = {
        {"newest first", word, {0, 10, 1000, Order::newest}, {"d8", "d2", "d4", "d1", "d3", "d7"}},
        {"oldest first", word, {0, 10, 1000, Order::oldest}, {"d1", "d2", "d4", "d8", "d3", "d7"}},
        {"newest, third to fifth", word, {2, 3, 1000, Order::newest}, {"d4", "d1", "d3"}},
        {"oldest, from the fifth", word, {4, 10, 1000, Order::oldest}, {"d3", "d7"}},
        {"by relevance", word, {0, 10, 1000}, {"d2", "d3", "d1", "d7", "d8", "d4"}},
        {"dated in 2024, weighing nothing", in_2024, {0, 10, 1000}, {"d2", "d4", "d5"}},
        {"a single day", dated_between(20240229, 20240229), {0, 10, 1000}, {"d2", "d4"}},
        {"the removed document's day", dated_between(20220115, 20220115), {0, 10, 1000}, {}},
        {"the word in 2024", all_of({word, in_2024}), {0, 10, 1000}, {"d2", "d4"}},
        {"the word outside 2024", and_not(word, in_2024), {0, 10, 1000}, {"d3", "d1", "d7", "d8"}},
        {"everything, newest first",
         match_everything(),
         {0, 10, 1000, Order::newest},
         {"d8", "d5", "d2", "d4", "d1", "d3", "d7"}},
        {"everything, oldest first",
         match_everything(),
         {0, 10, 1000, Order::oldest},
         {"d1", "d2", "d4", "d5", "d8", "d3", "d7"}},
    };
    for (const Case& test : cases) {
        INFO(test.what);
        for (MatchEngine* engine : {xapian.get(), static_cast<MatchEngine*>(native.get())}) {
            const auto matches = engine->match(test.query, test.request);
            CHECK(ids(matches) == test.expected);
        }
    }

    using Counts = std::vector<MatchEngine::ValueCount>;
    MatchEngine::Request counting{0, 0, 0, Order::relevance, true, true};
    for (MatchEngine* engine : {xapian.get(), static_cast<MatchEngine*>(native.get())}) {
        const auto counted = engine->match(word, counting);
        CHECK(counted.ranked.empty());
        CHECK(counted.exact);
        CHECK(counted.estimate == 6);
        CHECK(sorted(counted.years) == Counts{{"2023", 1}, {"2024", 2}, {"2025", 1}});
        CHECK(sorted(counted.sources) ==
              Counts{{"Le Monde", 2}, {"Libération", 1}, {"le monde", 1}});
        const auto in_year = engine->match(all_of({word, in_2024}), counting);
        CHECK(sorted(in_year.years) == Counts{{"2024", 2}});
        CHECK(sorted(in_year.sources) == Counts{{"le monde", 1}});
        const auto years_only = engine->match(match_everything(), {0, 3, 0, Order::newest, true});
        CHECK(sorted(years_only.years) == Counts{{"2023", 1}, {"2024", 3}, {"2025", 1}});
        CHECK(years_only.sources.empty());
    }
}
