#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/snippet_builder.h"
#include "tests/test_support.h"
#include "tests/utf8_checks.h"
#include "trouvere/analyzer.h"
#include "trouvere/snippet.h"

namespace {

using trouvere::Analyzer;
using trouvere::Highlight;
using trouvere::Snippet;
using trouvere::searcher::build_snippet;
using trouvere::searcher::MatchSpec;
using trouvere::testing::code_points;
using trouvere::testing::is_valid_utf8;
using trouvere::testing::on_character_boundary;

// The analyser's own term for each word of `words`, as a query for those words would match them.
MatchSpec terms_of(Analyzer& analyzer, std::string_view words) {
    MatchSpec match;
    for (const trouvere::Token& token : analyzer.analyze(words)) match.terms.insert(token.term);
    return match;
}

MatchSpec phrase_of(Analyzer& analyzer, std::string_view words) {
    MatchSpec match;
    std::vector<std::string>& phrase = match.phrases.emplace_back();
    for (const trouvere::Token& token : analyzer.analyze(words)) phrase.push_back(token.term);
    return match;
}

std::string bracketed(const Snippet& snippet) {
    return trouvere::to_marked_text(snippet, "[", "]");
}

std::string snippet_of(std::string_view text, std::string_view query, std::size_t max_chars = 200) {
    Analyzer analyzer;
    return bracketed(build_snippet(analyzer, text, terms_of(analyzer, query), max_chars));
}

std::string repeated(std::string_view text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += text;
    return out;
}

std::size_t occurrences(std::string_view text, std::string_view part) {
    std::size_t count = 0;
    for (std::size_t at = text.find(part); at != std::string_view::npos;
         at = text.find(part, at + part.size())) {
        ++count;
    }
    return count;
}

// The invariants every snippet keeps, whatever the input.
void check_well_formed(const Snippet& snippet, std::size_t max_chars) {
    REQUIRE(is_valid_utf8(snippet.text));
    REQUIRE(code_points(snippet.text) <= max_chars);
    std::size_t previous_end = 0;
    for (const Highlight& highlight : snippet.highlights) {
        REQUIRE(highlight.begin >= previous_end);
        REQUIRE(highlight.begin < highlight.end);
        REQUIRE(highlight.end <= snippet.text.size());
        REQUIRE(on_character_boundary(snippet.text, highlight.begin));
        REQUIRE(on_character_boundary(snippet.text, highlight.end));
        previous_end = highlight.end;
    }
}

}  // namespace

TEST_CASE("the accord of l’accord is marked for the query accord", "[snippet]") {
    CHECK(snippet_of("Le CNT a voté en faveur de l’accord de coopération.", "accord") ==
          "Le CNT a voté en faveur de l’[accord] de coopération.");
}

TEST_CASE("militaire is marked for militaires", "[snippet]") {
    CHECK(snippet_of("Un important accord militaire ratifié par le CNT.", "militaires") ==
          "Un important accord [militaire] ratifié par le CNT.");
}

TEST_CASE("Armée is marked for armee", "[snippet]") {
    CHECK(snippet_of("L’Armée malienne a repris Kidal.", "armee") ==
          "L’[Armée] malienne a repris Kidal.");
}

TEST_CASE("words are marked wherever the analyser gives them the query's term", "[snippet]") {
    struct Case {
        const char* text;
        const char* query;
        const char* expected;
    };
    const Case cases[] = {
        {"Les ARMÉES défilent.", "armée", "Les [ARMÉES] défilent."},
        {"Le chef de l’État parle.", "etat", "Le chef de l’[État] parle."},
        {"Une œuvre commune.", "Oeuvre", "Une [œuvre] commune."},
        {"Le porte-parole a parlé.", "parole", "Le porte-[parole] a parlé."},
        {"Il livre 25 000 tonnes de blé.", "25000 ble", "Il livre [25 000] tonnes de [blé]."},
        {"Jusqu’à Bamako et jusqu’où ?", "bamako", "Jusqu’à [Bamako] et jusqu’où ?"},
        {"Rien à voir ici.", "armée", "Rien à voir ici."},
    };
    for (const Case& c : cases) {
        INFO(c.text << " / " << c.query);
        CHECK(snippet_of(c.text, c.query) == c.expected);
    }
}

