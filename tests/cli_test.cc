// The two commands, run as processes exactly as a user runs them.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "tests/test_support.h"
#include "trouvere/version.h"

namespace {

using trouvere::testing::ProcessOptions;
using trouvere::testing::ProcessResult;
using trouvere::testing::run_process;
using trouvere::testing::TempDir;

const std::string kSearch = TROUVERE_SEARCH_BIN;
const std::string kSearchIndex = TROUVERE_SEARCH_INDEX_BIN;

// A database of the bundled corpus made by the real indexer, shared by the tests of this file.
const std::string& corpus_db() {
    static TempDir dir;
    static const std::string path = [] {
        std::string db = (dir.path() / "db").string();
        auto result =
            run_process(kSearchIndex, {"--db", db, trouvere::testing::corpus_dir().string()});
        REQUIRE(result.exit_code == 0);
        return db;
    }();
    return path;
}

ProcessResult search(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", corpus_db()});
    return run_process(kSearch, args, {.environment = {{"NO_COLOR", ""}}});
}

}  // namespace

TEST_CASE("search-index reports what it did and is incremental", "[cli]") {
    TempDir dir;
    std::string db = (dir.path() / "db").string();
    std::string corpus = trouvere::testing::corpus_dir().string();
    auto first = run_process(kSearchIndex, {"--db", db, corpus});
    CHECK(first.exit_code == 0);
    CHECK_THAT(first.out, Catch::Contains("5 added") && Catch::Contains("0 skipped"));
    auto second = run_process(kSearchIndex, {"--db", db, corpus});
    CHECK(second.exit_code == 0);
    CHECK_THAT(second.out, Catch::Contains("0 added") && Catch::Contains("5 unchanged"));
}

TEST_CASE("search --json prints one object with ranked, highlighted hits", "[cli]") {
    auto result = search({"--json", "accord militaire"});
    REQUIRE(result.exit_code == 0);
    auto json = nlohmann::json::parse(result.out);
    CHECK(json["query"] == "accord militaire");
    CHECK(json["total_estimate"].get<int>() >= 3);
    auto hits = json["hits"];
    REQUIRE(hits.size() == 3);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const auto& hit = hits[i];
        CHECK(hit["rank"] == i + 1);
        for (const char* key : {"id", "title", "score", "date", "source", "path", "snippet"}) {
            INFO("key " << key);
            CHECK(hit.contains(key));
        }
        ids.insert(hit["id"].get<std::string>());
        CHECK_THAT(hit["snippet"].get<std::string>(), Catch::Contains("<mark>"));
    }
    CHECK(ids == std::set<std::string>{"000_dbeda49fb9d40084.txt", "002_5f84a0241843eefe.txt",
                                       "004_0bbe2dc6f523829c.txt"});
}

