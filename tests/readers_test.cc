#include "readers/readers.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/test_support.h"

using trouvere::Document;
using trouvere::IndexWarning;
using trouvere::readers::Format;
using trouvere::readers::format_of;
using trouvere::readers::read_document_file;
using trouvere::readers::ReadResult;
using trouvere::testing::corpus_dir;
using trouvere::testing::read_file;
using trouvere::testing::TempDir;

namespace {

// Writes `bytes` to a real file named `name`, reads it back and reads it as its extension says,
// the way the indexer does.
ReadResult read_as(const TempDir& dir, const std::string& name, std::string_view bytes) {
    auto file = dir.write(name, bytes);
    return read_document_file(format_of(file), read_file(file), name, name);
}

// By value: callers pass the temporary that read_as returns.
Document only_document(const ReadResult& result) {
    INFO("warnings: " << result.warnings.size()
                      << (result.warnings.empty() ? "" : " first: " + result.warnings[0].message));
    REQUIRE(result.documents.size() == 1);
    return result.documents[0];
}

IndexWarning only_warning(const ReadResult& result) {
    REQUIRE(result.warnings.size() == 1);
    return result.warnings[0];
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string repeat(std::string_view piece, std::size_t times) {
    std::string repeated;
    repeated.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) repeated += piece;
    return repeated;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// The residue every reader must drop, as it appears in scraped pages.
const std::vector<std::string> kResidueSamples{
    "spot_img",
    "SPOT_IMG",
    "- Advertisement -",
    "Advertisement",
    "- Publicité -",
    "À LIRE AUSSI",
    "A lire aussi",
    "Lire aussi",
    "Lire aussi :",
    "Lire aussi : Région de Kayes: L'Armée repousse une attaque terroriste à Sandaré",
    "LIRE AUSSI : Présidentielle au Sénégal : Karim Wade et Ousmane Sonko écartés",
    "À lire aussi: Le budget 2026 en hausse",
};

bool is_residue_sample(std::string_view line) {
    return std::find(kResidueSamples.begin(), kResidueSamples.end(), line) !=
               kResidueSamples.end() ||
           line.starts_with("Lire aussi :") || line.starts_with("LIRE AUSSI :");
}

}  // namespace

// ---- Format detection -------------------------------------------------------------------------

TEST_CASE("format_of picks the reader from the extension, ignoring case", "[readers]") {
    struct Case {
        const char* file;
        Format format;
    };
    auto c = GENERATE(values<Case>({
        {"a.txt", Format::text},
        {"dir/A.TXT", Format::text},
        {"a.md", Format::markdown},
        {"a.Markdown", Format::markdown},
        {"a.html", Format::html},
        {"a.HTM", Format::html},
        {"a.jsonl", Format::json_lines},
        {"a.json", Format::unsupported},
        {"a.pdf", Format::unsupported},
        {"README", Format::unsupported},
        {"txt", Format::unsupported},
        {"archive.txt.gz", Format::unsupported},
    }));
    INFO(c.file);
    CHECK(format_of(c.file) == c.format);
}

TEST_CASE("an unsupported format yields a warning and no document", "[readers]") {
    auto result = read_document_file(Format::unsupported, "some text", "a.pdf", "a.pdf");
    CHECK(result.documents.empty());
    CHECK(only_warning(result).file == "a.pdf");
}

// ---- The bundled corpus -----------------------------------------------------------------------

TEST_CASE("corpus: each article gets its headline as title and its date", "[readers][corpus]") {
    struct Case {
        const char* file;
        const char* title;
        const char* date;
    };
    auto c = GENERATE(values<Case>({
        {"000_dbeda49fb9d40084.txt",
         "Le Mali renforce ses liens avec la Russie : un important accord militaire ratifié par "
         "le CNT",
         "2024-11-22"},
        {"001_de41e6a099c3eab1.txt",
         "Le Mali renforce son potentiel Militaire avec l’aide de la Russie", ""},
        {"002_5f84a0241843eefe.txt",
         "#Mali : Accord de coopération militaire et technique Mali-Russie : Le CNT approuve",
         "2024-07-04"},
        {"003_15f8a19bef5d80e8.txt",
         "Coopération stratégique Mali-Russie : Une sécurité renforcée grâce à l'aide russe", ""},
    }));
    INFO(c.file);
    auto result =
        read_document_file(Format::text, read_file(corpus_dir() / c.file), c.file, c.file);
    const Document document = only_document(result);
    CHECK(result.warnings.empty());
    CHECK(document.title == c.title);
    CHECK(document.date == c.date);
    CHECK(document.id == c.file);
    CHECK(document.path == c.file);
    // The title line is not repeated at the top of the body.
    CHECK_FALSE(document.body.starts_with(document.title));
    CHECK(document.body.size() > 1000);
}

TEST_CASE(
    "corpus: a first line that is a whole paragraph gives a short title and stays in the body",
    "[readers][corpus]") {
    const std::string name = "004_0bbe2dc6f523829c.txt";
    std::string bytes = read_file(corpus_dir() / name);
    const Document document = only_document(read_document_file(Format::text, bytes, name, name));
    CHECK(document.title.starts_with("L’engagement de la Russie envers le Mali"));
    CHECK(document.title.size() < bytes.find('\n'));
    CHECK(document.body.starts_with(bytes.substr(0, bytes.find('\n'))));
    CHECK(document.date.empty());
}

TEST_CASE("corpus: the date line and the repeated headline are not body text",
          "[readers][corpus]") {
    const std::string name = "002_5f84a0241843eefe.txt";
    const Document document =
        only_document(read_document_file(Format::text, read_file(corpus_dir() / name), name, name));
    CHECK_FALSE(contains(document.body, "Publié jeudi 04 juillet 2024"));
    CHECK_FALSE(contains(document.body, "Le CNT approuve"));
    CHECK(document.body.starts_with("Cet accord signé depuis le 25 mars 2003"));

    const std::string first = "000_dbeda49fb9d40084.txt";
    const Document dated = only_document(
        read_document_file(Format::text, read_file(corpus_dir() / first), first, first));
    CHECK_FALSE(contains(dated.body, "novembre 22, 2024"));
    CHECK(dated.body.starts_with("Au Mali, lors d’une séance plénière historique"));
}

TEST_CASE("residue lines never reach title or body", "[readers][corpus]") {
    for (const auto& entry : std::filesystem::directory_iterator(corpus_dir())) {
        std::string name = entry.path().filename().string();
        INFO(name);
        const Document document =
            only_document(read_document_file(Format::text, read_file(entry.path()), name, name));
        CHECK_FALSE(is_residue_sample(document.title));
        for (const std::string& line : lines_of(document.body)) {
            INFO(line);
            CHECK_FALSE(is_residue_sample(line));
            CHECK_FALSE(contains(line, "spot_img"));
            CHECK_FALSE(contains(line, "Advertisement"));
        }
    }
}

TEST_CASE("residue lines are dropped in every format, and only whole residue lines", "[readers]") {
    TempDir dir;
    auto residue = GENERATE(from_range(kResidueSamples));
    INFO(residue);
    const std::string prose = "Lire aussi le rapport complet publié hier par le ministère.";

    std::string text = residue + "\nLe titre\n" + residue + "\nPremier paragraphe.\n" + residue +
                       "\n" + prose + "\n";
    const Document from_text = only_document(read_as(dir, "a.txt", text));
    CHECK(from_text.title == "Le titre");
    CHECK(from_text.body == "Premier paragraphe.\n\n" + prose);

    std::string markdown =
        "# Le titre\n\n" + residue + "\n\nPremier paragraphe.\n\n" + prose + "\n";
    const Document from_markdown = only_document(read_as(dir, "a.md", markdown));
    CHECK(from_markdown.body == "Premier paragraphe.\n\n" + prose);

    std::string html = "<title>Le titre</title><p>" + residue +
                       "</p><p>Premier paragraphe.</p><p>" + prose + "</p>";
    const Document from_html = only_document(read_as(dir, "a.html", html));
    CHECK(from_html.body == "Premier paragraphe.\n\n" + prose);
}

// ---- Plain text -------------------------------------------------------------------------------

TEST_CASE("text: a date line at the top becomes the date, never the title", "[readers]") {
    struct Case {
        const char* line;
        const char* date;
    };
    auto c = GENERATE(values<Case>({
        {"vendredi, novembre 22, 2024", "2024-11-22"},
        {"Publié jeudi 04 juillet 2024 à 15:40", "2024-07-04"},
        {"22 novembre 2024", "2024-11-22"},
        {"1er mai 2024", "2024-05-01"},
        {"DIMANCHE 3 MARS 2024", "2024-03-03"},
        {"Publie le 15 fevrier 2024 a 08h30", "2024-02-15"},
        {"lundi 12 août 2024", "2024-08-12"},
        {"12 aout 2024", "2024-08-12"},
        {"Le 9 décembre 2025", "2025-12-09"},
        {"29 février 2024", "2024-02-29"},
        {"22/11/2024", "2024-11-22"},
        {"2024-11-22", "2024-11-22"},
        {"Fri, 22 Nov 2024 10:00:00 +0000", "2024-11-22"},
        {"Published on Friday, November 22, 2024 at 10:15 am", "2024-11-22"},
    }));
    INFO(c.line);
    TempDir dir;
    const Document document =
        only_document(read_as(dir, "a.txt", std::string(c.line) + "\nLe titre\n\nLe texte.\n"));
    CHECK(document.date == c.date);
    CHECK(document.title == "Le titre");
    CHECK(document.body == "Le texte.");
}

TEST_CASE("text: lines that only look like dates stay text", "[readers]") {
    auto line = GENERATE(as<std::string>{}, "30 février 2024", "22 novembre", "2024",
                         "Le 22 novembre 2024, le CNT a voté l'accord",
                         "22 novembre 2024 : une date historique", "32/01/2024");
    INFO(line);
    TempDir dir;
    const Document document = only_document(read_as(dir, "a.txt", line + "\nLe texte.\n"));
    CHECK(document.date.empty());
    CHECK(document.title == line);
}

TEST_CASE("text: a Publié line among the first ten lines dates the article", "[readers]") {
    TempDir dir;
    std::string header = "Le titre\n\nUn chapeau.\nUne ligne.\nEncore une.\n";
    const Document near = only_document(
        read_as(dir, "near.txt", header + "Publié mardi 09 décembre 2025 à 08:51\nLe texte.\n"));
    CHECK(near.date == "2025-12-09");
    CHECK_FALSE(contains(near.body, "Publié"));

    // A bare date that far down is part of the story.
    const Document bare =
        only_document(read_as(dir, "bare.txt", header + "9 décembre 2025\nLe texte.\n"));
    CHECK(bare.date.empty());
    CHECK(contains(bare.body, "9 décembre 2025"));

    std::string far = "Le titre\n";
    for (int i = 0; i < 12; ++i) far += "Paragraphe " + std::to_string(i) + ".\n";
    const Document too_far =
        only_document(read_as(dir, "far.txt", far + "Publié mardi 09 décembre 2025 à 08:51\n"));
    CHECK(too_far.date.empty());
}

TEST_CASE("text: a long first line is cut into a title and kept whole in the body", "[readers]") {
    TempDir dir;
    SECTION("a short first sentence is the title") {
        std::string line = "Le Mali et la Russie signent un accord de défense. " +
                           std::string(200, 'x') + " et la suite du paragraphe.";
        const Document document = only_document(read_as(dir, "a.txt", line + "\nSuite.\n"));
        CHECK(document.title == "Le Mali et la Russie signent un accord de défense");
        CHECK(document.body == line + "\n\nSuite.");
    }
    SECTION("a long first sentence is cut at a word boundary") {
        std::string line;
        while (line.size() < 400) line += "mot très long ";
        const Document document = only_document(read_as(dir, "a.txt", line + "\n"));
        CHECK(document.title.ends_with("…"));
        std::string head =
            document.title.substr(0, document.title.size() - std::string("…").size());
        CHECK(line.starts_with(head + " "));
        CHECK(head.size() < 150);
        CHECK(head.size() > 60);
        CHECK(document.body == line.substr(0, line.size() - 1));
    }
}

TEST_CASE("text: CRLF line endings and a BOM read like plain LF", "[readers]") {
    TempDir dir;
    std::string lf = "22 novembre 2024\nLe titre\n\nPremier.\n\n  Deuxième  paragraphe\t.\n";
    std::string crlf;
    for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const Document plain = only_document(read_as(dir, "lf.txt", lf));
    const Document windows = only_document(read_as(dir, "crlf.txt", "\xEF\xBB\xBF" + crlf));
    CHECK(plain.title == "Le titre");
    CHECK(plain.date == "2024-11-22");
    CHECK(plain.body == "Premier.\n\nDeuxième paragraphe .");
    CHECK(windows.title == plain.title);
    CHECK(windows.date == plain.date);
    CHECK(windows.body == plain.body);
}

TEST_CASE("no-break spaces at the ends of lines are trimmed, those inside kept", "[readers]") {
    TempDir dir;
    const Document text = only_document(read_as(
        dir, "a.txt", "Le titre\n\xC2\xA0\n\xC2\xA0 Les relations\xC2\xA0: bonnes\xC2\xA0\n"));
    CHECK(text.body == "Les relations\xC2\xA0: bonnes");
    const Document html = only_document(read_as(
        dir, "a.html", "<title>T</title><p>&nbsp;</p><p>&nbsp;Les relations&nbsp;: bonnes</p>"));
    CHECK(html.body == "Les relations\xC2\xA0: bonnes");
}

TEST_CASE("every white space character is trimmed from the ends of lines, not only no-break ones",
          "[readers][text]") {
    TempDir dir;
    // Thin space, em space, ideographic space, line separator: Unicode's White_Space.
    const Document text = only_document(
        read_as(dir, "a.txt", "Le titre\u2009\n\u2003Le texte\u3000: suite\u2028\u2009\n"));
    CHECK(text.title == "Le titre");
    CHECK(text.body == "Le texte\u3000: suite");
    const Document html = only_document(
        read_as(dir, "a.html", "<title>\u2009T\u2009</title><p>\u2009Le texte\u2009</p>"));
    CHECK(html.title == "T");
    CHECK(html.body == "Le texte");
}

TEST_CASE("a date line may space its words with any white space, and a blank file too",
          "[readers][text]") {
    TempDir dir;
    auto line =
        GENERATE(as<std::string>{}, "22\u2009novembre\u20092024", "22\u202Fnovembre 2024",
                 "22\u00A0novembre\u00A02024", "\u200322 novembre 2024\u3000", "1ᵉʳ mai 2024");
    INFO(line);
    const Document document =
        only_document(read_as(dir, "a.txt", line + "\nLe titre\n\nLe texte.\n"));
    CHECK((document.date == "2024-11-22" || document.date == "2024-05-01"));
    CHECK(document.title == "Le titre");
    auto blank = read_as(dir, "b.txt", "\u3000\u2009\n\u00A0\n");
    CHECK(blank.documents.empty());
    CHECK(only_warning(blank).message == "empty file");
}

TEST_CASE(
    "residue is recognised through the analyser's folding: no-break space before the colon, "
    "decomposed accents",
    "[readers][text]") {
    TempDir dir;
    const Document document = only_document(
        read_as(dir, "a.txt",
                "Le titre\n\nLire aussi\u00A0: un autre article\nPublicite\u0301\nLe texte.\n"));
    CHECK(document.body == "Le texte.");
}

TEST_CASE("text: a file of nothing but residue yields a warning", "[readers]") {
    TempDir dir;
    auto result = read_as(dir, "a.txt", "spot_img\n- Advertisement -\nspot_img\n");
    CHECK(result.documents.empty());
    CHECK(only_warning(result).file == "a.txt");
}

// ---- Checks shared by every format ------------------------------------------------------------

TEST_CASE("every format: an empty or blank file is skipped as empty", "[readers]") {
    TempDir dir;
    auto extension = GENERATE(as<std::string>{}, ".txt", ".md", ".html", ".jsonl");
    auto content =
        GENERATE(as<std::string>{}, "", " \n\t\r\n\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\n ");
    auto result = read_as(dir, "empty" + extension, content);
    CHECK(result.documents.empty());
    const IndexWarning warning = only_warning(result);
    CHECK(warning.message == "empty file");
    CHECK(warning.file == "empty" + extension);
}

TEST_CASE("every format: a NUL byte marks the file as binary", "[readers]") {
    TempDir dir;
    auto extension = GENERATE(as<std::string>{}, ".txt", ".md", ".html", ".jsonl");
    std::string bytes = "{\"id\": \"a\", \"body\": \"b\"}\nabc";
    std::size_t nul = bytes.size();
    bytes += '\0';
    bytes += "def\n";
    auto result = read_as(dir, "data" + extension, bytes);
    CHECK(result.documents.empty());
    const IndexWarning warning = only_warning(result);
    CHECK(warning.message == "binary file (NUL byte)");
    CHECK(warning.skipped);
    CHECK(warning.has_offset);
    CHECK(warning.offset == nul);
}

TEST_CASE("every format: UTF-16 text is refused with a warning", "[readers]") {
    TempDir dir;
    auto extension = GENERATE(as<std::string>{}, ".txt", ".md", ".html", ".jsonl");
    const std::string bytes{'\xFF', '\xFE', 'a', '\0', 'b', '\0'};
    auto result = read_as(dir, "utf16" + extension, bytes);
    CHECK(result.documents.empty());
    CHECK(contains(only_warning(result).message, "UTF-16"));
}

TEST_CASE("text and markdown: invalid UTF-8 skips the file, naming line and byte offset",
          "[readers]") {
    struct Case {
        const char* what;
        std::string bad;
        std::size_t bad_at;
    };
    auto c = GENERATE(values<Case>({
        {"lone continuation byte", "\x80", 0},
        {"latin-1 é", "caf\xE9 ", 3},
        {"overlong slash", "\xC0\xAF", 0},
        {"UTF-16 surrogate", "\xED\xA0\x80", 0},
        {"beyond U+10FFFF", "\xF4\x90\x80\x80", 0},
        {"byte 0xFF", "\xFF", 0},
    }));
    auto extension = GENERATE(as<std::string>{}, ".txt", ".md");
    auto bom = GENERATE(as<std::string>{}, "", "\xEF\xBB\xBF");
    INFO(c.what << " in " << extension << (bom.empty() ? "" : " after a BOM"));
    TempDir dir;
    std::string prefix = bom + "Le titre\r\nDeuxième ligne\n";
    std::size_t expected_offset = prefix.size() + c.bad_at;
    auto result = read_as(dir, "bad" + extension, prefix + c.bad + "\nfin\n");
    CHECK(result.documents.empty());
    const IndexWarning warning = only_warning(result);
    CHECK(warning.line == 3);
    CHECK(warning.has_offset);
    CHECK(warning.offset == expected_offset);
    CHECK(warning.message == "invalid UTF-8");
    CHECK(warning.skipped);
}

TEST_CASE("text: a UTF-8 sequence truncated at the end of the file is invalid", "[readers]") {
    TempDir dir;
    auto result = read_as(dir, "cut.txt", "Le titre\nL\xE2\x80");
    CHECK(result.documents.empty());
    CHECK(only_warning(result).line == 2);
    CHECK(only_warning(result).offset == 10);
}

// ---- Markdown ---------------------------------------------------------------------------------

TEST_CASE("markdown: front matter gives title, date, source and url, but not the id", "[readers]") {
    TempDir dir;
    auto date = GENERATE(as<std::string>{}, "2024-11-22", "2024-11-22T10:15:00+01:00",
                         "\"22 novembre 2024\"", "vendredi 22 novembre 2024");
    auto url_key = GENERATE(as<std::string>{}, "url", "link");
    INFO(date << " / " << url_key);
    std::string markdown =
        "---\n"
        "title: \"Le Mali et la Russie\"\n"
        "date: " +
        date +
        "\n"
        "source: L'Essor\n" +
        url_key +
        ": https://example.com/a\n"
        "id: ignored\n"
        "---\n"
        "# Le Mali et la Russie\n\n"
        "Le texte.\n";
    const Document document = only_document(read_as(dir, "dir/article.md", markdown));
    CHECK(document.id == "dir/article.md");
    CHECK(document.path == "dir/article.md");
    CHECK(document.title == "Le Mali et la Russie");
    CHECK(document.date == "2024-11-22");
    CHECK(document.source == "L'Essor");
    CHECK(document.url == "https://example.com/a");
    CHECK(document.body == "Le texte.");
}

TEST_CASE("markdown: CRLF line endings and a BOM read like plain LF", "[readers]") {
    TempDir dir;
    std::string markdown =
        "\xEF\xBB\xBF---\r\n"
        "title: Le titre\r\n"
        "date: 2024-11-22\r\n"
        "---\r\n"
        "Le **texte**.\r\n"
        "Suite.\r\n";
    const Document document = only_document(read_as(dir, "a.md", markdown));
    CHECK(document.title == "Le titre");
    CHECK(document.date == "2024-11-22");
    CHECK(document.body == "Le texte. Suite.");
}

TEST_CASE("markdown: malformed front matter is reported with its line and the rest indexed",
          "[readers]") {
    TempDir dir;
    std::string markdown = "---\ntitle: a: b\n---\n# Le titre\n\nLe texte.\n";
    auto result = read_as(dir, "a.md", markdown);
    const Document document = only_document(result);
    CHECK(document.title == "Le titre");
    CHECK(document.body == "Le texte.");
    const IndexWarning warning = only_warning(result);
    CHECK(warning.line == 2);
    CHECK(warning.file == "a.md");
    CHECK(warning.message.starts_with("malformed front matter, ignored"));
    CHECK_FALSE(warning.skipped);
}

TEST_CASE("markdown: odd front matter never stops the document", "[readers]") {
    TempDir dir;
    struct Case {
        const char* what;
        const char* markdown;
        const char* title;
        std::size_t warnings;
    };
    auto c = GENERATE(values<Case>({
        {"not closed", "---\ntitle: x\n\nLe texte.\n", "title: x", 1},
        {"a list", "---\n- a\n- b\n---\nLe texte.\n", "Le texte.", 1},
        {"empty", "---\n---\nLe texte.\n", "Le texte.", 0},
        {"closed by dots", "---\ntitle: T\n...\nLe texte.\n", "T", 0},
        {"title is a list", "---\ntitle: [a, b]\n---\nLe texte.\n", "Le texte.", 1},
        {"unknown date", "---\ndate: hier\n---\nLe texte.\n", "Le texte.", 1},
    }));
    INFO(c.what);
    auto result = read_as(dir, "a.md", c.markdown);
    CHECK(only_document(result).title == c.title);
    CHECK(result.warnings.size() == c.warnings);
}

// Found by the Markdown reader fuzz target (tests/fuzz/corpus/markdown_reader/yaml_escapes.md):
// yaml-cpp turns the YAML escapes \N and \_ (U+0085, U+00A0) into single bytes, so a front matter
// value written in valid UTF-8 read as invalid UTF-8.
TEST_CASE(
    "regression: a front matter value that decodes to invalid UTF-8 is ignored with a warning",
    "[readers][fuzz]") {
    TempDir dir;
    auto c = GENERATE(values<std::string>({
        R"(title: "caf\xe9 \N")",
        R"(title: "non\_break")",
    }));
    INFO(c);
    auto result = read_as(dir, "a.md", "---\n" + c + "\n---\n# Le titre\n\nLe texte.\n");
    const Document document = only_document(result);
    CHECK(document.title == "Le titre");
    const IndexWarning warning = only_warning(result);
    CHECK(warning.line == 2);
    CHECK(warning.message == "front matter field \"title\" is not valid UTF-8, ignored");
    CHECK_FALSE(warning.skipped);
}

// Found by the Markdown reader fuzz target: yaml-cpp quotes only the first byte of a multi-byte
// character it cannot escape, and the warning carried that lone byte.
TEST_CASE("regression: a YAML error about a multi-byte character gives a valid UTF-8 warning",
          "[readers][fuzz]") {
    TempDir dir;
    auto result = read_as(dir, "a.md", "---\ntitle: \"caf\\é\"\n---\nLe texte.\n");
    CHECK(only_document(result).title == "Le texte.");
    const IndexWarning warning = only_warning(result);
    CHECK(warning.message == "malformed front matter, ignored: unknown escape character: \\xC3");
    CHECK(warning.line == 2);
    CHECK_FALSE(warning.skipped);
}

// Found by the Markdown reader fuzz target: yaml-cpp reads on past the end of the front matter
// for a \U escape cut short, and the warning's offset pointed into the Markdown below, on
// another line than the one it named.
TEST_CASE("regression: a YAML error at the end of the front matter points inside it",
          "[readers][fuzz]") {
    TempDir dir;
    const std::string markdown = "---\ntitle: \"a\\U]\n---\nLe texte.\n\nEncore du texte.\n";
    auto result = read_as(dir, "a.md", markdown);
    CHECK(only_document(result).title == "Le texte.");
    const IndexWarning warning = only_warning(result);
    CHECK(warning.message.starts_with("malformed front matter, ignored"));
    REQUIRE(warning.has_offset);
    // The end of the YAML: the start of the closing fence, on line 3.
    CHECK(warning.offset == markdown.find("\n---") + 1);
    CHECK(warning.line == 3);
}

TEST_CASE("markdown: a lone --- is not a crash", "[readers]") {
    TempDir dir;
    auto result = read_as(dir, "a.md", "---");
    CHECK(result.documents.empty());
    CHECK_FALSE(result.warnings.empty());
}

TEST_CASE("markdown: the body is plain text with no markup left", "[readers]") {
    TempDir dir;
    std::string markdown =
        "Titre Setext\n============\n\n"
        "Un **accord** _militaire_ signé à [Moscou](https://example.com/moscou \"t\").\n"
        "Suite du même paragraphe avec `code` et <b>ar</b>mée.\n\n"
        "## Sous-titre\n\n"
        "- premier point\n- second point\n\n"
        "> une citation\n\n"
        "```cpp\nint x = 1;\n```\n\n"
        "<div>bloc html</div>\n\n"
        "![photo du CNT](img.png)\n";
    const Document document = only_document(read_as(dir, "a.md", markdown));
    CHECK(document.title == "Titre Setext");
    CHECK(document.body ==
          "Un accord militaire signé à Moscou. Suite du même paragraphe avec code et armée.\n\n"
          "Sous-titre\n\npremier point\n\nsecond point\n\nune citation\n\nint x = 1;\n\n"
          "photo du CNT");
    for (const char* markup : {"**", "#", "https://", "](", "<b>", "```", "> "}) {
        INFO(markup);
        CHECK_FALSE(contains(document.body, markup));
    }
}

TEST_CASE("markdown: the title falls back to the first level-1 heading, then the first line",
          "[readers]") {
    struct Case {
        const char* markdown;
        const char* title;
        const char* body;
    };
    auto c = GENERATE(values<Case>({
        {"## Section\n\n# Principal\n\nTexte.\n", "Principal", "Section\n\nPrincipal\n\nTexte."},
        {"## Section\n\nTexte.\n", "Section", "Texte."},
        {"Première ligne  \nseconde ligne\n", "Première ligne", "seconde ligne"},
        {"Un seul paragraphe.\n", "Un seul paragraphe.", ""},
    }));
    INFO(c.markdown);
    TempDir dir;
    const Document document = only_document(read_as(dir, "a.md", c.markdown));
    CHECK(document.title == c.title);
    CHECK(document.body == c.body);
}

// ---- HTML -------------------------------------------------------------------------------------

TEST_CASE("html: title from <title>, else og:title, else the first h1", "[readers]") {
    struct Case {
        const char* what;
        const char* html;
        const char* title;
    };
    auto c = GENERATE(values<Case>({
        {"title", "<title> Le  titre </title><meta property=og:title content=Autre><h1>H</h1>",
         "Le titre"},
        {"og:title", "<meta property=\"og:title\" content=\"Titre &amp; OG\"><h1>H</h1><p>x</p>",
         "Titre & OG"},
        {"h1", "<body><h1>Le <em>grand</em> titre</h1><p>Texte.</p>", "Le grand titre"},
        {"site name after the headline",
         "<title>Le titre | L'Essor</title><meta property=og:site_name content=\"L'Essor\">",
         "Le titre"},
        {"h1 is the headline alone", "<title>Le titre - Journal</title><h1>Le titre</h1>",
         "Le titre"},
        {"nothing but text", "<p>Premier paragraphe.</p><p>Second.</p>", "Premier paragraphe."},
    }));
    INFO(c.what);
    TempDir dir;
    CHECK(only_document(read_as(dir, "a.html", c.html)).title == c.title);
}

TEST_CASE("html: inline tags do not split words", "[readers]") {
    TempDir dir;
    const Document document = only_document(read_as(
        dir, "a.html",
        "<title>T</title><p>l'<b>ar</b>mée <i>du</i> <a href=/x>Mali</a>&nbsp;: <span>ren</span>"
        "<span>fort</span></p>"));
    CHECK(document.body == "l'armée du Mali\xC2\xA0: renfort");
}

TEST_CASE("html: blocks and line breaks separate text, whitespace collapses", "[readers]") {
    TempDir dir;
    const Document document = only_document(read_as(
        dir, "a.html",
        "<title>T</title><body><div>Un\n   deux</div><p>trois<br>quatre</p><ul><li>cinq</li>"
        "<li>six</li></ul><table><tr><td>a</td><td>b</td></tr></table><h2>sept</h2>huit"
        "<pre>l1\n  l2</pre></body>"));
    CHECK(document.body ==
          "Un deux\n\ntrois\nquatre\n\ncinq\n\nsix\n\na b\n\nsept\n\nhuit\n\nl1\nl2");
}

TEST_CASE("html: scripts, styles, navigation and other page furniture are not text", "[readers]") {
    TempDir dir;
    const Document document = only_document(
        read_as(dir, "a.html",
                "<html><head><title>T</title><style>p{color:red}</style><script>var x = 1;</script>"
                "</head><body><nav>Accueil Politique</nav><header><h1>T</h1></header>"
                "<p>Le texte.</p><script>alert('x')</script><noscript>Activez JavaScript</noscript>"
                "<template><p>gabarit</p></template><svg><text>dessin</text></svg>"
                "<aside>Les plus lus</aside><form><button>OK</button></form>"
                "<p hidden>caché</p><footer>Mentions légales</footer></body></html>"));
    CHECK(document.body == "Le texte.");
}

TEST_CASE("html: the article element is preferred over the rest of the page", "[readers]") {
    TempDir dir;
    const Document document = only_document(
        read_as(dir, "a.html",
                "<title>Le titre</title><div>Menu du site</div>"
                "<article><h2>Autre article</h2><p>Un résumé.</p></article>"
                "<article><h1>Le titre</h1><p>Le long texte de l'article principal.</p>"
                "<article><p>Commentaire imbriqué.</p></article></article><div>Pied</div>"));
    CHECK(document.body == "Le long texte de l'article principal.\n\nCommentaire imbriqué.");
}

TEST_CASE("html: date, source and url come from the page's metadata", "[readers]") {
    struct Case {
        const char* what;
        const char* head;
        const char* body;
        const char* date;
    };
    const char* times =
        "<p>Publié le <time datetime=\"2024-07-04T15:40\">jeudi</time></p>"
        "<time datetime=2020-01-01></time>";
    auto c = GENERATE_REF(values<Case>({
        {"article:published_time first",
         "<meta property=\"article:published_time\" content=\"2024-11-22T09:00:00+00:00\">"
         "<meta name=date content=2023-01-01>",
         times, "2024-11-22"},
        {"then the first time element", "<meta name=date content=2023-01-01>", times, "2024-07-04"},
        {"then meta date", "<meta name=\"date\" content=\"2023-01-01\">", "<p>Texte.</p>",
         "2023-01-01"},
        {"time without datetime", "", "<p><time>22 novembre 2024</time></p>", "2024-11-22"},
    }));
    INFO(c.what);
    TempDir dir;
    const Document document = only_document(read_as(
        dir, "a.html",
        std::string("<html><head><title>T</title>") + c.head +
            "<meta property=og:site_name content=\"L'Essor\">"
            "<meta property=og:url content=\"https://og.example/a\">"
            "<link rel=\"alternate canonical\" href=\" https://example.com/a \"></head><body>" +
            c.body + "</body></html>"));
    CHECK(document.date == c.date);
    CHECK(document.source == "L'Essor");
    CHECK(document.url == "https://example.com/a");
}

TEST_CASE("html: og:url stands in for a missing canonical link", "[readers]") {
    TempDir dir;
    const Document document = only_document(
        read_as(dir, "a.html", "<meta property=og:url content=https://og.example/a><p>Texte.</p>"));
    CHECK(document.url == "https://og.example/a");
}

TEST_CASE("html: a latin-1 page that declares its charset is converted", "[readers]") {
    auto declaration =
        GENERATE(as<std::string>{}, "<meta charset=\"iso-8859-1\">", "<meta charset=windows-1252>",
                 "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                 "charset=ISO-8859-1\">");
    INFO(declaration);
    TempDir dir;
    std::string page = "<html><head>" + declaration +
                       "<title>L'arm\xE9"
                       "e malienne</title></head><body><p>Caf\xE9 \x93"
                       "chaud\x94"
                       " \xE0 Bamako.</p></body></html>";
    const Document document = only_document(read_as(dir, "latin1.html", page));
    CHECK(document.title == "L'armée malienne");
    CHECK(document.body == "Café “chaud” à Bamako.");
}

TEST_CASE("html: invalid UTF-8 without a usable charset skips the page", "[readers]") {
    auto declaration =
        GENERATE(as<std::string>{}, "", "<meta charset=utf-8>", "<meta charset=no-such-charset>");
    INFO(declaration);
    TempDir dir;
    std::string page = "<html><head>" + declaration + "</head>\n<body>\n<p>Caf\xE9</p></body>";
    auto result = read_as(dir, "bad.html", page);
    CHECK(result.documents.empty());
    const IndexWarning warning = only_warning(result);
    CHECK(warning.line == 3);
    CHECK(warning.offset == page.find('\xE9'));
}

// Found by the HTML reader fuzz target: gumbo turns a numeric character reference past the range
// of an int into a stray byte instead of U+FFFD, and the document carried invalid UTF-8.
TEST_CASE("regression: an out-of-range numeric character reference reads as U+FFFD",
          "[readers][fuzz]") {
    TempDir dir;
    const std::string reference = "&#555555555555555555555555555555555555555;";
    const Document document = only_document(read_as(
        dir, "a.html",
        "<html><head><title>t" + reference + R"(</title><meta property="og:site_name" content="s)" +
            reference + "\"></head><body><p>a" + reference + "b</p></body></html>"));
    CHECK(document.title == "t\uFFFD");
    CHECK(document.source == "s\uFFFD");
    CHECK(document.body == "a\uFFFDb");
}