TEST_CASE("a phrase marks its stopwords only inside the phrase: chemin de fer", "[snippet]") {
    Analyzer analyzer;
    const std::string text = "Le chemin de fer de Dakar au Niger. Chemin faisant, il parle de fer.";
    Snippet snippet = build_snippet(analyzer, text, phrase_of(analyzer, "chemin de fer"), 200);
    CHECK(bracketed(snippet) ==
          "Le [chemin] [de] [fer] de Dakar au Niger. Chemin faisant, il parle de fer.");

    Snippet reversed = build_snippet(analyzer, text, phrase_of(analyzer, "fer de chemin"), 200);
    CHECK(reversed.highlights.empty());
}

TEST_CASE("the passage with the most distinct terms wins", "[snippet]") {
    const std::string filler = repeated("Le temps est beau à Bamako ce matin. ", 8);
    struct Case {
        std::string description;
        std::string text;
        std::string expected_part;
    };
    const Case cases[] = {
        {"two terms together beat many repeats of one",
         repeated("Le Mali a signé un accord avec ses voisins. ", 8) + filler +
             "Il ratifie un accord militaire avec Moscou. " + filler,
         "Il ratifie un [accord] [militaire] avec Moscou."},
        {"with as many terms, the earliest wins over one with more repeats",
         filler + "Un accord militaire. " + filler +
             "Cet accord militaire et cet accord militaire. " + filler,
         "Un [accord] [militaire]."},
        {"with as many terms and matches, the earliest wins",
         filler + "Premier accord militaire. " + filler + "Second accord militaire. " + filler,
         "Premier [accord] [militaire]."},
    };
    for (const Case& c : cases) {
        INFO(c.description);
        std::string snippet = snippet_of(c.text, "accord militaire", 120);
        INFO(snippet);
        CHECK(snippet.find(c.expected_part) != std::string::npos);
    }
}

TEST_CASE("a long text is searched to its end when the query's terms appear late", "[snippet]") {
    const std::string filler = repeated("Le temps est beau à Bamako ce matin. ", 400);
    CHECK(snippet_of(filler + "Il signe un accord militaire. " + filler, "accord militaire", 120)
              .find("[accord] [militaire]") != std::string::npos);
    SECTION("and past an early window that lacks one of them") {
        std::string text = "Un accord. " + filler + "Un accord militaire. " + filler;
        CHECK(snippet_of(text, "accord militaire", 120).find("Un [accord] [militaire].") !=
              std::string::npos);
    }
}

TEST_CASE("terms exactly a snippet's length apart share a passage, one column more and they do not",
          "[snippet]") {
    // Accented letters (two bytes, one column) and a doubled space (one column) make bytes and
    // columns differ; an `accord` far before makes the columns be counted across a long gap.
    const std::string far_before = "Un accord. " + repeated("Le temps est beau à Bamako. ", 40);
    auto text_with = [&](int letters) {
        return far_before + "Accord  " + repeated("é", letters) + " militaire.";
    };
    auto together = [](int letters) {
        return "[Accord] " + repeated("é", letters) + " [militaire]";
    };
    // 120 columns leave 118 between the ellipses: `Accord`, a space, the letters, a space and
    // `militaire` fill them with 101 letters.
    CHECK(snippet_of(text_with(101), "accord militaire", 120).find(together(101)) !=
          std::string::npos);
    CHECK(snippet_of(text_with(102), "accord militaire", 120).find(together(102)) ==
          std::string::npos);
}

TEST_CASE("a long text analysed piece by piece marks what the whole text would", "[snippet]") {
    Analyzer analyzer;
    // 510 four-byte words put the phrase across the first 2 KB piece's end, after `de`.
    std::string phrase_across = repeated("mot ", 510) + "chemin de fer et " + repeated("x ", 2000);
    CHECK(
        bracketed(build_snippet(analyzer, phrase_across, phrase_of(analyzer, "chemin de fer"), 60))
            .find("[chemin] [de] [fer]") != std::string::npos);
    // `25 000` straddles the same place: a number is never cut in two.
    std::string number_across = repeated("mot ", 511) + "1 25 000 tonnes " + repeated("x ", 2000);
    CHECK(snippet_of(number_across, "25000 tonnes", 60).find("[25 000] [tonnes]") !=
          std::string::npos);
}

