#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>

#include "analysis/french_stemmer.h"
#include "trouvere/analyzer.h"

namespace {

using trouvere::analysis::FrenchStemmer;

struct StemRow {
    const char* word;
    const char* stem;
    const char* why;
};

void check_stems(std::initializer_list<StemRow> rows) {
    FrenchStemmer stemmer;
    for (const StemRow& row : rows) {
        INFO(row.why << ": " << row.word);
        CHECK(stemmer.stem(row.word) == row.stem);
    }
}

}  // namespace

TEST_CASE("French stems of everyday words", "[analysis]") {
    check_stems({
        {"militaires", "militair", "plural and singular meet"},
        {"militaire", "militair", "plural and singular meet"},
        {"chevaux", "cheval", "-aux plural of -al"},
        {"cheval", "cheval", "-aux plural of -al"},
        {"nationalités", "national", "-ité suffix"},
        {"coopérations", "cooper",
         "-ations suffix, and a last é before a consonant loses its accent"},
        {"armée", "armé", "the accented form keeps its é"},
        {"armee", "arme", "the folded form meets arme"},
        {"naïve", "naïv", "a diaeresis that no suffix follows stays"},
        {"", "", "the empty word"},
    });
}

// Xapian 1.4 carries its own copy of the French algorithm, older than Snowball 2.0, which reads
// ë and ï as letters of their own. Snowball's own library marks them so that a suffix starting
// with one is still a suffix, and counts the vowel pair they sit in as two syllables. These stems
// are libstemmer's; Xapian::Stem("french") gives the ones in the comments.
TEST_CASE("the stemmer is Snowball's own: suffixes after a diaeresis are recognised",
          "[analysis]") {
    check_stems({
        {"archaïque", "archa", "-ïque is -ique (Xapian: archaïqu)"},
        {"archaïsme", "archa", "-ïsme is -isme, so it meets archaïque (Xapian: archaïsm)"},
        {"aiguë", "aigu", "a final ë is a final e, so it meets aigue (Xapian: aiguë)"},
        {"aigue", "aigu", "a final ë is a final e, so it meets aigue"},
        {"laïcité", "laïqu", "-icité after a diaeresis meets laïque (Xapian: laïcit)"},
        {"laïque", "laïqu", "-icité after a diaeresis meets laïque"},
        {"haïssable", "haïss", "aï is two syllables, so -able is in R2 (Xapian: haïssabl)"},
    });
}

TEST_CASE("a stemmer's result does not change when it stems the next word", "[analysis]") {
    // libstemmer hands back its own buffer, which the next call overwrites.
    FrenchStemmer stemmer;
    const std::string first = stemmer.stem("militaires");
    const std::string second = stemmer.stem("coopérations");
    CHECK(first == "militair");
    CHECK(second == "cooper");
}

TEST_CASE("an accented stem equal to the folded one adds no accented term: aiguë", "[analysis]") {
    trouvere::Analyzer analyzer;
    const auto tokens = analyzer.analyze("aiguë");
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0].term == "aigu");
    CHECK(tokens[0].accented_term.empty());
}
