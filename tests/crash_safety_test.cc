// One writer at a time, whole databases at every moment, and readers that keep answering while a
// writer commits or swaps in a first build.

#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using trouvere::testing::ids_in;
using trouvere::testing::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

std::set<std::string> hit_ids(const trouvere::SearchResults& results) {
    std::set<std::string> ids;
    for (const auto& hit : results.hits) ids.insert(hit.id);
    return ids;
}

trouvere::Document numbered(int i, const std::string& marker) {
    return {.id = "doc-" + std::to_string(i),
            .title = "Document " + std::to_string(i),
            .body = marker + " " + trouvere::testing::french_prose(static_cast<unsigned>(i), 60)};
}

// Fills an empty database in one first build (shards, then the swap) with `count` documents.
void first_build(const fs::path& db, int count, const std::string& marker) {
    trouvere::IndexWriter writer(db.string(), 2);
    REQUIRE(writer.builds_in_bulk());
    for (int i = 0; i < count; ++i) writer.add_or_replace(numbered(i, marker));
    writer.commit();
}

void empty_out(const fs::path& db, int count) {
    trouvere::IndexWriter writer(db.string(), 2);
    for (int i = 0; i < count; ++i) (void)writer.remove("doc-" + std::to_string(i));
    writer.commit();
}

// Makes a later write visibly change the modification time, whatever the file system's clock
// granularity.
void touch_later(const fs::path& file) {
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(2));
}

// The process holding `<db>.lock`, 0 if none.
pid_t lock_holder(const fs::path& db) {
    int fd = ::open((db.string() + ".lock").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct flock query {};
    query.l_type = F_WRLCK;
    query.l_whence = SEEK_SET;
    pid_t holder = (::fcntl(fd, F_GETLK, &query) == 0 && query.l_type != F_UNLCK) ? query.l_pid : 0;
    ::close(fd);
    return holder;
}

}  // namespace

TEST_CASE("a second writer waits its time, then fails naming the process that writes", "[lock]") {
    TempDir dir;
    auto db = (dir.path() / "db").string();
    trouvere::IndexWriter first(db);
    auto start = Clock::now();
    try {
        trouvere::IndexWriter second(db, 0, 300ms);
        FAIL("second writer opened");
    } catch (const trouvere::DatabaseError& error) {
        CHECK_THAT(error.what(), Catch::StartsWith("database is locked by process " +
                                                   std::to_string(::getpid()) + ": ") &&
                                     Catch::Contains(db));
    }
    CHECK(Clock::now() - start >= 300ms);
}

TEST_CASE("a waiting writer goes on as soon as the first one ends", "[lock]") {
    TempDir dir;
    auto db = (dir.path() / "db").string();
    auto first = std::make_unique<trouvere::IndexWriter>(db);
    first->add_or_replace({.id = "a", .title = "Premier", .body = "texte"});
    first->commit();
    std::thread release([&] {
        std::this_thread::sleep_for(200ms);
        first.reset();
    });
    trouvere::IndexWriter second(db, 0, 10s);
    release.join();
    CHECK(second.contains("a"));
}

TEST_CASE("a first build holds the database until its swap is done", "[lock]") {
    TempDir dir;
    auto db = dir.path() / "db";
    {
        trouvere::IndexWriter builder(db.string(), 2);
        REQUIRE(builder.builds_in_bulk());
        builder.add_or_replace({.id = "a", .title = "Premier", .body = "texte"});
        CHECK_THROWS_AS(trouvere::IndexWriter(db.string(), 2, 0ms), trouvere::DatabaseError);
        builder.commit();
        CHECK_THROWS_AS(trouvere::IndexWriter(db.string(), 2, 0ms), trouvere::DatabaseError);
    }
    // The second first build is no first build any more: it adds to what the first one made.
    trouvere::IndexWriter next(db.string(), 2, 0ms);
    CHECK_FALSE(next.builds_in_bulk());
    next.add_or_replace({.id = "b", .title = "Second", .body = "texte"});
    next.commit();
    CHECK(ids_in(db) == std::set<std::string>{"a", "b"});
}

TEST_CASE("the database path always holds a whole database, also during first-build swaps",
          "[lock][search]") {
    TempDir dir;
    auto db = dir.path() / "db";
    constexpr int kDocuments = 20;
    { trouvere::IndexWriter create(db.string()); }
    std::atomic<bool> done = false;
    std::atomic<int> opened = 0;
    std::vector<std::string> failures;
    std::thread reader([&] {
        while (!done) {
            try {
                trouvere::Searcher searcher(db.string());
                auto count = hit_ids(searcher.search("marqueur", {.limit = 100})).size();
                if (count != 0 && count != kDocuments) {
                    failures.push_back("a search saw " + std::to_string(count) + " documents");
                }
                ++opened;
            } catch (const trouvere::Error& error) {
                failures.emplace_back(error.what());
            }
        }
    });
    constexpr int kSwaps = 40;
    for (int swap = 0; swap < kSwaps; ++swap) {
        first_build(db, kDocuments, "marqueur");
        empty_out(db, kDocuments);
    }
    done = true;
    reader.join();
    INFO("searches: " << opened);
    CHECK(opened > 0);
    // NOLINTNEXTLINE(readability-container-size-empty): on failure, Catch2 prints the vector
    CHECK(failures == std::vector<std::string>{});
}

