#include <lz4frame.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/sentence_breaks.h"
#include "core/stored_document.h"
#include "tests/test_support.h"
#include "trouvere/analyzer.h"

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

namespace {

// Locates `positions` in `body` from `tokens`' stored offsets, or fails the test.
std::vector<trouvere::stored::WordSpan> located(const std::string& offsets,
                                                const std::vector<std::uint32_t>& positions,
                                                std::string_view body) {
    auto words = trouvere::stored::locate_words(offsets, positions, body);
    REQUIRE(words.has_value());
    return *words;
}

// The valid header of an LZ4 frame whose content would be 2^40 bytes, as a damaged size could
// claim, followed by an end mark: no blocks follow.
std::string huge_lz4_frame_header() {
    LZ4F_preferences_t preferences{};
    preferences.frameInfo.contentSize = 1ULL << 40U;
    preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    LZ4F_cctx* context = nullptr;
    REQUIRE(LZ4F_isError(LZ4F_createCompressionContext(&context, LZ4F_VERSION)) == 0U);
    std::string header(LZ4F_HEADER_SIZE_MAX, '\0');
    std::size_t size = LZ4F_compressBegin(context, header.data(), header.size(), &preferences);
    LZ4F_freeCompressionContext(context);
    REQUIRE(LZ4F_isError(size) == 0U);
    header.resize(size);
    return header + std::string(8, '\0');
}

}  // namespace

TEST_CASE("stored word offsets give back the ranges analysis found, by position alone",
          "[index][snippet]") {
    trouvere::Analyzer analyzer;
    trouvere::testing::RandomTexts texts({"l’armée",
                                          "L'ÉTAT",
                                          "qu’aujourd’hui",
                                          "25 000",
                                          "1 000,50",
                                          "œuvre",
                                          "porte-parole",
                                          "«",
                                          "»",
                                          "…",
                                          "\xC3",
                                          "\x9C\x98",
                                          "\xE2\x9C",
                                          "\t\n",
                                          "Saint-Exupéry",
                                          "ﬁn",
                                          "ß",
                                          "日本",
                                          "a",
                                          "x",
                                          "—"},
                                         40, " ");
    for (int round = 0; round < 300; ++round) {
        const std::string body = texts.next();
        INFO(body);
        constexpr std::uint32_t kFirst = 104;
        const std::vector<trouvere::Token> tokens = analyzer.analyze(body, kFirst);
        const std::string offsets = trouvere::stored::encode_word_offsets(kFirst, tokens);

        // Title positions (below the body's first) are left out.
        std::vector<std::uint32_t> every{1, 2};
        for (const trouvere::Token& token : tokens) every.push_back(token.position);
        std::vector<trouvere::stored::WordSpan> words = located(offsets, every, body);
        REQUIRE(words.size() == tokens.size());
        for (std::size_t k = 0; k < tokens.size(); ++k) {
            CHECK(words[k].position == tokens[k].position);
            CHECK(words[k].begin == tokens[k].begin);
            CHECK(words[k].end == tokens[k].end);
        }
        // Every other word, every fifth and every ninth (runs of words passed a few at a time),
        // and then only the last.
        for (std::size_t step : {2, 5, 9}) {
            std::vector<std::uint32_t> some;
            for (std::size_t k = 1; k < tokens.size(); k += step) {
                some.push_back(tokens[k].position);
            }
            words = located(offsets, some, body);
            REQUIRE(words.size() == some.size());
            for (std::size_t k = 0; k < some.size(); ++k) {
                CHECK(words[k].begin == tokens[step * k + 1].begin);
                CHECK(words[k].end == tokens[step * k + 1].end);
            }
        }
        if (!tokens.empty()) {
            words = located(offsets, {tokens.back().position}, body);
            REQUIRE(words.size() == 1);
            CHECK(words[0].end == tokens.back().end);
        }
    }
}

