// search: ranked full-text queries over a trouvere database, for people and for programs.
// Exit status as grep: 0 some hit, 1 no hit, 2 usage, query or database error.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "server/serve_main.h"
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
    using trouvere::terminal_safe;
    if (results.suggestion) {
        std::cout << "Did you mean: " << style.bold << terminal_safe(*results.suggestion)
                  << style.reset << "?\n";
        if (!results.hits.empty() || results.fell_back_to_any_word) std::cout << '\n';
    }
    if (results.fell_back_to_any_word) {
        std::cout << style.dim
                  << "No document has all the words; showing documents with any of them."
                  << style.reset << "\n\n";
    }
    // Everything from the index goes through terminal_safe: a document must not be able to drive
    // the terminal it is shown on.
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
    for (const trouvere::FacetCounts& counts : results.facets) {
        std::cout << "\n"
                  << style.bold << "By " << trouvere::facet_name(counts.facet) << ":"
                  << style.reset;
        if (counts.values.empty()) std::cout << " none";
        for (const trouvere::FacetValue& value : counts.values) {
            std::cout << "\n   " << terminal_safe(value.value) << style.dim << " · " << value.count
                      << style.reset;
        }
        std::cout << '\n';
    }
}

void print_explanation(const trouvere::QueryExplanation& explanation, const Style& style) {
    using trouvere::terminal_safe;
    std::cout << style.bold << "parsed:   " << style.reset << terminal_safe(explanation.tree)
              << '\n';
    std::cout << style.bold << "words:" << style.reset;
    if (explanation.words.empty()) std::cout << "    none\n";
    for (std::size_t k = 0; k < explanation.words.size(); ++k) {
        const auto& word = explanation.words[k];
        std::cout << (k == 0 ? "    " : "          ") << terminal_safe(word.text) << " → stem "
                  << terminal_safe(word.stem);
        if (!word.accented_stem.empty()) {
            std::cout << ", accented stem " << terminal_safe(word.accented_stem);
        }
        if (!word.exact.empty()) std::cout << ", as typed " << terminal_safe(word.exact);
        if (word.stopword) std::cout << style.dim << " (stopword)" << style.reset;
        std::cout << '\n';
    }
    std::cout << style.bold << "filters:" << style.reset;
    if (explanation.filters.empty()) std::cout << "  none";
    for (std::size_t k = 0; k < explanation.filters.size(); ++k) {
        std::cout << (k == 0 ? "  " : ", ") << explanation.filters[k];
    }
    std::cout << '\n'
              << style.bold << "matching: " << style.reset << terminal_safe(explanation.matching)
              << '\n'
              << style.bold << "engine:   " << style.reset << explanation.engine;
    if (!explanation.engine_reason.empty()) {
        std::cout << style.dim << " (" << terminal_safe(explanation.engine_reason) << ")"
                  << style.reset;
    }
    std::cout << '\n';
}

// The options given as text, each read by the library as the server reads its URL parameters:
// a flag, the library's name of the option, and the value given.
struct TextOption {
    std::string flag;
    std::string name;
    std::string value;
};