TEST_CASE("a long-lived searcher sees a first build after reopen, though its folder was replaced",
          "[search]") {
    TempDir dir;
    auto db = dir.path() / "db";
    { trouvere::IndexWriter create(db.string()); }
    trouvere::Searcher searcher(db.string());
    CHECK(searcher.search("marqueur").hits.empty());
    first_build(db, 5, "marqueur");
    CHECK(searcher.search("marqueur").hits.empty());  // its state as of opening
    searcher.reopen();
    CHECK(hit_ids(searcher.search("marqueur")).size() == 5);
}

TEST_CASE("a searcher left behind by many commits still answers, from the latest one", "[search]") {
    TempDir dir;
    auto db = dir.path() / "db";
    constexpr int kDocuments = 300;
    trouvere::IndexWriter writer(db.string(), 1);
    for (int i = 0; i < kDocuments; ++i) writer.add_or_replace(numbered(i, "ancien"));
    writer.commit();
    trouvere::Searcher searcher(db.string());
    REQUIRE(hit_ids(searcher.search("ancien", {.limit = 1000})).size() == kDocuments);
    // Every document rewritten in several commits: the blocks the searcher read are reused.
    for (int round = 0; round < 4; ++round) {
        for (int i = 0; i < kDocuments; ++i) {
            writer.add_or_replace(numbered(i, "nouveau" + std::to_string(round)));
        }
        writer.commit();
    }
    auto results = searcher.search("nouveau3 OR ancien", {.limit = 1000});
    CHECK(results.hits.size() == kDocuments);
}

TEST_CASE("readers in threads keep answering from committed states while a writer commits",
          "[search]") {
    TempDir dir;
    auto db = dir.path() / "db";
    constexpr int kDocuments = 100;
    trouvere::IndexWriter writer(db.string(), 1);
    for (int i = 0; i < kDocuments; ++i) writer.add_or_replace(numbered(i, "tour0"));
    writer.commit();

    // Round r rewrites every document with the word "tourR" in one commit: a committed state
    // has all of them under one round's word, so a search for a round finds all or none, and
    // none only once a later round has begun committing.
    std::atomic<int> committed_round = 0;
    std::atomic<int> committing_round = 0;
    std::atomic<bool> done = false;
    std::atomic<int> queries = 0;
    std::vector<std::string> failures;
    std::mutex failures_mutex;
    auto read = [&] {
        trouvere::Searcher searcher(db.string());
        while (!done) {
            int round = committed_round;
            try {
                searcher.reopen();
                auto count =
                    searcher.search("tour" + std::to_string(round), {.limit = 1000}).hits.size();
                if (count != kDocuments && count != 0) {
                    std::lock_guard guard(failures_mutex);
                    failures.push_back("round " + std::to_string(round) + ": " +
                                       std::to_string(count));
                }
                if (count == 0 && committing_round == round) {
                    std::lock_guard guard(failures_mutex);
                    failures.push_back("round " + std::to_string(round) + " not seen");
                }
            } catch (const trouvere::Error& error) {
                std::lock_guard guard(failures_mutex);
                failures.emplace_back(error.what());
            }
            ++queries;
        }
    };
    std::vector<std::thread> readers;
    readers.reserve(3);
    for (int i = 0; i < 3; ++i) readers.emplace_back(read);
    for (int round = 1; round <= 30; ++round) {
        for (int i = 0; i < kDocuments; ++i) {
            writer.add_or_replace(numbered(i, "tour" + std::to_string(round)));
        }
        committing_round = round;
        writer.commit();
        committed_round = round;
    }
    done = true;
    for (auto& reader : readers) reader.join();
    INFO("queries: " << queries);
    CHECK(queries > 0);
    // NOLINTNEXTLINE(readability-container-size-empty): on failure, Catch2 prints the vector
    CHECK(failures == std::vector<std::string>{});
}

TEST_CASE("index_paths commits between files every N documents, and a first build only at its end",
          "[index]") {
    TempDir dir;
    for (int i = 0; i < 5; ++i) {
        dir.write("corpus/f" + std::to_string(i) + ".txt",
                  "Titre " + std::to_string(i) + "\n\n" + trouvere::testing::french_prose(i, 30));
    }
    auto db = dir.path() / "db";
    std::vector<std::size_t> before;
    std::vector<std::size_t> after;
    trouvere::IndexOptions options;
    options.commit_every = 2;
    options.before_commit = [&](const trouvere::IndexProgress& p) {
        before.push_back(p.files_seen);
    };
    options.after_commit = [&](const trouvere::IndexProgress& p) {
        after.push_back(p.files_seen);
        // Committed, and visible to a reader.
        CHECK(trouvere::Searcher(db.string()).search("autre").hits.size() == p.files_seen);
    };
    {
        trouvere::IndexWriter writer(db.string(), 2);
        (void)trouvere::index_paths(writer, {(dir.path() / "corpus").string()}, options);
        writer.commit();
    }
    CHECK(before.empty());  // a first build
    for (int i = 0; i < 5; ++i) {
        touch_later(dir.write("corpus/f" + std::to_string(i) + ".txt",
                              "Autre titre\n\n" + trouvere::testing::french_prose(100 + i, 30)));
    }
    {
        trouvere::IndexWriter writer(db.string(), 2);
        (void)trouvere::index_paths(writer, {(dir.path() / "corpus").string()}, options);
        writer.commit();
    }
    CHECK(before == std::vector<std::size_t>{2, 4});
    CHECK(after == before);
}

