// search-index: builds or updates a trouvere database from files and folders. Exit status: 0 done
// (bad files are skipped with a warning), 1 no file to index in the paths given, 2 usage or
// database error (a database locked by another search-index for longer than --wait included).

#include <unistd.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "trouvere/database_path.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/snippet.h"
#include "trouvere/version.h"

namespace {

constexpr int kNothingToIndex = 1;
constexpr int kTrouble = 2;

constexpr std::string_view kDatabaseKept =
    "search-index: the database keeps what this run committed before the error, and nothing "
    "after; running it again finishes the job\n";

// The database of this run, once its writer holds the lock (see end_after_unrecoverable_error).
std::string locked_database;  // NOLINT(cert-err58-cpp,*-avoid-non-const-global-variables)

// Xapian 1.4.22 can end the process from inside a commit that fails part-way, after the database
// has a first revision (a disk that fills while a shard's position lists are written): its error
// escapes through a function that may not throw, and C++ calls std::terminate. Nothing is left
// to unwind, but the database is safe: on disk it is as of its last commit, as after a kill. So
// the run ends as after any other database error (message, exit status 2) rather than with an
// abort, and a parallel build's scratch folders are removed at once, since the disk is likely
// full. Another thread may end here at the same time: only the first one reports.
[[noreturn]] void end_after_unrecoverable_error() noexcept {
    static std::atomic_flag ending = ATOMIC_FLAG_INIT;
    if (ending.test_and_set()) {
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    std::string what = "unknown error";
    try {
        if (auto current = std::current_exception()) std::rethrow_exception(current);
    } catch (const Xapian::Error& error) {
        what = error.get_description();
    } catch (const std::exception& error) {
        what = error.what();
    } catch (...) {  // NOLINT(bugprone-empty-catch): "unknown error" says it
    }
    try {
        std::cerr << "search-index: " << trouvere::terminal_safe(what) << '\n';
        if (!locked_database.empty()) {
            std::cerr << kDatabaseKept << std::flush;
            trouvere::remove_abandoned_builds(locked_database);
        }
    } catch (...) {  // NOLINT(bugprone-empty-catch): ending anyway, with the status that says so
    }
    std::_Exit(kTrouble);
}

// File names and messages (which quote ids and field values) come from the files indexed, and are
// made terminal_safe so that they cannot drive the terminal.
void print_warning(const trouvere::IndexWarning& warning) {
    std::cerr << "search-index: warning: " << trouvere::terminal_safe(warning.file);
    if (warning.line > 0) std::cerr << ':' << warning.line;
    std::cerr << ": " << trouvere::terminal_safe(warning.message);
    if (warning.has_offset) std::cerr << " (byte offset " << warning.offset << ')';
    if (warning.skipped) std::cerr << "; skipped";
    std::cerr << '\n';
}

// A one-line progress display on a terminal, redrawn at most ten times a second and only once a
// run has lasted a second: short runs stay quiet.
class ProgressLine {
public:
    explicit ProgressLine(bool enabled) : enabled_(enabled) {}

    void update(const trouvere::IndexProgress& progress) {
        if (!enabled_) return;
        auto now = Clock::now();
        if (now - start_ < std::chrono::seconds(1) ||
            now - last_ < std::chrono::milliseconds(100)) {
            return;
        }
        last_ = now;
        shown_ = true;
        std::cerr << "\r\033[Kindexing: " << progress.files_seen << " files, "
                  << progress.documents_written << " documents written" << std::flush;
    }

    void clear() {
        if (shown_) std::cerr << "\r\033[K" << std::flush;
        shown_ = false;
    }

private:
    using Clock = std::chrono::steady_clock;
    bool enabled_;
    bool shown_ = false;
    Clock::time_point start_ = Clock::now();
    Clock::time_point last_ = start_;
};

// The native index is derived from the committed database, which is complete without it: a
// failure to build it is a warning, and searches answer from Xapian until a run builds it.
void update_native_index(trouvere::IndexWriter& writer) {
    try {
        (void)writer.update_native_index();
    } catch (const trouvere::DatabaseError& error) {
        std::cerr << "search-index: warning: " << trouvere::terminal_safe(error.what())
                  << "; searches answer from Xapian until the native index is built\n";
    }
}

// `K/N` into `options`: shard K of N, 1 <= K <= N.
bool read_shard(std::string_view text, trouvere::IndexOptions& options) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return false;
    const auto number = [](std::string_view digits, std::uint32_t& value) {
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
    };
    std::uint32_t shard = 0;
    std::uint32_t shards = 0;
    if (!number(text.substr(0, slash), shard) || !number(text.substr(slash + 1), shards) ||
        shard == 0 || shard > shards) {
        return false;
    }
    options.shard = shard;
    options.shards = shards;
    return true;
}

}  // namespace