// Sets each option given on the command line, or throws a usage error naming its flag.
void set_given_options(const CLI::App& app, const std::vector<TextOption>& text_options,
                       trouvere::SearchOptions& options) {
    for (const TextOption& option : text_options) {
        if (app.count(option.flag) == 0) continue;
        try {
            trouvere::set_search_option(options, option.name, option.value);
        } catch (const trouvere::QueryError& error) {
            throw CLI::ValidationError(option.flag, error.what());
        }
    }
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc > 1 && std::string_view(argv[1]) == "serve") {
        return trouvere::server::serve_main(argc - 1, argv + 1);
    }
    CLI::App app{
        "Search a trouvere index of French text.\n"
        "Query syntax: words, \"a phrase\", AND, OR, NOT, +required, -excluded, (groups), "
        "title:word, date:2024-07 (also date:2024, date:2024-07-04, date:2024-01..2024-06, "
        "date:2024-06.., date:..2023).\nQuote a query that starts a word with '-', or put -- "
        "before it; a query of the one word serve needs -- before it too.\n"
        "search serve [--db PATH] [--listen HOST:PORT] [--threads N] answers over HTTP "
        "(search serve --help).",
        "search"};
    app.set_version_flag("--version", "search (trouvere) " + std::string(trouvere::version()));
    std::vector<std::string> words;
    std::string db;
    trouvere::SearchOptions options;
    bool json = false;
    bool no_snippets = false;
    std::string colour = "auto";
    std::vector<TextOption> text_options{{"--limit", "limit", ""},
                                         {"--offset", "offset", ""},
                                         {"--snippet-chars", "snippet_chars", ""},
                                         {"--engine", "engine", ""},
                                         {"--since", "since", ""},
                                         {"--until", "until", ""},
                                         {"--source", "source", ""},
                                         {"--sort", "sort", ""},
                                         {"--facets", "facets", ""}};
    auto text_option = [&](const std::string& flag) -> std::string& {
        return std::find_if(text_options.begin(), text_options.end(),
                            [&](const TextOption& option) { return option.flag == flag; })
            ->value;
    };
    std::vector<std::string> facet_names;
    bool count_only = false;
    bool explain = false;
    app.add_option("query", words, "The query; several arguments are joined with spaces")
        ->required();
    app.add_option("--db", db, "Database folder (default: $SEARCH_DB, else the per-user index)");
    app.add_option(
        "-n,--limit", text_option("--limit"),
        "Number of results, from 1 to " + std::to_string(trouvere::kMaxSearchLimit) + " (10)");
    app.add_option("--offset", text_option("--offset"), "Skip this many results first");
    app.add_option("--snippet-chars", text_option("--snippet-chars"),
                   "Approximate snippet length, from " +
                       std::to_string(trouvere::kMinSnippetChars) + " to " +
                       std::to_string(trouvere::kMaxSnippetChars) + " (200)");
    app.add_flag("--no-snippets", no_snippets, "Print no snippets");
    app.add_flag("--json", json, "One JSON object on stdout, for programs");
    app.add_option("--color,--colour", colour, "Highlight with colour: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--engine", text_option("--engine"),
                   "Index that answers: auto (trouvere's own when up to date, else Xapian), "
                   "native or xapian");
    app.add_option("--since", text_option("--since"),
                   "Only documents dated on or after DATE: 2024, 2024-07 or 2024-07-04");
    app.add_option("--until", text_option("--until"),
                   "Only documents dated on or before DATE: 2024, 2024-07 or 2024-07-04");
    app.add_option("--source", text_option("--source"),
                   "Only documents from this source, as the source facet names it");
    app.add_option("--sort", text_option("--sort"),
                   "Order of the hits: relevance, newest or oldest (undated documents last)");
    app.add_option("--facets", facet_names,
                   "Count every match by year and/or source (comma-separated: year,source)")
        ->delimiter(',');
    app.add_flag("--allow-partial", options.allow_partial,
                 "Over a cluster, answer from the shards that answer, with a warning naming the "
                 "others, rather than fail");
    app.add_flag("--explain", explain,
                 "Print how the query is read (tree, terms, filters, engine) instead of searching");
    app.add_flag("--count", count_only,
                 "Print only the exact number of matching documents (with --json: no hits)");
    try {
        app.parse(argc, argv);
        for (const std::string& name : facet_names) {
            std::string& list = text_option("--facets");
            list += (list.empty() ? "" : ",") + name;
        }
        set_given_options(app, text_options, options);
    } catch (const CLI::ParseError& error) {
        int code = app.exit(error);
        return code == 0 ? 0 : kTrouble;
    }
    if (count_only) {
        options.limit = 0;
        options.snippets = false;
        options.count_at_least = SIZE_MAX;
    }
    options.snippets = options.snippets && !no_snippets;

    std::string query;
    for (const auto& word : words) query += (query.empty() ? "" : " ") + word;
    try {
        trouvere::Searcher searcher(trouvere::resolve_database_path(db));
        if (explain) {
            const auto explanation = searcher.explain(query, options);
            for (const auto& warning : explanation.warnings)
                std::cerr << "search: note: " << warning << '\n';
            if (json) {
                std::cout << trouvere::to_json(explanation) << '\n';
            } else {
                print_explanation(explanation, make_style(colour));
            }
            return kHit;
        }
        auto results = searcher.search(query, options);
        for (const auto& warning : results.warnings)
            std::cerr << "search: note: " << warning << '\n';
        if (count_only && !json) {
            // Standard output holds the number alone, for scripts.
            if (results.suggestion) {
                std::cerr << "Did you mean: " << trouvere::terminal_safe(*results.suggestion)
                          << "?\n";
            }
            std::cout << results.total_estimate << '\n';
            return results.total_estimate == 0 ? kNoHit : kHit;
        }
        if (json) {
            std::cout << trouvere::to_json(results) << '\n';
        } else {
            print_for_people(results, make_style(colour), options.offset);
            if (results.hits.empty()) {
                std::cerr << "search: no match for " << trouvere::terminal_safe(query) << '\n';
            }
        }
        const bool found = count_only ? results.total_estimate > 0 : !results.hits.empty();
        return found ? kHit : kNoHit;
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
