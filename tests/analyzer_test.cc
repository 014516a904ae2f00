#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/test_support.h"
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

std::string repeated(std::string_view piece, int times) {
    std::string text;
    for (int i = 0; i < times; ++i) text += piece;
    return text;
}

bool same_token(const Token& a, const Token& b) {
    return a.term == b.term && a.accented_term == b.accented_term && a.begin == b.begin &&
           a.end == b.end && a.position == b.position && a.is_stopword == b.is_stopword &&
           a.hyphenated_to_previous == b.hyphenated_to_previous;
}

// analyze_candidates(text, terms) against analyze(text): every token whose term is one of `terms`
// is there, as analyze gives it; whatever else is there is a token of analyze too; and the
// position it returns follows the text's last word.
// Returns how many candidates it compared.
std::size_t check_candidates(Analyzer& analyzer, std::string_view text,
                             const std::vector<std::string_view>& terms) {
    constexpr std::uint32_t kFirst = 7;
    const std::vector<Token> all = analyzer.analyze(text, kFirst);
    std::uint32_t position = kFirst;
    const std::vector<Token> candidates = analyzer.analyze_candidates(text, terms, position);
    auto wanted = [&](const Token& token) {
        return std::find(terms.begin(), terms.end(), token.term) != terms.end();
    };
    std::string shown_terms;
    for (std::string_view term : terms) shown_terms.append(term).append(" ");
    INFO("text: '" << text << "', terms: " << shown_terms);
    CHECK(position == (all.empty() ? kFirst : all.back().position + 1));
    std::size_t k = 0;
    for (const Token& token : candidates) {
        while (k < all.size() && all[k].begin < token.begin) {
            CHECK_FALSE(wanted(all[k]));
            ++k;
        }
        REQUIRE(k < all.size());
        CHECK(same_token(all[k], token));
        ++k;
    }
    for (; k < all.size(); ++k) CHECK_FALSE(wanted(all[k]));
    return candidates.size();
}

// Some of the terms of `text`: every `step`-th token's, from the `offset`-th.
std::vector<std::string> some_terms(Analyzer& analyzer, std::string_view text, std::size_t step,
                                    std::size_t offset) {
    std::vector<std::string> terms;
    const std::vector<Token> tokens = analyzer.analyze(text);
    for (std::size_t i = offset; i < tokens.size(); i += step) terms.push_back(tokens[i].term);
    return terms;
}

std::vector<std::string_view> views(const std::vector<std::string>& terms) {
    return {terms.begin(), terms.end()};
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
        const std::vector<std::string> typed = terms_of(row.typed);
        // Two empty lists are equal too, and say nothing about the word.
        REQUIRE_FALSE(typed.empty());
        CHECK(typed == terms_of(row.written));
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
        const std::vector<std::string> a = terms_of(row.a);
        const std::vector<std::string> b = terms_of(row.b);
        // A text that lost all its words differs from any other for the wrong reason.
        REQUIRE_FALSE(a.empty());
        REQUIRE_FALSE(b.empty());
        CHECK(a != b);
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

TEST_CASE("candidate analysis keeps every word that may match, as analyze gives it, on articles",
          "[analysis]") {
    Analyzer analyzer;
    std::size_t articles = 0;
    std::size_t compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(trouvere::testing::corpus_dir())) {
        const std::string text = trouvere::testing::read_file(entry.path());
        ++articles;
        check_candidates(analyzer, text, {});
        compared +=
            check_candidates(analyzer, text, {"a", "accord", "militair", "2023", "e", "l", "ét"});
        for (std::size_t offset = 0; offset < 5; ++offset) {
            compared +=
                check_candidates(analyzer, text, views(some_terms(analyzer, text, 5, offset)));
        }
    }
    // No article, or no candidate, and the comparisons above hold for nothing.
    CHECK(articles > 0);
    CHECK(compared > 1000);
}

TEST_CASE("candidate analysis keeps every word that may match, as analyze gives it, on random text",
          "[analysis]") {
    // Words whose first letter folding or stemming might change or whose term might be too long:
    // capitals, ligatures and letters that fold to two (Œ ß ŉ ﬁ ĳ ŀ), a combining accent, initial
    // y and qu that Snowball marks, elisions, numbers with thousands groups, 40 to 70 byte words,
    // short words that NFKC makes over 64 bytes long (U+FDFA is one character for 18, U+0587
    // two bytes for four), and short words whose stem is cut close to its start.
    const std::vector<std::string> pieces = {"armée",
                                             "Armée",
                                             "ARMÉE",
                                             "Œuvre",
                                             "œil",
                                             "ßa",
                                             "ŉa",
                                             "ﬁn",
                                             "ĳs",
                                             "ŀa",
                                             "e\u0301",
                                             "a\uFDFA\uFDFA\uFDFA",
                                             "a" + repeated("\u0587", 20),
                                             "yeux",
                                             "Yves",
                                             "quand",
                                             "Qu’il",
                                             "l’armée",
                                             "d'eau",
                                             "jusqu'où",
                                             "25 000",
                                             "1 000,50",
                                             "2024",
                                             "3e",
                                             "@moi",
                                             "_x_",
                                             "été",
                                             "Évian",
                                             "ça",
                                             "à",
                                             "zèbre",
                                             "Ça",
                                             "ÀB",
                                             "\xff",
                                             std::string(40, 'a') + "é",
                                             std::string(41, 'b') + "éé",
                                             std::string(63, 'c'),
                                             std::string(70, 'd'),
                                             "ÿ",
                                             "Ÿvon",
                                             "ǅ",
                                             "-",
                                             " ",
                                             ", ",
                                             "\n",
                                             "\u00a0",
                                             "'",
                                             "eaux",
                                             "aux",
                                             "eux",
                                             "ies",
                                             "ayant",
                                             "niais",
                                             "tapis",
                                             "partir",
                                             "ami",
                                             "amies",
                                             "ions",
                                             "ement",
                                             "is",
                                             "o'neill",
                                             "a.b",
                                             "Aïe",
                                             "es",
                                             "Ms",
                                             "os"};
    trouvere::testing::RandomTexts texts(pieces, 12, " ");
    Analyzer analyzer;
    std::size_t compared = 0;
    for (int round = 0; round < 3000; ++round) {
        const std::string text = texts.next();
        compared += check_candidates(analyzer, text,
                                     {"a", "y", "ye", "qu", "25000", "1000,50", "2024", "oeuvr"});
        for (std::size_t offset = 0; offset < 3; ++offset) {
            compared +=
                check_candidates(analyzer, text, views(some_terms(analyzer, text, 3, offset)));
        }
    }
    CHECK(compared > 10'000);  // not a run of empty texts
}
