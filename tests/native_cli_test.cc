// The native index as users meet it: built by search-index, chosen by search, and what happens
// when it is missing, older than the database, damaged, or replaced while a Searcher reads it.

#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "native/native_index.h"
#include "tests/test_support.h"
#include "trouvere/document.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace {

namespace fs = std::filesystem;
using trouvere::testing::ProcessResult;
using trouvere::testing::run_process;
using trouvere::testing::TempDir;

const std::string kSearch = TROUVERE_SEARCH_BIN;
const std::string kSearchIndex = TROUVERE_SEARCH_INDEX_BIN;

fs::path native_file(const std::string& db) {
    return fs::path(db) / "trouvere.native";
}

std::string index_corpus(const TempDir& dir) {
    std::string db = (dir.path() / "db").string();
    auto result = run_process(kSearchIndex, {"--db", db, trouvere::testing::corpus_dir().string()});
    REQUIRE(result.exit_code == 0);
    return db;
}

ProcessResult search(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return run_process(kSearch, args, {.environment = {{"NO_COLOR", ""}}});
}

nlohmann::json search_json(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    auto result = search(db, std::move(args));
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return nlohmann::json::parse(result.out);
}

void flip_byte(const fs::path& file, std::streamoff at) {
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekg(at);
    char byte = 0;
    stream.get(byte);
    stream.seekp(at);
    stream.put(static_cast<char>(byte ^ 0x20));
}

// A document added and committed without updating the native index.
void commit_one_more(const std::string& db, const std::string& id) {
    trouvere::IndexWriter writer(db, 1);
    writer.add_or_replace({.id = id, .title = "Kidal encore", .body = "Kidal, la ville."});
    writer.commit();
}

// 1,500 JSON Lines records (enough for search-index to take a while), whose bodies change with
// `generation`.
void write_generations_corpus(const fs::path& corpus, int generation) {
    std::ofstream out(corpus, std::ios::trunc);
    for (int n = 0; n < 1500; ++n) {
        const nlohmann::json record = {
            {"id", "doc-" + std::to_string(n)},
            {"title", "Titre " + std::to_string(n % 97)},
            {"body", trouvere::testing::french_prose(static_cast<unsigned>(n + 7 * generation),
                                                     60 + n % 40)}};
        out << record.dump() << '\n';
    }
}

bool being_written(const std::string& db) {
    std::error_code ignored;
    return std::ranges::any_of(fs::directory_iterator(db, ignored), [](const auto& entry) {
        return entry.path().filename().string().starts_with("trouvere.native.tmp");
    });
}

}  // namespace

TEST_CASE("search answers from the native index search-index builds, and --engine chooses",
          "[cli][native]") {
    TempDir dir;
    const std::string db = index_corpus(dir);
    REQUIRE(fs::exists(native_file(db)));
    auto automatic = search_json(db, {"accord militaire"});
    auto native = search_json(db, {"--engine", "native", "accord militaire"});
    auto xapian = search_json(db, {"--engine", "xapian", "accord militaire"});
    CHECK(automatic["engine"] == "native");
    CHECK(native["engine"] == "native");
    CHECK(xapian["engine"] == "xapian");
    CHECK(native["total_estimate"] == xapian["total_estimate"]);
    // The same hits, scores aside: each engine sums a document's term weights in its own order,
    // which may change their last bits.
    REQUIRE(native["hits"].size() == xapian["hits"].size());
    for (std::size_t k = 0; k < native["hits"].size(); ++k) {
        CHECK(native["hits"][k]["score"].get<double>() ==
              Approx(xapian["hits"][k]["score"].get<double>()));
        native["hits"][k].erase("score");
        xapian["hits"][k].erase("score");
    }
    CHECK(native["hits"] == xapian["hits"]);
    CHECK(automatic["warnings"].empty());
    auto refused = search(db, {"--engine", "lucene", "Kidal"});
    CHECK(refused.exit_code == 2);
}

TEST_CASE("a damaged native index is reported and Xapian answers, but --engine native refuses it",
          "[cli][native]") {
    TempDir dir;
    const std::string db = index_corpus(dir);
    // A byte of the header: the file is refused when it is opened.
    flip_byte(native_file(db), 50);
    auto answer = search_json(db, {"Kidal"});
    CHECK(answer["engine"] == "xapian");
    REQUIRE(answer["warnings"].size() == 1);
    CHECK_THAT(answer["warnings"][0].get<std::string>(),
               Catch::Contains("trouvere.native") && Catch::Contains("Xapian"));
    CHECK(answer["hits"].size() == 2);
    auto forced = search(db, {"--engine", "native", "Kidal"});
    CHECK(forced.exit_code == 2);
    CHECK_THAT(forced.err, Catch::Contains("trouvere.native") && Catch::Contains("checksum"));
    // The next run of search-index replaces it, even with nothing to index.
    REQUIRE(run_process(kSearchIndex, {"--db", db, trouvere::testing::corpus_dir().string()})
                .exit_code == 0);
    CHECK(search_json(db, {"Kidal"})["engine"] == "native");
}

