// The text rules of text/, each pinned against ICU where ICU has the answer, over every code point
// or every byte sequence that can differ, and against the cases the readers and the query parser
// rely on where it has not.

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/utf8_checks.h"
#include "text/folding.h"
#include "text/utf8.h"
#include "text/white_space.h"

using namespace std::string_view_literals;

namespace {

std::string utf8_of(UChar32 c) {
    std::string out;
    trouvere::text::append_utf8(out, c);
    return out;
}

// ICU's own validation: u_strFromUTF8 refuses ill-formed input with U_INVALID_CHAR_FOUND.
bool icu_accepts(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = 0;
    u_strFromUTF8(nullptr, 0, &needed, bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    return status != U_INVALID_CHAR_FOUND && status != U_ILLEGAL_CHAR_FOUND;
}

// ICU's substitution: each ill-formed sequence becomes `U+FFFD`, converted back to UTF-8.
std::string icu_with_replacement(std::string_view bytes) {
    std::vector<UChar> units(bytes.size() + 1);
    int32_t length = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8WithSub(units.data(), static_cast<int32_t>(units.size()), &length, bytes.data(),
                         static_cast<int32_t>(bytes.size()), 0xFFFD, nullptr, &status);
    REQUIRE(U_SUCCESS(status));
    std::string out;
    icu::UnicodeString(units.data(), length).toUTF8String(out);
    return out;
}

// A table of inputs and what a text rule gives for each.
struct Case {
    std::string_view input;
    std::string_view expected;
};

template <typename Rule>
void check_table(const std::vector<Case>& cases, Rule rule) {
    for (const Case& c : cases) {
        INFO("[" << std::string(c.input) << "]");
        CHECK(rule(c.input) == c.expected);
    }
}

std::string hex_of(std::string_view bytes) {
    static constexpr std::string_view kDigits = "0123456789ABCDEF";
    std::string out;
    for (char byte : bytes) {
        const auto value = static_cast<unsigned char>(byte);
        out += kDigits[value >> 4];
        out += kDigits[value & 0xF];
        out += ' ';
    }
    return out;
}

std::string random_bytes(std::mt19937& random, std::size_t size) {
    // Biased towards bytes that start or continue sequences, so that most strings hold both valid
    // and ill-formed ones.
    static constexpr std::array<unsigned char, 16> kBytes{'a',  ' ',  0x80, 0x8F, 0x9F, 0xA0,
                                                          0xBF, 0xC0, 0xC3, 0xDF, 0xE0, 0xE2,
                                                          0xED, 0xF0, 0xF4, 0xF5};
    std::string bytes;
    for (std::size_t i = 0; i < size; ++i) {
        bytes += static_cast<char>(random() % 3 == 0 ? random() % 256 : kBytes[random() % 16]);
    }
    return bytes;
}

}  // namespace

// ---- White space -------------------------------------------------------------------------------

TEST_CASE("white space is what ICU's White_Space property says, for every code point", "[text]") {
    UChar32 first_difference = -1;
    for (UChar32 c = -1; c <= 0x10FFFF && first_difference == -1; ++c) {
        const bool icu = c >= 0 && u_isUWhiteSpace(c) != 0;
        if (trouvere::text::is_white_space(c) != icu) first_difference = c;
    }
    INFO("first difference at U+" << std::hex << first_difference);
    CHECK(first_difference == -1);
}

TEST_CASE("space separators are ICU's general category Zs, for every code point", "[text]") {
    UChar32 first_difference = -1;
    for (UChar32 c = 0; c <= 0x10FFFF && first_difference == -1; ++c) {
        const bool icu = u_charType(c) == U_SPACE_SEPARATOR;
        if (trouvere::text::is_space_separator(c) != icu) first_difference = c;
    }
    INFO("first difference at U+" << std::hex << first_difference);
    CHECK(first_difference == -1);
}

TEST_CASE("ASCII white space is the six bytes that are White_Space below U+0080", "[text]") {
    for (int byte = 0; byte < 256; ++byte) {
        INFO("byte " << byte);
        const bool expected = byte < 0x80 && u_isUWhiteSpace(byte) != 0;
        CHECK(trouvere::text::is_ascii_white_space(static_cast<char>(byte)) == expected);
    }
}

TEST_CASE("a number's groups are separated by the space, no-break, narrow no-break or thin space",
          "[text]") {
    std::vector<UChar32> found;
    for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
        if (trouvere::text::is_space_inside_number(c)) found.push_back(c);
    }
    CHECK(found == std::vector<UChar32>{0x20, 0xA0, 0x2009, 0x202F});
    // Each is a space separator, so a number never spans a tab or a line break.
    for (UChar32 c : found) CHECK(u_charType(c) == U_SPACE_SEPARATOR);
}