TEST_CASE("an id kept by an unchanged file is not taken over by a file added later", "[index]") {
    TempDir dir;
    auto db = dir.path() / "db";
    dir.write("corpus/a.jsonl", R"({"id": "x", "title": "Premier", "body": "du texte"})"
                                "\n");
    auto index = [&] {
        std::vector<trouvere::IndexWarning> warnings;
        trouvere::IndexWriter writer(db.string(), 1);
        trouvere::IndexOptions options;
        options.on_warning = [&](const trouvere::IndexWarning& w) { warnings.push_back(w); };
        (void)trouvere::index_paths(writer, {(dir.path() / "corpus").string()}, options);
        writer.commit();
        return warnings;
    };
    CHECK(index().empty());
    dir.write("corpus/b.jsonl", R"({"id": "x", "title": "Intrus", "body": "autre texte"})"
                                "\n");
    auto warnings = index();
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0].message, Catch::Contains("already used by"));
    trouvere::Searcher searcher(db.string());
    auto hits = searcher.search("texte").hits;
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].title == "Premier");
}

#ifdef TROUVERE_SEARCH_INDEX_BIN
TEST_CASE("two search-index runs at once: the second waits, then names the first one's process",
          "[cli][lock]") {
    TempDir dir;
    for (int i = 0; i < 300; ++i) {
        dir.write("corpus/" + std::to_string(i) + ".txt",
                  "Titre\n\n" + trouvere::testing::french_prose(i, 200));
    }
    auto db = dir.path() / "db";
    auto corpus = (dir.path() / "corpus").string();
    const std::string program = TROUVERE_SEARCH_INDEX_BIN;

    trouvere::testing::ChildProcess first(program, {"--db", db.string(), corpus});
    // Stopped while it holds the database, the first run stays in the way as long as needed.
    auto deadline = Clock::now() + 30s;
    while (lock_holder(db) != first.pid() && !first.finished() && Clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
    }
    REQUIRE(lock_holder(db) == first.pid());
    first.signal(SIGSTOP);

    auto start = Clock::now();
    auto refused = trouvere::testing::run_process(
        program, {"--db", db.string(), "--wait", "0.5", "--quiet", corpus});
    CHECK(Clock::now() - start >= 500ms);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("search-index: database is locked by process " +
                                            std::to_string(first.pid()) + ": "));

    trouvere::testing::ChildProcess waiting(program, {"--db", db.string(), "--wait", "60", corpus});
    std::this_thread::sleep_for(300ms);
    CHECK_FALSE(waiting.finished());
    first.signal(SIGCONT);
    auto first_result = first.wait();
    CHECK(first_result.exit_code == 0);
    auto second_result = waiting.wait();
    CHECK(second_result.exit_code == 0);
    CHECK_THAT(second_result.out, Catch::Contains("300 unchanged"));
    CHECK(ids_in(db).size() == 300);
}

TEST_CASE("search-index --verbose reports each commit before and after it, and pruning", "[cli]") {
    TempDir dir;
    for (int i = 0; i < 3; ++i) {
        dir.write("corpus/" + std::to_string(i) + ".txt",
                  "Titre\n\n" + trouvere::testing::french_prose(i, 20));
    }
    auto db = (dir.path() / "db").string();
    auto corpus = (dir.path() / "corpus").string();
    const std::string program = TROUVERE_SEARCH_INDEX_BIN;
    auto first = trouvere::testing::run_process(program, {"--db", db, "-v", corpus});
    CHECK(first.err ==
          "search-index: committing 3 files (end of run)\n"
          "search-index: committed 3 files (end of run)\n");
    for (int i = 0; i < 3; ++i) {
        touch_later(dir.write("corpus/" + std::to_string(i) + ".txt",
                              "Autre\n\n" + trouvere::testing::french_prose(10 + i, 20)));
    }
    auto second =
        trouvere::testing::run_process(program, {"--db", db, "-v", "--commit-every", "2", corpus});
    CHECK(second.err ==
          "search-index: committing 2 files\n"
          "search-index: committed 2 files\n"
          "search-index: committing 3 files (end of run)\n"
          "search-index: committed 3 files (end of run)\n");
    fs::remove(dir.path() / "corpus/2.txt");
    auto third = trouvere::testing::run_process(program, {"--db", db, "-v", "--prune", corpus});
    CHECK(third.err ==
          "search-index: pruning\n"
          "search-index: committing 2 files (end of run)\n"
          "search-index: committed 2 files (end of run)\n");
}
#endif
