// Clusters: a corpus split by search-index --shard into three databases, each served by a real
// xapian-tcpsrv on a loopback port, searched through a cluster file, against the same corpus
// indexed into one database. Same hits and scores, the same snippets, counts, facets and
// suggestions; among equal scores, the same documents, in the order of the stable key (README,
// "Shards").

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/term_scheme.h"
#include "native/word_terms.h"
#include "tests/native_corpus.h"
#include "tests/serve_support.h"
#include "tests/shard_support.h"
#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/searcher.h"

namespace {

namespace fs = std::filesystem;
using trouvere::SearchOptions;
using trouvere::SearchResults;
using trouvere::SortOrder;
using trouvere::testing::run_process;
using trouvere::testing::ShardServer;
using trouvere::testing::TempDir;

const std::string kSearch = TROUVERE_SEARCH_BIN;
const std::string kSearchIndex = TROUVERE_SEARCH_INDEX_BIN;
constexpr int kShards = 3;
// Enough for a run of equal scores longer than the cluster reads past a page of one to order it
// (eight pages).
constexpr int kTwins = 20;

// The order the cluster puts documents of equal score in: by the stored header, which starts
// with the id's length (one byte below 128) and then the id.
bool before_in_key_order(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// The generated corpus as JSON Lines, with kTwins copies of one document under other ids, whose
// scores tie with it exactly on every query.
std::vector<trouvere::Document> write_corpus(const fs::path& file) {
    std::vector<trouvere::Document> documents = trouvere::testing::generated_documents(61, 600);
    for (int copy = 0; copy < kTwins; ++copy) {
        trouvere::Document twin = documents[7];
        twin.id = "twin-" + std::to_string(copy * 37);
        documents.push_back(std::move(twin));
    }
    std::ofstream out(file);
    for (const trouvere::Document& document : documents) {
        nlohmann::json record{
            {"id", document.id}, {"title", document.title}, {"body", document.body}};
        if (!document.date.empty()) record["date"] = document.date;
        if (!document.source.empty()) record["source"] = document.source;
        out << record.dump() << '\n';
    }
    return documents;
}

// The corpus in one database and in three shards, each served by xapian-tcpsrv, built once per
// process by the real indexer.
struct Cluster {
    Cluster() {
        const fs::path corpus = dir.path() / "corpus.jsonl";
        for (const auto& document : write_corpus(corpus)) {
            texts.push_back(document.title + " " + document.body);
        }
        single = (dir.path() / "single").string();
        REQUIRE(run_process(kSearchIndex, {"-q", "--db", single, corpus.string()}).exit_code == 0);
        std::vector<std::string> lines;
        for (int shard = 1; shard <= kShards; ++shard) {
            const fs::path db = dir.path() / ("shard" + std::to_string(shard));
            const std::string part = std::to_string(shard) + "/" + std::to_string(kShards);
            REQUIRE(run_process(kSearchIndex,
                                {"-q", "--shard", part, "--db", db.string(), corpus.string()})
                        .exit_code == 0);
            shards.push_back(db);
            servers.push_back(std::make_unique<ShardServer>(db));
            lines.push_back(servers.back()->stub_line());
        }
        file = trouvere::testing::write_cluster_file(dir.path() / "cluster.stub", lines).string();
    }

    TempDir dir;
    std::vector<std::string> texts;
    std::string single;
    std::vector<fs::path> shards;
    std::vector<std::unique_ptr<ShardServer>> servers;
    std::string file;
};

Cluster& cluster() {
    static Cluster made;
    return made;
}

struct Tally {
    std::size_t queries = 0;
    std::size_t hits = 0;
    std::size_t tied_groups = 0;
    std::size_t suggestions = 0;
};

// Throws what the search throws but a QueryError, whose message it gives instead.
struct Outcome {
    std::optional<SearchResults> results;
    std::string error;
};

Outcome run(trouvere::Searcher& searcher, const std::string& query, const SearchOptions& options) {
    try {
        return {searcher.search(query, options), {}};
    } catch (const trouvere::QueryError& error) {
        return {std::nullopt, error.what()};
    }
}

// Whether hits `a` and `b` rank alike: equal scores, and under a date order the same day.
bool tied(const trouvere::Hit& a, const trouvere::Hit& b, bool by_date, bool exactly) {
    return (exactly ? a.score == b.score : trouvere::testing::scores_agree(a.score, b.score)) &&
           (!by_date || a.date == b.date);
}

// The cluster's answer against the single database's: the same, hit by hit where scores
// differ, as sets within a run of equal scores; and the cluster's ties in key order.
void compare(const SearchResults& single, const SearchResults& got, const SearchOptions& options,
             Tally& tally) {
    REQUIRE(got.engine == "xapian");
    REQUIRE(got.fell_back_to_any_word == single.fell_back_to_any_word);
    REQUIRE(got.suggestion == single.suggestion);
    if (single.suggestion) ++tally.suggestions;
    REQUIRE(got.warnings == single.warnings);
    REQUIRE(got.total_estimate == single.total_estimate);
    REQUIRE(got.total_exact == single.total_exact);
    REQUIRE(got.facets == single.facets);
    REQUIRE(got.hits.size() == single.hits.size());
    tally.hits += got.hits.size();
    const bool by_date = options.sort != SortOrder::relevance;
    std::map<std::string, const trouvere::Hit*> expected;
    for (const trouvere::Hit& hit : single.hits) expected[hit.id] = &hit;
    for (std::size_t k = 0; k < got.hits.size(); ++k) {
        const trouvere::Hit& hit = got.hits[k];
        INFO("rank " << hit.rank << ": single " << single.hits[k].id << " " << single.hits[k].score
                     << ", cluster " << hit.id << " " << hit.score);
        REQUIRE(hit.rank == single.hits[k].rank);
        REQUIRE(trouvere::testing::scores_agree(hit.score, single.hits[k].score));
        if (k > 0 && tied(got.hits[k - 1], hit, by_date, true)) {
            REQUIRE(before_in_key_order(got.hits[k - 1].id, hit.id));
        }
    }
    // A run of ties cut by the page may show other members of it in each.
    const bool page_holds_the_rest = single.hits.size() < options.limit;
    for (std::size_t begin = 0; begin < got.hits.size();) {
        std::size_t end = begin + 1;
        while (end < got.hits.size() &&
               tied(single.hits[end - 1], single.hits[end], by_date, false)) {
            ++end;
        }
        if (end - begin > 1) ++tally.tied_groups;
        const bool whole =
            (begin > 0 || options.offset == 0) && (end < got.hits.size() || page_holds_the_rest);
        std::set<std::string> want;
        std::set<std::string> have;
        for (std::size_t k = begin; k < end; ++k) {
            want.insert(single.hits[k].id);
            have.insert(got.hits[k].id);
        }
        if (whole) REQUIRE(have == want);
        for (std::size_t k = begin; k < end; ++k) {
            const auto same = expected.find(got.hits[k].id);
            if (same == expected.end()) continue;
            INFO("document " << got.hits[k].id);
            const trouvere::Hit& wanted = *same->second;
            REQUIRE(got.hits[k].title == wanted.title);
            REQUIRE(got.hits[k].date == wanted.date);
            REQUIRE(got.hits[k].source == wanted.source);
            REQUIRE(to_html(got.hits[k].snippet) == to_html(wanted.snippet));
        }
        begin = end;
    }
}

// The page `options` asks for is the slice of the cluster's whole answer: paging is stable.
void compare_page_with_whole(trouvere::Searcher& searcher, const std::string& query,
                             const SearchResults& page, SearchOptions options) {
    options.offset = 0;
    options.limit = trouvere::kMaxSearchLimit;
    options.snippets = false;
    const SearchResults whole = searcher.search(query, options);
    for (const trouvere::Hit& hit : page.hits) {
        REQUIRE(hit.rank <= whole.hits.size());
        REQUIRE(whole.hits[hit.rank - 1].id == hit.id);
    }
}

SearchOptions random_options(trouvere::testing::QueryGenerator& generator) {
    SearchOptions options;
    options.limit = generator.roll(5) == 0 ? 1000 : 1 + generator.roll(20);
    options.offset = generator.roll(3) == 0 ? generator.roll(40) : 0;
    options.snippets = generator.roll(6) != 0;
    const SortOrder orders[] = {SortOrder::relevance, SortOrder::newest, SortOrder::oldest};
    options.sort = orders[generator.roll(3)];
    // The corpus is dated from January to September 2024.
    const char* const bounds[] = {"", "", "", "", "2024-03", "2024-06-15", "2024"};
    options.since = bounds[generator.roll(std::size(bounds))];
    options.until = bounds[generator.roll(std::size(bounds))];
    if (generator.roll(8) == 0) options.source = "source " + std::to_string(generator.roll(5));
    if (generator.roll(3) == 0) options.facets.push_back(trouvere::Facet::year);
    if (generator.roll(3) == 0) options.facets.push_back(trouvere::Facet::source);
    return options;
}

// `query`, one time in four with a letter dropped or doubled, so that both are asked for
// suggestions, or with a date filter beside it.
std::string varied(std::string query, trouvere::testing::QueryGenerator& generator) {
    switch (generator.roll(8)) {
        case 0:
            if (query.size() > 3) query.erase(1 + generator.roll(query.size() - 2), 1);
            return query;
        case 1: return query + query.substr(query.size() / 2, 1);
        case 2: return query + " date:2024-0" + std::to_string(1 + generator.roll(9));
        default: return query;
    }
}

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kGeneratedQueries = 150;
#else
constexpr std::size_t kGeneratedQueries = 600;
#endif

}  // namespace

TEST_CASE("a cluster of shards served over TCP answers as one database holding every document",
          "[cluster][search]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    trouvere::Searcher single(shards.single);
    trouvere::Searcher searcher(shards.file);
    trouvere::testing::QueryGenerator generator(shards.texts, 71);
    Tally tally;
    std::vector<std::pair<std::string, SearchOptions>> cases;
    for (const std::string& query : trouvere::testing::benchmark_queries())
        cases.emplace_back(query, SearchOptions{});
    for (std::size_t n = 0; n < kGeneratedQueries; ++n) {
        std::string query = varied(generator.next(), generator);
        cases.emplace_back(std::move(query), random_options(generator));
    }
    for (auto& [query, options] : cases) {
        INFO("query: " << query << " (offset " << options.offset << ", limit " << options.limit
                       << ", sort " << static_cast<int>(options.sort) << ", since '"
                       << options.since << "', until '" << options.until << "')");
        SearchOptions on_xapian = options;
        on_xapian.engine = trouvere::SearchEngine::xapian;
        const Outcome expected = run(single, query, on_xapian);
        const Outcome got = run(searcher, query, options);
        REQUIRE(got.error == expected.error);
        ++tally.queries;
        if (!expected.results) continue;
        compare(*expected.results, *got.results, options, tally);
        compare_page_with_whole(searcher, query, *got.results, options);
    }
    WARN("cluster of " << kShards << " shards: " << tally.queries << " queries, " << tally.hits
                       << " hits, " << tally.tied_groups << " groups of equal scores, "
                       << tally.suggestions << " suggestions");
    CHECK(tally.tied_groups > 0);
    CHECK(tally.suggestions > 0);
}

TEST_CASE(
    "a run of equal scores is paged in key order over a cluster, whether it ends within eight "
    "pages or is longer",
    "[cluster][search]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    trouvere::Searcher single(shards.single);
    trouvere::Searcher searcher(shards.file);
    const std::string query =
        "\"" + trouvere::testing::generated_documents(61, 600)[7].title + "\"";
    const auto whole = single.search(query, {.limit = 100});
    REQUIRE(whole.hits.size() >= kTwins + 1);
    std::vector<std::string> run;
    for (const trouvere::Hit& hit : whole.hits) {
        if (hit.score == whole.hits[0].score) run.push_back(hit.id);
    }
    REQUIRE(run.size() == kTwins + 1);
    std::sort(run.begin(), run.end(), before_in_key_order);
    // A page of one reads the match to 16 items, short of the run: the match orders it. A page
    // of three reads it to 32, past the run's end: its records order it.
    for (const std::size_t limit : {1, 3, 10}) {
        for (std::size_t offset = 0; offset < run.size(); offset += limit) {
            INFO("limit " << limit << ", offset " << offset);
            const auto page = searcher.search(query, {.limit = limit, .offset = offset});
            REQUIRE(page.total_estimate == whole.total_estimate);
            for (std::size_t k = 0; k < page.hits.size() && offset + k < run.size(); ++k) {
                CHECK(page.hits[k].id == run[offset + k]);
            }
        }
    }
}

TEST_CASE(
    "did you mean over a cluster reads the word terms its shards keep, or every word of a "
    "database that keeps none, with the same suggestions as one database",
    "[cluster][spelling]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    for (const fs::path& shard : shards.shards) {
        const Xapian::Database database(shard.string());
        CHECK(trouvere::native::decode_word_terms(
            database.get_metadata(std::string(trouvere::scheme::kWordTermsKey)), database));
    }
    // The single database, indexed without --shard, served as a cluster of one.
    const ShardServer whole(shards.single);
    TempDir dir;
    const std::string unkept =
        trouvere::testing::write_cluster_file(dir.path() / "whole.stub", {whole.stub_line()})
            .string();
    trouvere::Searcher single(shards.single);
    trouvere::Searcher kept_by_shards(shards.file);
    trouvere::Searcher read_word_by_word(unkept);
    trouvere::testing::QueryGenerator generator(shards.texts, 83);
    std::size_t suggestions = 0;
    for (int n = 0; n < 100; ++n) {
        std::string query = generator.next();
        if (query.size() < 5) continue;
        query.erase(1 + generator.roll(query.size() - 2), 1);
        INFO("query: " << query);
        const SearchOptions options{.limit = 1, .engine = trouvere::SearchEngine::xapian};
        const auto expected = run(single, query, options);
        if (!expected.results) continue;
        const auto kept = run(kept_by_shards, query, options);
        const auto word_by_word = run(read_word_by_word, query, options);
        REQUIRE(kept.results);
        REQUIRE(word_by_word.results);
        CHECK(kept.results->suggestion == expected.results->suggestion);
        CHECK(word_by_word.results->suggestion == expected.results->suggestion);
        if (expected.results->suggestion) ++suggestions;
    }
    WARN(suggestions << " suggestions alike");
    CHECK(suggestions > 10);
}

