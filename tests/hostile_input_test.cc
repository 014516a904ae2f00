// Hostile and broken input, each case with the behaviour it must get: the real commands on real
// files, a warning naming file, line and byte offset, the exit status, what was indexed, and a
// database left unchanged when a run fails. The limits are those of core/limits.h.

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/limits.h"
#include "readers/readers.h"
#include "tests/test_support.h"
#include "tests/utf8_checks.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace fs = std::filesystem;
namespace limits = trouvere::limits;
using trouvere::testing::ids_in;
using trouvere::testing::is_valid_utf8;
using trouvere::testing::ProcessOptions;
using trouvere::testing::TempDir;

namespace {

const std::string kSearch = TROUVERE_SEARCH_BIN;
const std::string kSearchIndex = TROUVERE_SEARCH_INDEX_BIN;

#ifdef __SANITIZE_ADDRESS__
// AddressSanitizer's shadow memory and quarantine multiply a process's resident size.
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

using Run = trouvere::testing::ProcessResult;

// The commands as run by a user who asks for no colour.
Run run(const std::string& program, const std::vector<std::string>& args,
        ProcessOptions options = {}) {
    options.environment.emplace("NO_COLOR", "");
    return trouvere::testing::run_process(program, args, options);
}

Run index(const fs::path& db, const std::vector<std::string>& paths,
          const ProcessOptions& options = {}) {
    std::vector<std::string> args{"--db", db.string()};
    args.insert(args.end(), paths.begin(), paths.end());
    return run(kSearchIndex, args, options);
}

Run search(const fs::path& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db.string()});
    return run(kSearch, args);
}

// The ids of the hits of `query`, through `search --json`.
std::set<std::string> hit_ids(const fs::path& db, const std::string& query) {
    Run result = search(db, {"--json", "--limit", "100", "--", query});
    INFO(result.err);
    REQUIRE(result.exit_code <= 1);
    std::set<std::string> ids;
    auto json = nlohmann::json::parse(result.out);
    for (const auto& hit : json["hits"]) {
        ids.insert(hit["id"].get<std::string>());
    }
    return ids;
}

// Every term and every stored record of the database is valid UTF-8.
void check_database_is_valid_utf8(const fs::path& db) {
    Xapian::Database database(db.string());
    for (auto term = database.allterms_begin(); term != database.allterms_end(); ++term) {
        INFO("term " << *term);
        CHECK(is_valid_utf8(*term));
    }
    for (auto post = database.postlist_begin(""); post != database.postlist_end(""); ++post) {
        auto record = trouvere::testing::stored_record(database.get_document(*post));
        REQUIRE(record.has_value());
        CHECK(is_valid_utf8(record->body));
    }
}

// Xapian's own consistency check, xapian-check from xapian-tools (scripts/setup installs it):
// "No errors found". Run as a process, because Xapian::Database::check() itself trips
// AddressSanitizer (a new/delete size mismatch inside libxapian 1.4.22).
void check_database_is_consistent(const fs::path& db) {
    // Not installed, it cannot start, and the test fails saying so.
    Run check = run("/usr/bin/xapian-check", {db.string()});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("No errors found") != std::string::npos);
}

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

// Writes `size` bytes of French words, one line, without holding them all in memory.
void write_big_line(const fs::path& file, std::string_view head, std::size_t size,
                    std::string_view tail) {
    std::ofstream out(file, std::ios::binary);
    out << head;
    std::string chunk = repeat("armée accord militaire ", 1 << 16);
    std::size_t written = head.size();
    while (written + chunk.size() + tail.size() <= size) {
        out << chunk;
        written += chunk.size();
    }
    out << std::string(size - written - tail.size(), 'x') << tail;
    REQUIRE(out);
}

// The CPU time this process spends in `work`, the least of three runs: other programs on the
// machine neither count in it nor, but through shared caches, slow it down.
template <typename Work>
double least_cpu_seconds(const Work& work) {
    auto now = [] {
        timespec time{};
        REQUIRE(::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0);
        return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_nsec) / 1e9;
    };
    double least = 0;
    for (int run = 0; run < 3; ++run) {
        const double start = now();
        work();
        const double seconds = now() - start;
        least = run == 0 ? seconds : std::min(least, seconds);
    }
    return least;
}

// CPU time of indexing `tags` HTML elements that do not nest: the cost that deep nesting must
// not multiply.
double flat_html_cpu_seconds(std::size_t tags) {
    TempDir dir;
    dir.write("docs/flat.html", "<title>Plat</title>" + repeat("<div></div>", tags) + "plat");
    Run result = index(dir.path() / "db", {(dir.path() / "docs").string()});
    REQUIRE(result.exit_code == 0);
    return result.cpu_seconds;
}

bool contains(const std::string& text, std::string_view piece) {
    return text.find(piece) != std::string::npos;
}

// Bytes a terminal would obey: C0 controls but newline, DEL, and C1 controls in UTF-8.
bool has_raw_controls(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if ((byte < 0x20 && byte != '\n') || byte == 0x7F) return true;
        if (byte == 0xC2 && i + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F) return true;
        }
    }
    return false;
}

}  // namespace

// ---- Encoding ---------------------------------------------------------------------------------

