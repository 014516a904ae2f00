// The parts of the snippet builder on their own: columns, matches and the windows of them a
// passage can show. tests/snippet_test.cc checks the snippets they make together.

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/snippet_columns.h"
#include "searcher/snippet_matches.h"
#include "trouvere/analyzer.h"

namespace snippets = trouvere::searcher::snippets;

TEST_CASE("columns: a white space run is one column, an invalid sequence one, a character one",
          "[snippet]") {
    struct Case {
        std::string_view text;
        std::size_t columns;
    };
    const std::vector<Case> cases{
        {"", 0},           {"armée", 5},
        {"a  \t\n b", 3},  {"a\u00A0\u2009b", 3},  // any White_Space run
        {"a\u200Bb", 3},                           // a zero width space is a character
        {"a\xE2\x80z", 3},                         // one maximal ill-formed subpart
        {"\xC0\xAF", 2},                           // two ill-formed bytes
        {"𝄞 €", 3},
    };
    for (const Case& c : cases) {
        INFO("[" << std::string(c.text) << "]");
        CHECK(snippets::count_columns(c.text, 0, c.text.size()) == c.columns);
        // Capped: more than the cap means "does not fit".
        if (c.columns > 1) CHECK(snippets::count_columns(c.text, 0, c.text.size(), 1) > 1);
    }
}

TEST_CASE("columns: a walker stops within its budget at the end of a unit", "[snippet]") {
    const std::string_view text = "un  deux trois";
    CHECK(snippets::ColumnWalker(text, 0).advance_within(4, text.size()) == 5);  // "un  d" is 4
    CHECK(snippets::ColumnWalker(text, 0).advance_within(100, 6) == 6);
    const std::string_view accented = "été";
    CHECK(snippets::ColumnWalker(accented, 0).advance_within(1, accented.size()) == 2);
}