TEST_CASE("a cluster's documents are read by id from the shard holding them", "[cluster][search]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    trouvere::Searcher single(shards.single);
    trouvere::Searcher searcher(shards.file);
    CHECK(searcher.document_count() == single.document_count());
    CHECK(searcher.revision() == 0);
    for (const char* id : {"gen-0", "gen-7", "twin-37", "gen-599"}) {
        INFO(id);
        const auto expected = single.document(id);
        const auto got = searcher.document(id);
        REQUIRE(expected.has_value());
        REQUIRE(got.has_value());
        CHECK(got->title == expected->title);
        CHECK(got->body == expected->body);
        CHECK(got->date == expected->date);
    }
    CHECK_FALSE(searcher.document("gen-600").has_value());
}

TEST_CASE("a cluster is answered by Xapian: the native engine is refused with the reason",
          "[cluster][search]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    trouvere::Searcher searcher(cluster().file);
    const std::string reason =
        "a cluster of shards is answered by Xapian: the native index cannot be read over the "
        "network";
    CHECK(searcher.automatic_engine() == trouvere::SearchEngine::xapian);
    CHECK_THROWS_WITH(searcher.search("navire", {.engine = trouvere::SearchEngine::native}),
                      reason);
    const auto results = searcher.search("navire");
    CHECK(results.engine == "xapian");
    CHECK(results.warnings.empty());
    const auto explanation = searcher.explain("navire");
    CHECK(explanation.engine == "xapian");
    CHECK(explanation.engine_reason == reason);
}

