#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <ios>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/word_segmenter.h"
#include "tests/test_support.h"

namespace {

using trouvere::analysis::word_break_beside_ascii_space;
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

// Pieces the fast path knows, mixed with pieces only ICU knows: combining accent, soft hyphen,
// em space, other scripts, emoji, invalid and truncated UTF-8, line breaks.
const std::vector<std::string> kMixedPieces = {
    "a",    "Z",      "é",        "É",      "œ",      "ſ",      "@",    "1",   "0",    ".",   "'",
    "’",    "‘",      ",",        ";",      ":",      "_",      "·",    "-",   " ",    "\n",  "\t",
    "\r\n", "\u00a0", "\u202f",   "\u2009", "«",      "»",      "…",    "–",   "(",    "%",   "×",
    "ª",    "²",      "\u0301",   "\u00ad", "\u2003", "\u200d", "Ω",    "я",   "中文", "ไทย", "😀",
    "\xff", "\xc3",   "\xe2\x80", "\u2019", "\u2024", "\u00b5", "\x7f", "\x01"};

// The first place in `text` where word_break_beside_ascii_space decides otherwise than ICU's
// word iterator over the whole text, and how many places it decided; nullopt for the place when
// there is none.
std::pair<std::optional<std::size_t>, std::size_t> first_disagreement(icu::BreakIterator& words,
                                                                      std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, decltype(&utext_close)> utext(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status),
        &utext_close);
    words.setText(utext.get(), status);
    REQUIRE(U_SUCCESS(status));
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    std::optional<std::size_t> disagreement;
    std::size_t decided = 0;
    UChar32 before = 0;
    int32_t at = 0;
    U8_NEXT(bytes, at, length, before);
    while (at < length && !disagreement) {
        int32_t next = at;
        UChar32 after = 0;
        U8_NEXT(bytes, next, length, after);
        if (std::optional<bool> breaks = word_break_beside_ascii_space(before, after)) {
            ++decided;
            if (*breaks != static_cast<bool>(words.isBoundary(at))) {
                disagreement = static_cast<std::size_t>(at);
            }
        }
        before = after;
        at = next;
    }
    words.setText(icu::UnicodeString());
    return {disagreement, decided};
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
    trouvere::testing::RandomTexts texts(kMixedPieces, 24);
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

TEST_CASE("word breaks decided beside ASCII whitespace are ICU's, on random mixed text",
          "[analysis]") {
    auto words = trouvere::analysis::make_word_iterator();
    // Whitespace of every kind beside everything else: line breaks, CR LF, runs of spaces and
    // tabs, Unicode spaces, and what attaches to the character before it.
    std::vector<std::string> pieces = kMixedPieces;
    for (std::string extra : {" ", " ", "\t", "\r", "\n", "\v", "\f", "\u3000", "\u0085"}) {
        pieces.push_back(extra);
    }
    trouvere::testing::RandomTexts texts(pieces, 24);
    std::size_t decided = 0;
    for (int round = 0; round < 20000; ++round) {
        const std::string text = texts.next();
        auto [disagreement, count] = first_disagreement(*words, text);
        decided += count;
        if (disagreement) {
            INFO("text: '" << text << "', at byte " << *disagreement);
            CHECK_FALSE(disagreement);
            break;
        }
    }
    CHECK(decided > 50000);
}

TEST_CASE("word breaks decided beside ASCII whitespace are ICU's, on the bundled articles",
          "[analysis]") {
    auto words = trouvere::analysis::make_word_iterator();
    for (const auto& entry : std::filesystem::directory_iterator(trouvere::testing::corpus_dir())) {
        std::string text = trouvere::testing::read_file(entry.path());
        INFO(entry.path());
        auto [disagreement, decided] = first_disagreement(*words, text);
        CHECK_FALSE(disagreement);
        CHECK(decided > 100);
    }
}

TEST_CASE("word breaks beside ASCII whitespace are ICU's for every Latin character", "[analysis]") {
    // Below U+0300 the character classes come from a short list instead of ICU's tables.
    auto words = trouvere::analysis::make_word_iterator();
    for (char32_t c = 1; c < 0x300; ++c) {
        char encoded[4];
        int32_t length = 0;
        UBool failed = 0;
        U8_APPEND(reinterpret_cast<uint8_t*>(encoded), length, 4, static_cast<UChar32>(c), failed);
        REQUIRE(failed == 0);
        for (std::string_view space : {" ", "\t", "\n", "\v", "\f", "\r"}) {
            std::string text = "a";
            text.append(space).append(encoded, static_cast<std::size_t>(length)).append(space);
            INFO("U+" << std::hex << static_cast<std::uint32_t>(c) << " beside byte "
                      << static_cast<int>(space[0]));
            auto [disagreement, decided] = first_disagreement(*words, text);
            CHECK_FALSE(disagreement);
            CHECK(decided >= 2);
        }
    }
}
