// "Did you mean": the suggestions searches give, with exact expected answers, from both engines.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/test_support.h"
#include "trouvere/document.h"
#include "trouvere/index_writer.h"
#include "trouvere/query.h"
#include "trouvere/searcher.h"

namespace {

using trouvere::SearchEngine;
using trouvere::SearchOptions;
using trouvere::testing::TempDir;

// Articles whose words are close to one another: `maisons` more frequent than `maison`, `élève`
// more frequent than `élevé`, `courbe` than `courbé`, `cheveux` one edit from `chevaux`, whose
// stem `cheval` is there.
const std::string& spelling_db() {
    static TempDir dir;
    static const std::string path = [] {
        std::string db = (dir.path() / "db").string();
        trouvere::IndexWriter writer(db, 1);
        auto add = [&](const char* id, const char* title, const char* body, const char* date) {
            trouvere::Document document;
            document.id = id;
            document.title = title;
            document.body = body;
            document.date = date;
            writer.add_or_replace(document);
        };
        add("mali", "Accord militaire", "accord militaire entre le Mali et la Russie en 2024",
            "2024-07-04");
        add("paix", "Paix", "accord de paix signé à Bamako", "2024-07-20");
        add("sahel", "Sahel", "la sécurité du Sahel, une sécurité renforcée", "2023-05-02");
        add("cheval", "Cheval", "un accord sur le cheval blanc", "");
        add("coiffeur", "Coiffeur", "des cheveux courts, des cheveux longs", "");
        add("village", "Village", "les maisons du village, les maisons neuves", "");
        add("rue", "Rue", "des maisons dans la rue", "");
        add("ferme", "Ferme", "la maison de l'accord, des maisons", "");
        add("classe", "Classe", "un élève de la classe", "");
        add("cour", "Cour", "un élève dans la cour", "");
        add("prix", "Prix", "un prix élevé", "");
        add("virage", "Virage", "une courbe douce", "");
        add("route", "Route", "une courbe, puis une autre courbe", "");
        add("fleuve", "Fleuve", "la courbe du fleuve", "");
        add("dos", "Dos", "le dos courbé", "");
        writer.commit();
        REQUIRE(writer.update_native_index());
        return db;
    }();
    return path;
}

// Both engines, so that every expectation holds for each.
const SearchEngine kEngines[] = {SearchEngine::xapian, SearchEngine::native};

trouvere::SearchResults search(std::string_view query, SearchEngine engine) {
    trouvere::Searcher searcher(spelling_db());
    SearchOptions options;
    options.engine = engine;
    options.snippets = false;
    return searcher.search(query, options);
}

std::string suggestion_for(std::string_view query, SearchEngine engine) {
    const auto suggestion = search(query, engine).suggestion;
    return suggestion ? *suggestion : "none";
}

struct Case {
    std::string_view query;
    std::string_view suggestion;
};

void check_cases(const std::vector<Case>& cases) {
    for (const SearchEngine engine : kEngines) {
        for (const Case& c : cases) {
            INFO(c.query << " (" << (engine == SearchEngine::native ? "native" : "xapian") << ")");
            CHECK(suggestion_for(c.query, engine) == c.suggestion);
        }
    }
}

}  // namespace

TEST_CASE("a misspelt word is corrected when the query falls back or finds nothing",
          "[search][spelling]") {
    check_cases({
        {"accrd militaire", "accord militaire"},  // found through militaire alone
        {"sécurté", "sécurité"},                  // found nothing
        {"title:accrd", "title:accord"},
        {"l'accrd", "l'accord"},  // the elided article stays
    });
}

TEST_CASE("accents count: a word held without its accents is not a typo", "[search][spelling]") {
    check_cases({
        {"securite", "none"},
        {"sécurite", "none"},
        {"SÉCURITÉ", "none"},
        {"securté", "sécurité"},
    });
}

TEST_CASE("a suggestion shows the most frequent accented form of the word", "[search][spelling]") {
    // eleve is élève in two documents and élevé in one.
    check_cases({{"eleev", "élève"}, {"éleev", "élève"}});
}

TEST_CASE("a word that more documents write without accents is shown without them",
          "[search][spelling]") {
    // courbe is written so in three documents, courbé in one.
    check_cases({{"courbbe", "courbe"}, {"courbéé", "courbe"}});
}