TEST_CASE("invalid UTF-8 skips the file, or the JSON line, with a warning at its byte offset",
          "[hostile]") {
    struct Case {
        const char* what;
        std::string bytes;
    };
    auto c = GENERATE(values<Case>({
        {"overlong slash", "\xC0\xAF"},
        {"overlong NUL", "\xC0\x80"},
        {"UTF-16 surrogate", "\xED\xA0\x80"},
        {"truncated sequence", "\xE2\x82"},
        {"stray continuation byte", "\x80"},
        {"beyond U+10FFFF", "\xF4\x90\x80\x80"},
    }));
    INFO(c.what);
    TempDir dir;
    // The bad bytes on line 2, 6 bytes in: at byte offset 17 of each file.
    const std::string line1 = "Titre correct\n";  // 14 bytes
    dir.write("docs/good.txt", "Bonne nouvelle\nLe mot sentinelle est ici.\n");
    dir.write("docs/bad.txt", line1 + "Mot " + c.bytes + " marmotte\n");
    dir.write("docs/bad.md", line1 + "Mot " + c.bytes + " marmotte\n");
    dir.write("docs/bad.html", line1 + "<p>" + c.bytes + " marmotte</p>\n");
    const std::string first_record = "{\"id\": \"ok\", \"body\": \"sentinelle\"}\n";
    dir.write("docs/bad.jsonl",
              first_record + R"({"id": ")" + c.bytes + "\", \"body\": \"marmotte\"}\n");
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "docs").string()});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err, "docs/bad.txt:2: invalid UTF-8 (byte offset 18); skipped"));
    CHECK(contains(result.err, "docs/bad.md:2: invalid UTF-8 (byte offset 18); skipped"));
    CHECK(contains(result.err, "docs/bad.html:2: invalid UTF-8 (byte offset 17); skipped"));
    // `{"id": "` is 8 bytes.
    CHECK(contains(result.err, "docs/bad.jsonl:2: invalid UTF-8 (byte offset " +
                                   std::to_string(first_record.size() + 8) + "); skipped"));
    CHECK(ids_in(db) == std::set<std::string>{"good.txt", "ok"});
    CHECK(hit_ids(db, "marmotte").empty());
    check_database_is_valid_utf8(db);
}

TEST_CASE("JSON escapes of lone surrogates are malformed JSON, skipped at their offset",
          "[hostile]") {
    TempDir dir;
    dir.write("feed.jsonl",
              "{\"id\": \"a\", \"body\": \"x\\ud800y\"}\n"
              "{\"id\": \"b\", \"body\": \"bon\"}\n");
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "feed.jsonl").string()});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err, "feed.jsonl:1: malformed JSON (byte offset"));
    CHECK(ids_in(db) == std::set<std::string>{"b"});
    check_database_is_valid_utf8(db);
}

TEST_CASE("a NUL byte marks a binary file, skipped, and an escaped NUL in JSON is a separator",
          "[hostile]") {
    TempDir dir;
    dir.write("docs/binary.txt", std::string("Titre\nabc\0def", 13));
    dir.write("docs/feed.jsonl",
              "{\"id\": \"nul\", \"title\": \"a\\u0000b\", \"body\": "
              "\"avant\\u0000apres\"}\n");
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "docs").string()});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err, "docs/binary.txt: binary file (NUL byte) (byte offset 9); skipped"));
    CHECK(ids_in(db) == std::set<std::string>{"nul"});
    CHECK(hit_ids(db, "apres") == std::set<std::string>{"nul"});
    // No term holds the NUL: it separated the words.
    Xapian::Database database(db.string());
    for (auto term = database.allterms_begin(); term != database.allterms_end(); ++term) {
        CHECK((*term).find('\0') == std::string::npos);
    }
    Run plain = search(db, {"--color=always", "apres"});
    CHECK(plain.exit_code == 0);
    CHECK(contains(plain.out,
                   "a\xE2\x90\x80"
                   "b"));  // U+2400 SYMBOL FOR NULL
    Run json = search(db, {"--json", "apres"});
    CHECK(contains(json.out, R"("title":"a\u0000b")"));
}

// ---- Size ---------------------------------------------------------------------------------------

