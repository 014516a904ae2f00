// Prints the comparison of the engines' result files as Markdown tables:
//   peers_report RESULTS_DIR PEER...
// reads RESULTS_DIR/<engine>-{index,query,query-snippets,probe}.json for trouvere (from its own
// benchmark, when those files exist) and for each PEER (from the peer programs), and prints one
// row per engine, the query latency by class, and trouvere's figures divided by each peer's.
// An engine with a <engine>-query-match.json (matching only) has a second row for those figures.

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace {

namespace fs = std::filesystem;
using peers::Json;

// trouvere's benchmark writes files with the same names and keys as the peers' (see README.md).
const std::string kTrouvere = "trouvere";
// The row of an engine's <engine>-query-match.json: its top ten without ids or titles.
const std::string kMatchOnly = ", matching only";

struct Engine {
    std::string name;
    Json index;
    Json query;
    Json query_snippets;
    Json probe;
};

Json load(const fs::path& dir, const std::string& engine, const std::string& what) {
    const fs::path path = dir / (engine + "-" + what + ".json");
    std::ifstream in(path);
    if (!in) return nullptr;
    Json file = Json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!file.is_object()) {
        std::cerr << "peers_report: " << path.string() << " is not a JSON object; left out\n";
        return nullptr;
    }
    return file;
}

// The number at `path` (keys separated by '/'), if the file has one there.
std::optional<double> number(const Json& file, const std::string& path) {
    const Json* node = &file;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = std::min(path.find('/', start), path.size());
        const std::string key = path.substr(start, slash - start);
        if (!node->is_object() || !node->contains(key)) return std::nullopt;
        node = &(*node)[key];
        start = slash + 1;
    }
    if (!node->is_number()) return std::nullopt;
    return node->get<double>();
}

// Three significant digits at most, no exponent: 0.123, 1.23, 12.3, 123, 1234.
std::string format(std::optional<double> value) {
    if (!value) return "–";
    const double v = *value;
    const int decimals = v == 0 || std::fabs(v) >= 100 ? 0
                         : std::fabs(v) >= 10          ? 1
                         : std::fabs(v) >= 1           ? 2
                                                       : 3;
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << v;
    return text.str();
}

// A count of documents or queries: a whole number, however large.
std::string count(std::optional<double> value) {
    if (!value) return "–";
    std::ostringstream text;
    text << std::fixed << std::setprecision(0) << *value;
    return text.str();
}

std::optional<double> ratio(std::optional<double> mine, std::optional<double> theirs) {
    if (!mine || !theirs || *theirs == 0) return std::nullopt;
    return *mine / *theirs;
}

// The memory an index build costs: the server's for a client–server engine.
std::optional<double> index_rss(const Engine& engine) {
    auto server = number(engine.index, "server_peak_rss_mb");
    return server ? server : number(engine.index, "peak_rss_mb");
}

struct Column {
    std::string title;
    std::optional<double> (*value)(const Engine&);
};

const std::vector<Column> kMainColumns = {
    {"docs", [](const Engine& e) { return number(e.index, "docs"); }},
    {"index s", [](const Engine& e) { return number(e.index, "seconds"); }},
    {"MB/s", [](const Engine& e) { return number(e.index, "mb_per_s"); }},
    {"peak RSS MB", index_rss},
    {"on disk MB", [](const Engine& e) { return number(e.index, "disk_mb"); }},
    {"query p50 ms", [](const Engine& e) { return number(e.query, "latency_ms/all/p50"); }},
    {"query p99 ms", [](const Engine& e) { return number(e.query, "latency_ms/all/p99"); }},
    {"+snippets p50 ms",
     [](const Engine& e) { return number(e.query_snippets, "latency_ms/all/p50"); }},
    {"+snippets p99 ms",
     [](const Engine& e) { return number(e.query_snippets, "latency_ms/all/p99"); }},
};

void print_row(const std::vector<std::string>& cells) {
    std::cout << '|';
    for (const auto& cell : cells) std::cout << ' ' << cell << " |";
    std::cout << '\n';
}

void print_header(const std::vector<std::string>& titles) {
    print_row(titles);
    std::cout << "|---|";
    for (std::size_t i = 1; i < titles.size(); ++i) std::cout << "---:|";
    std::cout << '\n';
}

std::string label(const Engine& engine) {
    return engine.name == kTrouvere ? "**trouvere**" : engine.name;
}

void print_main(const std::vector<Engine>& engines, const std::vector<std::string>& probes,
                bool have_trouvere) {
    std::vector<std::string> titles{"engine"};
    for (const auto& column : kMainColumns) titles.push_back(column.title);
    for (const auto& probe : probes) titles.push_back("`" + probe + "`");
    print_header(titles);
    if (!have_trouvere) {
        // The place trouvere's row goes: scripts/bench-peers fills it from its benchmark files.
        std::vector<std::string> cells{"**trouvere**"};
        cells.resize(titles.size(), "–");
        cells[1] = "no bench/results/trouvere-*.json yet";
        print_row(cells);
    }
    for (const auto& engine : engines) {
        std::vector<std::string> cells{label(engine)};
        for (const auto& column : kMainColumns) {
            cells.push_back(column.title == "docs" ? count(column.value(engine))
                                                   : format(column.value(engine)));
        }
        for (const auto& probe : probes) {
            const auto counts =
                engine.probe.is_object() ? engine.probe.value("counts", Json()) : Json();
            cells.push_back(count(counts.is_object() && counts.contains(probe)
                                      ? std::optional<double>(counts[probe].get<double>())
                                      : std::nullopt));
        }
        print_row(cells);
    }
}