TEST_CASE("the first match comes with the context before it", "[snippet]") {
    const std::string filler = repeated("Le temps est beau à Bamako ce matin. ", 8);
    SECTION("the sentence start when the sentence fits") {
        std::string snippet =
            snippet_of(filler + "Le colonel Camara a défendu cet accord devant le CNT. " + filler,
                       "accord", 100);
        CHECK(snippet.rfind("…Le colonel Camara a défendu cet [accord] devant le CNT.", 0) == 0);
    }
    SECTION("a few words before the match in a sentence too long to fit") {
        std::string long_sentence = "Au cours d’une séance " + repeated("très longue et ", 20) +
                                    "historique, le CNT a ratifié l’accord avec Moscou, " +
                                    repeated("puis il a voté ", 20) + "la loi.";
        std::string snippet = snippet_of(long_sentence, "accord", 100);
        INFO(snippet);
        CHECK(snippet.find("le CNT a ratifié l’[accord] avec Moscou") != std::string::npos);
        CHECK(snippet.rfind("…", 0) == 0);
    }
}

TEST_CASE("ellipsis where the text is cut, none when the whole text fits", "[snippet]") {
    const std::string filler = repeated("Le temps est beau à Bamako ce matin. ", 8);
    struct Case {
        std::string description;
        std::string text;
        bool leading;
        bool trailing;
    };
    const Case cases[] = {
        {"whole text fits", "Un accord militaire ratifié.", false, false},
        {"whole text fits once its whitespace is collapsed",
         "Un accord\n\n\n\n" + std::string(120, ' ') + "militaire.", false, false},
        {"match at the start", "Un accord militaire. " + filler, false, true},
        {"match at the end", filler + "Un accord militaire.", true, false},
        {"match in the middle", filler + "Un accord militaire. " + filler, true, true},
        {"no match", filler, false, true},
    };
    for (const Case& c : cases) {
        INFO(c.description);
        std::string snippet = snippet_of(c.text, "accord", 100);
        INFO(snippet);
        CHECK(snippet.starts_with("…") == c.leading);
        CHECK(snippet.ends_with("…") == c.trailing);
    }
}

TEST_CASE("whitespace runs become one space and highlights follow them", "[snippet]") {
    CHECK(snippet_of("  Premier   paragraphe.\n\n\nSecond\tparagraphe sur l’armée.\n", "armee") ==
          "Premier paragraphe. Second paragraphe sur l’[armée].");
    // A lone no-break space is typography, not layout: it stays.
    CHECK(snippet_of("Il a dit\u00a0: «\u00a0l’armée est là\u00a0».", "armee") ==
          "Il a dit\u00a0: «\u00a0l’[armée] est là\u00a0».");
}

TEST_CASE("no match gives the start of the text cut at a word boundary", "[snippet]") {
    Analyzer analyzer;
    const std::string text = repeated("Le temps est beau à Bamako ce matin. ", 8);
    for (const MatchSpec& match : {MatchSpec{}, terms_of(analyzer, "Moscou")}) {
        Snippet snippet = build_snippet(analyzer, text, match, 50);
        CHECK(snippet.highlights.empty());
        REQUIRE(snippet.text.ends_with("…"));
        std::string shown = snippet.text.substr(0, snippet.text.size() - std::string("…").size());
        CHECK(text.starts_with(shown));
        CHECK(text[shown.size()] == ' ');
        CHECK(code_points(snippet.text) <= 50);
    }
}

TEST_CASE("a second passage shows the terms the best one lacks", "[snippet]") {
    const std::string filler = repeated("Le temps est beau à Bamako ce matin. ", 12);
    std::string snippet = snippet_of(
        "Le colonel Camara a défendu l’accord. " + filler + "La Russie a livré du blé. " + filler,
        "camara ble", 200);
    INFO(snippet);
    CHECK(snippet.find("[Camara]") != std::string::npos);
    CHECK(snippet.find("[blé]") != std::string::npos);
    CHECK(snippet.find(" … ") != std::string::npos);
    CHECK(code_points(snippet) <= 200);
}