TEST_CASE("a 200 MB one-line text file is read up to 4 MiB, in bounded memory and time",
          "[hostile]") {
    TempDir dir;
    constexpr std::size_t kSize = 200 * limits::kMiB;
    auto file = dir.path() / "docs" / "huge.txt";
    fs::create_directories(file.parent_path());
    write_big_line(file, "Titre immense\ndebutdefichier ", kSize, " findefichier");
    // The same line cut at the read limit: what the 200 MB may cost, which does not grow with
    // the file.
    auto at_limit = dir.path() / "at_limit" / "huge.txt";
    fs::create_directories(at_limit.parent_path());
    write_big_line(at_limit, "Titre immense\ndebutdefichier ", limits::kMaxFileBytes, "");
    Run baseline = index(dir.path() / "db_at_limit", {at_limit.parent_path().string()});
    REQUIRE(baseline.exit_code == 0);
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "docs").string()});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err,
                   "docs/huge.txt:2: file of 209715200 bytes is longer than the "
                   "4194304-byte limit: only its first 4194304 bytes are read "
                   "(byte offset 4194304)\n"));
    CHECK(contains(result.err, "docs/huge.txt: text of "));
    CHECK(contains(result.err,
                   " bytes is longer than the 1048576-byte limit: only its first "
                   "1048576 bytes are kept\n"));
    CHECK(hit_ids(db, "debutdefichier") == std::set<std::string>{"huge.txt"});
    CHECK(hit_ids(db, "findefichier").empty());
    // A few MiB of the 200 are read, and the run costs what a file at the limit costs (before the
    // limits: 4 GB and 60 s, 400 times as long).
    INFO("indexing 200 MB: " << result.max_rss_kib / 1024 << " MiB peak, " << result.cpu_seconds
                             << " s of CPU; at the limit: " << baseline.cpu_seconds << " s");
    CHECK(result.max_rss_kib < (kSanitized ? 1024L : 256L) * 1024);
    REQUIRE(result.bytes_read.has_value());
    CHECK(*result.bytes_read < 4 * limits::kMaxFileBytes);
    CHECK(result.cpu_seconds < 3 * baseline.cpu_seconds);

    // The snippet of the one stored MiB is cheap too: about what a search in the articles of
    // corpus/ costs (before: 18 s and 3.8 GB).
    auto articles = dir.path() / "db_articles";
    REQUIRE(index(articles, {trouvere::testing::corpus_dir().string()}).exit_code == 0);
    Run small = search(articles, {"Kidal"});
    REQUIRE(small.exit_code == 0);
    Run found = search(db, {"debutdefichier"});
    INFO("searching the stored MiB: " << found.max_rss_kib / 1024 << " MiB peak, "
                                      << found.cpu_seconds
                                      << " s of CPU; the articles: " << small.cpu_seconds << " s");
    CHECK(found.exit_code == 0);
    CHECK(found.max_rss_kib < (kSanitized ? 1024L : 256L) * 1024);
    CHECK(found.cpu_seconds < 10 * small.cpu_seconds);

    // The record keeps the file's real size: the next run sees the file unchanged.
    Run again = index(db, {(dir.path() / "docs").string()});
    CHECK(contains(again.out, "0 added, 0 updated, 1 unchanged"));
}

TEST_CASE("a file cut at the limit is cut on a character, not inside one", "[hostile]") {
    TempDir dir;
    // `é` is two bytes; the limit falls between them.
    std::string text = "Titre\n" + std::string(limits::kMaxFileBytes - 7, 'a') + "\xC3\xA9tude";
    dir.write("docs/cut.txt", text);
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "docs").string()});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err, "only its first 4194303 bytes are read (byte offset 4194303)"));
    CHECK_FALSE(contains(result.err, "invalid UTF-8"));
    CHECK(ids_in(db) == std::set<std::string>{"cut.txt"});
}

TEST_CASE("a file over its limit is cut after its last complete JSON line or character",
          "[hostile]") {
    using trouvere::readers::Format;
    using trouvere::readers::readable_prefix;
    CHECK(trouvere::readers::max_file_bytes(Format::json_lines) == 256 * limits::kMiB);
    CHECK(trouvere::readers::max_file_bytes(Format::html) == 4 * limits::kMiB);
    CHECK(readable_prefix(Format::json_lines, "{\"id\": 1}\n{\"id\": 2}\n{\"id") == 20);
    CHECK(readable_prefix(Format::json_lines, "{\"id\": 1, \"body\": \"long") == 0);
    // `é` is C3 A9, `€` E2 82 AC: a prefix ending inside one drops it.
    CHECK(readable_prefix(Format::text, "abc\xC3") == 3);
    CHECK(readable_prefix(Format::text, "abc\xC3\xA9") == 5);
    CHECK(readable_prefix(Format::text, "abc\xE2\x82") == 3);
    CHECK(readable_prefix(Format::markdown, "abc\xE2\x82\xAC") == 6);
    CHECK(readable_prefix(Format::html, "abc") == 3);
}

TEST_CASE("a word of 10 MB is handled in time linear in its length, and yields no term",
          "[hostile]") {
    trouvere::Analyzer analyzer;
    auto seconds_for = [&](std::size_t bytes) {
        std::string word = "avant " + std::string(bytes, 'a') + " apres";
        return least_cpu_seconds([&] {
            auto tokens = analyzer.analyze(word);
            REQUIRE(tokens.size() == 2);  // the giant is over the 64-byte term limit
            CHECK(tokens[1].begin == word.size() - 5);
            CHECK(tokens[1].position == 1);
        });
    };
    double small = seconds_for(limits::kMiB);
    double large = seconds_for(10 * limits::kMiB);
    INFO("a 1 MiB word: " << small << " s of CPU; 10 MiB: " << large << " s");
    // Linear: ten times the length, about ten times the time; quadratic would be a hundred.
    CHECK(large < 30 * small);

    // Through the indexer the word is cut to the body limit first, and costs no more than as
    // many bytes of ordinary words.
    TempDir dir;
    dir.write("docs/word.txt", "Un mot immense\n" + std::string(10 * limits::kMiB, 'a') + "\n");
    fs::create_directories(dir.path() / "words");
    write_big_line(dir.path() / "words" / "words.txt", "Des mots\n", 10 * limits::kMiB + 16, "\n");
    Run words = index(dir.path() / "db_words", {(dir.path() / "words").string()});
    REQUIRE(words.exit_code == 0);
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "docs").string()});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err,
                   "docs/word.txt:2: file of 10485776 bytes is longer than the "
                   "4194304-byte limit"));
    CHECK(contains(result.err, "bytes is longer than the 1048576-byte limit"));
    CHECK(hit_ids(db, "immense") == std::set<std::string>{"word.txt"});
    INFO("indexing the word: " << result.cpu_seconds
                               << " s of CPU; ordinary words: " << words.cpu_seconds << " s");
    CHECK(result.cpu_seconds < 3 * words.cpu_seconds);
}