TEST_CASE("search and search-index work with clusters from the command line", "[cluster][cli]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    const trouvere::testing::ProcessOptions plain{.environment = {{"NO_COLOR", ""}}};
    const auto single =
        run_process(kSearch, {"--db", shards.single, "--engine", "xapian", "navire port"}, plain);
    const auto got = run_process(kSearch, {"--db", shards.file, "navire port"}, plain);
    REQUIRE(single.exit_code == 0);
    CHECK(got.exit_code == 0);
    CHECK(got.out == single.out);
    CHECK(got.err.empty());

    const auto refused = run_process(kSearch, {"--db", shards.file, "--engine", "native", "port"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("the native index cannot be read over the network"));

    // A database holds one shard, or every document.
    const std::string shard1 = shards.shards[0].string();
    TempDir dir;
    const std::string file =
        dir.write("more.jsonl", "{\"id\":\"x\",\"body\":\"navire\"}\n").string();
    const auto other = run_process(kSearchIndex, {"--shard", "2/3", "--db", shard1, file});
    CHECK(other.exit_code == 2);
    CHECK_THAT(other.err, Catch::Contains("holds shard 1/3, not shard 2/3"));
    const auto whole = run_process(kSearchIndex, {"--db", shard1, file});
    CHECK(whole.exit_code == 2);
    CHECK_THAT(whole.err, Catch::Contains("holds shard 1/3, not every document"));
    const auto malformed = run_process(kSearchIndex, {"--shard", "4/3", "--db", shard1, file});
    CHECK(malformed.exit_code == 2);
    CHECK_THAT(malformed.err, Catch::Contains("expected K/N, 1 <= K <= N, not '4/3'"));
}

TEST_CASE("every shard of a cluster is checked, and one that differs is named",
          "[cluster][search]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    TempDir dir;
    const auto auto_line = [](const fs::path& db) { return "auto " + db.string(); };
    SECTION("two shards of three") {
        const auto file = trouvere::testing::write_cluster_file(
            dir.path() / "two.stub", {auto_line(shards.shards[0]), auto_line(shards.shards[1])});
        trouvere::Searcher searcher(file.string());
        CHECK_THROWS_WITH(searcher.search("navire"),
                          "cluster " + file.string() + ": shard '" + auto_line(shards.shards[0]) +
                              "' holds shard 1/3 of a cluster, but " + file.string() +
                              " names 2 shards; shard '" + auto_line(shards.shards[1]) +
                              "' holds shard 2/3 of a cluster, but " + file.string() +
                              " names 2 shards");
    }
    SECTION("the same shard twice") {
        const auto file = trouvere::testing::write_cluster_file(
            dir.path() / "twice.stub", {auto_line(shards.shards[0]), auto_line(shards.shards[1]),
                                        auto_line(shards.shards[1])});
        trouvere::Searcher searcher(file.string());
        CHECK_THROWS_WITH(searcher.search("navire"),
                          "cluster " + file.string() + ": shard '" + auto_line(shards.shards[1]) +
                              "' holds shard 2/3, as '" + auto_line(shards.shards[1]) + "' does");
    }
    SECTION("a shard written by another version") {
        const fs::path old = dir.path() / "old";
        {
            Xapian::WritableDatabase database(old.string(), Xapian::DB_CREATE);
            database.set_metadata("trouvere:scheme", "9");
            database.commit();
        }
        const auto file = trouvere::testing::write_cluster_file(
            dir.path() / "old.stub", {auto_line(shards.shards[0]), "auto old"});
        trouvere::Searcher searcher(file.string());
        CHECK_THROWS_WITH(searcher.search("navire"),
                          Catch::Contains("shard 'auto old' was not written by this version of "
                                          "trouvere (term scheme 9, not 10); index it again"));
    }
    SECTION("a line that is not a shard") {
        const auto file = trouvere::testing::write_cluster_file(
            dir.path() / "bad.stub",
            {"# three shards", "", "remote 127.0.0.1:7001", "remote here"});
        CHECK_THROWS_WITH(trouvere::Searcher(file.string()),
                          "cluster file " + file.string() +
                              ":4: expected 'remote HOST:PORT' or 'auto PATH', not 'remote here'");
    }
    SECTION("an empty cluster file") {
        const auto file =
            trouvere::testing::write_cluster_file(dir.path() / "empty.stub", {"# nothing"});
        CHECK_THROWS_WITH(trouvere::Searcher(file.string()),
                          "cluster file " + file.string() + " names no shard");
    }
}

TEST_CASE("the shard of a document is 1 + the FNV-1a hash of its id modulo the shards",
          "[cluster][index]") {
    // Machines that indexed their shards must keep agreeing: these values never change.
    struct Case {
        std::string id;
        std::uint32_t of_two, of_three, of_four;
    };
    const std::vector<Case> cases = {
        {"", 2, 3, 2}, {"a", 1, 2, 1}, {"000_dbeda49fb9d40084.txt", 1, 1, 3}, {"armée", 1, 1, 1}};
    for (const Case& c : cases) {
        INFO("id '" << c.id << "'");
        CHECK(trouvere::shard_of(c.id, 1) == 1);
        CHECK(trouvere::shard_of(c.id, 2) == c.of_two);
        CHECK(trouvere::shard_of(c.id, 3) == c.of_three);
        CHECK(trouvere::shard_of(c.id, 4) == c.of_four);
    }
}

namespace {

// The cluster's shards served again by servers of a test's own, which it may kill.
struct OwnServers {
    explicit OwnServers(const Cluster& shards) {
        std::vector<std::string> lines;
        for (const fs::path& db : shards.shards) {
            servers.push_back(std::make_unique<ShardServer>(db));
            lines.push_back(servers.back()->stub_line());
        }
        file = trouvere::testing::write_cluster_file(dir.path() / "cluster.stub", lines).string();
    }

    TempDir dir;
    std::vector<std::unique_ptr<ShardServer>> servers;
    std::string file;
};

// Copies of the shards, each served by a server of the test's own, for a test that changes one
// of them while they are searched.
struct CopiedShards {
    explicit CopiedShards(const Cluster& originals) {
        std::vector<std::string> lines;
        for (std::size_t shard = 0; shard < originals.shards.size(); ++shard) {
            shards.push_back(dir.path() / ("shard" + std::to_string(shard + 1)));
            fs::copy(originals.shards[shard], shards.back(), fs::copy_options::recursive);
            servers.push_back(std::make_unique<ShardServer>(shards.back()));
            lines.push_back(servers.back()->stub_line());
        }
        file = trouvere::testing::write_cluster_file(dir.path() / "cluster.stub", lines).string();
    }

    TempDir dir;
    std::vector<fs::path> shards;
    std::vector<std::unique_ptr<ShardServer>> servers;
    std::string file;
};

// The documents of shard 2 of the generated corpus, each with a body that holds `fanal` or
// `phare`, by turns from one run to the next: the documents holding `navire` stay the same.
void write_shard_two_changes(const fs::path& file, int run) {
    std::ofstream out(file);
    for (const trouvere::Document& document : trouvere::testing::generated_documents(61, 600)) {
        if (trouvere::shard_of(document.id, kShards) != 2) continue;
        const bool lit = (run + static_cast<int>(document.id.size())) % 2 == 0;
        out << nlohmann::json{{"id", document.id},
                              {"title", document.title},
                              {"body", document.body + (lit ? " fanal" : " phare")}}
                   .dump()
            << '\n';
    }
}

// What searching readers met: searches answered, searches failed, and the first problem.
struct ReadersTally {
    std::size_t answers = 0;
    std::size_t failures = 0;
    std::string problem;
};

// Two Searchers of a cluster, searching `navire` and `fanal navire` by turns and reopening every
// ten searches until stopped. A search that fails, or counts for `navire` other than the single
// database, is a problem: the first one is kept.
class SearchingReaders {
public:
    explicit SearchingReaders(std::string file)
        : file_(std::move(file)),
          navires_(trouvere::Searcher(cluster().single).search("navire").total_estimate) {
        for (int reader = 0; reader < 2; ++reader) threads_.emplace_back([this] { search(); });
    }
    ~SearchingReaders() { join(); }
    SearchingReaders(const SearchingReaders&) = delete;
    SearchingReaders& operator=(const SearchingReaders&) = delete;

    ReadersTally stop() {
        join();
        return {answers_, failures_, problem_};
    }

private:
    void join() {
        stop_ = true;
        for (std::thread& thread : threads_) {
            if (thread.joinable()) thread.join();
        }
    }

    void search() {
        trouvere::Searcher searcher(file_);
        for (std::size_t n = 0; !stop_; ++n) {
            std::string trouble;
            try {
                if (n % 10 == 0) searcher.reopen();
                const auto results = searcher.search(n % 2 == 0 ? "navire" : "fanal navire");
                ++answers_;
                if (n % 2 == 0 && results.total_estimate != navires_) {
                    trouble = "navire: " + std::to_string(results.total_estimate) +
                              " matches, not " + std::to_string(navires_);
                }
            } catch (const trouvere::Error& error) {
                ++failures_;
                trouble = error.what();
            }
            if (!trouble.empty()) {
                const std::lock_guard lock(problem_mutex_);
                if (problem_.empty()) problem_ = std::move(trouble);
            }
        }
    }

    std::string file_;
    std::size_t navires_;
    std::atomic<bool> stop_ = false;
    std::atomic<std::size_t> answers_ = 0;
    std::atomic<std::size_t> failures_ = 0;
    std::mutex problem_mutex_;
    std::string problem_;
    std::vector<std::thread> threads_;
};

// No search failed or answered wrongly while `what` happened, and some answered.
void check_every_answer_whole(const ReadersTally& tally, const std::string& what) {
    WARN("searches while " << what << ": " << tally.answers << " answered, " << tally.failures
                           << " failed");
    CHECK(tally.problem.empty());
    CHECK(tally.failures == 0);
    CHECK(tally.answers > 0);
}

// The number of documents of each shard that `query` matches, read from its folder.
std::vector<std::size_t> totals_by_shard(const Cluster& shards, const std::string& query) {
    std::vector<std::size_t> totals;
    for (const fs::path& db : shards.shards) {
        trouvere::Searcher searcher(db.string());
        totals.push_back(searcher.search(query, {.limit = 1}).total_estimate);
    }
    return totals;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE(
    "a shard that is down fails the search naming it, or is left out with a warning, and answers "
    "again once it is back",
    "[cluster][reliability]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    OwnServers own(shards);
    const std::vector<std::size_t> totals = totals_by_shard(shards, "navire");
    const std::size_t all = totals[0] + totals[1] + totals[2];
    trouvere::Searcher searcher(own.file);
    REQUIRE(searcher.search("navire").total_estimate == all);
    const std::string second = "shard '" + own.servers[1]->stub_line() + "'";

    own.servers[1]->kill();
    auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(searcher.search("navire"), Catch::StartsWith("cluster " + own.file + ": " +
                                                                   second + " stopped answering"));
    const double lost_after = seconds_since(start);
    WARN("a killed shard failed the search in " << lost_after << " s");
    CHECK(lost_after < 2);
    const auto partial = searcher.search("navire", {.allow_partial = true});
    CHECK(partial.total_estimate == totals[0] + totals[2]);
    REQUIRE(partial.warnings.size() == 1);
    CHECK_THAT(partial.warnings[0],
               Catch::StartsWith("answered without " + second + " stopped answering") &&
                   Catch::EndsWith("; its documents are missing"));

    // A new process: the shard refuses the connection.
    start = std::chrono::steady_clock::now();
    const auto failed = run_process(kSearch, {"--db", own.file, "navire"});
    CHECK(failed.exit_code == 2);
    CHECK_THAT(failed.err, Catch::StartsWith("search: cluster " + own.file + ": " + second +
                                             " does not answer: NetworkError"));
    const double refused_after = seconds_since(start);
    WARN("search over a cluster with a shard down exited 2 in " << refused_after << " s");
    CHECK(refused_after < 5);
    const auto allowed =
        run_process(kSearch, {"--db", own.file, "--allow-partial", "--count", "navire"});
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.out == std::to_string(totals[0] + totals[2]) + "\n");
    CHECK_THAT(allowed.err,
               Catch::StartsWith("search: note: answered without " + second + " does not answer"));

    own.servers[1]->restart();
    // Shards that did not answer are tried again once a second.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto whole = searcher.search("navire", {.allow_partial = true});
    CHECK(whole.total_estimate == all);
    CHECK(whole.warnings.empty());
}

TEST_CASE(
    "a shard that hangs fails the search within the reply timeout, naming it, then partial "
    "answers do not wait for it, and it is taken back once it answers",
    "[cluster][reliability]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    OwnServers own(shards);
    trouvere::Searcher searcher(own.file);
    (void)searcher.search("navire");
    own.servers[2]->pause();
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(
        searcher.search("navire port"),
        Catch::StartsWith("cluster " + own.file + ": shard '" + own.servers[2]->stub_line() +
                          "' stopped answering: NetworkTimeoutError"));
    const double waited = seconds_since(start);
    WARN("a hung shard failed the search in " << waited << " s");
    CHECK(waited > 9);
    CHECK(waited < 12);

    // Tried again after a second, then after longer and longer intervals: each time by a probe
    // that waits a tenth of a second for the greeting, never by Xapian, which would wait 10 s.
    const std::string third = "shard '" + own.servers[2]->stub_line() + "'";
    const std::size_t others = searcher.search("navire", {.allow_partial = true}).total_estimate;
    const auto hung_since = std::chrono::steady_clock::now();
    double slowest = 0;
    std::size_t partial_answers = 0;
    while (seconds_since(hung_since) < 3.5) {
        const auto asked = std::chrono::steady_clock::now();
        const auto partial = searcher.search("navire", {.allow_partial = true});
        slowest = std::max(slowest, seconds_since(asked));
        ++partial_answers;
        REQUIRE(partial.total_estimate == others);
        REQUIRE(partial.warnings.size() == 1);
        REQUIRE_THAT(partial.warnings[0], Catch::StartsWith("answered without " + third));
    }
    WARN(partial_answers << " partial answers while the shard hung, the slowest in " << slowest
                         << " s");
    CHECK(slowest < 1);

    own.servers[2]->resume();
    const auto resumed = std::chrono::steady_clock::now();
    std::size_t total = others;
    while (total == others && seconds_since(resumed) < 35) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        total = searcher.search("navire", {.allow_partial = true}).total_estimate;
    }
    WARN("whole again " << seconds_since(resumed) << " s after the shard resumed");
    const auto whole = searcher.search("navire");
    CHECK(whole.total_estimate > others);
    CHECK(whole.warnings.empty());
}

TEST_CASE(
    "shards killed and restarted under load: every answer whole, failed naming the shard, "
    "or partial saying which",
    "[cluster][reliability]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    OwnServers own(shards);
    const std::vector<std::string> queries = {"navire", "port fromage", "\"chemin de fer\"",
                                              "ville OR campagne", "soleil -pluie"};
    std::vector<std::vector<std::size_t>> totals(queries.size());
    for (std::size_t which = 0; which < queries.size(); ++which) {
        totals[which] = totals_by_shard(shards, queries[which]);
    }
    std::atomic<bool> stop = false;
    struct Counts {
        std::size_t whole = 0, failed = 0, partial = 0;
    };
    std::vector<Counts> counts(3);
    std::vector<std::string> problems(3);
    auto load = [&](std::size_t reader) {
        trouvere::Searcher searcher(own.file);
        const bool allow_partial = reader == 0;
        for (std::size_t n = 0; !stop; ++n) {
            const std::size_t which = n % queries.size();
            const auto& expected = totals[which];
            try {
                const auto results =
                    searcher.search(queries[which], {.allow_partial = allow_partial});
                std::size_t total = expected[0] + expected[1] + expected[2];
                for (const std::string& warning : results.warnings) {
                    for (std::size_t shard = 0; shard < 3; ++shard) {
                        if (warning.find(own.servers[shard]->stub_line()) != std::string::npos) {
                            total -= expected[shard];
                        }
                    }
                }
                if (results.total_estimate != total) {
                    problems[reader] = queries[which] + ": " +
                                       std::to_string(results.total_estimate) + " matches, not " +
                                       std::to_string(total);
                    return;
                }
                ++(results.warnings.empty() ? counts[reader].whole : counts[reader].partial);
            } catch (const trouvere::DatabaseError& error) {
                if (allow_partial || std::string(error.what()).find("shard 'remote 127.0.0.1:") ==
                                         std::string::npos) {
                    problems[reader] = queries[which] + ": " + error.what();
                    return;
                }
                ++counts[reader].failed;
            }
        }
    };
    std::vector<std::thread> readers;
    for (std::size_t reader = 0; reader < 3; ++reader) readers.emplace_back(load, reader);
    for (int round = 0; round < 6; ++round) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        own.servers[1 + round % 2]->kill();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        own.servers[1 + round % 2]->restart();
    }
    // Once every shard is back, every answer is whole again.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    stop = true;
    for (std::thread& reader : readers) reader.join();
    WARN("under 6 kills and restarts: reader 0 (partial allowed) "
         << counts[0].whole << " whole, " << counts[0].partial << " partial; readers 1 and 2 "
         << counts[1].whole + counts[2].whole << " whole, " << counts[1].failed + counts[2].failed
         << " failed naming the shard");
    for (std::size_t reader = 0; reader < 3; ++reader) {
        INFO("reader " << reader << ": " << counts[reader].whole << " whole, "
                       << counts[reader].failed << " failed, " << counts[reader].partial
                       << " partial");
        CHECK(problems[reader].empty());
        CHECK(counts[reader].whole > 0);
    }
    CHECK(counts[0].partial > 0);
    CHECK(counts[1].failed + counts[2].failed > 0);
    trouvere::Searcher after(own.file);
    for (std::size_t which = 0; which < queries.size(); ++which) {
        CHECK(after.search(queries[which]).total_estimate ==
              totals[which][0] + totals[which][1] + totals[which][2]);
    }
}

