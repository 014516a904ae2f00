#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/word_segmenter.h"
#include "tests/test_support.h"

namespace {

using trouvere::analysis::WordSegment;
using trouvere::analysis::WordSegmenter;

std::vector<std::string> words_of(WordSegmenter& segmenter, std::string_view text, bool icu_only) {
    std::vector<WordSegment> segments;
    if (icu_only) {
        segmenter.segment_with_icu(text, segments);
    } else {
        segmenter.segment(text, segments);
    }
    std::vector<std::string> words;
    words.reserve(segments.size());
    for (const WordSegment& segment : segments) {
        words.emplace_back(text.substr(segment.begin, segment.end - segment.begin));
    }
    return words;
}

}  // namespace

TEST_CASE("common French text is cut into the words ICU gives", "[analysis]") {
    WordSegmenter segmenter;
    using Words = std::vector<std::string>;
    struct Case {
        std::string text;
        Words expected;
    };
    const Case cases[] = {
        {"l’armée et l'État", {"l’armée", "et", "l'État"}},
        {"aujourd'hui, 25 000 tonnes à 1,5 %", {"aujourd'hui", "25", "000", "tonnes", "à", "1,5"}},
        {"a.b a.1 1.a 1.2.3 a..b", {"a.b", "a", "1", "1", "a", "1.2.3", "a", "b"}},
        {"a:b a·b a_b _ __ œuvre", {"a", "b", "a·b", "a_b", "__", "œuvre"}},
        {"«\u202fl’armée\u202f» porte-avions", {"l’armée", "porte", "avions"}},
        {"contact@example.org — 3a a3", {"contact@example.org", "3a", "a3"}},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        CHECK(words_of(segmenter, c.text, false) == c.expected);
        CHECK(words_of(segmenter, c.text, true) == c.expected);
    }
}

TEST_CASE("segmenting without ICU gives ICU's words on random mixed text", "[analysis]") {
    // Pieces the fast path knows, mixed with pieces only ICU knows: combining accent, soft
    // hyphen, em space, other scripts, emoji, invalid and truncated UTF-8, line breaks.
    const std::vector<std::string> pieces = {
        "a",      "Z",        "é",      "É",      "œ",      "ſ",      "@",      "1",      "0",
        ".",      "'",        "’",      "‘",      ",",      ";",      ":",      "_",      "·",
        "-",      " ",        "\n",     "\t",     "\r\n",   "\u00a0", "\u202f", "\u2009", "«",
        "»",      "…",        "–",      "(",      "%",      "×",      "ª",      "²",      "\u0301",
        "\u00ad", "\u2003",   "\u200d", "Ω",      "я",      "中文",   "ไทย",    "😀",      "\xff",
        "\xc3",   "\xe2\x80", "\u2019", "\u2024", "\u00b5", "\x7f",   "\x01"};
    trouvere::testing::RandomTexts texts(pieces, 24);
    WordSegmenter segmenter;
    for (int round = 0; round < 20000; ++round) {
        const std::string text = texts.next();
        auto fast = words_of(segmenter, text, false);
        auto reference = words_of(segmenter, text, true);
        if (fast != reference) {
            INFO("text: '" << text << "'");
            CHECK(fast == reference);
            break;
        }
    }
}

TEST_CASE("segmenting without ICU gives ICU's words on the bundled articles", "[analysis]") {
    WordSegmenter segmenter;
    for (const auto& entry : std::filesystem::directory_iterator(trouvere::testing::corpus_dir())) {
        std::string text = trouvere::testing::read_file(entry.path());
        INFO(entry.path());
        CHECK(words_of(segmenter, text, false) == words_of(segmenter, text, true));
    }
}
