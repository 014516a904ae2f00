// Searches continuously while search-index re-indexes a changing corpus, and checks that every
// answer comes from one committed state.
//
// The corpus changes by generations. In generation g, file i exists unless (i + g) % 6 == 0, and
// holds the words "rouge", "vert" and "bleu" by rules of i and g, and "commun" always; so each
// committed generation has a known answer to each of these four queries. Every fifth generation
// has no file at all: its run (--prune) empties the database, and the next one is a first build,
// swapped in while the readers read. A rival search-index is started with each run, with no
// wait: it must either do the same work or fail with "database is locked by process N".
//
// Readers: threads with a trouvere::Searcher each, which in turn reopens it before every query,
// reopens it only every 200 queries (so that commits overwrite what it reads), or opens a new
// one for each query (so that opens meet swaps); and one thread running the `search` command as
// a process, again and again. A query fails when it throws or exits with trouble, or when its
// ids are not the answer of any generation committed so far (or being committed).
//
//   search_while_indexing --search-index BIN --search BIN [--generations 100] [--readers 3]
//                         [--files 300] [--seed 1] [--work DIR]

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/searcher.h"

namespace fs = std::filesystem;
using trouvere::testing::ChildProcess;
using trouvere::testing::run_process;

namespace {

using Clock = std::chrono::steady_clock;
using Ids = std::set<std::string>;

struct Settings {
    std::string search_index;
    std::string search;
    int generations = 100;
    int readers = 3;
    int files = 300;
    unsigned seed = 1;
    std::string work;
};

const std::vector<std::string> kQueries = {"rouge", "vert", "bleu", "commun"};

bool is_empty_generation(int g) {
    return g % 5 == 4;
}

bool exists_in(int i, int g) {
    return !is_empty_generation(g) && (i + g) % 6 != 0;
}

bool has_word(int i, int g, const std::string& word) {
    if (word == "rouge") return (i * 7 + g * 3) % 5 < 2;
    if (word == "vert") return (i * 11 + g) % 3 == 0;
    if (word == "bleu") return (i + 2 * g) % 4 == 1;
    return true;
}

std::string file_name(int i) {
    std::ostringstream name;
    name << 'f' << std::setfill('0') << std::setw(4) << i << ".txt";
    return name.str();
}

class Harness {
public:
    explicit Harness(Settings settings) : settings_(std::move(settings)) {}

    int run() {
        fs::remove_all(work_);
        fs::create_directories(corpus_);
        for (int g = 0; g <= settings_.generations; ++g) {
            std::vector<Ids> answers;
            for (const auto& query : kQueries) {
                Ids ids;
                for (int i = 0; i < settings_.files; ++i) {
                    if (exists_in(i, g) && has_word(i, g, query)) ids.insert(file_name(i));
                }
                answers.push_back(std::move(ids));
            }
            answers_.push_back(std::move(answers));
        }
        auto started = Clock::now();
        if (!write_generation(0)) return report(started);
        newest_ = 0;

        std::vector<std::thread> readers;
        readers.reserve(static_cast<std::size_t>(settings_.readers) + 1);
        for (int r = 0; r < settings_.readers; ++r) {
            readers.emplace_back([this, r] { read_in_process(r); });
        }
        readers.emplace_back([this] { read_with_command(); });
        for (int g = 1; g <= settings_.generations && failures_ == 0; ++g) {
            newest_ = g;  // from now on, generation g may be what a reader sees
            if (!write_generation(g)) break;
        }
        done_ = true;
        for (auto& reader : readers) reader.join();
        return report(started);
    }

private:
    int report(Clock::time_point started) {
        auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
        std::cout << "search while indexing: seed " << settings_.seed << ", " << newest_
                  << " generations (" << first_builds_ << " first builds swapped in), " << queries_
                  << " queries (" << command_queries_ << " by the search command), " << failures_
                  << " failed; rival runs: " << rivals_locked_out_ << " locked out, " << rivals_ran_
                  << " ran; " << static_cast<int>(seconds) << " s\n";
        std::cout << (failures_ == 0 ? 1 : 0) << " passed, " << (failures_ == 0 ? 0 : 1)
                  << " failed\n";
        if (failures_ == 0) fs::remove_all(work_);
        return failures_ == 0 ? 0 : 1;
    }

    void fail(const std::string& message) {
        std::lock_guard guard(mutex_);
        ++failures_;
        if (failures_ <= 20) std::cerr << "search while indexing: FAILED: " << message << '\n';
    }