TEST_CASE("a shard speaking another version of Xapian's remote protocol is refused as such",
          "[cluster][search]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    // Xapian 1.4.22's server greets with a REPLY_UPDATE message (type 0, then its length) whose
    // payload starts with its protocol version, 39.1, then the database's statistics and UUID:
    // this one says 40.1.
    trouvere::testing::GreetingServer newer(
        std::string("\x00\x2c\x28\x01\x05\x00\x01\x00\x31\x05", 10) +
        "69f7a67c-a0ba-445b-8dc3-37fef409574c");
    TempDir dir;
    const auto file = trouvere::testing::write_cluster_file(
        dir.path() / "mixed.stub",
        {shards.servers[0]->stub_line(), newer.stub_line(), shards.servers[2]->stub_line()});
    trouvere::Searcher searcher(file.string());
    CHECK_THROWS_WITH(
        searcher.search("navire"),
        "cluster " + file.string() + ": shard '" + newer.stub_line() +
            "' is served by another version of Xapian's remote protocol than this program's "
            "Xapian " +
            Xapian::version_string() +
            " speaks: NetworkError: Server supports protocol versions 40.0 to 40.1 - client is "
            "using 39.1 "
            "(context: remote:tcp(127.0.0.1:" +
            newer.stub_line().substr(newer.stub_line().rfind(':') + 1) + "))");
}