TEST_CASE("html: a page with no visible text yields a warning", "[readers]") {
    TempDir dir;
    auto result = read_as(dir, "a.html", "<html><head><script>x()</script></head><body> </body>");
    CHECK(result.documents.empty());
    CHECK(only_warning(result).file == "a.html");
}

// ---- JSON Lines -------------------------------------------------------------------------------

TEST_CASE("jsonl: each line is a document with its own id", "[readers]") {
    TempDir dir;
    std::string jsonl =
        "{\"id\": \"a\", \"title\": \"Titre A\", \"body\": \"Texte A\", \"date\": "
        "\"2024-11-22T10:00:00Z\", \"source\": \"L'Essor\", \"url\": \"https://e.com/a\"}\n"
        "\n"
        "  {\"id\": 42, \"text\": \"Texte numérique\", \"link\": \"https://e.com/42\", \"date\": "
        "\"22 novembre 2024\", \"extra\": [1, 2]}\r\n"
        "{\"id\": \"c\", \"content\": \"Contenu\", \"title\": null}";
    auto result = read_as(dir, "lot.jsonl", jsonl);
    CHECK(result.warnings.empty());
    REQUIRE(result.documents.size() == 3);
    const Document& a = result.documents[0];
    CHECK(a.id == "a");
    CHECK(a.title == "Titre A");
    CHECK(a.body == "Texte A");
    CHECK(a.date == "2024-11-22");
    CHECK(a.source == "L'Essor");
    CHECK(a.url == "https://e.com/a");
    const Document& b = result.documents[1];
    CHECK(b.id == "42");
    CHECK(b.body == "Texte numérique");
    CHECK(b.url == "https://e.com/42");
    CHECK(b.date == "2024-11-22");
    CHECK(result.documents[2].body == "Contenu");
    CHECK(result.documents[2].title.empty());
    for (const Document& document : result.documents) CHECK(document.path == "lot.jsonl");
}

