#include <catch2/catch.hpp>

#include "core/stored_document.h"

using trouvere::Document;

TEST_CASE("stored headers round-trip every field but the body, newlines and NULs included",
          "[index]") {
    Document original{.id = "a\nb",
                      .title = std::string("Titre\nsur deux\0lignes", 21),
                      .body = "Le corps est la donnée du document, pas l'en-tête.",
                      .date = "2024-11-22",
                      .source = "Laguinee.info",
                      .url = "https://example.org/a",
                      .path = std::string(300, 'p')};
    Document copy = trouvere::stored::decode_header(trouvere::stored::encode_header(original));
    CHECK(copy.id == original.id);
    CHECK(copy.title == original.title);
    CHECK(copy.body.empty());
    CHECK(copy.date == original.date);
    CHECK(copy.source == original.source);
    CHECK(copy.url == original.url);
    CHECK(copy.path == original.path);
}

TEST_CASE("a damaged stored header decodes to the fields before the damage, without throwing",
          "[index]") {
    Document original{.id = "doc-1", .title = "Un titre", .date = "2024-01-02"};
    std::string header = trouvere::stored::encode_header(original);

    CHECK(trouvere::stored::decode_header("").id.empty());
    // Cut inside the date: the three empty fields after it are one byte each.
    Document truncated = trouvere::stored::decode_header(header.substr(0, header.size() - 5));
    CHECK(truncated.id == "doc-1");
    CHECK(truncated.title == "Un titre");
    CHECK(truncated.date.empty());
    // A length running past the end, and a varint that never ends.
    CHECK(trouvere::stored::decode_header("\x7f"
                                          "abc")
              .id.empty());
    CHECK(trouvere::stored::decode_header(std::string(20, '\xff')).id.empty());
}