TEST_CASE(
    "search serve answers from a cluster, 503 naming a shard that is down, or partly when "
    "asked",
    "[cluster][serve]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    Cluster& shards = cluster();
    OwnServers own(shards);
    trouvere::testing::ServeProcess server({"--db", own.file});
    const auto whole = trouvere::testing::http_get(server.port(), "/search?q=navire&limit=3");
    REQUIRE(whole);
    CHECK(whole->status == 200);
    trouvere::Searcher single(shards.single);
    auto expected = single.search("navire", {.limit = 3, .engine = trouvere::SearchEngine::xapian});
    CHECK(nlohmann::json::parse(whole->body)["total_estimate"] == expected.total_estimate);

    own.servers[0]->kill();
    const std::string first = "shard '" + own.servers[0]->stub_line() + "'";
    const auto failed = trouvere::testing::http_get(server.port(), "/search?q=navire");
    REQUIRE(failed);
    CHECK(failed->status == 503);
    CHECK_THAT(nlohmann::json::parse(failed->body)["error"].get<std::string>(),
               Catch::StartsWith("cluster " + own.file + ": " + first));
    const auto partial =
        trouvere::testing::http_get(server.port(), "/search?q=navire&allow_partial=true");
    REQUIRE(partial);
    CHECK(partial->status == 200);
    const auto body = nlohmann::json::parse(partial->body);
    REQUIRE(body["warnings"].size() == 1);
    CHECK_THAT(body["warnings"][0].get<std::string>(),
               Catch::StartsWith("answered without " + first));
    CHECK(body["total_estimate"] < expected.total_estimate);

    own.servers[0]->restart();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto again = trouvere::testing::http_get(server.port(), "/search?q=navire&limit=3");
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(nlohmann::json::parse(again->body)["warnings"].empty());
    CHECK(nlohmann::json::parse(again->body)["total_estimate"] == expected.total_estimate);
}