TEST_CASE("a JSON line of 50 MB is skipped with a warning, and the lines around it are indexed",
          "[hostile]") {
    TempDir dir;
    std::string big_line =
        R"({"id": "big", "body": ")" + std::string(50 * limits::kMiB, 'a') + "\"}\n";
    // A record under the line limit whose body is over the body limit is cut, not skipped.
    std::string long_body =
        R"({"id": "long", "body": "debut )" + repeat("accord ", 3 * limits::kMiB / 7) + "\"}\n";
    std::string first = "{\"id\": \"first\", \"body\": \"premier\"}\n";
    std::string last = "{\"id\": \"last\", \"body\": \"dernier\"}\n";
    dir.write("feed.jsonl", first + big_line + long_body + last);
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "feed.jsonl").string()});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err, "feed.jsonl:2: line of " + std::to_string(big_line.size() - 1) +
                                   " bytes is longer than the 4194304-byte limit (byte offset " +
                                   std::to_string(first.size()) + "); skipped\n"));
    CHECK(contains(result.err, "feed.jsonl:3: text of "));
    CHECK(contains(result.err, "-byte limit: only its first 1048576 bytes are kept (byte offset " +
                                   std::to_string(first.size() + big_line.size()) + ")\n"));
    CHECK(ids_in(db) == std::set<std::string>{"first", "long", "last"});
    CHECK(hit_ids(db, "debut") == std::set<std::string>{"long"});
    INFO("indexing a 50 MB JSON line: " << result.max_rss_kib / 1024 << " MiB peak");
    CHECK(result.max_rss_kib < (kSanitized ? 2048L : 512L) * 1024);
}

TEST_CASE("long titles, sources and URLs are cut, and long JSON ids skipped, with warnings",
          "[hostile]") {
    TempDir dir;
    nlohmann::json record{{"id", "a"},
                          {"title", repeat("é", 1000)},
                          {"body", "corps"},
                          {"source", std::string(5000, 's')},
                          {"url", "https://x/" + std::string(5000, 'u')}};
    nlohmann::json long_id{{"id", std::string(limits::kMaxIdBytes + 1, 'i')}, {"body", "b"}};
    dir.write("feed.jsonl", record.dump() + "\n" + long_id.dump() + "\n");
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "feed.jsonl").string()});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err,
                   "feed.jsonl:1: title of 2000 bytes is longer than the 1024-byte "
                   "limit: only its first 1024 bytes are kept (byte offset 0)\n"));
    CHECK(contains(result.err, "feed.jsonl:1: source of 5000 bytes"));
    CHECK(contains(result.err, "feed.jsonl:1: url of 5010 bytes"));
    CHECK(contains(result.err, "feed.jsonl:2: id longer than 4096 bytes (byte offset"));
    Run json = search(db, {"--json", "corps"});
    auto hit = nlohmann::json::parse(json.out)["hits"][0];
    std::string title = hit["title"];
    CHECK(title.size() <= limits::kMaxTitleBytes);
    CHECK(title.ends_with("é\xE2\x80\xA6"));
    CHECK(hit["source"].get<std::string>().size() == limits::kMaxFieldBytes);
    CHECK(ids_in(db) == std::set<std::string>{"a"});
}

// ---- HTML ---------------------------------------------------------------------------------------

TEST_CASE("100,000 nested or unclosed HTML elements parse in bounded time, text kept",
          "[hostile]") {
    struct Case {
        const char* what;
        std::string html;
        std::size_t first_dropped;
        bool text_visible = true;
    };
    constexpr std::size_t kTags = 100'000;
    constexpr std::size_t kDepth = limits::kMaxHtmlDepth;
    // The later cases try to hide tags from the depth count while gumbo still nests them.
    auto c = GENERATE_COPY(values<Case>({
        {"nested divs", repeat("<div>", kTags) + "profond" + repeat("</div>", kTags) + "apres",
         5 * kDepth},
        {"unclosed divs", repeat("<div>x ", kTags) + "profond", 7 * kDepth},
        {"unclosed formatting", "<p>" + repeat("<b><i><u><s>x ", kTags / 4) + "profond",
         3 + 14 * (kDepth / 4)},
        {"self-closing syntax, which HTML ignores", repeat("<div/>", kTags) + "profond",
         6 * kDepth},
        {"end tags stopped by a special element", repeat("<x-a><div></x-a>", kTags) + "profond",
         16 * (kDepth / 2)},
        {"an abruptly closed comment", "<!-->" + repeat("<div>", kTags) + "profond-->",
         5 + 5 * kDepth},
        {"a quote inside an unquoted attribute value",
         "<div a=b'>" + repeat("<div>", kTags) + "profond'>", 10 + 5 * (kDepth - 1)},
        {"ruby annotations outside <ruby>", repeat("<rt>", kTags) + "profond", 4 * kDepth},
        {"nested option groups", repeat("<optgroup>", kTags) + "profond", 10 * kDepth},
        {"<noscript> in <head>, read as markup", "<head><noscript>" + repeat("<div>", kTags),
         16 + 5 * (kDepth - 2), false},
        {"<style> inside <svg>, read as markup", "<svg><style>" + repeat("<g>", kTags),
         12 + 3 * (kDepth - 2), false},
    }));
    INFO(c.what);
    TempDir dir;
    dir.write("docs/deep.html", "<title>Profondeur</title>" + c.html);
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "docs").string()});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err,
                   "docs/deep.html:1: HTML nested deeper than 512 elements: the "
                   "deeper tags are ignored, their text is kept (byte offset " +
                       std::to_string(25 + c.first_dropped) + ")\n"));
    if (c.text_visible) CHECK(hit_ids(db, "profond") == std::set<std::string>{"deep.html"});
    // Gumbo alone took 57 to 63 s on the first three pages, where as many elements side by side
    // take a tenth of a second.
    static const double flat = flat_html_cpu_seconds(kTags);
    INFO(c.what << ": " << result.cpu_seconds
                << " s of CPU; as many elements side by side: " << flat << " s");
    CHECK(result.cpu_seconds < 3 * flat);
}