TEST_CASE("jsonl: a malformed line is skipped with its line number and the rest indexed",
          "[readers]") {
    struct Case {
        const char* what;
        std::string line;
        // Offset of the problem within the bad line.
        std::size_t offset_in_line;
        const char* message_start;
    };
    auto c = GENERATE(values<Case>({
        {"syntax error", "{\"id\": \"x\", \"body\": tru}", 23, "malformed JSON"},
        {"truncated", "{\"id\": \"x\", \"body\": \"b", 22, "malformed JSON"},
        {"null", "null", 0, "not a JSON object"},
        {"array", "[{\"id\": \"x\"}]", 0, "not a JSON object"},
        {"empty object", "{}", 0, "missing id"},
        {"empty id", "{\"id\": \"\", \"body\": \"b\"}", 0, "empty id"},
        {"fractional id", "{\"id\": 1.5, \"body\": \"b\"}", 0, "id is not a string or an integer"},
        {"no body", "{\"id\": \"x\", \"title\": \"t\"}", 0, "missing body"},
        {"title not a string", "{\"id\": \"x\", \"title\": 3, \"body\": \"b\"}", 0,
         "field \"title\" is not a string"},
        {"body not a string", "{\"id\": \"x\", \"body\": [\"b\"]}", 0,
         "field \"body\" is not a string"},
        {"duplicate id", "{\"id\": \"first\", \"body\": \"again\"}", 0, "duplicate id \"first\""},
        {"invalid UTF-8", "{\"id\": \"x\", \"body\": \"caf\xE9\"}", 24, "invalid UTF-8"},
    }));
    INFO(c.what);
    TempDir dir;
    std::string first = "{\"id\": \"first\", \"body\": \"Premier\"}\n";
    std::string jsonl = first + c.line + "\n{\"id\": \"last\", \"body\": \"Dernier\"}\n";
    auto result = read_as(dir, "lot.jsonl", jsonl);
    REQUIRE(result.documents.size() == 2);
    CHECK(result.documents[0].id == "first");
    CHECK(result.documents[0].body == "Premier");
    CHECK(result.documents[1].id == "last");
    const IndexWarning warning = only_warning(result);
    CHECK(warning.file == "lot.jsonl");
    CHECK(warning.line == 2);
    CHECK(warning.has_offset);
    CHECK(warning.offset == first.size() + c.offset_in_line);
    CHECK(warning.message.starts_with(c.message_start));
    CHECK(warning.skipped);
}