TEST_CASE("damage found while a search reads the native index gives Xapian's answer",
          "[cli][native]") {
    TempDir dir;
    const std::string db = index_corpus(dir);
    // The last byte belongs to the stored records, which hits read (the bundled corpus's fit in
    // one checksummed chunk): opening succeeds and the damage shows when the search reads them.
    flip_byte(native_file(db), static_cast<std::streamoff>(fs::file_size(native_file(db))) - 1);
    auto expected = search_json(db, {"--engine", "xapian", "Kidal"});
    auto answer = search_json(db, {"Kidal"});
    CHECK(answer["engine"] == "xapian");
    REQUIRE(answer["warnings"].size() == 1);
    CHECK_THAT(answer["warnings"][0].get<std::string>(), Catch::Contains("damaged"));
    CHECK(answer["hits"] == expected["hits"]);
    auto forced = search(db, {"--engine", "native", "Kidal"});
    CHECK(forced.exit_code == 2);
    CHECK_THAT(forced.err, Catch::Contains("damaged"));
}

TEST_CASE("a native index older than the database is left aside until search-index updates it",
          "[cli][native]") {
    TempDir dir;
    const std::string db = index_corpus(dir);
    commit_one_more(db, "extra");
    auto answer = search_json(db, {"Kidal"});
    CHECK(answer["engine"] == "xapian");
    CHECK(answer["warnings"].empty());
    CHECK(answer["hits"].size() == 3);
    auto forced = search(db, {"--engine", "native", "Kidal"});
    CHECK(forced.exit_code == 2);
    CHECK_THAT(forced.err, Catch::Contains("another state of the database"));

    // Nothing changed in the files, but the native index is stale: the run rebuilds it, and
    // removes what a killed build left.
    const fs::path leftover = fs::path(db) / "trouvere.native.tmp-99999";
    std::ofstream(leftover) << "half an index";
    REQUIRE(run_process(kSearchIndex, {"--db", db, trouvere::testing::corpus_dir().string()})
                .exit_code == 0);
    CHECK_FALSE(fs::exists(leftover));
    auto updated = search_json(db, {"Kidal"});
    CHECK(updated["engine"] == "native");
    CHECK(updated["hits"].size() == 3);

    // And a missing one is built again.
    fs::remove(native_file(db));
    CHECK(search_json(db, {"Kidal"})["engine"] == "xapian");
    REQUIRE(run_process(kSearchIndex, {"--db", db, trouvere::testing::corpus_dir().string()})
                .exit_code == 0);
    CHECK(search_json(db, {"Kidal"})["engine"] == "native");
}

TEST_CASE("a Searcher keeps its native index when a newer one replaces it, until reopen()",
          "[native][search]") {
    TempDir dir;
    const std::string db = index_corpus(dir);
    trouvere::Searcher searcher(db);
    auto before = searcher.search("Kidal");
    CHECK(before.engine == "native");
    CHECK(before.hits.size() == 2);

    commit_one_more(db, "extra");
    {
        trouvere::IndexWriter writer(db, 1);
        REQUIRE(writer.update_native_index());
        CHECK_FALSE(writer.update_native_index());
    }
    // The old file is gone from the folder, and still mapped.
    auto still = searcher.search("Kidal");
    CHECK(still.engine == "native");
    CHECK(still.hits.size() == 2);

    searcher.reopen();
    auto after = searcher.search("Kidal");
    CHECK(after.engine == "native");
    CHECK(after.hits.size() == 3);
}