TEST_CASE("HTML within the depth limit, and thousands of unclosed <p>, are not flattened",
          "[hostile]") {
    TempDir dir;
    dir.write("docs/ok.html", repeat("<div>", limits::kMaxHtmlDepth - 1) + "<p>premier" +
                                  repeat("<p>paragraphe", 10'000) + "<!-- <div><div> -->" +
                                  "<script>" + repeat("<div>", 1000) + "</script>fin");
    auto db = dir.path() / "db";
    Run result = index(db, {(dir.path() / "docs").string()});
    CHECK(result.exit_code == 0);
    CHECK_FALSE(contains(result.err, "nested deeper"));
    CHECK(hit_ids(db, "premier paragraphe fin") == std::set<std::string>{"ok.html"});
}

// ---- Ids and paths ------------------------------------------------------------------------------

TEST_CASE("ids with ../ are opaque: they round-trip and nothing is written outside the database",
          "[hostile]") {
    TempDir dir;
    const std::vector<std::string> ids{"../../escape",
                                       "/etc/passwd",
                                       "a/../../b",
                                       "..",
                                       ".",
                                       "..\\..\\windows",
                                       "../" + std::string(300, 'x')};
    std::string lines;
    for (const auto& id : ids)
        lines += nlohmann::json{{"id", id}, {"body", "chemin"}}.dump() + "\n";
    dir.write("corpus/sub/feed.jsonl", lines);
    auto db = dir.path() / "work" / "db";
    auto list_tree = [&] {
        std::set<std::string> entries;
        for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
            std::string relative = entry.path().lexically_relative(dir.path()).generic_string();
            if (!relative.starts_with("work/db/")) entries.insert(relative);
        }
        return entries;
    };
    Run first = index(db, {(dir.path() / "corpus").string()});
    CHECK(first.exit_code == 0);
    CHECK(list_tree() == std::set<std::string>{"corpus", "corpus/sub", "corpus/sub/feed.jsonl",
                                               "work", "work/db", "work/db.lock"});
    CHECK(hit_ids(db, "chemin") == std::set<std::string>(ids.begin(), ids.end()));
    // (db.lock is the writer lock, next to the database by design.)
    // Deleting them goes through the same opaque ids.
    fs::remove(dir.path() / "corpus" / "sub" / "feed.jsonl");
    Run pruned =
        run(kSearchIndex, {"--db", db.string(), "--prune", (dir.path() / "corpus").string()});
    CHECK(contains(pruned.out, std::to_string(ids.size()) + " deleted"));
    CHECK(ids_in(db).empty());
    CHECK(list_tree() ==
          std::set<std::string>{"corpus", "corpus/sub", "work", "work/db", "work/db.lock"});
}

// ---- Terminal safety ----------------------------------------------------------------------------

TEST_CASE("escape sequences in indexed text never reach the terminal raw", "[hostile]") {
    TempDir dir;
    // ESC[2J clears the screen, OSC 52 writes the clipboard, BEL rings, U+009B is the C1 CSI.
    const std::string title =
        "Titre \x1b[2J efface \x07 cloche \xC2\x9B"
        "31m rouge";
    const std::string body = "Corps piege \x1b]52;c;ZXZpbA==\x07 presse-papiers \x7f fin";
    dir.write("docs/feed.jsonl", nlohmann::json{{"id", "esc\x1b[1mid"},
                                                {"title", title},
                                                {"body", body},
                                                {"source", "\x1b]0;titre\x07"}}
                                         .dump() +
                                     "\n");
    // Raw bytes in a text file, and a file name with ESC in it that draws a warning.
    dir.write("docs/raw.txt", title + "\n" + body + "\n");
    dir.write("docs/\x1b[2Jvide.txt", "");
    auto db = dir.path() / "db";
    Run indexed = index(db, {(dir.path() / "docs").string()});
    CHECK(indexed.exit_code == 0);
    CHECK(contains(indexed.err, "docs/\xE2\x90\x9B[2Jvide.txt: empty file; skipped"));
    CHECK_FALSE(has_raw_controls(indexed.err));

    for (const char* colour : {"--color=always", "--color=never"}) {
        INFO(colour);
        Run shown = search(db, {colour, "piege"});
        CHECK(shown.exit_code == 0);
        std::string text = shown.out;
        // Our own styles are the only escape sequences left.
        for (std::string_view style : {"\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"}) {
            for (auto at = text.find(style); at != std::string::npos; at = text.find(style)) {
                text.erase(at, style.size());
            }
        }
        CHECK_FALSE(has_raw_controls(text));
        CHECK(contains(text,
                       "Titre \xE2\x90\x9B[2J efface \xE2\x90\x87 cloche \xEF\xBF\xBD"
                       "31m"));
        CHECK(contains(text, "\xE2\x90\x9B]52;c;ZXZpbA==\xE2\x90\x87"));
        CHECK(contains(text, "esc\xE2\x90\x9B[1mid"));
    }

    Run json = search(db, {"--json", "piege"});
    CHECK(json.exit_code == 0);
    CHECK_FALSE(has_raw_controls(json.out));
    auto hits = nlohmann::json::parse(json.out)["hits"];
    REQUIRE(hits.size() == 2);
    for (const auto& hit : hits) {
        // Escaped, not altered: a program reading the JSON gets the text as indexed.
        CHECK(hit["title"] == title);
        CHECK_THAT(hit["snippet"].get<std::string>(), Catch::Contains("\x1b]52;c;"));
    }
    CHECK(contains(json.out, R"(\u001b[2J efface \u0007 cloche \u009b31m)"));
}

