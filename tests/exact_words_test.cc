// Exact words first: a query word finds its whole stem family, the documents holding the word as
// typed rank above those holding only other forms of it, and a title equal to the query ranks
// first, in both engines.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/test_support.h"
#include "trouvere/document.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace {

using trouvere::SearchEngine;
using trouvere::testing::TempDir;
using Ids = std::vector<std::string>;

// A small dictionary of one stem family (déterminer, déterminé, déterminatif, détermination
// all stem to `determin`), articles using the forms of `armée`, and titles that hold a query's
// words with others or exactly.
const std::string& words_db() {
    static TempDir dir;
    static const std::string path = [] {
        std::string db = (dir.path() / "db").string();
        trouvere::IndexWriter writer(db, 1);
        auto add = [&](const char* id, const char* title, const char* body) {
            trouvere::Document document;
            document.id = id;
            document.title = title;
            document.body = body;
            writer.add_or_replace(document);
        };
        add("determiner", "DÉTERMINER", "Fixer avec précision.");
        add("determine", "DÉTERMINÉ", "Participe passé de déterminer. Un esprit déterminé.");
        add("determinatif", "DÉTERMINATIF",
            "Qui sert à déterminer, à déterminer le sens. Les déterminatifs.");
        add("determination", "DÉTERMINATION", "Action de déterminer ; les déterminations.");
        add("nord", "Nord", "les armées du nord avancent");
        add("sud", "Sud", "une armée du sud recule");
        add("accord", "Accord militaire",
            "La signature est prévue demain à Bamako après des mois de discussions.");
        add("historique", "Accord militaire historique",
            "Un accord militaire signé, puis un autre accord militaire pour la région.");
        writer.commit();
        REQUIRE(writer.update_native_index());
        return db;
    }();
    return path;
}

Ids ranked(const std::string& query, SearchEngine engine) {
    trouvere::Searcher searcher(words_db());
    trouvere::SearchOptions options;
    options.engine = engine;
    options.snippets = false;
    Ids found;
    for (const auto& hit : searcher.search(query, options).hits) found.push_back(hit.id);
    return found;
}

const SearchEngine kEngines[] = {SearchEngine::xapian, SearchEngine::native};

}  // namespace

TEST_CASE("the document of a word typed as its title comes first, the stem family after",
          "[search][exact]") {
    for (SearchEngine engine : kEngines) {
        INFO("engine " << (engine == SearchEngine::native ? "native" : "xapian"));
        CHECK(ranked("déterminer", engine) ==
              Ids{"determiner", "determinatif", "determination", "determine"});
        CHECK(ranked("DETERMINER", engine) ==
              Ids{"determiner", "determinatif", "determination", "determine"});
        CHECK(ranked("déterminé", engine) ==
              Ids{"determine", "determinatif", "determination", "determiner"});
        CHECK(ranked("déterminatif", engine) ==
              Ids{"determinatif", "determination", "determine", "determiner"});
    }
}

TEST_CASE("documents holding the word as typed rank above those holding another form",
          "[search][exact]") {
    for (SearchEngine engine : kEngines) {
        INFO("engine " << (engine == SearchEngine::native ? "native" : "xapian"));
        CHECK(ranked("armées", engine) == Ids{"nord", "sud"});
        CHECK(ranked("armees", engine) == Ids{"nord", "sud"});
        CHECK(ranked("armée", engine) == Ids{"sud", "nord"});
        CHECK(ranked("Armee", engine) == Ids{"sud", "nord"});
    }
}

TEST_CASE("a title equal to the query ranks first", "[search][exact]") {
    for (SearchEngine engine : kEngines) {
        INFO("engine " << (engine == SearchEngine::native ? "native" : "xapian"));
        CHECK(ranked("accord militaire", engine) == Ids{"accord", "historique"});
        CHECK(ranked("Accord MILITAIRE historique", engine) == Ids{"historique"});
    }
}
