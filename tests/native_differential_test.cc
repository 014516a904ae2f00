// The native engine against Xapian, through Searcher with each engine forced: every query of
// bench/queries.tsv and thousands of generated ones (frequent and rare words, accents, elisions,
// phrases with stopwords, title:, +, -, OR, parentheses, offsets and limits, date and source
// filters, date orders and facets) must give the same hits in the same order, the same scores,
// the same snippets, the same fallback, the same suggestion (queries are misspelt at random for
// it), and the same count where the native engine counted every match.
//
// CI runs it on the bundled articles and on a generated corpus. The long form runs it on any
// JSON Lines corpus, as docs/TESTING.md says: TROUVERE_DIFFERENTIAL_CORPUS names the file,
// TROUVERE_DIFFERENTIAL_QUERIES the number of generated queries (20,000 by default), and the
// test is trouvere_tests "[.native-long]"; "[.native-long-generated]" runs it on a generated corpus
// of TROUVERE_DIFFERENTIAL_DOCUMENTS documents (20,000 by default).

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/native_corpus.h"
#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace {

namespace fs = std::filesystem;
using trouvere::SearchEngine;
using trouvere::SearchOptions;
using trouvere::SearchResults;
using trouvere::testing::TempDir;

struct Outcome {
    std::optional<SearchResults> results;
    std::string error;  // the QueryError's message when the query is refused
};

Outcome run(trouvere::Searcher& searcher, const std::string& query, SearchOptions options,
            SearchEngine engine) {
    options.engine = engine;
    try {
        return {searcher.search(query, options), {}};
    } catch (const trouvere::QueryError& error) {
        return {std::nullopt, error.what()};
    }
}

struct Tally {
    std::size_t queries = 0;
    std::size_t hits = 0;
    std::size_t tied_groups = 0;
    std::size_t suggestions = 0;
};

// Hits `begin` to `end` have scores equal to the tolerance: they may come in another order.
void compare_group(const SearchResults& xapian, const SearchResults& native, std::size_t begin,
                   std::size_t end, bool whole) {
    std::map<std::string, std::string> expected;
    std::map<std::string, std::string> got;
    for (std::size_t k = begin; k < end; ++k) {
        expected[xapian.hits[k].id] = to_html(xapian.hits[k].snippet);
        got[native.hits[k].id] = to_html(native.hits[k].snippet);
    }
    // A group cut by the page may show other members of the tie in each engine.
    if (whole) {
        REQUIRE(got.size() == expected.size());
        for (const auto& [id, snippet] : expected) REQUIRE(got.count(id) == 1);
    }
    for (const auto& [id, snippet] : expected) {
        INFO("document " << id);
        if (got.count(id) == 1) REQUIRE(got[id] == snippet);
    }
}

void compare(trouvere::Searcher& searcher, const std::string& query, const SearchOptions& options,
             Tally& tally) {
    INFO("query: " << query << " (offset " << options.offset << ", limit " << options.limit
                   << ", snippets " << options.snippets << " of " << options.snippet_chars
                   << ", count at least " << options.count_at_least << ", sort "
                   << static_cast<int>(options.sort) << ", since '" << options.since << "', until '"
                   << options.until << "', source '" << options.source << "', "
                   << options.facets.size() << " facets)");
    const Outcome xapian = run(searcher, query, options, SearchEngine::xapian);
    const Outcome native = run(searcher, query, options, SearchEngine::native);
    REQUIRE(native.error == xapian.error);
    ++tally.queries;
    if (!xapian.results) return;
    const SearchResults& expected = *xapian.results;
    const SearchResults& got = *native.results;
    REQUIRE(expected.engine == "xapian");
    REQUIRE(got.engine == "native");
    REQUIRE(got.fell_back_to_any_word == expected.fell_back_to_any_word);
    REQUIRE(got.suggestion == expected.suggestion);
    if (expected.suggestion) ++tally.suggestions;
    REQUIRE(got.warnings == expected.warnings);
    REQUIRE(got.hits.size() == expected.hits.size());
    REQUIRE(got.facets == expected.facets);
    REQUIRE(expected.total_exact);
    if (got.total_exact) REQUIRE(got.total_estimate == expected.total_estimate);
    tally.hits += got.hits.size();
    for (std::size_t k = 0; k < got.hits.size(); ++k) {
        INFO("rank " << expected.hits[k].rank << ": Xapian " << expected.hits[k].id << " "
                     << expected.hits[k].score << ", native " << got.hits[k].id << " "
                     << got.hits[k].score);
        REQUIRE(got.hits[k].rank == expected.hits[k].rank);
        REQUIRE(got.hits[k].date == expected.hits[k].date);
        REQUIRE(trouvere::testing::scores_agree(got.hits[k].score, expected.hits[k].score));
    }
    // Identical ids in order, except among equal scores (of the same date, under a date order),
    // where the same set.
    const bool page_holds_the_rest = expected.hits.size() < options.limit;
    const bool by_date = options.sort != trouvere::SortOrder::relevance;
    for (std::size_t begin = 0; begin < got.hits.size();) {
        std::size_t end = begin + 1;
        while (end < got.hits.size() &&
               trouvere::testing::scores_agree(expected.hits[end].score,
                                               expected.hits[end - 1].score) &&
               (!by_date || expected.hits[end].date == expected.hits[end - 1].date)) {
            ++end;
        }
        if (end - begin == 1) {
            INFO("rank " << expected.hits[begin].rank);
            REQUIRE(got.hits[begin].id == expected.hits[begin].id);
            REQUIRE(to_html(got.hits[begin].snippet) == to_html(expected.hits[begin].snippet));
            REQUIRE(got.hits[begin].title == expected.hits[begin].title);
        } else {
            ++tally.tied_groups;
            const bool whole = (begin > 0 || options.offset == 0) &&
                               (end < got.hits.size() || page_holds_the_rest);
            compare_group(expected, got, begin, end, whole);
        }
        begin = end;
    }
}