// ---- File system
// ----------------------------------------------------------------------------------

TEST_CASE("symbolic link loops and broken links are reported and the walk ends", "[hostile]") {
    TempDir dir;
    auto docs = dir.path() / "docs";
    dir.write("docs/good.txt", "Bon\nTexte lisible.\n");
    fs::create_symlink("loop2.txt", docs / "loop1.txt");
    fs::create_symlink("loop1.txt", docs / "loop2.txt");
    fs::create_symlink("missing.txt", docs / "broken.txt");
    fs::create_directory_symlink("..", docs / "parent");  // a folder loop
    fs::create_directory_symlink(".", docs / "self");
    auto db = dir.path() / "db";
    Run result = index(db, {docs.string()});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err,
                   "docs/loop1.txt: cannot read file: Too many levels of symbolic "
                   "links; skipped\n"));
    CHECK(contains(result.err,
                   "docs/loop2.txt: cannot read file: Too many levels of symbolic "
                   "links; skipped\n"));
    CHECK(contains(result.err,
                   "docs/broken.txt: cannot read file: No such file or directory; "
                   "skipped\n"));
    CHECK(ids_in(db) == std::set<std::string>{"good.txt"});

    Run direct = index(db, {(docs / "loop1.txt").string()});
    CHECK(direct.exit_code == 2);
    CHECK(contains(direct.err, "loop1.txt: Too many levels of symbolic links"));
}

TEST_CASE("unreadable files and folders are skipped with the reason", "[hostile]") {
    TempDir dir;
    auto docs = dir.path() / "docs";
    dir.write("docs/good.txt", "Bon\nTexte lisible.\n");
    dir.write("docs/secret.txt", "Secret\nTexte cache.\n");
    dir.write("docs/locked/inside.txt", "Dedans\nTexte enferme.\n");
    fs::permissions(docs / "secret.txt", fs::perms::none);
    fs::permissions(docs / "locked", fs::perms::none);
    ProcessOptions options;
    if (::geteuid() == 0) {
        // Root reads whatever the permissions say; without these two capabilities it cannot.
        if (::prctl(PR_CAPBSET_READ, CAP_SETPCAP, 0, 0, 0) != 1) {
            return trouvere::testing::skip(
                "running as root without CAP_SETPCAP, so permissions cannot be made to bind");
        }
        options.without_read_override = true;
    }
    auto db = dir.path() / "db";
    Run result = index(db, {docs.string()}, options);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err, "docs/secret.txt: cannot read file: Permission denied; skipped\n"));
    CHECK(contains(result.err, "docs/locked: cannot read folder: Permission denied; skipped\n"));
    CHECK(ids_in(db) == std::set<std::string>{"good.txt"});

    // The folder given itself.
    Run locked = index(db, {(docs / "locked").string()}, options);
    CHECK(locked.exit_code == 1);
    CHECK(contains(locked.err, "docs/locked: cannot read folder: Permission denied; skipped\n"));
    fs::permissions(docs / "locked", fs::perms::owner_all);
}

TEST_CASE("a file that vanishes, changes or becomes a FIFO after listing is handled", "[hostile]") {
    TempDir dir;
    auto docs = dir.path() / "docs";
    dir.write("docs/a.txt", "Premier\nTexte un.\n");
    dir.write("docs/b.txt", "Second\nAncien texte.\n");
    dir.write("docs/c.txt", "Troisieme\nTexte trois.\n");
    dir.write("docs/d.txt", "Quatrieme\nTexte quatre.\n");
    auto db = dir.path() / "db";
    {
        trouvere::IndexWriter writer(db.string(), 1);
        trouvere::IndexOptions options;
        // Files are listed before any is read, in name order: after a.txt is indexed, the others
        // have been listed and not yet read.
        options.on_progress = [&](const trouvere::IndexProgress& progress) {
            if (progress.files_seen != 1) return;
            std::ofstream(docs / "b.txt", std::ios::trunc) << "Second\nNouveau texte.\n";
            fs::remove(docs / "c.txt");
            fs::remove(docs / "d.txt");
            REQUIRE(::mkfifo((docs / "d.txt").c_str(), 0644) == 0);
        };
        auto report = trouvere::index_paths(writer, {docs.string()}, options);
        writer.commit();
        std::set<std::string> warnings;
        for (const auto& warning : report.warnings) {
            warnings.insert(warning.file + ": " + warning.message);
        }
        CHECK(warnings == std::set<std::string>{
                              docs.string() + "/c.txt: cannot read file: No such file or directory",
                              docs.string() + "/d.txt: cannot read file: not a regular file"});
        CHECK(report.skipped == 2);
        CHECK(report.added == 2);
    }
    CHECK(ids_in(db) == std::set<std::string>{"a.txt", "b.txt"});
    trouvere::Searcher searcher(db.string());
    CHECK(searcher.search("nouveau").hits.size() == 1);
    CHECK(searcher.search("ancien").hits.empty());
}

