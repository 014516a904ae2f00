#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "trouvere/analyzer.h"

namespace {

using trouvere::Analyzer;
using trouvere::Token;

std::vector<std::string> terms_of(std::string_view text) {
    Analyzer analyzer;
    std::vector<std::string> terms;
    for (const Token& token : analyzer.analyze(text)) terms.push_back(token.term);
    return terms;
}

std::vector<std::string> surfaces_of(std::string_view text) {
    Analyzer analyzer;
    std::vector<std::string> surfaces;
    for (const Token& token : analyzer.analyze(text)) {
        surfaces.emplace_back(text.substr(token.begin, token.end - token.begin));
    }
    return surfaces;
}

}  // namespace

TEST_CASE("spellings that must meet on one term", "[analysis]") {
    // Each row: two texts a reader would call the same word(s).
    struct Row {
        const char* typed;
        const char* written;
        const char* why;
    };
    const Row rows[] = {
        {"armée", "l'armée", "elided article is stripped: l'armée matches armée"},
        {"armée", "L’Armée", "typographic apostrophe and capitals"},
        {"armee", "armée", "accent-insensitive: armee finds armée"},
        {"ARMÉE", "armée", "NFKC case folding of accented capitals"},
        {"où", "Jusqu'où", "jusqu' is elided"},
        {"il", "lorsqu’il", "lorsqu’ is elided"},
        {"elle", "quoiqu'elle", "quoiqu' is elided"},
        {"est", "c'est", "c' is elided"},
        {"accord", "d’accord", "d’ is elided"},
        {"fin", "ﬁn", "the fi ligature is folded by NFKC"},
        {"état", "ÉTAT", "upper case with accent"},
        {"oeuvre", "œuvre", "œ matches oe"},
        {"Oeuvre", "ŒUVRE", "Œ matches OE"},
        {"ex aequo", "ex æquo", "æ matches ae"},
        {"militaire", "militaires", "Snowball stemming of plurals"},
        {"coopération", "coopérations", "stemming keeps accents working"},
        {"cooperation", "coopérations", "folding and stemming together"},
        {"ble", "blé", "ble finds blé"},
        {"souverainete", "souveraineté", "souverainete finds souveraineté"},
        {"25000", "25 000", "thousands separated by a space"},
        {"25000", "25\u00a0000", "thousands separated by a no-break space"},
        {"25000", "25\u202f000", "thousands separated by a narrow no-break space"},
        {"1000000", "1 000 000", "several thousands groups"},
        {"aujourd'hui", "aujourd’hui", "aujourd'hui keeps its apostrophe, of either kind"},
        {"coopération", "coopé\u00adration", "a soft hyphen inside a word is ignored"},
        {"armée", "«\u202fl’armée\u202f»", "narrow no-break spaces inside guillemets separate"},
        {"armée !", "armée\u202f!", "a narrow no-break space before ! separates"},
        {"25000 km", "25\u202f000\u202fkm", "narrow no-break spaces in a number and after it"},
    };
    for (const Row& row : rows) {
        INFO(row.why << ": " << row.typed << " / " << row.written);
        CHECK(terms_of(row.typed) == terms_of(row.written));
    }
}

TEST_CASE("words that must stay apart", "[analysis]") {
    struct Row {
        const char* a;
        const char* b;
        const char* why;
    };
    const Row rows[] = {
        {"aujourd'hui", "hui", "aujourd' is not an elision"},
        {"0,11", "11", "a decimal number stays whole"},
        {"2024 100", "2024100", "a four-digit year does not take a following number"},
        {"25 000", "25", "a joined number is not its first group"},
        {"chemin", "chemins de fer", "different word counts"},
    };
    for (const Row& row : rows) {
        INFO(row.why << ": " << row.a << " / " << row.b);
        CHECK(terms_of(row.a) != terms_of(row.b));
    }
}

TEST_CASE("elided article is cut from the token and its offsets", "[analysis]") {
    CHECK(surfaces_of("l’accord de coopération") ==
          std::vector<std::string>{"accord", "de", "coopération"});
    CHECK(surfaces_of("QU'IL") == std::vector<std::string>{"IL"});
    CHECK(surfaces_of("aujourd'hui") == std::vector<std::string>{"aujourd'hui"});
    CHECK(surfaces_of("O'Neill") == std::vector<std::string>{"O'Neill"});
}

