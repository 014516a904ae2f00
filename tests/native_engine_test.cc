#include <xapian.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

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

    explicit TwoEngines(std::size_t documents) {
        (void)trouvere::testing::write_with_holes(
            db, trouvere::testing::generated_documents(21, documents), {.remove_every = 9});
        xapian = trouvere::searcher::open_xapian_engine(db);
        auto opening = trouvere::searcher::open_native_engine(db, *xapian);
        REQUIRE(opening.engine);
        native = std::move(opening.engine);
    }
};

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
    const auto terms = all_terms(engines.db);
    const auto runs = adjacent_runs(engines.db, 60);
    REQUIRE(runs.size() > 20);
    std::mt19937 random(17);
    auto pick = [&](std::size_t size) {
        return std::uniform_int_distribution<std::size_t>(0, size - 1)(random);
    };
    // Frequent terms are the unprefixed ones of two to four letters, which stopwords stem to.
    auto term = [&]() -> TermQuery {
        if (pick(3) == 0) {
            for (;;) {
                const std::string& candidate = terms[pick(terms.size())];
                if (candidate.size() <= 4 && candidate[0] >= 'a' && candidate[0] <= 'z') {
                    return term_query(candidate);
                }
            }
        }
        return term_query(terms[pick(terms.size())]);
    };
    auto phrase = [&]() { return phrase_of(runs[pick(runs.size())]); };
    std::function<TermQuery(int)> tree = [&](int depth) -> TermQuery {
        const std::size_t shape = depth == 0 ? pick(2) : pick(9);
        switch (shape) {
            case 0: return term();
            case 1: return phrase();
            case 2: return all_of({tree(depth - 1), tree(depth - 1)});
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
            default: return any_of({term(), phrase(), all_of({term(), match_everything()})});
        }
    };
    for (int trial = 0; trial < 400; ++trial) {
        const TermQuery query = tree(1 + trial % 3);
        require_same_matches(engines, query, 1e-12);
        require_same_page(engines, query, pick(3) == 0 ? pick(30) : 0, 1 + pick(20), 1e-12);
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
                auto expected = engines.xapian->match(match_everything(), {offset, limit, SIZE_MAX});
                auto got = engines.native->match(match_everything(), {offset, limit, count_at_least});
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