TEST_CASE("an empty corpus is reported with exit status 1", "[hostile]") {
    TempDir dir;
    fs::create_directories(dir.path() / "empty");
    dir.write("others/notes.pdf", "%PDF");
    auto db = dir.path() / "db";
    for (const char* folder : {"empty", "others"}) {
        INFO(folder);
        Run result = index(db, {(dir.path() / folder).string()});
        CHECK(result.exit_code == 1);
        CHECK(contains(result.err,
                       "search-index: no .txt, .md, .markdown, .html, .htm or .jsonl "
                       "file to index in the paths given\n"));
        CHECK(contains(result.out, "0 added"));
    }
    Run searched = search(db, {"rien"});
    CHECK(searched.exit_code == 1);
    CHECK(contains(searched.err, "no match for rien"));
}

// ---- Full disk
// ------------------------------------------------------------------------------------

TEST_CASE("a disk that fills during a run leaves the database as it was", "[hostile]") {
    TempDir dir;
    auto db = dir.path() / "db";
    // Many distinct words, so that the update needs far more room than the limit leaves.
    std::string many = "Titre\n";
    for (int i = 0; i < 100'000; ++i) many += "mot" + std::to_string(i) + "x ";
    dir.write("more/many.txt", many);
    // Thousands of documents, for runs that commit several times before the limit is met.
    // Xapian 1.4.22 calls std::terminate when such a commit fails while writing position lists;
    // search-index reports it as a database error (end_after_unrecoverable_error) instead.
    std::string lines;
    for (int i = 0; i < 4'000; ++i) {
        lines += R"({"id":"d)" + std::to_string(i) + R"(","body":"mot)" + std::to_string(i) +
                 "y terme" + std::to_string(i * 7) + "z\"}\n";
    }
    dir.write("feed/feed.jsonl", lines);
    // A first build that failed leaves an empty database, and nothing of the build beside it but
    // our lock file.
    auto check_failed_first_build = [&](const Run& result) {
        INFO(result.err);
        CHECK(result.exit_code == 2);
        CHECK(contains(result.err, "(File too large)"));
        CHECK(contains(result.err, "the database keeps what this run committed"));
        CHECK(ids_in(db).empty());
        check_database_is_consistent(db);
        for (const auto& entry : fs::directory_iterator(dir.path())) {
            const std::string name = entry.path().filename().string();
            CHECK((name == "db" || name == "db.lock" || name == "more" || name == "feed"));
        }
    };

    SECTION("an update of an existing database") {
        REQUIRE(index(db, {trouvere::testing::corpus_dir().string()}).exit_code == 0);
        std::set<std::string> before = ids_in(db);
        REQUIRE(before.size() == 5);
        std::uintmax_t largest = 0;
        for (const auto& entry : fs::directory_iterator(db)) {
            largest = std::max(largest, entry.file_size());
        }
        ProcessOptions options;
        options.max_file_bytes = largest + std::uint64_t{64} * 1024;
        Run result = index(db, {(dir.path() / "more").string()}, options);
        INFO(result.err);
        CHECK(result.exit_code == 2);
        CHECK(contains(result.err, "(File too large)"));
        // The one file is one document, in the run's first and only commit.
        CHECK(contains(result.err,
                       "search-index: the database keeps what this run committed before the "
                       "error, and nothing after; running it again finishes the job\n"));
        CHECK(ids_in(db) == before);
        check_database_is_consistent(db);
        CHECK(hit_ids(db, "Kidal").size() == 2);
        CHECK(hit_ids(db, "mot5x").empty());
        // With room again, the same run succeeds.
        CHECK(index(db, {(dir.path() / "more").string()}).exit_code == 0);
        CHECK(hit_ids(db, "mot5x") == std::set<std::string>{"many.txt"});
    }
    SECTION("an update that fills the disk at one of its intermediate commits") {
        REQUIRE(index(db, {trouvere::testing::corpus_dir().string()}).exit_code == 0);
        std::set<std::string> before = ids_in(db);
        for (std::uint64_t kib : {512, 1024}) {
            INFO("limit " << kib << " KiB");
            ProcessOptions options;
            options.max_file_bytes = kib * 1024;
            Run result =
                index(db, {"--commit-every", "500", (dir.path() / "feed").string()}, options);
            INFO(result.err);
            CHECK(result.exit_code == 2);
            CHECK(contains(result.err, "(File too large)"));
            CHECK(contains(result.err, "the database keeps what this run committed"));
            // What the run committed before the limit stays, in whole commits.
            std::set<std::string> after = ids_in(db);
            CHECK(std::includes(after.begin(), after.end(), before.begin(), before.end()));
            CHECK((after.size() - before.size()) % 500 == 0);
            check_database_is_consistent(db);
        }
        CHECK(index(db, {(dir.path() / "feed").string()}).exit_code == 0);
        CHECK(ids_in(db).size() == before.size() + 4'000);
    }
    SECTION("a first build into a new database") {
        // Each limit stops the build at another step: writing a shard, committing it (where
        // Xapian aborted the process when a second shard was left with changes pending; fixed
        // in BulkBuild::discard_pending_changes), or merging.
        for (std::uint64_t kib : {16, 32, 64, 128, 256}) {
            INFO("limit " << kib << " KiB");
            ProcessOptions options;
            options.max_file_bytes = kib * 1024;
            Run result = index(
                db, {(dir.path() / "more").string(), trouvere::testing::corpus_dir().string()},
                options);
            check_failed_first_build(result);
            Run searched = search(db, {"Kidal"});
            CHECK(searched.exit_code == 1);
        }
    }
    SECTION("a first build that fills the disk while its shards commit part-way") {
        // The shards commit every few hundred documents, and these commits are what meets the
        // limit here.
        for (std::uint64_t kib : {256, 384, 512}) {
            INFO("limit " << kib << " KiB");
            ProcessOptions options;
            options.max_file_bytes = kib * 1024;
            Run result = index(db, {(dir.path() / "feed").string()}, options);
            check_failed_first_build(result);
        }
        CHECK(index(db, {(dir.path() / "feed").string()}).exit_code == 0);
        CHECK(ids_in(db).size() == 4'000);
    }
}

// Found by clang-tidy (bugprone-exception-escape): main caught only trouvere::Error, so a
// std::bad_alloc ended search-index with an abort (SIGABRT, exit status 134) and no message.
TEST_CASE("regression: search-index out of memory reports it and exits 2, database intact",
          "[hostile][cli]") {
    if (kSanitized) {
        return trouvere::testing::skip(
            "AddressSanitizer reserves far more address space than the limit set here");
    }
    TempDir dir;
    auto db = dir.path() / "db";
    REQUIRE(index(db, {trouvere::testing::corpus_dir().string()}).exit_code == 0);
    std::set<std::string> before = ids_in(db);
    // A JSON Lines file under its size limit is read whole: 250 MB, sparse so that the disk need
    // not hold it, cannot be allocated within a 256 MB address space.
    fs::path big = dir.write("big.jsonl", "");
    fs::resize_file(big, 250 * limits::kMiB);
    ProcessOptions options;
    options.max_address_space = 256 * limits::kMiB;
    Run result = index(db, {big.string()}, options);
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, "search-index: std::bad_alloc\n"));
    CHECK(contains(result.err, "the database keeps what this run committed"));
    CHECK(ids_in(db) == before);
    check_database_is_consistent(db);
}

