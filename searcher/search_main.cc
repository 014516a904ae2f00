// search: ranked full-text queries over a trouvere database, for people and for programs.
// Exit status as grep: 0 some hit, 1 no hit, 2 usage, query or database error.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/database_path.h"
#include "trouvere/error.h"
#include "trouvere/searcher.h"
#include "trouvere/version.h"

namespace {

constexpr int kHit = 0;
constexpr int kNoHit = 1;
constexpr int kTrouble = 2;

struct Style {
    std::string bold, dim, mark, reset;
};

Style make_style(const std::string& colour) {
    bool use_colour = colour == "always";
    if (colour == "auto") {
        const char* no_colour = std::getenv("NO_COLOR");
        const char* term = std::getenv("TERM");
        use_colour = ::isatty(STDOUT_FILENO) == 1 && (no_colour == nullptr || *no_colour == '\0') &&
                     !(term != nullptr && std::string(term) == "dumb");
    }
    if (!use_colour) return {};
    return {"\033[1m", "\033[2m", "\033[1;33m", "\033[0m"};
}

void print_for_people(const trouvere::SearchResults& results, const Style& style,
                      std::size_t offset) {
    if (results.fell_back_to_any_word) {
        std::cout << style.dim
                  << "No document has all the words; showing documents with any of them."
                  << style.reset << "\n\n";
    }
    // Everything from the index goes through terminal_safe: a document must not be able to drive
    // the terminal it is shown on.
    using trouvere::terminal_safe;
    for (const auto& hit : results.hits) {
        std::cout << style.bold << hit.rank << ". "
                  << terminal_safe(hit.title.empty() ? hit.id : hit.title) << style.reset << '\n';
        std::cout << "   " << style.dim << terminal_safe(hit.id);
        if (!hit.date.empty()) std::cout << " · " << terminal_safe(hit.date);
        if (!hit.source.empty()) std::cout << " · " << terminal_safe(hit.source);
        std::ostringstream score;
        score << std::fixed << std::setprecision(2) << hit.score;
        std::cout << " · score " << score.str() << style.reset << '\n';
        if (!hit.snippet.text.empty()) {
            std::cout << "   " << trouvere::to_terminal_text(hit.snippet, style.mark, style.reset)
                      << '\n';
        }
        std::cout << '\n';
    }
    if (!results.hits.empty()) {
        std::cout << style.dim << offset + 1 << "–" << offset + results.hits.size()
                  << (results.total_exact ? " of " : " of about ") << results.total_estimate
                  << " matching documents" << style.reset << '\n';
    }
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{
        "Search a trouvere index of French text.\n"
        "Query syntax: words, \"a phrase\", AND, OR, NOT, +required, -excluded, (groups), "
        "title:word.\nQuote a query that starts a word with '-', or put -- before it.",
        "search"};
    app.set_version_flag("--version", "search (trouvere) " + std::string(trouvere::version()));
    std::vector<std::string> words;
    std::string db;
    trouvere::SearchOptions options;
    bool json = false;
    bool no_snippets = false;
    std::string colour = "auto";
    std::string engine = "auto";
    app.add_option("query", words, "The query; several arguments are joined with spaces")
        ->required();
    app.add_option("--db", db, "Database folder (default: $SEARCH_DB, else the per-user index)");
    app.add_option("-n,--limit", options.limit, "Number of results")->check(CLI::Range(1, 100000));
    app.add_option("--offset", options.offset, "Skip this many results first");
    app.add_option("--snippet-chars", options.snippet_chars, "Approximate snippet length")
        ->check(CLI::Range(20, 100000));
    app.add_flag("--no-snippets", no_snippets, "Print no snippets");
    app.add_flag("--json", json, "One JSON object on stdout, for programs");
    app.add_option("--color,--colour", colour, "Highlight with colour: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--engine", engine,
                   "Index that answers: auto (trouvere's own when up to date, else Xapian), "
                   "native or xapian")
        ->check(CLI::IsMember({"auto", "native", "xapian"}));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : kTrouble;
    }
    options.snippets = !no_snippets;
    options.engine = engine == "native"   ? trouvere::SearchEngine::native
                     : engine == "xapian" ? trouvere::SearchEngine::xapian
                                          : trouvere::SearchEngine::automatic;

    std::string query;
    for (const auto& word : words) query += (query.empty() ? "" : " ") + word;
    try {
        trouvere::Searcher searcher(trouvere::resolve_database_path(db));
        auto results = searcher.search(query, options);
        for (const auto& warning : results.warnings)
            std::cerr << "search: note: " << warning << '\n';
        if (json) {
            std::cout << trouvere::to_json(results) << '\n';
        } else {
            print_for_people(results, make_style(colour), options.offset);
            if (results.hits.empty()) {
                std::cerr << "search: no match for " << trouvere::terminal_safe(query) << '\n';
            }
        }
        return results.hits.empty() ? kNoHit : kHit;
    } catch (const std::exception& error) {
        // A trouvere::Error, or what the library does not translate (memory exhausted, say).
        // Messages may quote the query or a path.
        std::cerr << "search: " << trouvere::terminal_safe(error.what()) << '\n';
        return kTrouble;
    }
} catch (const std::exception& error) {
    // Thrown outside the run (setting up the command line, say): the same message and exit
    // status, not an abort.
    std::cerr << "search: " << trouvere::terminal_safe(error.what()) << '\n';
    return kTrouble;
}
