#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace {

using trouvere::testing::TempDir;

// The five bundled articles, indexed once for every test in this file.
const std::string& corpus_db() {
    static TempDir dir;
    static const std::string path = [] {
        std::string db = (dir.path() / "db").string();
        trouvere::IndexWriter writer(db);
        auto report = trouvere::index_paths(writer, {trouvere::testing::corpus_dir().string()});
        writer.commit();
        REQUIRE(report.added == 5);
        return db;
    }();
    return path;
}

trouvere::SearchResults run(const std::string& query, trouvere::SearchOptions options = {}) {
    trouvere::Searcher searcher(corpus_db());
    options.limit = 100;
    return searcher.search(query, options);
}

// Result set as the three-digit prefixes of the article file names.
std::set<std::string> articles(const std::string& query) {
    std::set<std::string> found;
    for (const auto& hit : run(query).hits) found.insert(hit.id.substr(0, 3));
    return found;
}

using Set = std::set<std::string>;

}  // namespace

TEST_CASE("queries over the bundled articles return exactly the expected articles", "[search]") {
    struct Row {
        const char* query;
        Set expected;
    };
    const Row rows[] = {
        {"Kidal", {"003", "004"}},
        {"\"coopération militaire\"", {"000", "002", "003"}},
        {"Kidal -Lavrov", {"004"}},
        {"Kidal AND NOT Lavrov", {"004"}},
        {"Kidal NOT Lavrov", {"004"}},
        {"Lavrov OR Zakharova", {"003", "004"}},
        {"accord militaire", {"000", "002", "004"}},
        {"+accord -Moscou", {}},
        {"souveraineté", {"000", "002", "003"}},
        {"souverainete", {"000", "002", "003"}},
        {"Saint-Pétersbourg", {"003"}},
        {"\"saint petersbourg\"", {"003"}},
        {"petersbourg", {"003"}},
        {"25000 tonnes", {"000", "004"}},
        {"\"25 000 tonnes de blé\"", {"000", "004"}},
        {"\"mise en œuvre\"", {"001"}},
        {"\"mise en oeuvre\"", {"001"}},
        {"porte-parole", {"004"}},
        {"title:CNT", {"000", "002"}},
        {"title:(accord militaire)", {"000", "002"}},
        {"title:\"potentiel militaire\"", {"001"}},
        {"(Kidal OR Zakharova) -Lavrov", {"004"}},
        {"chevaux", {}},
    };
    for (const Row& row : rows) {
        INFO("query: " << row.query);
        CHECK(articles(row.query) == row.expected);
    }
}

TEST_CASE("blé with or without its accent finds the wheat articles", "[search]") {
    Set with_accent = articles("blé");
    CHECK(with_accent == articles("ble"));
    CHECK(with_accent == articles("BLÉ"));
    const Set wheat{"000", "004"};
    CHECK(std::includes(with_accent.begin(), with_accent.end(), wheat.begin(), wheat.end()));
}

TEST_CASE("l’armée, armee and armée find the same articles", "[search]") {
    Set expected{"002", "003", "004"};
    CHECK(articles("l’armée") == expected);
    CHECK(articles("l'armée") == expected);
    CHECK(articles("armee") == expected);
    CHECK(articles("armée") == expected);
    CHECK(articles("ARMÉE") == expected);
}

TEST_CASE("a query typed with accents ranks the accented word above its folded twin", "[search]") {
    TempDir dir;
    std::string db = (dir.path() / "db").string();
    {
        trouvere::IndexWriter writer(db);
        writer.add_or_replace(
            {.id = "weapon", .title = "Dépôt", .body = "Une arme saisie au dépôt."});
        writer.add_or_replace(
            {.id = "army", .title = "Défilé", .body = "Une armée défile au pas."});
        writer.commit();
    }
    trouvere::Searcher searcher(db);
    auto accented = searcher.search("armée");
    REQUIRE(accented.hits.size() == 2);
    CHECK(accented.hits[0].id == "army");
    CHECK(accented.hits[0].score > accented.hits[1].score);
    // Typed without accents, the query cannot tell: both match.
    CHECK(searcher.search("armee").hits.size() == 2);
}