TEST_CASE("thousands-separated number is one token spanning its groups", "[analysis]") {
    CHECK(surfaces_of("livré 25 000 tonnes") ==
          std::vector<std::string>{"livré", "25 000", "tonnes"});
    CHECK(terms_of("en 2024 100 personnes")[1] == "2024");
    CHECK(terms_of("1 000,50 euros")[0] == "1000,50");
}

TEST_CASE("hyphenated words are separate tokens that know they are joined", "[analysis]") {
    Analyzer analyzer;
    auto tokens = analyzer.analyze("Saint-Pétersbourg et porte-parole - non");
    REQUIRE(tokens.size() == 6);
    CHECK_FALSE(tokens[0].hyphenated_to_previous);
    CHECK(tokens[1].hyphenated_to_previous);
    CHECK_FALSE(tokens[2].hyphenated_to_previous);
    CHECK_FALSE(tokens[3].hyphenated_to_previous);
    CHECK(tokens[4].hyphenated_to_previous);
    CHECK_FALSE(tokens[5].hyphenated_to_previous);  // a spaced dash joins nothing
}

TEST_CASE("positions are consecutive over the words kept", "[analysis]") {
    Analyzer analyzer;
    auto tokens = analyzer.analyze("l'accord, signé à Moscou !", 10);
    REQUIRE(tokens.size() == 4);
    for (std::size_t i = 0; i < tokens.size(); ++i) CHECK(tokens[i].position == 10 + i);
}

TEST_CASE("stopwords are flagged, not dropped", "[analysis]") {
    Analyzer analyzer;
    auto tokens = analyzer.analyze("chemin de fer, mise en œuvre, été");
    std::vector<bool> stop;
    stop.reserve(tokens.size());
    for (const auto& token : tokens) stop.push_back(token.is_stopword);
    CHECK(stop == std::vector<bool>{false, true, false, false, true, false, true});
    CHECK(Analyzer::is_stopword("ete"));
    CHECK_FALSE(Analyzer::is_stopword("armee"));
}

TEST_CASE("accented family separates armée from arme that folding merges", "[analysis]") {
    Analyzer analyzer;
    auto armee = analyzer.analyze("armée");
    auto arme = analyzer.analyze("arme");
    REQUIRE(armee.size() == 1);
    REQUIRE(arme.size() == 1);
    CHECK(armee[0].term == arme[0].term);
    CHECK(!armee[0].accented_term.empty());
    CHECK(arme[0].accented_term.empty());
    // Where the accent does not change the stem there is nothing to tell apart.
    CHECK(analyzer.analyze("coopération")[0].accented_term.empty());
}

TEST_CASE("fold removes case, accents and ligatures without stemming", "[analysis]") {
    Analyzer analyzer;
    CHECK(analyzer.fold("Œuvres") == "oeuvres");
    CHECK(analyzer.fold("ÉTAT") == "etat");
    CHECK(analyzer.fold("ﬁn") == "fin");
}

TEST_CASE("invalid UTF-8 never reaches a token", "[analysis]") {
    Analyzer analyzer;
    std::string text =
        "ab\xff"
        "cd l\xc3";
    for (const auto& token : analyzer.analyze(text)) {
        CHECK(token.end <= text.size());
        CHECK(token.term.find('\xff') == std::string::npos);
        CHECK(token.term.find('\xc3') == std::string::npos);
    }
    CHECK(analyzer.analyze("").empty());
    CHECK(analyzer.analyze("  ,;  ").empty());
}

TEST_CASE("absurdly long words are not indexed", "[analysis]") {
    Analyzer analyzer;
    std::string text = "avant " + std::string(300, 'x') + " après";
    auto tokens = analyzer.analyze(text);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[1].position == tokens[0].position + 1);
}

// Found by the analyzer fuzz target (tests/fuzz/corpus/analyzer/long_word.txt): a letter with a
// long run of combining accents folds to a short term, but its accented stem kept every accent and
// passed Xapian's term length limit.
TEST_CASE("regression: a word with hundreds of combining accents has no oversized accented term",
          "[analysis][fuzz]") {
    Analyzer analyzer;
    std::string word = "e";
    for (int i = 0; i < 150; ++i) word += "\u0301";
    const std::vector<Token> tokens = analyzer.analyze("avant " + word + " après");
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[1].term == "e");
    CHECK(tokens[1].accented_term.size() <= 64);
    CHECK(tokens[2].position == tokens[1].position + 1);
}