TEST_CASE("search exits like grep: 0 hit, 1 no hit, 2 trouble", "[cli]") {
    CHECK(search({"Kidal"}).exit_code == 0);
    auto none = search({"chevaux"});
    CHECK(none.exit_code == 1);
    CHECK(none.out.empty());

    auto missing = run_process(kSearch, {"--db", "/no/such/index", "Kidal"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("/no/such/index"));

    auto empty = search({"(("});
    CHECK(empty.exit_code == 2);
    CHECK_THAT(empty.err, Catch::Contains("nothing to search"));

    CHECK(search({"--limit", "0", "Kidal"}).exit_code == 2);
    CHECK(run_process(kSearch, {}).exit_code == 2);
}

TEST_CASE("an exclusion after -- is a query word, not an option", "[cli]") {
    auto result = search({"--json", "--", "Kidal", "-Lavrov"});
    REQUIRE(result.exit_code == 0);
    auto hits = nlohmann::json::parse(result.out)["hits"];
    REQUIRE(hits.size() == 1);
    CHECK(hits[0]["id"] == "004_0bbe2dc6f523829c.txt");
}

TEST_CASE("plain output has no escape codes unless colour is asked for", "[cli]") {
    auto plain = search({"Kidal"});
    REQUIRE(plain.exit_code == 0);
    CHECK(plain.out.find('\033') == std::string::npos);
    CHECK_THAT(plain.out, Catch::Contains("Kidal") && Catch::Contains("003_15f8a19bef5d80e8.txt"));

    auto coloured = search({"--color=always", "Kidal"});
    CHECK_THAT(coloured.out, Catch::Contains("\033[1;33mKidal\033[0m"));
}

TEST_CASE("the default database follows SEARCH_DB, then XDG_DATA_HOME", "[cli]") {
    TempDir dir;
    std::string corpus = trouvere::testing::corpus_dir().string();
    const ProcessOptions xdg{.environment = {{"XDG_DATA_HOME", (dir.path() / "data").string()},
                                             {"SEARCH_DB", std::nullopt}}};
    REQUIRE(run_process(kSearchIndex, {"-q", corpus}, xdg).exit_code == 0);
    CHECK(std::filesystem::exists(dir.path() / "data/trouvere/index"));
    CHECK(run_process(kSearch, {"Kidal"}, xdg).exit_code == 0);

    const ProcessOptions explicit_db{
        .environment = {{"SEARCH_DB", (dir.path() / "other").string()}}};
    REQUIRE(run_process(kSearchIndex, {"-q", corpus}, explicit_db).exit_code == 0);
    CHECK(std::filesystem::exists(dir.path() / "other"));
}

TEST_CASE("search-index warns about bad files by name and line, and still succeeds", "[cli]") {
    TempDir dir;
    dir.write("docs/good.txt", "Bon\n\nTexte.\n");
    dir.write("docs/feed.jsonl", "{\"id\":\"a\",\"body\":\"x\"}\n\n{broken\n");
    std::string db = (dir.path() / "db").string();
    auto result = run_process(kSearchIndex, {"--db", db, (dir.path() / "docs").string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Catch::Contains("feed.jsonl:3"));
    CHECK_THAT(result.out, Catch::Contains("2 added") && Catch::Contains("1 skipped"));
}

TEST_CASE("search-index refuses a missing path with exit status 2", "[cli]") {
    TempDir dir;
    auto result =
        run_process(kSearchIndex, {"--db", (dir.path() / "db").string(), "/no/such/folder"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("/no/such/folder"));
}

TEST_CASE("both commands print their name and the library's version with --version", "[cli]") {
    for (const auto& [program, name] :
         {std::pair{kSearch, "search"}, {kSearchIndex, "search-index"}}) {
        auto result = run_process(program, {"--version"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == std::string(name) + " (trouvere) " + TROUVERE_VERSION + "\n");
    }
}

TEST_CASE("the embedding example indexes and finds through the public API", "[cli]") {
    TempDir dir;
    auto result = run_process(TROUVERE_EMBED_EXAMPLE_BIN, {(dir.path() / "db").string(), "armee"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("[armée]"));
}

TEST_CASE("search filters by date, sorts newest first and counts by year", "[cli][dates]") {
    auto newest = search({"--sort", "newest", "--no-snippets", "--facets", "year,source", "Mali"});
    REQUIRE(newest.exit_code == 0);
    // The two dated articles first, newest first; the undated ones after them.
    const auto first = newest.out.find("000_dbeda49fb9d40084.txt · 2024-11-22");
    const auto second = newest.out.find("002_5f84a0241843eefe.txt · 2024-07-04");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    CHECK(first < second);
    CHECK(newest.out.find("3. ") > second);
    CHECK_THAT(newest.out, Catch::EndsWith("By year:\n   2024 · 2\n\nBy source: none\n"));

    auto filtered = search({"--json", "--since", "2024-07", "--until", "2024-07-31", "Mali"});
    REQUIRE(filtered.exit_code == 0);
    auto json = nlohmann::json::parse(filtered.out);
    REQUIRE(json["hits"].size() == 1);
    CHECK(json["hits"][0]["id"] == "002_5f84a0241843eefe.txt");
    CHECK(json["facets"] == nlohmann::json::object());

    auto in_query = search({"--json", "--facets", "year", "date:2024-11 OR date:2024-07-04"});
    REQUIRE(in_query.exit_code == 0);
    CHECK(nlohmann::json::parse(in_query.out)["facets"] ==
          nlohmann::json::parse(R"({"year": [{"value": "2024", "count": 2}]})"));
}

TEST_CASE("search --source keeps the documents of the source that --facets source names",
          "[cli][facets]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const std::string news = dir.write(
        "news.jsonl", R"({"id": "a", "body": "Accord militaire", "source": "Le Monde"})"
                      "\n"
                      R"({"id": "b", "body": "Accord commercial", "source": "Ouest-France"})"
                      "\n"
                      R"({"id": "c", "body": "Accord de paix", "source": "Le Monde"})"
                      "\n"
                      R"({"id": "d", "body": "Accord sans source"})"
                      "\n");
    REQUIRE(run_process(kSearchIndex, {"--db", db, news}).exit_code == 0);
    auto counted = run_process(kSearch, {"--db", db, "--json", "--facets", "source", "accord"});
    REQUIRE(counted.exit_code == 0);
    CHECK(nlohmann::json::parse(counted.out)["facets"]["source"] ==
          nlohmann::json::parse(R"([{"value": "Le Monde", "count": 2},
                                    {"value": "Ouest-France", "count": 1}])"));
    auto narrowed = run_process(kSearch, {"--db", db, "--json", "--source", "Le Monde", "accord"});
    REQUIRE(narrowed.exit_code == 0);
    const auto narrowed_json = nlohmann::json::parse(narrowed.out);
    std::set<std::string> ids;
    for (const auto& hit : narrowed_json["hits"]) {
        ids.insert(hit["id"].get<std::string>());
    }
    CHECK(ids == std::set<std::string>{"a", "c"});
    auto unknown = run_process(kSearch, {"--db", db, "--source", "Le Figaro", "accord"});
    CHECK(unknown.exit_code == 1);
}

TEST_CASE("search refuses a malformed date, an unknown sort and an unknown facet with status 2",
          "[cli][dates]") {
    auto month = search({"accord date:2024-13"});
    CHECK(month.exit_code == 2);
    CHECK(month.err == "search: malformed date 'date:2024-13': there is no month 13\n");
    auto since = search({"--since", "hier", "accord"});
    CHECK(since.exit_code == 2);
    CHECK_THAT(since.err, Catch::StartsWith("search: malformed date 'since hier'"));
    auto sort = search({"--sort", "popular", "accord"});
    CHECK(sort.exit_code == 2);
    CHECK_THAT(sort.err, Catch::Contains("--sort"));
    auto facet = search({"--facets", "year,auteur", "accord"});
    CHECK(facet.exit_code == 2);
    CHECK_THAT(facet.err, Catch::Contains("unknown facet 'auteur': choose among year and source"));
}

TEST_CASE("search --count prints the exact number of matches", "[cli]") {
    auto count = search({"--count", "Mali"});
    CHECK(count.exit_code == 0);
    CHECK(count.out == "5\n");
    auto none = search({"--count", "chevaux"});
    CHECK(none.exit_code == 1);
    CHECK(none.out == "0\n");
    auto json = search({"--count", "--json", "accord militaire"});
    REQUIRE(json.exit_code == 0);
    auto parsed = nlohmann::json::parse(json.out);
    CHECK(parsed["total_estimate"] == 3);
    CHECK(parsed["total_exact"] == true);
    CHECK(parsed["hits"].empty());
}

TEST_CASE("search --explain shows the tree, the terms, the filters and the engine", "[cli]") {
    auto explain =
        search({"--explain", "--since", "2024", "L'armée -date:2024-07 \"chemin de fer\""});
    REQUIRE(explain.exit_code == 0);
    CHECK(
        explain.out ==
        "parsed:   (group \"L'armée\" -(date \"2024-07\") (phrase \"chemin de fer\"))\n"
        "words:    armée → stem arme, accented stem armé, as typed armée\n"
        "          chemin → stem chemin\n"
        "          de → stem de\n"
        "          fer → stem fer\n"
        "filters:  not 2024-07-01..2024-07-31, 2024-01-01..\n"
        "matching: (all (and_not (all (and_maybe arme (any Aarmé Earmée)) (phrase chemin de fer)) "
        "(dated "
        "2024-07-01..2024-07-31)) (dated 2024-01-01..9999-12-31))\n"
        "engine:   native\n");
    auto json = search({"--explain", "--json", "--engine", "xapian", "les armées"});
    REQUIRE(json.exit_code == 0);
    CHECK(nlohmann::json::parse(json.out) == nlohmann::json::parse(R"json({
        "tree": "\"les armées\"",
        "words": [
            {"text": "les", "stem": "le", "accented_stem": null, "exact": null, "stopword": true},
            {"text": "armées", "stem": "arme", "accented_stem": "armé", "exact": "armées",
             "stopword": false}],
        "filters": [],
        "matching": "(and_maybe (and_maybe arme (any Aarmé Earmées)) Tles armees)",
        "engine": "xapian",
        "engine_reason": "asked for",
        "warnings": []})json"));
}

TEST_CASE("search proposes a corrected query above the results, and when there are none",
          "[cli][spelling]") {
    for (const char* engine : {"native", "xapian"}) {
        INFO("engine " << engine);
        auto fell_back = search({"--engine", engine, "--no-snippets", "accrd militaire"});
        CHECK(fell_back.exit_code == 0);
        CHECK_THAT(fell_back.out,
                   Catch::StartsWith("Did you mean: accord militaire?\n\n"
                                     "No document has all the words; showing documents with any "
                                     "of them.\n\n1. "));
        auto nothing = search({"--engine", engine, "sécurté"});
        CHECK(nothing.exit_code == 1);
        CHECK(nothing.out == "Did you mean: sécurité?\n");
        CHECK(nothing.err == "search: no match for sécurté\n");
    }
    auto fine = search({"accord militaire"});
    CHECK(fine.out.find("Did you mean") == std::string::npos);

    auto json = search({"--json", "--count", "sécurté"});
    CHECK(json.exit_code == 1);
    auto parsed = nlohmann::json::parse(json.out);
    CHECK(parsed["suggestion"] == "sécurité");
    CHECK(parsed["hits"].empty());
    CHECK(
        nlohmann::json::parse(search({"--json", "accord militaire"}).out)["suggestion"].is_null());

    // The number alone on standard output, for scripts; the suggestion for people beside it.
    auto count = search({"--count", "sécurté"});
    CHECK(count.exit_code == 1);
    CHECK(count.out == "0\n");
    CHECK(count.err == "Did you mean: sécurité?\n");
}