// ---- Queries ------------------------------------------------------------------------------------

TEST_CASE(
    "queries over 10,000 bytes or 1024 words are refused, and below the limits time stays bounded",
    "[hostile]") {
    TempDir dir;
    auto db = dir.path() / "db";
    REQUIRE(index(db, {trouvere::testing::corpus_dir().string()}).exit_code == 0);

    std::string huge;
    while (huge.size() < 100'000) huge += "Kidal ";
    Run too_long = search(db, {huge});
    CHECK(too_long.exit_code == 2);
    CHECK(too_long.err == "search: query of " + std::to_string(huge.size()) +
                              " bytes is longer than the limit of 10000\n");

    // 10,000 terms cannot fit in 10,000 bytes; 1025 short ones can.
    std::string words;
    for (std::size_t i = 0; i < 10'000; ++i) words += "m" + std::to_string(i) + " ";
    CHECK(search(db, {words}).exit_code == 2);
    std::string over;
    for (std::size_t i = 0; i <= limits::kMaxQueryTerms; ++i) over += "m" + std::to_string(i) + " ";
    REQUIRE(over.size() < limits::kMaxQueryBytes);
    Run too_many = search(db, {over});
    CHECK(too_many.exit_code == 2);
    CHECK(too_many.err == "search: query has more than 1024 words\n");
    std::string phrase = "\"" + over + "\"";
    CHECK(search(db, {phrase}).err == "search: query has more than 1024 words\n");

    // Just under both limits: answered, in bounded time and memory.
    std::string at_limit = "Kidal";
    for (std::size_t i = 1; i < limits::kMaxQueryTerms; ++i)
        at_limit += " OR m" + std::to_string(i);
    REQUIRE(at_limit.size() <= limits::kMaxQueryBytes);
    Run answered = search(db, {at_limit});
    CHECK(answered.exit_code == 0);
    CHECK(answered.max_rss_kib < (kSanitized ? 1024L : 256L) * 1024);

    // The longest query costs the command a small multiple of the shortest (the least CPU time
    // of three runs each, start-up included): a user waits for it no longer than for a few
    // queries of one word.
    auto least_cpu_seconds_of = [&](const std::string& query) {
        double least = 0;
        for (int run = 0; run < 3; ++run) {
            Run result = search(db, {query});
            REQUIRE(result.exit_code == 0);
            least = run == 0 ? result.cpu_seconds : std::min(least, result.cpu_seconds);
        }
        return least;
    };
    const double longest = least_cpu_seconds_of(at_limit);
    const double shortest = least_cpu_seconds_of("Kidal");
    INFO("a query of 1024 words: " << longest << " s of CPU; of one word: " << shortest << " s");
    CHECK(longest < 30 * shortest);

    trouvere::Searcher searcher(db.string());
    CHECK_THROWS_AS(searcher.search(huge), trouvere::QueryError);
    CHECK_THROWS_AS(searcher.search(over), trouvere::QueryError);
}