TEST_CASE("searching a cluster while a shard is re-indexed: no failed or inconsistent answer",
          "[cluster][reliability]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    CopiedShards copies(cluster());
    SearchingReaders readers(copies.file);
    const fs::path changes = copies.dir.path() / "changes.jsonl";
    for (int run = 0; run < 4; ++run) {
        write_shard_two_changes(changes, run);
        const auto indexed = run_process(
            kSearchIndex,
            {"-q", "--shard", "2/3", "--db", copies.shards[1].string(), changes.string()});
        REQUIRE(indexed.exit_code == 0);
    }
    check_every_answer_whole(readers.stop(), "shard 2 was re-indexed 4 times");
}

TEST_CASE(
    "a shard's folder replaced by a new build while served: no failed or inconsistent answer, "
    "and the new build answers once the searcher reopens",
    "[cluster][reliability]") {
    if (!trouvere::testing::xapian_tcpsrv()) return trouvere::testing::skip("no xapian-tcpsrv");
    CopiedShards copies(cluster());
    trouvere::Searcher long_lived(copies.file);
    const std::size_t fanals_before = long_lived.search("fanal").total_estimate;
    SearchingReaders readers(copies.file);
    const fs::path& served = copies.shards[1];
    for (int run = 0; run < 4; ++run) {
        const fs::path changes = copies.dir.path() / ("changes" + std::to_string(run) + ".jsonl");
        write_shard_two_changes(changes, run);
        const fs::path fresh = copies.dir.path() / ("build" + std::to_string(run));
        const auto indexed = run_process(
            kSearchIndex, {"-q", "--shard", "2/3", "--db", fresh.string(), changes.string()});
        REQUIRE(indexed.exit_code == 0);
        const fs::path old = copies.dir.path() / ("old" + std::to_string(run));
        fs::rename(served, old);
        fs::rename(fresh, served);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        fs::remove_all(old);
    }
    check_every_answer_whole(readers.stop(), "shard 2 was replaced 4 times");

    long_lived.reopen();
    const std::size_t fanals = trouvere::Searcher(served.string()).search("fanal").total_estimate;
    CHECK(fanals != fanals_before);
    CHECK(long_lived.search("fanal").total_estimate == fanals);
    CHECK(trouvere::Searcher(copies.file).search("fanal").total_estimate == fanals);
}
