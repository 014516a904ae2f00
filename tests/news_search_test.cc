// Date filters, date orders and counts by year and source, with exact expected answers, from
// both engines.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/test_support.h"
#include "trouvere/document.h"
#include "trouvere/error.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace {

using trouvere::Facet;
using trouvere::FacetValue;
using trouvere::SearchEngine;
using trouvere::SearchOptions;
using trouvere::SortOrder;
using trouvere::testing::TempDir;
using Ids = std::vector<std::string>;

// Articles with known dates and sources: two on the same day, one undated, one without a source,
// sources that differ only by case, and a deleted one that leaves a hole in the docids.
const std::string& news_db() {
    static TempDir dir;
    static const std::string path = [] {
        std::string db = (dir.path() / "db").string();
        trouvere::IndexWriter writer(db, 1);
        auto add = [&](const char* id, const char* body, const char* date, const char* source) {
            trouvere::Document document;
            document.id = id;
            document.title = id;
            document.body = body;
            document.date = date;
            document.source = source;
            writer.add_or_replace(document);
        };
        add("paix", "accord de paix signé à Bamako", "2024-07-20", "Le Monde");
        add("mali", "accord militaire entre le Mali et la Russie", "2024-07-04", "Le Monde");
        add("doublon", "accord accord militaire militaire, le même jour", "2024-07-04", "RFI");
        add("retire", "accord retiré de l'index", "2024-05-05", "RFI");
        add("commerce", "accord commercial", "2023-12-31", "RFI");
        add("sans-date", "accord militaire sans date", "", "RFI");
        add("sans-source", "accord de principe", "2024-01-15", "");
        add("ancien", "coopération militaire ancienne", "2022-03-01", "le monde");
        writer.commit();
        writer.remove("retire");
        writer.commit();
        REQUIRE(writer.update_native_index());
        return db;
    }();
    return path;
}

trouvere::SearchResults search(const std::string& query, SearchOptions options,
                               SearchEngine engine) {
    trouvere::Searcher searcher(news_db());
    options.engine = engine;
    options.limit = 100;
    options.snippets = false;
    auto results = searcher.search(query, options);
    REQUIRE(results.engine == (engine == SearchEngine::native ? "native" : "xapian"));
    return results;
}

Ids ids(const trouvere::SearchResults& results) {
    Ids found;
    for (const auto& hit : results.hits) found.push_back(hit.id);
    return found;
}

// Both engines, so that every expectation holds for each.
const SearchEngine kEngines[] = {SearchEngine::xapian, SearchEngine::native};

}  // namespace

TEST_CASE("date: filters keep the documents of a year, a month, a day or a range",
          "[search][dates]") {
    struct Row {
        const char* query;
        Ids expected;  // by relevance, then docid
    };
    const Row rows[] = {
        {"accord date:2024", {"doublon", "paix", "sans-source", "mali"}},
        {"accord date:2024-07", {"doublon", "paix", "mali"}},
        {"accord date:2024-07-04", {"doublon", "mali"}},
        {"accord date:2023-06..2024-01", {"commerce", "sans-source"}},
        {"accord date:2024-07-05..", {"paix"}},
        {"date:..2023", {"commerce", "ancien"}},
        {"accord -date:2024", {"commerce", "sans-date"}},
        {"militaire (date:2022 OR date:2024-07-04)", {"doublon", "ancien", "mali"}},
        {"DATE: 2023-12", {"commerce"}},
        {"accord date:2025", {}},
    };
    for (SearchEngine engine : kEngines) {
        for (const Row& row : rows) {
            INFO("query " << row.query << ", engine " << static_cast<int>(engine));
            auto results = search(row.query, {}, engine);
            CHECK(ids(results) == row.expected);
            CHECK(results.total_exact);
            CHECK(results.total_estimate == row.expected.size());
        }
    }
}

TEST_CASE("since and until bound the dates as date: does, and undated documents never pass",
          "[search][dates]") {
    for (SearchEngine engine : kEngines) {
        CHECK(ids(search("accord", {.since = "2024-07"}, engine)) ==
              Ids{"doublon", "paix", "mali"});
        CHECK(ids(search("accord", {.until = "2023"}, engine)) == Ids{"commerce"});
        CHECK(ids(search("accord", {.since = "2024-01-15", .until = "2024-07-04"}, engine)) ==
              Ids{"doublon", "sans-source", "mali"});
        CHECK(ids(search("militaire date:2024", {.until = "2024-07-03"}, engine)).empty());
    }
}