TEST_CASE("damaged stored word offsets are refused, never trusted", "[index][snippet]") {
    trouvere::Analyzer analyzer;
    const std::string body = "L’armée a reçu 25 000 œuvres.";
    const std::vector<trouvere::Token> tokens = analyzer.analyze(body, 10);
    REQUIRE(tokens.size() == 5);
    const std::string offsets = trouvere::stored::encode_word_offsets(10, tokens);
    const std::vector<std::uint32_t> first{10};
    const std::vector<std::uint32_t> last{14};
    const std::vector<std::uint32_t> past_the_end{15};
    using trouvere::stored::locate_words;

    CHECK(locate_words(offsets, last, body).has_value());
    CHECK_FALSE(locate_words("", last, body).has_value());
    // A position past the body's last word.
    CHECK_FALSE(locate_words(offsets, past_the_end, body).has_value());
    // Offsets cut short, or reaching past a shorter body.
    CHECK_FALSE(locate_words(offsets.substr(0, offsets.size() - 1), last, body).has_value());
    CHECK_FALSE(locate_words(offsets, last, body.substr(0, body.size() - 3)).has_value());
    // A word starting inside `é`: the body is not the one the offsets were made from.
    CHECK_FALSE(locate_words(offsets, first, "Xl’armée a reçu 25 000 œuvres.").has_value());
    // Bytes that are not UTF-8 are characters of their own, as analysis reads them: words
    // beside them are located (regression: a word ending before a stray continuation byte).
    const std::string stray =
        "Cet\x9C\x98rd \xE2\x9C"
        "accord";
    const std::vector<trouvere::Token> stray_tokens = analyzer.analyze(stray, 10);
    REQUIRE(stray_tokens.size() == 3);
    const std::vector<std::uint32_t> every{10, 11, 12};
    auto words =
        locate_words(trouvere::stored::encode_word_offsets(10, stray_tokens), every, stray);
    REQUIRE(words.has_value());
    CHECK(stray.substr((*words)[0].begin, (*words)[0].end - (*words)[0].begin) == "Cet");
    CHECK(stray.substr((*words)[2].begin, (*words)[2].end - (*words)[2].begin) == "accord");
    // A varint that never ends.
    CHECK_FALSE(locate_words(std::string(12, '\xff'), last, body).has_value());
}