// Options as a user would vary them: mostly the first page, sometimes a later one.
SearchOptions random_options(trouvere::testing::QueryGenerator& generator) {
    SearchOptions options;
    options.limit = 1 + generator.roll(25);
    options.offset = generator.roll(10) < 7 ? 0 : 1 + generator.roll(30);
    options.snippets = generator.roll(8) != 0;
    const std::size_t lengths[] = {40, 120, 200, 400};
    options.snippet_chars = lengths[generator.roll(4)];
    // Leaving out documents from the first match on, after a few, after the default thousand,
    // or never.
    const std::size_t counts[] = {0, 10, 1000, SIZE_MAX};
    options.count_at_least = counts[generator.roll(4)];
    const trouvere::SortOrder orders[] = {trouvere::SortOrder::relevance,
                                          trouvere::SortOrder::newest, trouvere::SortOrder::oldest};
    options.sort = generator.roll(4) == 0 ? orders[1 + generator.roll(2)] : orders[0];
    // The generated corpora are dated in 2024, from January to September.
    const char* const bounds[] = {"", "", "", "", "2024-03", "2024-06-15", "2024", "2023"};
    options.since = bounds[generator.roll(8)];
    options.until = bounds[generator.roll(8)];
    // The generated corpora's sources are "source 0" to "source 4"; no document has the last.
    const char* const sources[] = {"source 0", "source 3", "source 9"};
    if (generator.roll(5) == 0) options.source = sources[generator.roll(3)];
    if (generator.roll(4) == 0) options.facets.push_back(trouvere::Facet::year);
    if (generator.roll(4) == 0) options.facets.push_back(trouvere::Facet::source);
    return options;
}

// `query` with, one time in four, a date filter beside it or excluded, some of them malformed so
// that both engines refuse them alike. Not inside an OR: there Xapian 1.4.22 can add the weight
// of a phrase that does not occur (docs/DESIGN.md, "The native index").
std::string with_dates(std::string query, trouvere::testing::QueryGenerator& generator) {
    if (generator.roll(4) != 0) return query;
    const char* const filters[] = {
        "date:2024",       "date:2024-03",      "date:2024-03-15", "date:2024-02..2024-05",
        "date:2024-06..",  "date:..2024-04-12", "date:2023",       "date:2024-13",
        "date:2024-02-30", "date:hier",         "date:2024..2023"};
    std::string filter = filters[generator.roll(std::size(filters))];
    switch (generator.roll(3)) {
        case 0: return filter + " " + query;
        case 1: return query + " -" + filter;
        default: return filter;
    }
}

// `query` with, one time in three, one or two of its lower-case letters misspelt: a letter
// inserted, dropped, replaced or swapped with the next, so that both engines are asked for
// suggestions. Operators and field names may be misspelt too: they become words.
std::string with_misspelling(std::string query, trouvere::testing::QueryGenerator& generator) {
    if (generator.roll(3) != 0) return query;
    static constexpr std::string_view kLetters[] = {"a", "e", "i", "n", "o", "r", "s",
                                                    "t", "u", "é", "è", "à", "ç"};
    for (std::size_t edits = 1 + generator.roll(2); edits > 0; --edits) {
        std::vector<std::size_t> letters;
        for (std::size_t at = 0; at < query.size(); ++at) {
            if (query[at] >= 'a' && query[at] <= 'z') letters.push_back(at);
        }
        if (letters.empty()) return query;
        const std::size_t at = letters[generator.roll(letters.size())];
        const std::string_view letter = kLetters[generator.roll(std::size(kLetters))];
        switch (generator.roll(4)) {
            case 0: query.insert(at, letter); break;
            case 1: query.erase(at, 1); break;
            case 2: query.replace(at, 1, letter); break;
            default:
                if (at + 1 < query.size() && query[at + 1] >= 'a' && query[at + 1] <= 'z') {
                    std::swap(query[at], query[at + 1]);
                }
        }
    }
    return query;
}

