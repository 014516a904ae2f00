#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "searcher/query_translation.h"
#include "searcher/snippet_builder.h"
#include "tests/test_support.h"
#include "trouvere/analyzer.h"
#include "trouvere/document.h"
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

TEST_CASE("an offset or a limit past 32 bits neither wraps round nor loses the count", "[search]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    {
        trouvere::IndexWriter writer(db);
        REQUIRE(trouvere::index_paths(writer, {trouvere::testing::corpus_dir().string()}).added ==
                5);
        writer.commit();
        REQUIRE(writer.update_native_index());
    }
    trouvere::Searcher searcher(db);
    constexpr std::size_t past_32_bits = std::size_t{1} << 32U;
    for (auto engine : {trouvere::SearchEngine::xapian, trouvere::SearchEngine::native}) {
        INFO(trouvere::search_engine_name(engine));
        auto far_page = searcher.search("Mali Russie", {.offset = past_32_bits, .engine = engine});
        CHECK(far_page.hits.empty());
        CHECK(far_page.total_estimate == 5);
        auto huge_page = searcher.search("Mali Russie", {.limit = past_32_bits, .engine = engine});
        CHECK(huge_page.hits.size() == 5);
    }
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

namespace {

// Documents whose snippets exercise what analysis decides: elisions, accents, ligatures, numbers,
// hyphens, phrases across punctuation, words repeated far apart in long bodies.
std::vector<trouvere::Document> snippet_documents() {
    std::vector<trouvere::Document> documents;
    for (const auto& entry : std::filesystem::directory_iterator(trouvere::testing::corpus_dir())) {
        documents.push_back({.id = entry.path().filename().string(),
                             .title = "Article " + entry.path().stem().string(),
                             .body = trouvere::testing::read_file(entry.path())});
    }
    trouvere::testing::RandomTexts texts(
        {"l’armée", "L'ÉTAT", "qu’aujourd’hui", "25 000", "œuvre", "porte-parole", "accord",
         "militaire.", "chemin de fer", "« Kidal »", "Cœur", "armées", "\n\n", "d’armes"},
        30, " ");
    for (unsigned k = 0; k < 40; ++k) {
        std::string body = trouvere::testing::french_prose(k, 20 + std::size_t{60} * k) + " " +
                           texts.next() + " " +
                           trouvere::testing::french_prose(100 + k, std::size_t{10} * k);
        documents.push_back({.id = "prose-" + std::to_string(k),
                             .title = k % 3 == 0 ? std::string() : "Titre " + texts.next(),
                             .body = std::move(body)});
    }
    documents.push_back({.id = "title-only", .title = "L’armée et l’accord militaire"});
    return documents;
}

// Queries made of the words of `body`: single words, pairs, phrases, alternatives, exclusions.
std::vector<std::string> queries_from(trouvere::Analyzer& analyzer, const std::string& body,
                                      unsigned seed) {
    const std::vector<trouvere::Token> tokens = analyzer.analyze(body);
    std::vector<std::string> queries;
    if (tokens.size() < 4) return queries;
    std::mt19937 random(seed);
    auto word = [&](std::size_t k) {
        return body.substr(tokens[k].begin, tokens[k].end - tokens[k].begin);
    };
    auto any = [&] {
        return std::uniform_int_distribution<std::size_t>(0, tokens.size() - 3)(random);
    };
    for (int round = 0; round < 3; ++round) {
        std::size_t a = any();
        std::size_t b = any();
        queries.push_back(word(a));
        queries.push_back(word(a) + " " + word(b));
        queries.push_back("\"" + body.substr(tokens[a].begin, tokens[a + 2].end - tokens[a].begin) +
                          "\"");
        queries.push_back(word(a) + " OR " + word(b) + " \"" + word(b) + " " + word(b + 1) + "\"");
        queries.push_back(word(a) + " -" + word(b));
    }
    return queries;
}

// The snippet analysing `text` gives for `query`, as Searcher would show it.
trouvere::Snippet analysed_snippet(trouvere::Analyzer& analyzer, const std::string& query,
                                   bool any_word, const std::string& text, std::size_t chars) {
    auto translation = trouvere::searcher::translate(
        trouvere::parse_query(query).root, analyzer,
        any_word ? trouvere::searcher::FreeWords::any : trouvere::searcher::FreeWords::all);
    return trouvere::searcher::build_snippet(analyzer, text, translation.match, chars);
}

// Every hit of every query drawn from `documents` has the snippet analysis gives.
void check_snippets_match_analysis(const std::string& db,
                                   const std::vector<trouvere::Document>& documents) {
    trouvere::Analyzer analyzer;
    trouvere::Searcher searcher(db);
    std::map<std::string, const trouvere::Document*> by_id;
    for (const trouvere::Document& document : documents) by_id[document.id] = &document;
    std::size_t compared = 0;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        for (const std::string& query :
             queries_from(analyzer, documents[d].body, static_cast<unsigned>(d))) {
            for (std::size_t chars : {40, 120, 300}) {
                trouvere::SearchResults results =
                    searcher.search(query, {.limit = 10, .snippet_chars = chars});
                for (const trouvere::Hit& hit : results.hits) {
                    INFO("query " << query << ", " << chars << " characters, hit " << hit.id);
                    const trouvere::Document& document = *by_id.at(hit.id);
                    const std::string& text =
                        document.body.empty() ? document.title : document.body;
                    trouvere::Snippet expected = analysed_snippet(
                        analyzer, query, results.fell_back_to_any_word, text, chars);
                    REQUIRE(hit.snippet.text == expected.text);
                    REQUIRE(hit.snippet.highlights.size() == expected.highlights.size());
                    for (std::size_t k = 0; k < expected.highlights.size(); ++k) {
                        CHECK(hit.snippet.highlights[k].begin == expected.highlights[k].begin);
                        CHECK(hit.snippet.highlights[k].end == expected.highlights[k].end);
                    }
                    ++compared;
                }
            }
        }
    }
    CHECK(compared > 2000);
}

}  // namespace