TEST_CASE("jsonl: an unrecognized date is reported and the record kept without it", "[readers]") {
    TempDir dir;
    auto result = read_as(dir, "a.jsonl", "{\"id\": \"a\", \"body\": \"b\", \"date\": \"hier\"}\n");
    CHECK(only_document(result).date.empty());
    CHECK(only_warning(result).line == 1);
    CHECK(contains(only_warning(result).message, "hier"));
    CHECK_FALSE(only_warning(result).skipped);
}

TEST_CASE("jsonl: offsets count the BOM", "[readers]") {
    TempDir dir;
    auto result = read_as(dir, "a.jsonl", "\xEF\xBB\xBF{\"id\": 1, \"body\": x}\n");
    CHECK(result.documents.empty());
    CHECK(only_warning(result).line == 1);
    // The BOM, then the `x` where the parser gave up.
    CHECK(only_warning(result).offset == 3 + 18);
}

// ---- Hostile input ----------------------------------------------------------------------------

TEST_CASE("readers survive hostile input without throwing", "[readers][robustness]") {
    struct Case {
        const char* what;
        const char* name;
        std::string bytes;
    };
    // Nesting deep enough to overflow the stack of any recursive walk or free.
    auto c = GENERATE(values<Case>({
        {"deeply nested inline HTML", "a.html", repeat("<span>", 300000) + "fond"},
        {"deeply nested block HTML", "a.html", repeat("<div><blockquote>", 3000) + "fond"},
        {"deeply nested JSON", "a.jsonl",
         repeat("[", 200000) + repeat("]", 200000) + "\n{\"id\": \"a\", \"body\": \"b\", \"x\": " +
             repeat("{\"k\":", 200000) + "1" + repeat("}", 200000) + "}\n"},
        {"deeply nested Markdown", "a.md", repeat(">", 100000) + " x\n" + repeat("[", 100000)},
        {"deeply nested front matter", "a.md", "---\n" + repeat("[", 100000) + "\n---\nx\n"},
        {"huge line without spaces", "a.txt", repeat("a", 3000000)},
        {"only a BOM and residue", "a.txt", "\xEF\xBB\xBFspot_img"},
        {"unterminated HTML", "a.html", "<html><body><p>Texte <b>gras <!-- <script>"},
    }));
    INFO(c.what);
    TempDir dir;
    ReadResult result;
    REQUIRE_NOTHROW(result = read_as(dir, c.name, c.bytes));
    CHECK(result.documents.size() + result.warnings.size() > 0);
}

TEST_CASE("readers survive random bytes without throwing", "[readers][robustness]") {
    std::mt19937 random(20241122);
    const std::string alphabet = "<>/=\"' \n\r\t-#*[]{}:,abcdé\xC3\xE2\x80\x94\xFF{\"id\"body";
    auto format = GENERATE(Format::text, Format::markdown, Format::html, Format::json_lines);
    for (int round = 0; round < 200; ++round) {
        std::string bytes;
        std::size_t length = random() % 400;
        for (std::size_t i = 0; i < length; ++i) bytes += alphabet[random() % alphabet.size()];
        INFO(bytes);
        REQUIRE_NOTHROW(read_document_file(format, bytes, "random", "random"));
    }
}