TEST_CASE("free words prefer documents with all of them, else fall back to any", "[search]") {
    auto all = run("Kidal Lavrov");
    CHECK_FALSE(all.fell_back_to_any_word);
    REQUIRE(all.hits.size() == 1);
    CHECK(all.hits[0].id.substr(0, 3) == "003");

    auto fallback = run("Lavrov Zakharova");
    CHECK(fallback.fell_back_to_any_word);
    CHECK(fallback.hits.size() == 2);

    // An explicit AND is strict: no fallback.
    auto strict = run("Lavrov AND Zakharova");
    CHECK_FALSE(strict.fell_back_to_any_word);
    CHECK(strict.hits.empty());
}

TEST_CASE("stopwords do not decide a free-word query", "[search]") {
    // `le` and `de` are in every article; without them the query is just `Kidal`.
    CHECK(articles("le Kidal de") == Set{"003", "004"});
    // A query of nothing but stopwords still searches them.
    CHECK_FALSE(articles("de").empty());
}

TEST_CASE("results are ranked, numbered and paged deterministically", "[search]") {
    auto first = run("Mali Russie");
    REQUIRE(first.hits.size() == 5);
    for (std::size_t i = 0; i < first.hits.size(); ++i) {
        CHECK(first.hits[i].rank == i + 1);
        if (i > 0) CHECK(first.hits[i - 1].score >= first.hits[i].score);
    }
    CHECK(run("Mali Russie").hits[0].id == first.hits[0].id);

    trouvere::Searcher searcher(corpus_db());
    auto page = searcher.search("Mali Russie", {.limit = 2, .offset = 2});
    REQUIRE(page.hits.size() == 2);
    CHECK(page.hits[0].rank == 3);
    CHECK(page.hits[0].id == first.hits[2].id);
    CHECK(page.total_estimate >= 5);
}

TEST_CASE("a title word weighs more than the same word in a body", "[search]") {
    TempDir dir;
    std::string db = (dir.path() / "db").string();
    {
        trouvere::IndexWriter writer(db);
        writer.add_or_replace(
            {.id = "body", .title = "Actualité", .body = "Le blé arrive au port."});
        writer.add_or_replace({.id = "title", .title = "Le blé", .body = "Il arrive au port."});
        writer.commit();
    }
    trouvere::Searcher searcher(db);
    auto results = searcher.search("blé");
    REQUIRE(results.hits.size() == 2);
    CHECK(results.hits[0].id == "title");
}

TEST_CASE("hits carry the stored fields and a highlighted snippet", "[search]") {
    auto results = run("accord militaire");
    REQUIRE_FALSE(results.hits.empty());
    const auto& top = results.hits[0];
    CHECK_FALSE(top.title.empty());
    CHECK_FALSE(top.path.empty());
    CHECK_FALSE(top.snippet.highlights.empty());
    std::string html = trouvere::to_html(top.snippet);
    CHECK_THAT(html, Catch::Contains("<mark>"));

    auto dated = run("title:CNT");
    for (const auto& hit : dated.hits) {
        if (hit.id.starts_with("000")) CHECK(hit.date == "2024-11-22");
    }
}

TEST_CASE("snippets mark every surface form that matched", "[search][snippet]") {
    struct Row {
        const char* query;
        const char* marked;
    };
    const Row rows[] = {
        {"militaires", "<mark>militaire</mark>"},
        {"accord", "<mark>accord</mark>"},
        {"armee", "<mark>armée</mark>"},
        {"Kidal", "<mark>Kidal</mark>"},
    };
    for (const Row& row : rows) {
        INFO("query: " << row.query);
        bool found = false;
        for (const auto& hit : run(row.query).hits) {
            if (trouvere::to_html(hit.snippet).find(row.marked) != std::string::npos) found = true;
        }
        CHECK(found);
    }
}

TEST_CASE("malformed queries are repaired or refused clearly, never crash", "[search]") {
    trouvere::Searcher searcher(corpus_db());
    for (const char* query : {"\"unbalanced", "((Kidal", "Kidal)", "title:Kidal title:", "Kidal -",
                              "Kidal AND", "OR Kidal"}) {
        INFO("query: " << query);
        CHECK_NOTHROW(searcher.search(query));
    }
    for (const char* query : {"", "((", "title:", "-", "   ", "\"\""}) {
        INFO("query: " << query);
        CHECK_THROWS_AS(searcher.search(query), trouvere::QueryError);
    }
}

TEST_CASE("opening a missing database names its path", "[search]") {
    CHECK_THROWS_WITH(trouvere::Searcher("/no/such/index"), Catch::Contains("/no/such/index"));
}