TEST_CASE("tiny and degenerate inputs give well-formed snippets", "[snippet]") {
    Analyzer analyzer;
    const std::string texts[] = {
        "",
        "   \n\t\n   ",
        "mot",
        std::string(5000, 'a'),
        repeated("é", 3000),
        "\xff\xfe mot \xc3 avec \xe2\x82 octets \xed\xa0\x80 invalides \xf0\x9f",
        repeated("mot ", 2000),
        repeated("\n", 100) + "mot" + repeated("\n", 100),
    };
    const MatchSpec matches[] = {MatchSpec{}, terms_of(analyzer, "mot"),
                                 terms_of(analyzer, "octets invalides"),
                                 phrase_of(analyzer, "mot mot")};
    for (const std::string& text : texts) {
        for (const MatchSpec& match : matches) {
            for (std::size_t max_chars : {0, 1, 2, 3, 4, 10, 50, 300}) {
                INFO(text.substr(0, 20) << " / " << max_chars);
                check_well_formed(build_snippet(analyzer, text, match, max_chars), max_chars);
            }
        }
    }
    CHECK(build_snippet(analyzer, "", {}, 100).text.empty());
    CHECK(build_snippet(analyzer, " \n\n ", {}, 100).text.empty());
    CHECK(build_snippet(analyzer, "mot", terms_of(analyzer, "mot"), 0).text.empty());
    CHECK(bracketed(build_snippet(analyzer, "a\xff mot", terms_of(analyzer, "mot"), 10)) ==
          "a\uFFFD [mot]");
    CHECK(build_snippet(analyzer, std::string(5000, 'a'), {}, 10).text == "aaaaaaaa…");
}

TEST_CASE("snippet never splits a UTF-8 sequence and is bounded in length", "[snippet]") {
    Analyzer analyzer;
    std::mt19937 random(20240704);
    auto pick = [&](std::size_t low, std::size_t high) {
        return std::uniform_int_distribution<std::size_t>(low, high)(random);
    };
    for (const auto& entry : std::filesystem::directory_iterator(trouvere::testing::corpus_dir())) {
        const std::string article = trouvere::testing::read_file(entry.path());
        const std::vector<trouvere::Token> words = analyzer.analyze(article);
        REQUIRE(words.size() > 10);
        for (int round = 0; round < 60; ++round) {
            // Arbitrary byte cuts, so the text may start or end inside a UTF-8 sequence.
            std::size_t begin = pick(0, article.size() / 2);
            std::size_t end = pick(begin, article.size());
            std::string text = article.substr(begin, end - begin);
            if (round % 5 == 0 && !text.empty()) text[pick(0, text.size() - 1)] = '\xC3';

            MatchSpec match;
            for (std::size_t k = pick(0, 3); k > 0; --k) {
                match.terms.insert(words[pick(0, words.size() - 1)].term);
            }
            if (round % 3 == 0) {
                std::size_t first = pick(0, words.size() - 3);
                match.phrases.push_back(
                    {words[first].term, words[first + 1].term, words[first + 2].term});
            }
            std::size_t max_chars = pick(0, 400);

            INFO(entry.path().filename().string()
                 << " [" << begin << ", " << end << ") max " << max_chars);
            Snippet snippet = build_snippet(analyzer, text, match, max_chars);
            check_well_formed(snippet, max_chars);
            if (max_chars < 100 || !match.phrases.empty()) continue;
            bool text_matches = false;
            for (const trouvere::Token& token : analyzer.analyze(text)) {
                text_matches = text_matches || match.terms.contains(token.term);
            }
            CHECK(snippet.highlights.empty() == !text_matches);
            for (const Highlight& highlight : snippet.highlights) {
                std::vector<trouvere::Token> marked =
                    analyzer.analyze(std::string_view(snippet.text)
                                         .substr(highlight.begin, highlight.end - highlight.begin));
                REQUIRE(marked.size() == 1);
                CHECK(match.terms.count(marked[0].term) == 1);
            }
        }
    }
}

