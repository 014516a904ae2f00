// search-index: builds or updates a trouvere database from files and folders, in one atomic
// commit. Exit status: 0 done (bad files are skipped with a warning), 1 no file to index in the
// paths given, 2 usage or database error.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "trouvere/database_path.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/snippet.h"

namespace {

constexpr int kNothingToIndex = 1;
constexpr int kTrouble = 2;

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

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "Index French text (.txt, .md, .html, .jsonl) for the search command.\n"
        "Unchanged files are skipped and changed ones replaced; each run is one commit.",
        "search-index"};
    std::vector<std::string> paths;
    std::string db;
    bool prune = false;
    bool quiet = false;
    app.add_option("paths", paths, "Files and folders to index (folders recursively)")->required();
    app.add_option("--db", db, "Database folder (default: $SEARCH_DB, else the per-user index)");
    app.add_flag("--prune", prune, "Delete documents whose files no longer exist");
    app.add_flag("-q,--quiet", quiet, "No progress line and no summary");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : kTrouble;
    }

    bool writer_open = false;
    try {
        std::string db_path = trouvere::resolve_database_path(db);
        trouvere::IndexWriter writer(db_path);
        writer_open = true;
        if (writer.rebuilds_outdated_database()) {
            std::cerr << "search-index: " << db_path
                      << " was written by an older version of trouvere; rebuilding it from the "
                         "files given\n";
        }
        ProgressLine progress(!quiet && ::isatty(STDERR_FILENO));
        trouvere::IndexOptions options;
        options.prune = prune;
        options.on_warning = [&progress](const trouvere::IndexWarning& warning) {
            progress.clear();
            print_warning(warning);
        };
        std::size_t files_seen = 0;
        options.on_progress = [&progress, &files_seen](const trouvere::IndexProgress& state) {
            files_seen = state.files_seen;
            progress.update(state);
        };
        auto report = trouvere::index_paths(writer, paths, options);
        // Committed even when nothing was found: --prune may have deleted documents.
        writer.commit();
        progress.clear();
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
    } catch (const trouvere::Error& error) {
        std::cerr << "search-index: " << trouvere::terminal_safe(error.what()) << '\n';
        // A failed run (a full disk, say) commits nothing: say so, since the user's next
        // question is whether the index is damaged.
        if (writer_open) {
            std::cerr << "search-index: nothing was committed: the database is as it was before "
                         "this run\n";
        }
        return kTrouble;
    }
}