TEST_CASE("a malformed date is a query error that names it", "[search][dates]") {
    const std::pair<const char*, const char*> rows[] = {
        {"accord date:2024-13", "malformed date 'date:2024-13': there is no month 13"},
        {"date:hier",
         "malformed date 'date:hier': write a year, a month or a day as 2024, 2024-07 or "
         "2024-07-04"},
        {"date:2023-02-29", "malformed date 'date:2023-02-29': there is no day 29 in 2023-02"},
        {"date:2024..2023", "malformed date 'date:2024..2023': the range ends before it starts"},
        {"date:..", "malformed date 'date:..': a range needs a date on one side of '..' at least"},
        {"date:2024-07-04T10:00",
         "malformed date 'date:2024-07-04T10:00': write a year, a month "
         "or a day as 2024, 2024-07 or 2024-07-04"},
    };
    for (SearchEngine engine : kEngines) {
        for (const auto& [query, message] : rows) {
            INFO(query);
            CHECK_THROWS_MATCHES(search(query, {}, engine), trouvere::QueryError,
                                 Catch::Matchers::Message(message));
        }
        CHECK_THROWS_MATCHES(search("accord", {.since = "2024-7"}, engine), trouvere::QueryError,
                             Catch::Matchers::Message("malformed date 'since 2024-7': write a "
                                                      "year, a month or a day as 2024, 2024-07 "
                                                      "or 2024-07-04"));
        CHECK_THROWS_MATCHES(search("accord", {.since = "2024", .until = "2023"}, engine),
                             trouvere::QueryError,
                             Catch::Matchers::Message("no day is both since 2024 and until 2023"));
    }
    CHECK(search("date:2024-02-29", {}, SearchEngine::xapian).hits.empty());
}

TEST_CASE("newest and oldest order by date, undated last, the same day by relevance",
          "[search][dates]") {
    for (SearchEngine engine : kEngines) {
        INFO("engine " << static_cast<int>(engine));
        CHECK(ids(search("accord", {.sort = SortOrder::newest}, engine)) ==
              Ids{"paix", "doublon", "mali", "sans-source", "commerce", "sans-date"});
        CHECK(ids(search("accord", {.sort = SortOrder::oldest}, engine)) ==
              Ids{"commerce", "sans-source", "doublon", "mali", "paix", "sans-date"});
        // Pages of a date order are slices of the whole order.
        SearchOptions page{.offset = 2, .sort = SortOrder::oldest};
        trouvere::Searcher searcher(news_db());
        page.engine = engine;
        page.limit = 3;
        CHECK(ids(searcher.search("accord", page)) == Ids{"doublon", "mali", "paix"});
        // A filter alone, by date: every score is 0, so the same day goes by docid.
        CHECK(ids(search("date:2024", {.sort = SortOrder::newest}, engine)) ==
              Ids{"paix", "mali", "doublon", "sans-source"});
    }
}

TEST_CASE("facets count every match by year and by source, most frequent first",
          "[search][facets]") {
    for (SearchEngine engine : kEngines) {
        INFO("engine " << static_cast<int>(engine));
        SearchOptions options{.facets = {Facet::year, Facet::source}};
        options.limit = 1;
        trouvere::Searcher searcher(news_db());
        options.engine = engine;
        auto results = searcher.search("accord", options);
        CHECK(results.hits.size() == 1);
        CHECK(results.total_exact);
        CHECK(results.total_estimate == 6);
        REQUIRE(results.facets.size() == 2);
        CHECK(results.facets[0].facet == Facet::year);
        CHECK(results.facets[0].values == std::vector<FacetValue>{{"2024", 4}, {"2023", 1}});
        CHECK(results.facets[1].facet == Facet::source);
        CHECK(results.facets[1].values == std::vector<FacetValue>{{"RFI", 3}, {"Le Monde", 2}});

        auto militaire = search("militaire", {.facets = {Facet::source}}, engine);
        REQUIRE(militaire.facets.size() == 1);
        CHECK(militaire.facets[0].values ==
              std::vector<FacetValue>{{"RFI", 2}, {"Le Monde", 1}, {"le monde", 1}});
        CHECK(
            search("accord date:2030", {.facets = {Facet::year}}, engine).facets[0].values.empty());
    }
}

TEST_CASE("a source keeps the documents of that source byte for byte, beside the other filters",
          "[search][facets]") {
    for (SearchEngine engine : kEngines) {
        INFO("engine " << static_cast<int>(engine));
        CHECK(ids(search("accord", {.source = "RFI", .sort = SortOrder::oldest}, engine)) ==
              Ids{"commerce", "doublon", "sans-date"});
        // The case counts: "le monde" is another source than "Le Monde".
        CHECK(ids(search("militaire", {.source = "Le Monde"}, engine)) == Ids{"mali"});
        CHECK(ids(search("militaire", {.source = "le monde"}, engine)) == Ids{"ancien"});
        CHECK(search("accord", {.source = "Le Figaro"}, engine).hits.empty());
        // With dates, and counted by year: only that source's matches.
        auto dated =
            search("accord", {.since = "2024", .source = "RFI", .facets = {Facet::year}}, engine);
        CHECK(ids(dated) == Ids{"doublon"});
        REQUIRE(dated.facets.size() == 1);
        CHECK(dated.facets[0].values == std::vector<FacetValue>{{"2024", 1}});
        // A filter alone: every document of the source.
        CHECK(ids(search("date:2024", {.source = "Le Monde", .sort = SortOrder::newest}, engine)) ==
              Ids{"paix", "mali"});
    }
}

