#include <catch2/catch.hpp>

#include "core/stored_document.h"

using trouvere::Document;

TEST_CASE("stored documents round-trip every field, newlines included", "[index]") {
    Document original{.id = "a\nb",
                      .title = "Titre\nsur deux lignes",
                      .body = "Premier paragraphe.\n\nSecond, avec « guillemets » et \"quotes\".\n",
                      .date = "2024-11-22",
                      .source = "Laguinee.info",
                      .url = "https://example.org/a",
                      .path = "/srv/corpus/a.txt"};
    Document copy = trouvere::stored::decode(trouvere::stored::encode(original));
    CHECK(copy.id == original.id);
    CHECK(copy.title == original.title);
    CHECK(copy.body == original.body);
    CHECK(copy.date == original.date);
    CHECK(copy.source == original.source);
    CHECK(copy.url == original.url);
    CHECK(copy.path == original.path);
}

TEST_CASE("a stored document read without its body leaves the body empty", "[index]") {
    Document original{.id = "x", .title = "Titre", .body = "Un long texte."};
    Document header = trouvere::stored::decode(trouvere::stored::encode(original), false);
    CHECK(header.title == "Titre");
    CHECK(header.body.empty());
}

TEST_CASE("a damaged stored record decodes to what can be read, without throwing", "[index]") {
    CHECK(trouvere::stored::decode("").id.empty());
    CHECK(trouvere::stored::decode("not json\nbody").id.empty());
    CHECK(trouvere::stored::decode("{\"id\":\"a\"}").body.empty());
}