Tally compare_engines(const std::string& db, const std::vector<std::string>& texts,
                      std::size_t generated, unsigned seed) {
    trouvere::Searcher searcher(db);
    // The native index must be there and current, or every search below would throw.
    REQUIRE(searcher.search("de", {.engine = SearchEngine::native}).engine == "native");
    Tally tally;
    trouvere::testing::QueryGenerator generator(texts, seed);
    for (const std::string& query : trouvere::testing::benchmark_queries()) {
        compare(searcher, query, SearchOptions{}, tally);
        compare(searcher, with_dates(query, generator), random_options(generator), tally);
    }
    for (std::size_t n = 0; n < generated; ++n) {
        compare(searcher, with_misspelling(with_dates(generator.next(), generator), generator),
                random_options(generator), tally);
    }
    return tally;
}

std::size_t environment_number(const char* name, std::size_t fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::stoul(value) : fallback;
}

// A generated corpus written in two commits, the second removing every 13th document and
// replacing every 17th, so that docids have holes and lengths changed; returns each document's
// text for the query generator.
std::vector<std::string> index_generated_corpus_with_holes(const std::string& db,
                                                           std::size_t count) {
    const auto documents =
        trouvere::testing::write_with_holes(db, trouvere::testing::generated_documents(43, count),
                                            {.remove_every = 13, .replace_every = 17});
    std::vector<std::string> texts;
    texts.reserve(documents.size());
    for (const auto& document : documents) texts.push_back(document.title + " " + document.body);
    return texts;
}

// Fewer queries where every instruction is instrumented, to stay within CI's minute.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kScale = 4;
#else
constexpr std::size_t kScale = 1;
#endif

}  // namespace

TEST_CASE("native engine answers as Xapian on the bundled articles", "[native][search]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    trouvere::IndexWriter writer(db);
    (void)trouvere::index_paths(writer, {trouvere::testing::corpus_dir().string()});
    writer.commit();
    REQUIRE(writer.update_native_index());
    std::vector<std::string> texts;
    for (const auto& entry : fs::directory_iterator(trouvere::testing::corpus_dir())) {
        texts.push_back(trouvere::testing::read_file(entry.path()));
    }
    const Tally tally = compare_engines(db, texts, 4000 / kScale, 31);
    WARN("bundled articles: " << tally.queries << " queries, " << tally.hits << " hits, "
                              << tally.tied_groups << " groups of equal scores, "
                              << tally.suggestions << " suggestions");
    CHECK(tally.suggestions > 0);
}

TEST_CASE("native engine answers as Xapian on a generated corpus with holes in its docids",
          "[native][search]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const std::vector<std::string> texts = index_generated_corpus_with_holes(db, 700);
    const Tally tally = compare_engines(db, texts, 6000 / kScale, 47);
    WARN("generated corpus: " << tally.queries << " queries, " << tally.hits << " hits, "
                              << tally.tied_groups << " groups of equal scores, "
                              << tally.suggestions << " suggestions");
    CHECK(tally.suggestions > 0);
}

TEST_CASE("native engine answers as Xapian on a JSON Lines corpus", "[.native-long]") {
    const char* corpus = std::getenv("TROUVERE_DIFFERENTIAL_CORPUS");
    REQUIRE(corpus != nullptr);
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    trouvere::IndexWriter writer(db);
    (void)trouvere::index_paths(writer, {corpus});
    writer.commit();
    REQUIRE(writer.update_native_index());
    std::vector<std::string> texts;
    std::ifstream in(corpus);
    for (std::string line; std::getline(in, line);) {
        const auto record = nlohmann::json::parse(line, nullptr, false);
        if (record.is_object()) {
            texts.push_back(record.value("title", "") + " " + record.value("body", ""));
        }
    }
    const Tally tally =
        compare_engines(db, texts, environment_number("TROUVERE_DIFFERENTIAL_QUERIES", 20000), 53);
    WARN(corpus << ": " << tally.queries << " queries, " << tally.hits << " hits, "
                << tally.tied_groups << " groups of equal scores, " << tally.suggestions
                << " suggestions");
}

TEST_CASE("native engine answers as Xapian on a large generated corpus with holes in its docids",
          "[.native-long-generated]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const std::size_t documents = environment_number("TROUVERE_DIFFERENTIAL_DOCUMENTS", 20000);
    const std::vector<std::string> texts = index_generated_corpus_with_holes(db, documents);
    const Tally tally =
        compare_engines(db, texts, environment_number("TROUVERE_DIFFERENTIAL_QUERIES", 20000), 59);
    WARN(documents << " generated documents: " << tally.queries << " queries, " << tally.hits
                   << " hits, " << tally.tied_groups << " groups of equal scores, "
                   << tally.suggestions << " suggestions");
}