TEST_CASE("white_space_length measures one White_Space character, for every code point", "[text]") {
    for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        const std::string encoded = utf8_of(c) + "x";
        const std::size_t expected = u_isUWhiteSpace(c) != 0 ? encoded.size() - 1 : 0;
        if (trouvere::text::white_space_length(encoded, 0) != expected) {
            FAIL("U+" << std::hex << c);
        }
    }
    CHECK(trouvere::text::white_space_length("\xC2", 0) == 0);  // ill-formed: not space
}

TEST_CASE("trimming removes White_Space at both ends and nothing else", "[text]") {
    const std::vector<Case> cases{
        {"", ""},
        {" \t\n\v\f\r", ""},
        {"  mot  ", "mot"},
        {"\u00A0« mot\u202F»\u00A0", "« mot\u202F»"},  // inner spaces stay
        {"\u2009mot\u2009", "mot"},                    // thin space
        {"\u3000mot\u3000", "mot"},                    // ideographic space
        {"\u2028mot\u2029\u0085", "mot"},              // line and paragraph separators, NEL
        {"\u200Bmot\u200B", "\u200Bmot\u200B"},        // zero width space is not White_Space
        {"\xC2 mot \xC2", "\xC2 mot \xC2"},            // ill-formed bytes are not space
        {"\xE2\x80", "\xE2\x80"},
    };
    check_table(cases, [](std::string_view input) {
        return std::string(trouvere::text::trim_white_space(input));
    });
    CHECK(trouvere::text::trim_ascii_white_space("\u00A0 mot \t") == "\u00A0 mot");
}

TEST_CASE("a reader's line keeps typographic spaces and collapses the file's layout", "[text]") {
    const std::vector<Case> cases{
        {"  un \t deux\r\n trois ", "un deux trois"},
        {"Mali\u00A0: « accord\u202F»", "Mali\u00A0: « accord\u202F»"},
        {"a \u00A0 b", "a \u00A0 b"},  // the no-break space is the author's, the spaces layout
        {"\u2009\u00A0titre\u3000 ", "titre"},
        {"", ""},
    };
    check_table(cases, [](std::string_view input) {
        return std::string(trouvere::text::collapse_layout_white_space(input));
    });
}

// ---- UTF-8 -------------------------------------------------------------------------------------

TEST_CASE("every code point decodes to itself, and surrogates do not decode", "[text]") {
    for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
        std::string encoded;
        if (c >= 0xD800 && c <= 0xDFFF) {
            // The generalized UTF-8 form, which CESU and old encoders write.
            encoded = {static_cast<char>(0xED), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                       static_cast<char>(0x80 | (c & 0x3F))};
        } else {
            encoded = utf8_of(c);
        }
        std::size_t next = 0;
        const UChar32 decoded = trouvere::text::decode_at(encoded, 0, next);
        const bool surrogate = c >= 0xD800 && c <= 0xDFFF;
        if (surrogate ? decoded >= 0 : (decoded != c || next != encoded.size())) {
            FAIL("U+" << std::hex << c);
        }
        if (!surrogate) {
            std::size_t start = 1;
            if (trouvere::text::decode_before(encoded, encoded.size(), 0, start) != c ||
                start != 0) {
                FAIL("backwards U+" << std::hex << c);
            }
        }
    }
}