TEST_CASE("search-index killed while it writes the native index leaves the old one or the new one",
          "[cli][native][crash]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const fs::path corpus = dir.path() / "corpus.jsonl";
    write_generations_corpus(corpus, 0);
    auto start = std::chrono::steady_clock::now();
    REQUIRE(run_process(kSearchIndex, {"--db", db, "--quiet", corpus.string()}).exit_code == 0);
    const auto full_run = std::chrono::steady_clock::now() - start;

    std::mt19937 random(29);
    int while_writing = 0;
    for (int kill = 1; kill <= 12; ++kill) {
        write_generations_corpus(corpus, kill);
        auto delay = std::chrono::duration_cast<std::chrono::microseconds>(full_run) *
                     std::uniform_real_distribution<double>(0.3, 1.2)(random);
        trouvere::testing::ChildProcess child(kSearchIndex,
                                              {"--db", db, "--quiet", corpus.string()});
        if (kill % 2 == 0) {
            // While the new index is being written: once its temporary file is there.
            const auto deadline = std::chrono::steady_clock::now() + 4 * full_run;
            while (!being_written(db) && !child.finished() &&
                   std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            }
            delay = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 2000)(random));
        }
        std::this_thread::sleep_for(delay);
        if (being_written(db)) ++while_writing;
        child.signal(SIGKILL);
        (void)child.wait();
        INFO("kill " << kill << " after " << delay.count() << " µs");
        auto opened = trouvere::native::NativeIndex::open(native_file(db));
        if (!opened.index) {
            CHECK(opened.refusal == trouvere::native::Refusal::missing);
            continue;
        }
        CHECK(opened.index->check().empty());
        trouvere::Searcher searcher(db);
        CHECK_FALSE(searcher.search("titre").hits.empty());
    }
    // Not a promise (the machine may be slow or busy), but most runs catch it.
    WARN("killed while the native index was written: " << while_writing << " times of 12");
    REQUIRE(run_process(kSearchIndex, {"--db", db, "--quiet", corpus.string()}).exit_code == 0);
    trouvere::Searcher searcher(db);
    CHECK(searcher.search("titre").engine == "native");
    for (const auto& entry : fs::directory_iterator(db)) {
        CHECK_FALSE(entry.path().filename().string().starts_with("trouvere.native.tmp"));
    }
}

TEST_CASE(
    "a Searcher answers as before from its native index while search-index publishes a new "
    "one, and from the new one after reopen()",
    "[cli][native][search]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const fs::path corpus = dir.path() / "corpus.jsonl";
    const std::vector<std::string> queries = {"armée", "\"le village\"", "récolte -hiver",
                                              "blé OR fromage", "title:titre"};
    auto answers = [&](trouvere::Searcher& searcher, trouvere::SearchEngine engine) {
        std::vector<std::string> all;
        all.reserve(queries.size());
        for (const std::string& query : queries) {
            all.push_back(trouvere::to_json(
                searcher.search(query, {.limit = 20, .snippet_chars = 120, .engine = engine})));
        }
        return all;
    };
    auto hit_ids = [&](trouvere::Searcher& searcher, trouvere::SearchEngine engine) {
        std::vector<std::set<std::string>> all;
        for (const std::string& query : queries) {
            auto& ids = all.emplace_back();
            for (const auto& hit :
                 searcher.search(query, {.limit = 2000, .snippets = false, .engine = engine})
                     .hits) {
                ids.insert(hit.id);
            }
        }
        return all;
    };
    write_generations_corpus(corpus, 0);
    REQUIRE(run_process(kSearchIndex, {"--db", db, "--quiet", corpus.string()}).exit_code == 0);
    trouvere::Searcher searcher(db);
    const auto before = answers(searcher, trouvere::SearchEngine::automatic);
    REQUIRE(nlohmann::json::parse(before.front())["engine"] == "native");
    const auto old = trouvere::native::NativeIndex::open(native_file(db));
    REQUIRE(old.index);
    const auto old_inode = old.index->file().inode();

    // Every document changed: the new index answers otherwise.
    write_generations_corpus(corpus, 1);
    trouvere::testing::ChildProcess writer(kSearchIndex, {"--db", db, "--quiet", corpus.string()});
    int rounds = 0;
    while (!writer.finished()) {
        CHECK(answers(searcher, trouvere::SearchEngine::automatic) == before);
        ++rounds;
    }
    REQUIRE(writer.wait().exit_code == 0);
    INFO("rounds of queries while search-index ran: " << rounds);
    // The new index is in place of the old one, which this Searcher still reads.
    const auto replaced = trouvere::native::NativeIndex::open(native_file(db));
    REQUIRE(replaced.index);
    CHECK(replaced.index->file().inode() != old_inode);
    CHECK(answers(searcher, trouvere::SearchEngine::automatic) == before);
    CHECK(answers(searcher, trouvere::SearchEngine::native) == before);

    searcher.reopen();
    const auto after = answers(searcher, trouvere::SearchEngine::automatic);
    CHECK(nlohmann::json::parse(after.front())["engine"] == "native");
    CHECK(after != before);
    trouvere::Searcher fresh(db);
    CHECK(after == answers(fresh, trouvere::SearchEngine::automatic));
    CHECK(hit_ids(searcher, trouvere::SearchEngine::native) ==
          hit_ids(searcher, trouvere::SearchEngine::xapian));
}