TEST_CASE("snippets found from the index's word offsets are those analysing the body gives",
          "[search][snippet]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const std::vector<trouvere::Document> documents = snippet_documents();
    {
        trouvere::IndexWriter writer(db, 1);
        for (const trouvere::Document& document : documents) writer.add_or_replace(document);
        writer.commit();
    }
    // The offsets are there to be used: every document with a body has them.
    Xapian::Database xapian(db);
    for (Xapian::PostingIterator it = xapian.postlist_begin(""); it != xapian.postlist_end("");
         ++it) {
        auto record = trouvere::testing::stored_record(xapian.get_document(*it));
        REQUIRE(record.has_value());
        CHECK(record->body.empty() == record->word_offsets.empty());
        CHECK(record->body.empty() == record->sentence_breaks.empty());
    }
    check_snippets_match_analysis(db, documents);

    // Rewrites every stored record with a body through `damage`.
    auto damage_records = [&](auto damage) {
        Xapian::WritableDatabase writable(db, Xapian::DB_OPEN);
        for (Xapian::PostingIterator it = writable.postlist_begin("");
             it != writable.postlist_end(""); ++it) {
            Xapian::Document stored = writable.get_document(*it);
            auto record = trouvere::testing::stored_record(stored);
            REQUIRE(record.has_value());
            if (record->body.empty()) continue;
            damage(*record);
            stored.add_value(
                trouvere::scheme::kFullRecordSlot,
                trouvere::stored::encode_full_record(record->header, record->word_offsets,
                                                     record->sentence_breaks, record->body));
            writable.replace_document(*it, stored);
        }
        writable.commit();
    };
    SECTION("and offsets cut short fall back to analysing the body") {
        damage_records([](trouvere::testing::StoredRecord& record) {
            record.word_offsets.resize(record.word_offsets.size() / 2);
        });
        check_snippets_match_analysis(db, documents);
    }
    SECTION("and sentence breaks cut short fall back to ICU's sentence rules") {
        damage_records([](trouvere::testing::StoredRecord& record) {
            record.sentence_breaks.resize(record.sentence_breaks.size() / 2);
        });
        check_snippets_match_analysis(db, documents);
    }
}

TEST_CASE(
    "a damaged stored body is reported by both engines in the answer, which keeps its other hits",
    "[search][snippet]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    {
        trouvere::IndexWriter writer(db, 1);
        writer.add_or_replace({.id = "intact",
                               .title = "Accord signé",
                               .body = trouvere::testing::french_prose(1, 200) + " accord"});
        writer.add_or_replace({.id = "damaged",
                               .title = "Un accord militaire",
                               .body = trouvere::testing::french_prose(2, 200) + " accord"});
        writer.commit();
    }
    {
        Xapian::WritableDatabase writable(db, Xapian::DB_OPEN);
        Xapian::docid damaged = *writable.postlist_begin(trouvere::scheme::id_term("damaged"));
        Xapian::Document stored = writable.get_document(damaged);
        std::string record = stored.get_value(trouvere::scheme::kFullRecordSlot);
        // The last byte of the record, which ends with the body's checksum: the body decodes,
        // and only its checksum tells it is not what was stored.
        REQUIRE(trouvere::stored::split_full_record(record).has_value());
        record.back() = static_cast<char>(record.back() ^ 0x5a);
        stored.add_value(trouvere::scheme::kFullRecordSlot, record);
        writable.replace_document(damaged, stored);
        writable.commit();
    }
    // The native index copies the damaged record and reads it without the body's checksum: its
    // builder must have marked the body damaged, so that both engines say so.
    REQUIRE(trouvere::IndexWriter(db, 1).update_native_index());
    trouvere::Searcher searcher(db);
    for (auto engine : {trouvere::SearchEngine::xapian, trouvere::SearchEngine::native}) {
        trouvere::SearchResults results = searcher.search("accord", {.engine = engine});
        INFO(results.engine);
        REQUIRE(results.hits.size() == 2);
        REQUIRE(results.warnings.size() == 1);
        CHECK_THAT(results.warnings[0], Catch::Contains("'damaged' is damaged; index it again"));
        for (const trouvere::Hit& hit : results.hits) {
            INFO(hit.id);
            if (hit.id == "damaged") {
                CHECK(trouvere::to_html(hit.snippet) == "Un <mark>accord</mark> militaire");
            } else {
                CHECK_THAT(trouvere::to_html(hit.snippet), Catch::Contains("<mark>accord</mark>"));
            }
        }
    }
}