TEST_CASE("a word the index holds is never corrected, however close to a more frequent one",
          "[search][spelling]") {
    check_cases({
        {"maison", "none"},
        {"maison accrd", "maison accord"},  // maisons is more frequent, maison is held
        {"le accrd", "le accord"},          // a stopword is held
        {"2025", "none"},                   // numbers are not misspelt words: 2024 is there
    });
}

TEST_CASE("a query that finds what it asks for gets no suggestion", "[search][spelling]") {
    check_cases({
        {"accord militaire", "none"},
        {"cheval", "none"},
        {"militair", "none"},         // not a word of the index, but its stem finds documents
        {"chevaux", "none"},          // likewise: its stem is cheval's
        {"accord zzyzzyva", "none"},  // nothing close enough to correct it with
    });
}

TEST_CASE(
    "a word that finds documents through its stem takes another stem only from a word more "
    "documents have",
    "[search][spelling]") {
    check_cases({
        {"acord militair", "accord militaire"},
        // cheveux is one edit from chevaux, but no more documents have it than have cheval.
        {"chevaux accrd", "chevaux accord"},
        {"chevaux", "none"},
        // coure is stemmed as cour, which one document has; three have courbe.
        {"coure", "courbe"},
        {"coure douce", "courbe douce"},
    });
}

TEST_CASE("a word that matches nothing is corrected even when the rest of the query matches",
          "[search][spelling]") {
    check_cases({
        {"accrd OR militaire", "accord OR militaire"},
        {"militaire -bamakoo", "militaire -bamako"},
    });
}

TEST_CASE("the suggestion keeps the rest of the query as typed", "[search][spelling]") {
    check_cases({
        {"\"accrd militaire\" -date:2020", "\"accord militaire\" -date:2020"},
        {"  ACCRD   +Militaire  date:2024 ", "  accord   +Militaire  date:2024 "},
        {"« sécurté »  OR  title:(Paix accrd)", "« sécurité »  OR  title:(Paix accord)"},
    });
}

TEST_CASE("no suggestion unless the corrected query finds documents with all its words",
          "[search][spelling]") {
    check_cases({
        {"accrd militaire date:2023", "none"},  // no accord militaire in 2023
        {"\"militaire accrd\"", "none"},        // militaire accord is no phrase of the index
    });
}

TEST_CASE("a query tree built in code gets its suggestion as to_string renders it",
          "[search][spelling]") {
    trouvere::QueryNode misspelt;
    misspelt.kind = trouvere::QueryNode::Kind::words;
    misspelt.text = "accrd militaire";
    for (const SearchEngine engine : kEngines) {
        trouvere::Searcher searcher(spelling_db());
        CHECK(searcher.search(misspelt, {.engine = engine}).suggestion == "\"accord militaire\"");
    }
}

TEST_CASE("the suggestion is in JSON, null when there is none", "[search][spelling][json]") {
    for (const SearchEngine engine : kEngines) {
        const auto corrected = nlohmann::json::parse(to_json(search("accrd militaire", engine)));
        CHECK(corrected["suggestion"] == "accord militaire");
        CHECK(corrected["fell_back_to_any_word"] == true);
        const auto fine = nlohmann::json::parse(to_json(search("accord militaire", engine)));
        REQUIRE(fine.contains("suggestion"));
        CHECK(fine["suggestion"].is_null());
    }
}

TEST_CASE("suggestions come from the state of the database the searcher has open",
          "[search][spelling]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    trouvere::IndexWriter writer(db, 1);
    writer.add_or_replace({.id = "ane", .title = "Âne", .body = "un âne gris"});
    writer.commit();
    REQUIRE(writer.update_native_index());
    trouvere::Searcher searcher(db);
    for (const SearchEngine engine : kEngines) {
        CHECK(searcher.search("zebrr", {.engine = engine}).suggestion == std::nullopt);
    }
    writer.add_or_replace({.id = "zebre", .title = "Zèbre", .body = "un zèbre rayé"});
    writer.commit();
    REQUIRE(writer.update_native_index());
    searcher.reopen();
    for (const SearchEngine engine : kEngines) {
        CHECK(searcher.search("zebrr", {.engine = engine}).suggestion == "zèbre");
        CHECK(searcher.search("anne", {.engine = engine}).suggestion == "âne");
    }
}