int main(int argc, char** argv) try {
    std::set_terminate(end_after_unrecoverable_error);
    CLI::App app{
        "Index French text (.txt, .md, .html, .jsonl) for the search command.\n"
        "Unchanged files are skipped and changed ones replaced. A run commits every\n"
        "--commit-every documents and at its end; a killed run resumes where it committed.",
        "search-index"};
    app.set_version_flag("--version",
                         "search-index (trouvere) " + std::string(trouvere::version()));
    std::vector<std::string> paths;
    std::string db;
    bool prune = false;
    bool quiet = false;
    bool verbose = false;
    trouvere::IndexOptions options;
    double wait_seconds =
        std::chrono::duration<double>(trouvere::IndexWriter::kDefaultLockWait).count();
    app.add_option("paths", paths, "Files and folders to index (folders recursively)")->required();
    app.add_option("--db", db, "Database folder (default: $SEARCH_DB, else the per-user index)");
    app.add_flag("--prune", prune, "Delete documents whose files no longer exist");
    app.add_option("--commit-every", options.commit_every,
                   "Commit after every N documents written (0: one commit per run)")
        ->capture_default_str();
    app.add_option("--wait", wait_seconds,
                   "Seconds to wait for another search-index writing the same database")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 86400.0));
    std::string shard;
    app.add_option("--shard", shard,
                   "Index only shard K of N (K/N, from 1/N to N/N): the documents whose id hashes "
                   "to it, for a cluster")
        ->check(CLI::Validator(
            [&options](std::string& value) -> std::string {
                return read_shard(value, options)
                           ? std::string()
                           : "expected K/N, 1 <= K <= N, not '" + value + "'";
            },
            "K/N", "SHARD"));
    app.add_flag("-q,--quiet", quiet, "No progress line and no summary");
    app.add_flag("-v,--verbose", verbose,
                 "Report each commit, and the start of pruning, on standard error");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : kTrouble;
    }

    bool writer_open = false;
    try {
        std::string db_path = trouvere::resolve_database_path(db);
        trouvere::IndexWriter writer(db_path, 0,
                                     std::chrono::milliseconds(std::llround(wait_seconds * 1000)));
        writer_open = true;
        locked_database = db_path;
        if (writer.rebuilds_outdated_database()) {
            std::cerr << "search-index: " << db_path
                      << " was written by an older version of trouvere; rebuilding it from the "
                         "files given\n";
        }
        ProgressLine progress(!quiet && ::isatty(STDERR_FILENO) == 1);
        options.prune = prune;
        // One write per line, before and after each commit: a run killed in between may or may
        // not have made that commit, one killed outside has exactly the last commit reported.
        auto report_commit = [&](std::string_view stage, std::size_t files, bool last) {
            if (!verbose) return;
            progress.clear();
            std::string line = "search-index: " + std::string(stage) + " " + std::to_string(files) +
                               " files" + (last ? " (end of run)" : "") + "\n";
            std::cerr << line << std::flush;
        };
        options.before_commit = [&](const trouvere::IndexProgress& state) {
            report_commit("committing", state.files_seen, false);
        };
        options.after_commit = [&](const trouvere::IndexProgress& state) {
            report_commit("committed", state.files_seen, false);
        };
        std::size_t files_seen = 0;
        options.on_warning = [&progress](const trouvere::IndexWarning& warning) {
            progress.clear();
            print_warning(warning);
        };
        options.on_progress = [&](const trouvere::IndexProgress& state) {
            files_seen = state.files_seen;
            if (state.pruning && verbose) {
                progress.clear();
                std::cerr << "search-index: pruning\n" << std::flush;
            }
            progress.update(state);
        };
        auto report = trouvere::index_paths(writer, paths, options);
        report_commit("committing", files_seen, true);
        writer.commit();
        report_commit("committed", files_seen, true);
        progress.clear();
        update_native_index(writer);
        if (!quiet) {
            std::cout << "indexed into " << db_path << ": " << report.added << " added, "
                      << report.updated << " updated, " << report.unchanged << " unchanged, "
                      << report.deleted << " deleted, " << report.skipped << " skipped ("
                      << writer.document_count() << " documents in the database)\n";
        }
        if (files_seen == 0) {
            // Most likely a wrong folder: say so rather than report success.
            std::cerr << "search-index: no .txt, .md, .markdown, .html, .htm or .jsonl file to "
                         "index in the paths given\n";
            return kNothingToIndex;
        }
        return 0;
    } catch (const std::exception& error) {
        // A trouvere::Error, or what the library does not translate (memory exhausted, say): a
        // message and exit status 2 either way, never an abort.
        std::cerr << "search-index: " << trouvere::terminal_safe(error.what()) << '\n';
        // After a failed run (a full disk, say) the user's next question is whether the index is
        // damaged: it is not, it is as of the run's last commit.
        if (writer_open) std::cerr << kDatabaseKept;
        return kTrouble;
    }
} catch (const std::exception& error) {
    // Thrown outside the run (setting up the command line, say): the same message and exit
    // status, not an abort.
    std::cerr << "search-index: " << trouvere::terminal_safe(error.what()) << '\n';
    return kTrouble;
}
