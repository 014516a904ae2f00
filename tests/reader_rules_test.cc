// The pieces the format readers share, each on its own: French dates, page residue, derived
// titles and declared charsets. The readers' own tests check them again through whole files.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "readers/french_dates.h"
#include "readers/html_charset.h"
#include "readers/page_residue.h"
#include "readers/titles.h"

namespace readers = trouvere::readers;

TEST_CASE("date lines: the date in ISO form, and whether a publication word introduces it",
          "[readers]") {
    struct Case {
        std::string_view line;
        std::optional<std::string_view> iso;
        bool introduced = false;
    };
    const std::vector<Case> cases{
        {"22 novembre 2024", "2024-11-22"},
        {"  Vendredi 22 Novembre 2024  ", "2024-11-22"},
        {"vendredi, novembre 22, 2024", "2024-11-22"},
        {"Publié le jeudi 4 juillet 2024 à 15h40", "2024-07-04", true},
        {"Published on Friday, November 22, 2024 at 10:15 am", "2024-11-22", true},
        {"Fri, 22 Nov 2024 10:00:00 +0000", "2024-11-22"},
        {"1er mai 2024", "2024-05-01"},
        {"22/11/2024", "2024-11-22"},
        {"2024-11-22", "2024-11-22"},
        {"22\u00A0nov.\u202F2024", "2024-11-22"},
        {"22 novembre 2024 — 15:40", "2024-11-22"},
        {"29 février 2023", std::nullopt},  // not a leap year
        {"22 novembre", std::nullopt},
        {"22 novembre 2024 : une date", std::nullopt},
        {"« 22 novembre 2024 »", std::nullopt},
        {"Publié", std::nullopt},
        {"", std::nullopt},
    };
    for (const Case& c : cases) {
        INFO("[" << std::string(c.line) << "]");
        const std::optional<readers::DateLine> parsed = readers::parse_date_line(c.line);
        REQUIRE(parsed.has_value() == c.iso.has_value());
        if (!parsed) continue;
        CHECK(parsed->iso == *c.iso);
        CHECK(parsed->introduced == c.introduced);
    }
}

TEST_CASE("metadata dates: ISO dates and date-times keep their date, date lines are read",
          "[readers]") {
    struct Case {
        std::string_view value;
        std::optional<std::string_view> iso;
    };
    const std::vector<Case> cases{
        {"2024-11-22", "2024-11-22"},       {"2024-11-22T10:15:00+01:00", "2024-11-22"},
        {"2024-11-22 10:15", "2024-11-22"}, {" 2024-11-22 ", "2024-11-22"},
        {"22 novembre 2024", "2024-11-22"}, {"2024-13-01", std::nullopt},
        {"2024-11-22x", std::nullopt},      {"demain", std::nullopt},
    };
    for (const Case& c : cases) {
        INFO("[" << std::string(c.value) << "]");
        const std::optional<std::string> iso = readers::normalize_date(c.value);
        REQUIRE(iso.has_value() == c.iso.has_value());
        if (iso) CHECK(*iso == *c.iso);
    }
}

TEST_CASE("page residue: whole marker lines and related-article links, not sentences",
          "[readers]") {
    for (std::string_view line : {"spot_img", "- Advertisement -", "Publicité", "• PUBLICITÉ •",
                                  "À lire aussi", "Lire aussi : Un autre article",
                                  "Lire aussi\u00A0: un autre article", " lire aussi: x"}) {
        INFO("[" << std::string(line) << "]");
        CHECK(readers::is_page_residue(line));
    }
    for (std::string_view line : {"", "Lire aussi le rapport du CNT.",
                                  "La publicité est interdite.", "Advertisement revenue fell"}) {
        INFO("[" << std::string(line) << "]");
        CHECK_FALSE(readers::is_page_residue(line));
    }
}

TEST_CASE("derived titles: a short paragraph whole, else its first sentence, else its start",
          "[readers]") {
    const std::string long_sentence =
        "Le Conseil national de Transition a adopté jeudi un projet de loi qui encadre la "
        "coopération militaire entre le Mali et la Russie pour les cinq prochaines années, "
        "après un long débat";
    struct Case {
        std::string paragraph;
        std::string title;
        bool whole;
    };
    const std::vector<Case> cases{
        {"Accord militaire entre le Mali et la Russie",
         "Accord militaire entre le Mali et la Russie", true},
        {"\u2009Un titre\u3000", "Un titre", true},
        {long_sentence + ". Il entre en vigueur demain.", "", false},
        {"Le CNT adopte l'accord de coopération. " + long_sentence,
         "Le CNT adopte l'accord de coopération", false},
        {"Qui a signé l'accord de coopération ? " + long_sentence,
         "Qui a signé l'accord de coopération ?", false},
        {"M. Diop est venu. " + long_sentence, "", false},
    };
    for (const Case& c : cases) {
        INFO(c.paragraph);
        const readers::DerivedTitle title = readers::title_from_paragraph(c.paragraph);
        CHECK(title.whole == c.whole);
        if (!c.title.empty()) {
            CHECK(title.text == c.title);
        } else {
            // Cut at a word boundary and marked as cut.
            CHECK(title.text.ends_with("\u2026"));
            CHECK(c.paragraph.starts_with(title.text.substr(0, title.text.size() - 3)));
        }
    }
}

TEST_CASE("derived titles: the body does not start by repeating the title", "[readers]") {
    std::vector<std::string> paragraphs{"Le titre\nLa suite", "Autre"};
    readers::drop_leading_title(paragraphs, "Le titre");
    CHECK(paragraphs == std::vector<std::string>{"La suite", "Autre"});
    readers::drop_leading_title(paragraphs, "La suite");
    CHECK(paragraphs == std::vector<std::string>{"Autre"});
    readers::drop_leading_title(paragraphs, "Pas là");
    CHECK(paragraphs == std::vector<std::string>{"Autre"});
}

TEST_CASE("charsets: named in a content type, and converted when ICU knows them", "[readers]") {
    CHECK(readers::charset_of_content_type("text/html; charset=windows-1252") == "windows-1252");
    CHECK(readers::charset_of_content_type("text/html; Charset=\"ISO-8859-1\"") == "iso-8859-1");
    CHECK(readers::charset_of_content_type("text/html;charset='koi8-r';x") == "koi8-r");
    CHECK(readers::charset_of_content_type("text/html").empty());

    CHECK(readers::convert_to_utf8("caf\xE9", "ISO-8859-1") == "café");
    // Labelled latin-1, written in windows-1252: the curly apostrophe is 0x92.
    CHECK(readers::convert_to_utf8("l\x92\xE9t\xE9", " latin1 ") == "l’été");
    CHECK_FALSE(readers::convert_to_utf8("caf\xE9", "utf-8").has_value());
    CHECK_FALSE(readers::convert_to_utf8("caf\xE9", "no-such-charset").has_value());
    CHECK_FALSE(readers::convert_to_utf8("caf\xE9", "").has_value());
}