TEST_CASE("facets in JSON name each facet asked for, in order", "[search][facets][json]") {
    auto results = search("militaire date:2022", {.facets = {Facet::source, Facet::year}},
                          SearchEngine::xapian);
    const std::string json = trouvere::to_json(results);
    CHECK(json.ends_with(R"("facets":{"source":[{"value":"le monde","count":1}],)"
                         R"("year":[{"value":"2022","count":1}]}})"));
    CHECK(trouvere::to_json(search("militaire", {}, SearchEngine::xapian))
              .ends_with(R"("facets":{}})"));
}

TEST_CASE("facet names are year and source", "[search][facets]") {
    CHECK(trouvere::facet_named("year") == Facet::year);
    CHECK(trouvere::facet_named("source") == Facet::source);
    CHECK_FALSE(trouvere::facet_named("Year"));
    CHECK_FALSE(trouvere::facet_named("auteur"));
    CHECK(trouvere::facet_name(Facet::source) == "source");
}

TEST_CASE("indexing refuses a date that is not a day written YYYY-MM-DD", "[index][dates]") {
    TempDir dir;
    trouvere::IndexWriter writer((dir.path() / "db").string(), 1);
    for (const char* date : {"22/11/2024", "2024-11", "2024-02-30", "2024-11-22T10:00:00Z"}) {
        INFO(date);
        CHECK_THROWS_MATCHES(
            writer.add_or_replace({.id = "a", .date = date}), trouvere::DocumentError,
            Catch::Matchers::Message("document 'a' has the date '" + std::string(date) +
                                     "', which is not a day written YYYY-MM-DD"));
    }
    CHECK_NOTHROW(writer.add_or_replace({.id = "a", .date = "2024-02-29"}));
}

TEST_CASE("a query tree built in code answers as the same query typed", "[search]") {
    trouvere::QueryNode accord{.kind = trouvere::QueryNode::Kind::words, .text = "accord"};
    trouvere::QueryNode in_july{.kind = trouvere::QueryNode::Kind::date, .text = "2024-07"};
    trouvere::QueryNode not_paix{.kind = trouvere::QueryNode::Kind::words,
                                 .occur = trouvere::Occur::must_not,
                                 .text = "paix"};
    trouvere::QueryNode group{.kind = trouvere::QueryNode::Kind::group,
                              .children = {accord, in_july, not_paix}};
    for (SearchEngine engine : kEngines) {
        trouvere::Searcher searcher(news_db());
        const auto built = searcher.search(group, {.engine = engine});
        CHECK(built.query == R"((group "accord" (date "2024-07") -"paix"))");
        CHECK(ids(built) == Ids{"doublon", "mali"});
        CHECK(ids(built) == ids(searcher.search("accord date:2024-07 -paix", {.engine = engine})));
    }
}

TEST_CASE("one stored document is given by its id, body included", "[search]") {
    for (SearchEngine engine : kEngines) {
        trouvere::Searcher searcher(news_db());
        // The engine answering is the native one when its index is current.
        CHECK(searcher.search("accord", {.engine = engine}).engine ==
              (engine == SearchEngine::native ? "native" : "xapian"));
        const auto mali = searcher.document("mali");
        REQUIRE(mali);
        CHECK(mali->id == "mali");
        CHECK(mali->title == "mali");
        CHECK(mali->body == "accord militaire entre le Mali et la Russie");
        CHECK(mali->date == "2024-07-04");
        CHECK(mali->source == "Le Monde");
        CHECK_FALSE(searcher.document("retire"));
        CHECK_FALSE(searcher.document("absent"));
    }
}

TEST_CASE("explain says what each word became, the filters and the matching query", "[search]") {
    trouvere::Searcher searcher(news_db());
    const auto explanation = searcher.explain("Armées date:2024..2024-06",
                                              {.engine = SearchEngine::xapian, .until = "2024-03"});
    CHECK(explanation.tree == R"((group "Armées" (date "2024..2024-06")))");
    REQUIRE(explanation.words.size() == 1);
    CHECK(explanation.words[0].text == "Armées");
    CHECK(explanation.words[0].stem == "arme");
    CHECK(explanation.words[0].accented_stem == "armé");
    CHECK(explanation.words[0].exact == "armées");
    CHECK(explanation.filters ==
          std::vector<std::string>{"2024-01-01..2024-06-30", "..2024-03-31"});
    CHECK(explanation.matching ==
          "(all (all (dated 2024-01-01..2024-06-30) (and_maybe arme (any Aarmé Earmées))) "
          "(dated 0001-01-01..2024-03-31))");
    CHECK(explanation.engine == "xapian");
    CHECK(explanation.engine_reason == "asked for");
    CHECK(searcher.explain("accord").engine == "native");
    CHECK_THROWS_AS(searcher.explain("date:2024-00"), trouvere::QueryError);
    const auto from_rfi = searcher.explain("accord", {.source = "RFI"});
    CHECK(from_rfi.filters == std::vector<std::string>{"source: RFI"});
    CHECK(from_rfi.matching == "(all (and_maybe (and_maybe accord Waccord) Taccord) (source RFI))");
}