TEST_CASE("stored bodies round-trip: long ones compressed, short ones kept as they are",
          "[index]") {
    using trouvere::stored::BodyCheck;
    using trouvere::stored::compress_body;
    using trouvere::stored::decompress_body;
    const std::string article = trouvere::testing::french_prose(7, 400);
    const std::string binaryish("a\0b\xff\xc3", 5);
    for (const std::string& body : {std::string(), std::string("Court."), binaryish, article,
                                    std::string(300'000, ' ') + article}) {
        std::string stored = compress_body(body);
        for (auto check : {BodyCheck::own_checksum, BodyCheck::vouched_for}) {
            auto back = decompress_body(stored, check);
            REQUIRE(back.has_value());
            CHECK(*back == body);
        }
    }
    CHECK(compress_body(article).size() < article.size() * 2 / 3);
    CHECK(compress_body("Court.").size() == 1 + std::string_view("Court.").size());
}

TEST_CASE("a damaged stored body is refused, never trusted or allocated blindly", "[index]") {
    using trouvere::stored::decompress_body;
    const std::string stored =
        trouvere::stored::compress_body(trouvere::testing::french_prose(3, 300));
    REQUIRE(stored[0] == 2);
    // Cut short, an unknown encoding byte, and a frame that claims an enormous size.
    CHECK_FALSE(decompress_body(stored.substr(0, stored.size() - 7)).has_value());
    CHECK_FALSE(decompress_body("\x07"
                                "abc")
                    .has_value());
    CHECK_FALSE(decompress_body(stored.substr(0, 1) + huge_lz4_frame_header()).has_value());
    std::string flipped = stored;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
    // The frame's checksum catches bits flipped in the compressed text.
    CHECK_FALSE(decompress_body(flipped).has_value());
}

TEST_CASE(
    "a full record gives back its header, word offsets, sentence breaks and body, and damaged "
    "lengths are refused",
    "[index]") {
    using trouvere::stored::split_full_record;
    const std::string body = trouvere::testing::french_prose(4, 300);
    const std::string header = trouvere::stored::encode_header({.id = "a", .title = "Titre"});
    const std::string offsets(300, '\x05');
    const std::string breaks(20, '\x11');
    for (const std::string& words : {offsets, std::string()}) {
        for (const std::string& sentences : {breaks, std::string()}) {
            const std::string record =
                trouvere::stored::encode_full_record(header, words, sentences, body);
            auto parts = split_full_record(record);
            REQUIRE(parts.has_value());
            CHECK(parts->header == header);
            CHECK(parts->word_offsets == words);
            CHECK(parts->sentence_breaks == sentences);
            auto back = trouvere::stored::decompress_body(parts->stored_body);
            REQUIRE(back.has_value());
            CHECK(*back == body);
        }
    }
    const std::string record = trouvere::stored::encode_full_record(header, offsets, breaks, body);
    // Cut inside the offsets, a length past the end, and a varint that never ends.
    CHECK_FALSE(split_full_record(record.substr(0, header.size() + 100)).has_value());
    CHECK_FALSE(split_full_record("\x7f"
                                  "abc")
                    .has_value());
    CHECK_FALSE(split_full_record(std::string(12, '\xff')).has_value());
}

TEST_CASE(
    "a full record copied under checksums of its own keeps an intact body and marks a damaged one "
    "damaged however it is read",
    "[index]") {
    using trouvere::stored::BodyCheck;
    using trouvere::stored::full_record_to_copy;
    using trouvere::stored::split_full_record;
    const std::string body = trouvere::testing::french_prose(5, 300);
    const std::string header = trouvere::stored::encode_header({.id = "a", .title = "Titre"});
    const std::string record =
        trouvere::stored::encode_full_record(header, std::string(300, '\x05'), "\x11", body);
    CHECK(full_record_to_copy(record) == record);
    const std::string without_body = trouvere::stored::encode_full_record(header, "", "", "");
    CHECK(full_record_to_copy(without_body) == without_body);
    CHECK(full_record_to_copy("\x7f") == "\x7f");

    // The record ends with the body's checksum: flipped, the body decodes, and only the checksum
    // tells it is not what was stored.
    std::string damaged = record;
    damaged.back() = static_cast<char>(damaged.back() ^ 0x5a);
    CHECK(trouvere::stored::decompress_body(split_full_record(damaged)->stored_body,
                                            BodyCheck::vouched_for) == body);
    const std::string copy = full_record_to_copy(damaged);
    auto parts = split_full_record(copy);
    REQUIRE(parts.has_value());
    CHECK(parts->header == header);
    CHECK(parts->word_offsets == std::string(300, '\x05'));
    CHECK(parts->sentence_breaks == "\x11");
    for (auto check : {BodyCheck::own_checksum, BodyCheck::vouched_for}) {
        CHECK_FALSE(trouvere::stored::decompress_body(parts->stored_body, check).has_value());
    }
}

namespace {

// Every boundary a reader gives, and whether it stopped at damage.
std::pair<std::vector<std::size_t>, bool> read_all(std::string_view encoded,
                                                   std::string_view body) {
    trouvere::stored::SentenceBreakReader reader(encoded, body);
    std::vector<std::size_t> read;
    while (auto boundary = reader.next()) read.push_back(*boundary);
    return {read, reader.damaged()};
}

}  // namespace

TEST_CASE("stored sentence breaks give back ICU's, in about a byte a sentence",
          "[index][snippet]") {
    const std::string body =
        "Le traité fut signé à Paris. Il entra en vigueur le 3 mai ! "
        "Voir p. 12, 14 et 15 du rapport. Qui l’eût cru ?\nFin";
    const std::vector<std::size_t> breaks = trouvere::analysis::sentence_breaks(body);
    // 0, the four sentence ends, and the end of the text.
    REQUIRE(breaks.size() == 6);
    CHECK(breaks.front() == 0);
    CHECK(breaks.back() == body.size());
    CHECK(body.substr(breaks[2], 4) == "Voir");
    const std::string encoded = trouvere::stored::encode_sentence_breaks(breaks);
    CHECK(encoded.size() == breaks.size() - 1);
    CHECK(read_all(encoded, body) == std::pair(breaks, false));

    // A text of no bytes has one boundary, 0, and nothing to store.
    CHECK(trouvere::analysis::sentence_breaks("") == std::vector<std::size_t>{0});
    CHECK(read_all("", "") == std::pair(std::vector<std::size_t>{0}, false));
}

TEST_CASE("damaged stored sentence breaks are refused from the damage on, never trusted",
          "[index][snippet]") {
    const std::string body = "Première phrase. Deuxième phrase. Troisième, la dernière.";
    const std::vector<std::size_t> breaks = trouvere::analysis::sentence_breaks(body);
    REQUIRE(breaks.size() == 4);
    const std::string encoded = trouvere::stored::encode_sentence_breaks(breaks);
    const std::vector<std::size_t> up_to_second(breaks.begin(), breaks.begin() + 2);

    // Cut short: the boundaries before the cut, then damage instead of the body's end.
    CHECK(read_all(encoded.substr(0, 1), body) == std::pair(up_to_second, true));
    CHECK(read_all("", body) == std::pair(std::vector<std::size_t>{0}, true));
    // A gap of zero, one past the body, one into the middle of `è`, a varint that never ends.
    std::string zero_gap = encoded;
    zero_gap[1] = '\0';
    CHECK(read_all(zero_gap, body) == std::pair(up_to_second, true));
    std::string past_end = encoded;
    past_end[1] = static_cast<char>(body.size());
    CHECK(read_all(past_end, body) == std::pair(up_to_second, true));
    const std::size_t inside_e_grave = body.find("è") + 1;
    CHECK(read_all(std::string(1, static_cast<char>(inside_e_grave)), body) ==
          std::pair(std::vector<std::size_t>{0}, true));
    CHECK(read_all(std::string(12, '\xff'), body) == std::pair(std::vector<std::size_t>{0}, true));
}