    bool write_generation(int g) {
        std::mt19937 random(settings_.seed * 7919 + static_cast<unsigned>(g));
        for (int i = 0; i < settings_.files; ++i) {
            fs::path file = corpus_ / file_name(i);
            if (!exists_in(i, g)) {
                fs::remove(file);
                continue;
            }
            std::string text = "Fichier " + std::to_string(i) + "\n\n";
            for (const auto& word : kQueries) {
                if (has_word(i, g, word)) text += word + " ";
            }
            text += trouvere::testing::french_prose(random(), 80);
            std::FILE* out = std::fopen(file.c_str(), "wb");
            bool written =
                out != nullptr && std::fwrite(text.data(), 1, text.size(), out) == text.size();
            // fclose writes what was buffered: a full disk may show only there.
            if (out != nullptr && std::fclose(out) != 0) written = false;
            if (!written) {
                fail("cannot write " + file.string());
                return false;
            }
            // A clock of its own, a minute per generation: a rewritten file always looks changed.
            fs::last_write_time(file, fs::file_time_type(std::chrono::seconds(1'700'000'000)) +
                                          std::chrono::minutes(g));
        }
        bool first_build = g > 0 && is_empty_generation(g - 1);
        std::vector<std::string> args{"--db", db_.string(), "--prune", "--quiet", corpus_.string()};
        ChildProcess writer(settings_.search_index, args);
        // The rival starts at once, with no wait: it finds the database locked by the writer, or
        // gets there first, and then the writer waits for it and finds nothing left to do.
        std::vector<std::string> rival_args = args;
        rival_args.insert(rival_args.begin(), {"--wait", "0"});
        auto rival = run_process(settings_.search_index, rival_args);
        auto written = writer.wait();
        // An empty generation leaves no file to index: search-index says so with status 1, after
        // committing what --prune deleted.
        int expected_status = is_empty_generation(g) ? 1 : 0;
        if (written.exit_code != expected_status) {
            fail("generation " + std::to_string(g) + ": search-index exited " +
                 std::to_string(written.exit_code) + ": " + written.err);
            return false;
        }
        std::string locked =
            "search-index: database is locked by process " + std::to_string(writer.pid()) + ": ";
        if (rival.exit_code == expected_status) {
            ++rivals_ran_;
        } else if (rival.exit_code == 2 && rival.err.starts_with(locked)) {
            ++rivals_locked_out_;
        } else {
            fail("generation " + std::to_string(g) + ": the rival search-index exited " +
                 std::to_string(rival.exit_code) + ": " + rival.err);
            return false;
        }
        if (first_build) ++first_builds_;
        return true;
    }

    // The generations an answer may come from: any committed so far, or the one being written.
    [[nodiscard]] bool consistent(std::size_t query, const Ids& ids, int newest) const {
        for (int g = newest; g >= 0; --g) {
            if (answers_[g][query] == ids) return true;
        }
        return false;
    }

    void check(std::size_t query, const Ids& ids, int newest, const std::string& who) {
        ++queries_;
        if (!consistent(query, ids, newest)) {
            fail(who + ": '" + kQueries[query] + "' found " + std::to_string(ids.size()) +
                 " documents, the answer of no committed generation up to " +
                 std::to_string(newest));
        }
    }

    void read_in_process(int reader) {
        std::string who = "reader " + std::to_string(reader);
        std::optional<trouvere::Searcher> searcher;
        auto query = static_cast<std::size_t>(reader);
        for (long count = 0; !done_; ++count) {
            query = (query + 1) % kQueries.size();
            try {
                if (!searcher || reader % 3 == 2) {
                    searcher.emplace(db_.string());
                } else if (reader % 3 == 0 || count % 200 == 0) {
                    searcher->reopen();
                }
                auto results = searcher->search(kQueries[query], {.limit = 100'000});
                Ids ids;
                for (const auto& hit : results.hits) ids.insert(hit.id);
                check(query, ids, newest_, who);
            } catch (const trouvere::Error& error) {
                ++queries_;
                fail(who + ": " + error.what());
            }
        }
    }

    void read_with_command() {
        std::size_t query = 0;
        while (!done_) {
            query = (query + 1) % kQueries.size();
            auto result =
                run_process(settings_.search, {"--db", db_.string(), "--json", "--limit", "100000",
                                               "--no-snippets", kQueries[query]});
            ++command_queries_;
            if (result.exit_code != 0 && result.exit_code != 1) {
                ++queries_;
                fail("search command exited " + std::to_string(result.exit_code) + ": " +
                     result.err);
                continue;
            }
            Ids ids;
            if (result.exit_code == 0) {
                auto json = nlohmann::json::parse(result.out, nullptr, false);
                if (!json.is_object()) {
                    ++queries_;
                    fail("search command printed no JSON: " + result.out);
                    continue;
                }
                for (const auto& hit : json["hits"]) ids.insert(hit["id"].get<std::string>());
            }
            check(query, ids, newest_, "search command");
        }
    }

    Settings settings_;
    fs::path work_ = fs::absolute(settings_.work);
    fs::path corpus_ = work_ / "corpus";
    fs::path db_ = work_ / "db";
    std::vector<std::vector<Ids>> answers_;  // generation -> query -> ids
    std::atomic<int> newest_ = 0;
    std::atomic<bool> done_ = false;
    std::atomic<long> queries_ = 0;
    std::atomic<long> command_queries_ = 0;
    std::atomic<long> failures_ = 0;
    int first_builds_ = 0;
    int rivals_locked_out_ = 0;
    int rivals_ran_ = 0;
    std::mutex mutex_;
};

}  // namespace

int main(int argc, char** argv) try {
    Settings settings;
    settings.work =
        (fs::temp_directory_path() / ("trouvere-swi-" + std::to_string(::getpid()))).string();
    CLI::App app(
        "Re-indexes a changing corpus in a loop while other processes and threads search "
        "it, and checks every answer.");
    app.add_option("--search-index", settings.search_index, "The search-index program")->required();
    app.add_option("--search", settings.search, "The search program")->required();
    app.add_option("--generations", settings.generations, "Versions of the corpus indexed");
    app.add_option("--readers", settings.readers, "Searching threads");
    app.add_option("--files", settings.files, "Files in the corpus");
    app.add_option("--seed", settings.seed, "Seed of the corpus");
    app.add_option("--work", settings.work, "Scratch folder");
    CLI11_PARSE(app, argc, argv);
    return Harness(settings).run();
} catch (const std::exception& error) {
    std::cerr << "search_while_indexing: " << error.what() << '\n';
    return 1;
}