TEST_CASE("columns: long runs of plain ASCII count as one unit at a time would count them",
          "[snippet]") {
    // One unit at a time, as the snippet renders the text.
    auto counted_by_units = [](std::string_view text, std::size_t from, std::size_t to) {
        std::size_t columns = 0;
        bool in_space = false;
        while (from < to) {
            const snippets::Unit unit = snippets::next_unit(text, from);
            if (!(unit.space && in_space)) ++columns;
            in_space = unit.space;
            from = unit.next;
        }
        return columns;
    };
    // Pieces that make eight-byte steps pass or stop: words, lone and doubled spaces, a tab, a
    // line break, DEL, a control character, accents, a no-break space after a space.
    const std::vector<std::string_view> pieces{"mot",  "armistice", " ", "  ",      "\t", "\n",
                                               "\x7f", "\x01",      "é", " \u00A0", "x",  "."};
    std::uint32_t state = 7;
    auto next = [&] {
        state = state * 1103515245U + 12345U;
        return (state >> 16) % pieces.size();
    };
    for (int round = 0; round < 300; ++round) {
        std::string text;
        while (text.size() < 80) text += pieces[next()];
        INFO("[" << text << "]");
        for (std::size_t from = 0; from < text.size(); from += 3) {
            if ((static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) continue;
            const std::size_t whole = counted_by_units(text, from, text.size());
            REQUIRE(snippets::count_columns(text, from, text.size()) == whole);
            for (std::size_t cap : {1, 5, 8, 9, 17, 40}) {
                const std::size_t capped = snippets::count_columns(text, from, text.size(), cap);
                CHECK((whole <= cap ? capped == whole : capped > cap));
                // The walker stops at the end of a unit, within the budget, as far as it fits.
                const std::size_t end =
                    snippets::ColumnWalker(text, from).advance_within(cap, text.size());
                CHECK(counted_by_units(text, from, end) <= cap);
                if (end < text.size()) {
                    const std::size_t further = snippets::next_unit(text, end).next;
                    CHECK(counted_by_units(text, from, further) > cap);
                }
            }
        }
    }
}

TEST_CASE("columns: ranges are trimmed of White_Space, and white space between is detected",
          "[snippet]") {
    const std::string_view text = "\u3000 mot\u00A0\n";
    const snippets::Range trimmed = snippets::trimmed(text, {0, text.size()});
    CHECK(text.substr(trimmed.begin, trimmed.end - trimmed.begin) == "mot");
    CHECK(snippets::only_space_between(text, 0, 4));
    CHECK_FALSE(snippets::only_space_between(text, 0, 5));
    CHECK(snippets::only_space_between(text, 3, 3));
}

TEST_CASE("matches: analysis blocks end before white space that does not follow a digit",
          "[snippet]") {
    struct Case {
        std::string_view text;
        std::size_t from;
        std::size_t size;
        std::size_t end;
    };
    const std::vector<Case> cases{
        {"un deux trois", 0, 1, 2},
        {"un deux trois", 0, 3, 7},
        {"25 000 tonnes de blé", 0, 1, 13},  // not after a digit: not inside `25 000`
        {"a\tb\vc", 0, 2, 3},
        {"sans-espace", 0, 1, 11},
    };
    for (const Case& c : cases) {
        INFO("[" << std::string(c.text) << "] from " << c.from << " size " << c.size);
        CHECK(snippets::block_end(c.text, c.from, c.size) == c.end);
    }
}

TEST_CASE("matches: the best window shows the most distinct keys, then comes first", "[snippet]") {
    // Keys 0, 1, 0, 2 at columns 0, 10, 50, 55; each occurrence 5 columns wide.
    std::vector<snippets::Occurrence> occurrences;
    const std::vector<std::pair<std::size_t, std::uint32_t>> at{{0, 0}, {10, 1}, {50, 0}, {55, 2}};
    occurrences.reserve(at.size());
    for (auto [column, key] : at) {
        occurrences.push_back({column, column + 5, column, column + 5, key});
    }
    std::vector<std::uint32_t> counts(3, 0);
    const snippets::Window narrow = snippets::best_window(occurrences, 0, 4, 20, counts);
    CHECK(narrow.first == 0);
    CHECK(narrow.last == 2);
    CHECK(narrow.distinct == 2);
    const snippets::Window wide = snippets::best_window(occurrences, 0, 4, 60, counts);
    CHECK(wide.distinct == 3);
    CHECK(counts == std::vector<std::uint32_t>(3, 0));  // left as it was given
    // The span ends with the last occurrence that brings a key of its own.
    const snippets::Window later{2, 4, 2};
    const snippets::Range span = snippets::span_of(occurrences, later, counts);
    CHECK(span.begin == 50);
    CHECK(span.end == 60);
}

TEST_CASE("matches: terms and phrases are found among the analysed tokens", "[snippet]") {
    trouvere::Analyzer analyzer;
    const std::string text = "La coopération militaire et l'accord militaire.";
    const std::vector<trouvere::Token> tokens = analyzer.analyze(text, 0);
    trouvere::searcher::MatchSpec match;
    match.terms.insert(analyzer.analyze("accord", 0).at(0).term);
    std::vector<std::string> phrase;
    for (const trouvere::Token& token : analyzer.analyze("coopération militaire", 0)) {
        phrase.push_back(token.term);
    }
    match.phrases.push_back(phrase);
    const snippets::Matches found = snippets::find_matches(text, tokens, match, snippets::kNone);
    CHECK(found.key_count == 2);
    CHECK(found.distinct == 2);
    REQUIRE(found.occurrences.size() == 2);
    CHECK(text.substr(found.occurrences[0].begin,
                      found.occurrences[0].end - found.occurrences[0].begin) ==
          "coopération militaire");
    CHECK(text.substr(found.occurrences[1].begin,
                      found.occurrences[1].end - found.occurrences[1].begin) == "accord");
    // `militaire` marked only inside the phrase, `accord` on its own: three tokens in all.
    CHECK(found.marked.size() == 3);
}
