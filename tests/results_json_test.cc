// The JSON of search --json and of search serve, byte for byte: the writer in results_json.cc
// must give what the format has always been (nlohmann's dump, then DEL and C1 escaped).

#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "trouvere/document.h"
#include "trouvere/searcher.h"

TEST_CASE("to_json writes results as search --json always has, every control escaped", "[json]") {
    trouvere::SearchResults results;
    results.query = "quote\" back\\slash / tab\t nl\n bell\x07 del\x7F csi\xC2\x9B nbsp\xC2\xA0 é";
    results.engine = "native";
    results.total_estimate = 12'000'000'084;
    results.total_exact = false;
    results.fell_back_to_any_word = true;
    results.suggestion = "cheval";
    results.warnings = {"", "bad \xFF byte"};
    trouvere::Hit hit;
    hit.rank = 1;
    hit.id = "a/b";
    hit.title = "<b>Titre</b> & « guillemets »";
    hit.score = 15.100317097833749;
    hit.date = "2024-07-04";
    hit.snippet = {.text = "un accord <militaire>", .highlights = {{3, 9}}};
    results.hits.push_back(hit);
    hit.rank = 2;
    hit.score = 1;
    hit.date.clear();
    hit.source = "Le Monde";
    hit.url = "https://example.org/?a=1&b=2";
    hit.path = "/corpus/a.txt";
    hit.snippet = {};
    results.hits.push_back(hit);
    hit.score = std::numeric_limits<double>::quiet_NaN();
    results.hits.push_back(hit);
    results.facets = {{trouvere::Facet::year, {{"2024", 2}, {"2023", 1}}},
                      {trouvere::Facet::source, {}}};
    CHECK(trouvere::to_json(results) ==
          R"({"query":"quote\" back\\slash / tab\t nl\n bell\u0007 del\u007f csi\u009b nbsp)"
          "\xC2\xA0"
          R"( é","engine":"native","total_estimate":12000000084,"total_exact":false,)"
          R"("fell_back_to_any_word":true,"suggestion":"cheval","warnings":["","bad )"
          "\xEF\xBF\xBD"
          R"( byte"],"hits":[{"rank":1,"id":"a/b","title":"<b>Titre</b> & « guillemets »",)"
          R"("score":15.100317097833749,"date":"2024-07-04","source":null,"url":null,)"
          R"("path":null,"snippet":"un <mark>accord</mark> &lt;militaire&gt;"},{"rank":2,)"
          R"("id":"a/b","title":"<b>Titre</b> & « guillemets »","score":1.0,"date":null,)"
          R"("source":"Le Monde","url":"https://example.org/?a=1&b=2","path":"/corpus/a.txt",)"
          R"("snippet":""},{"rank":2,"id":"a/b","title":"<b>Titre</b> & « guillemets »",)"
          R"("score":null,"date":null,"source":"Le Monde","url":"https://example.org/?a=1&b=2",)"
          R"("path":"/corpus/a.txt","snippet":""}],"facets":{"year":[{"value":"2024",)"
          R"("count":2},{"value":"2023","count":1}],"source":[]}})");

    results.facets.push_back({trouvere::Facet::year, {{"2022", 5}}});
    const std::string twice = trouvere::to_json(results);
    CHECK(twice.ends_with(R"("facets":{"year":[{"value":"2022","count":5}],"source":[]}})"));
}

TEST_CASE("to_json writes a document with its unknown fields null", "[json]") {
    const trouvere::Document document{
        .id = "d1", .title = "Titre", .body = "Corps\n\ten « deux » lignes\x1B[2J", .url = "u"};
    CHECK(trouvere::to_json(document) ==
          R"({"id":"d1","title":"Titre","body":"Corps\n\ten « deux » lignes\u001b[2J",)"
          R"("date":null,"source":null,"url":"u","path":null})");
}