TEST_CASE("html escaping keeps marks balanced", "[snippet]") {
    Analyzer analyzer;
    Snippet snippet = build_snippet(analyzer, "Tom & Jerry <armée> \"l’armée\" 'armée'",
                                    terms_of(analyzer, "armee"), 200);
    std::string html = trouvere::to_html(snippet);
    CHECK(html ==
          "Tom &amp; Jerry &lt;<mark>armée</mark>&gt; &quot;l’<mark>armée</mark>&quot; "
          "&#39;<mark>armée</mark>&#39;");
    CHECK(occurrences(html, "<mark>") == 3);
    CHECK(occurrences(html, "</mark>") == 3);

    Snippet hand_made{"a<b>c", {{1, 4}}};
    CHECK(trouvere::to_html(hand_made) == "a<mark>&lt;b&gt;</mark>c");
}

TEST_CASE("marked text wraps highlights without escaping", "[snippet]") {
    Snippet snippet{"a <b> & c", {{2, 5}, {8, 9}}};
    CHECK(trouvere::to_marked_text(snippet, "\x1b[1m", "\x1b[0m") ==
          "a \x1b[1m<b>\x1b[0m & \x1b[1mc\x1b[0m");
}

TEST_CASE("renderers clip highlights that fall outside the text or overlap", "[snippet]") {
    Snippet snippet{"abcdef", {{1, 3}, {2, 4}, {5, 99}, {120, 130}}};
    CHECK(trouvere::to_marked_text(snippet, "[", "]") == "a[bc][d]e[f]");
    CHECK(trouvere::to_html(snippet) == "a<mark>bc</mark><mark>d</mark>e<mark>f</mark>");
}

TEST_CASE("a real article shows accord militaire within its length", "[snippet]") {
    Analyzer analyzer;
    const std::string article =
        trouvere::testing::read_file(trouvere::testing::corpus_dir() / "000_dbeda49fb9d40084.txt");
    for (std::size_t max_chars : {120, 200, 300}) {
        Snippet snippet =
            build_snippet(analyzer, article, terms_of(analyzer, "accord militaire"), max_chars);
        std::string html = trouvere::to_html(snippet);
        INFO(html);
        CHECK(html.find("<mark>accord</mark>") != std::string::npos);
        CHECK(html.find("<mark>militaire</mark>") != std::string::npos);
        CHECK(code_points(snippet.text) <= max_chars);
        CHECK(code_points(snippet.text) >= max_chars / 2);
        check_well_formed(snippet, max_chars);
    }
}

// Found by the snippet fuzz target (tests/fuzz/corpus/snippet/long_phrase_beside_words.txt): the
// first of two half-length passages showed more query terms than the best single window, which
// the long phrase hit kept from growing, and no other match was left for a second passage; the
// second passage was then cut around an empty window, reading past an empty vector.
TEST_CASE("regression: a phrase longer than the snippet beside other matches gives one passage",
          "[snippet][fuzz]") {
    Analyzer analyzer;
    const std::string phrase =
        "la Fédération de Russie, cet accord signé à Moscou le 25 mars 2023, marque une étape "
        "significative dans les relations entre Bamako et Moscou, selon le Conseil national de "
        "transition du Mali, qui l’a voté à l’unanimité";
    const std::string text = "Tuss teche avec " + phrase + ".";
    MatchSpec match = phrase_of(analyzer, phrase);
    for (const trouvere::Token& token : analyzer.analyze("Tuss teche Fédération")) {
        match.terms.insert(token.term);
    }
    const Snippet snippet = build_snippet(analyzer, text, match, 200);
    check_well_formed(snippet, 200);
    // The passage that shows the three words and the start of the phrase, at full length.
    INFO(bracketed(snippet));
    CHECK(bracketed(snippet).starts_with("[Tuss] [teche] avec [la] [Fédération] [de] [Russie]"));
    CHECK(code_points(snippet.text) > 150);
}