TEST_CASE("UTF-8 validity is ICU's, for every sequence of up to three bytes", "[text]") {
    // Every one- and two-byte string, and every three-byte string that starts with a lead byte of
    // a multi-byte sequence: the rest are decided by their first one or two bytes.
    std::string bytes;
    std::size_t differences = 0;
    auto check = [&] {
        const bool valid = trouvere::text::is_valid_utf8(bytes);
        if (valid != icu_accepts(bytes) || valid != trouvere::testing::is_valid_utf8(bytes)) {
            if (++differences < 5) UNSCOPED_INFO("differs on " << hex_of(bytes));
        }
    };
    for (int a = 0; a < 256; ++a) {
        bytes = {static_cast<char>(a)};
        check();
        for (int b = 0; b < 256; ++b) {
            bytes = {static_cast<char>(a), static_cast<char>(b)};
            check();
            if (a < 0xC2 || a > 0xF4) continue;
            for (int c = 0; c < 256; ++c) {
                bytes = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
                check();
            }
        }
    }
    CHECK(differences == 0);
}

TEST_CASE("four-byte sequences are valid exactly from U+10000 to U+10FFFF", "[text]") {
    std::size_t differences = 0;
    for (int a = 0xF0; a <= 0xF7; ++a) {
        for (int b = 0x80; b <= 0xBF; ++b) {
            for (int c : {0x7F, 0x80, 0xBF, 0xC0}) {
                for (int d : {0x7F, 0x80, 0xA5, 0xBF, 0xC0}) {
                    const std::string bytes{static_cast<char>(a), static_cast<char>(b),
                                            static_cast<char>(c), static_cast<char>(d)};
                    const bool valid = trouvere::text::is_valid_utf8(bytes);
                    if (valid != icu_accepts(bytes) ||
                        valid != trouvere::testing::is_valid_utf8(bytes)) {
                        ++differences;
                    }
                }
            }
        }
    }
    CHECK(differences == 0);
}

TEST_CASE("the first ill-formed sequence is found where it starts", "[text]") {
    using trouvere::text::find_invalid_utf8;
    CHECK_FALSE(find_invalid_utf8("").has_value());
    CHECK_FALSE(find_invalid_utf8("armée « 25 000 » 𝄞").has_value());
    CHECK(find_invalid_utf8("arm\xC3") == 3U);           // truncated at the end
    CHECK(find_invalid_utf8("a\xC0\xAF") == 1U);         // overlong '/'
    CHECK(find_invalid_utf8("ab\xED\xA0\x80") == 2U);    // surrogate
    CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0U);  // past U+10FFFF
    CHECK(find_invalid_utf8("é\x80") == 2U);             // stray continuation byte
}

TEST_CASE("ill-formed sequences are replaced as ICU replaces them, one U+FFFD each", "[text]") {
    std::mt19937 random(20261202);
    for (int round = 0; round < 20000; ++round) {
        const std::string bytes = random_bytes(random, random() % 12);
        const std::string replaced = trouvere::text::with_replacement_characters(bytes);
        if (replaced != icu_with_replacement(bytes)) FAIL("differs on " << hex_of(bytes));
        CHECK(trouvere::testing::is_valid_utf8(replaced));
    }
    CHECK(trouvere::text::with_replacement_characters("a\xE2\x80z") == "a\uFFFDz");
    CHECK(trouvere::text::with_replacement_characters("\xC0\xAF") == "\uFFFD\uFFFD");
}