void print_by_class(const std::vector<Engine>& engines) {
    std::vector<std::string> classes;
    for (const auto& engine : engines) {
        if (!engine.query.contains("latency_ms")) continue;
        for (const auto& [query_class, stats] : engine.query["latency_ms"].items()) {
            if (query_class != "all" &&
                std::find(classes.begin(), classes.end(), query_class) == classes.end()) {
                classes.push_back(query_class);
            }
        }
    }
    if (classes.empty()) return;
    std::vector<std::string> titles{"engine"};
    titles.insert(titles.end(), classes.begin(), classes.end());

    std::cout << "\nQuery latency by class, p50 / p99 in ms, without snippets:\n\n";
    print_header(titles);
    for (const auto& engine : engines) {
        std::vector<std::string> cells{label(engine)};
        for (const auto& query_class : classes) {
            const std::string base = "latency_ms/" + query_class + "/";
            cells.push_back(format(number(engine.query, base + "p50")) + " / " +
                            format(number(engine.query, base + "p99")));
        }
        print_row(cells);
    }

    // An empty result is a cheap lookup: these counts say how much of a class's latency is that.
    std::cout << "\nQueries that match nothing, by class:\n\n";
    print_header(titles);
    for (const auto& engine : engines) {
        std::vector<std::string> cells{label(engine)};
        for (const auto& query_class : classes) {
            const auto empty = number(engine.query, "queries_without_match/" + query_class);
            const auto all = number(engine.query, "latency_ms/" + query_class + "/n");
            const auto repeat = number(engine.query, "repeat");
            cells.push_back(empty && all && repeat ? count(empty) + " of " + count(*all / *repeat)
                                                   : "–");
        }
        print_row(cells);
    }
}

void print_ratios(const Engine& trouvere, const std::vector<Engine>& engines) {
    std::cout << "\ntrouvere ÷ peer (below 1: trouvere is faster, smaller or lighter):\n\n";
    std::vector<std::string> titles{"peer"};
    for (const auto& column : kMainColumns) {
        if (column.title != "docs" && column.title != "MB/s") titles.push_back(column.title);
    }
    print_header(titles);
    for (const auto& engine : engines) {
        if (engine.name == kTrouvere) continue;
        std::vector<std::string> cells{engine.name};
        for (const auto& column : kMainColumns) {
            if (column.title == "docs" || column.title == "MB/s") continue;
            cells.push_back(format(ratio(column.value(trouvere), column.value(engine))));
        }
        print_row(cells);
    }
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 3) {
        std::cerr << "usage: peers_report RESULTS_DIR PEER...\n";
        return 2;
    }
    const fs::path dir = argv[1];
    std::vector<std::string> names{kTrouvere};
    names.insert(names.end(), argv + 2, argv + argc);

    std::vector<Engine> engines;
    for (const auto& name : names) {
        Engine engine{name, load(dir, name, "index"), load(dir, name, "query"),
                      load(dir, name, "query-snippets"), load(dir, name, "probe")};
        const bool found = !engine.index.is_null() || !engine.query.is_null() ||
                           !engine.query_snippets.is_null() || !engine.probe.is_null();
        if (found) engines.push_back(std::move(engine));
        // An engine that can also be timed without reading any stored field (Lucene's TopDocs)
        // gets a second row holding only those query figures, right below its own.
        Json match_only = load(dir, name, "query-match");
        if (!match_only.is_null()) {
            engines.push_back(
                {name + kMatchOnly, nullptr, std::move(match_only), nullptr, nullptr});
        }
    }
    const bool have_trouvere = !engines.empty() && engines.front().name == kTrouvere;

    std::vector<std::string> probes;
    for (const auto& engine : engines) {
        if (!engine.probe.is_object() || !engine.probe.contains("counts")) continue;
        for (const auto& [query, count] : engine.probe["counts"].items()) {
            if (std::find(probes.begin(), probes.end(), query) == probes.end()) {
                probes.push_back(query);
            }
        }
    }

    print_main(engines, probes, have_trouvere);
    print_by_class(engines);
    if (have_trouvere) print_ratios(engines.front(), engines);
    std::cout << "\nMB are 10^6 bytes; MB/s is JSONL bytes read per second of indexing. "
                 "trouvere: index s includes building its own index after the Xapian database "
                 "(native_index_seconds in trouvere-index.json), on disk both; trouvere-xapian "
                 "answers from the same database through Xapian. postgres-fts: peak RSS is the "
                 "server process's (shared buffers it touched "
                 "included), on disk is pg_total_relation_size (table, TOAST, GIN and key "
                 "indexes), index s includes COPY, GIN build and ANALYZE. lucene: peak RSS is "
                 "the JVM's (VmHWM, its default heap sizing), index s includes forceMerge(1), "
                 "queries are timed once its JIT has settled (the rounds are in "
                 "lucene-query*.json); \"lucene, matching only\" is the top ten's doc numbers and "
                 "scores, no stored field read, while every other query figure includes each "
                 "hit's id and title. Probe counts are exact numbers of matching documents.\n";
    return 0;
} catch (const std::exception& error) {
    // Memory exhausted, say: a message rather than an abort.
    std::cerr << "peers_report: " << error.what() << '\n';
    return 2;
}