TEST_CASE("decoding backwards finds the characters decoding forwards found", "[text]") {
    std::mt19937 random(7);
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        for (int k = 0; k < 8; ++k) {
            const auto c = static_cast<UChar32>(random() % 0x110000);
            if (c < 0xD800 || c > 0xDFFF) trouvere::text::append_utf8(text, c);
        }
        std::vector<std::pair<std::size_t, UChar32>> forwards;
        for (std::size_t at = 0, next = 0; at < text.size(); at = next) {
            forwards.emplace_back(at, trouvere::text::decode_at(text, at, next));
        }
        std::vector<std::pair<std::size_t, UChar32>> backwards;
        for (std::size_t at = text.size(), start = 0; at > 0; at = start) {
            const UChar32 c = trouvere::text::decode_before(text, at, 0, start);
            backwards.emplace(backwards.begin(), start, c);
        }
        CHECK(forwards == backwards);
    }
}

TEST_CASE("a prefix cut at a boundary is the longest that keeps the text valid", "[text]") {
    const std::string text = "aé€𝄞b";
    for (std::size_t limit = 0; limit <= text.size() + 1; ++limit) {
        INFO("limit " << limit);
        const std::size_t cut = trouvere::text::prefix_at_boundary(text, limit);
        CHECK(cut <= limit);
        CHECK(trouvere::testing::is_valid_utf8(std::string_view(text).substr(0, cut)));
        // The character after the cut would not fit.
        if (cut < text.size()) {
            CHECK(cut + trouvere::text::valid_sequence_length(text, cut) > limit);
        }
    }
}

TEST_CASE("a valid sequence's length, and 0 where an ill-formed one starts", "[text]") {
    using trouvere::text::valid_sequence_length;
    CHECK(valid_sequence_length("a", 0) == 1);
    CHECK(valid_sequence_length("é", 0) == 2);
    CHECK(valid_sequence_length("€", 0) == 3);
    CHECK(valid_sequence_length("𝄞", 0) == 4);
    CHECK(valid_sequence_length("\xC3", 0) == 0);
    CHECK(valid_sequence_length("\xE0\x80\x80", 0) == 0);  // overlong
    CHECK(valid_sequence_length("é", 1) == 0);             // continuation byte
}

// ---- Folding -----------------------------------------------------------------------------------

TEST_CASE("accents are stripped as ICU's NFD, remove nonspacing marks, NFC does it", "[text]") {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> reference(icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; NFC", UTRANS_FORWARD, status));
    REQUIRE(U_SUCCESS(status));
    // Latin-1, Latin Extended-A and B, IPA, Latin Extended Additional: every Latin letter French
    // text meets, and the combining marks between them.
    const std::vector<std::pair<UChar32, UChar32>> blocks{
        {0x00A0, 0x036F}, {0x1E00, 0x1EFF}, {0x2C60, 0x2C7F}, {0xA720, 0xA7FF}};
    for (auto [first, last] : blocks) {
        for (UChar32 c = first; c <= last; ++c) {
            icu::UnicodeString expected(c);
            reference->transliterate(expected);
            std::string expected_utf8;
            expected.toUTF8String(expected_utf8);
            if (trouvere::text::strip_accents(utf8_of(c)) != expected_utf8) {
                FAIL("U+" << std::hex << c);
            }
        }
    }
    // A decomposed accent goes as a precomposed one does.
    CHECK(trouvere::text::strip_accents("Publicite\u0301") == "Publicite");
}

TEST_CASE("folding lowers, strips accents and spells out French ligatures", "[text]") {
    const std::vector<Case> cases{
        {"À LIRE AUSSI", "a lire aussi"},
        {"Publiée", "publiee"},
        {"Œuvre", "oeuvre"},
        {"ÆSIR", "aesir"},
        {"l’armée", "l'armee"},
        {"ʼn", "'n"},
        {"ﬁn", "fin"},                // compatibility ligature
        {"Straße", "strasse"},        // full case folding
        {"1ᵉʳ", "1er"},               // superscripts are compatibility forms
        {"22\u00A0nov.", "22 nov."},  // so are the no-break spaces
        {"ISO-8859-1", "iso-8859-1"},
        {"\xC3", "\xC3"},  // ill-formed UTF-8 passes through
    };
    check_table(cases,
                [](std::string_view input) { return std::string(trouvere::text::fold(input)); });
}
