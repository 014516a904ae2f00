// shards_bench: the benchmark queries against one local database and against clusters of it, in
// one thread, for scripts/bench-shards.
//
//   shards_bench --queries bench/queries.tsv --rounds 3 --single DB --cluster NAME=STUB ...
//
// For the single database (Xapian and the native index) and each cluster: p50 and p99 per query
// class and over all, with snippets and without, and the queries answered per second; the time a
// new Searcher takes to give its first suggestion (it reads every word of the index); and for each
// cluster, how many queries answer exactly as the single database with Xapian (the same hits and
// scores, the same snippets, ties as sets). Prints one JSON object.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "trouvere/searcher.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Query {
    std::string kind;
    std::string text;
};

std::vector<Query> read_queries(const std::string& file) {
    std::vector<Query> queries;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        const auto tab = line.find('\t');
        if (tab != std::string::npos)
            queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    return queries;
}

double percentile(std::vector<double> values, double rank) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(std::ceil(rank * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, at == 0 ? 0 : at - 1)];
}

// Milliseconds each query took, by class, over `rounds` passes after one to warm up.
nlohmann::ordered_json timings(trouvere::Searcher& searcher, const std::vector<Query>& queries,
                               const trouvere::SearchOptions& options, int rounds) {
    std::map<std::string, std::vector<double>> by_kind;
    std::vector<double> all;
    double total_seconds = 0;
    for (int round = 0; round <= rounds; ++round) {
        for (const Query& query : queries) {
            const auto start = Clock::now();
            (void)searcher.search(query.text, options);
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            if (round == 0) continue;
            by_kind[query.kind].push_back(seconds * 1000);
            all.push_back(seconds * 1000);
            total_seconds += seconds;
        }
    }
    nlohmann::ordered_json json;
    json["queries_per_second"] = static_cast<double>(all.size()) / total_seconds;
    json["all"] = {{"p50", percentile(all, 0.5)}, {"p99", percentile(all, 0.99)}};
    for (const auto& [kind, values] : by_kind) {
        json["classes"][kind] = {{"p50", percentile(values, 0.5)},
                                 {"p99", percentile(values, 0.99)}};
    }
    return json;
}

bool close_enough(double a, double b) {
    return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

// Whether `got` answers as `expected`: the same count, hits and snippets, ties as sets (a run of
// ties cut by the page may show other members of it).
bool same_answer(const trouvere::SearchResults& expected, const trouvere::SearchResults& got) {
    if (got.total_estimate != expected.total_estimate || got.suggestion != expected.suggestion ||
        got.hits.size() != expected.hits.size()) {
        return false;
    }
    std::map<std::string, std::string> snippets;
    for (const auto& hit : expected.hits) snippets[hit.id] = to_html(hit.snippet);
    for (std::size_t begin = 0; begin < got.hits.size();) {
        std::size_t end = begin + 1;
        while (end < got.hits.size() &&
               close_enough(expected.hits[end].score, expected.hits[end - 1].score)) {
            ++end;
        }
        std::set<std::string> want;
        std::set<std::string> have;
        for (std::size_t k = begin; k < end; ++k) {
            if (!close_enough(got.hits[k].score, expected.hits[k].score)) return false;
            want.insert(expected.hits[k].id);
            have.insert(got.hits[k].id);
            const auto snippet = snippets.find(got.hits[k].id);
            if (snippet != snippets.end() && snippet->second != to_html(got.hits[k].snippet)) {
                return false;
            }
        }
        const bool cut = end == got.hits.size() && got.hits.size() == 10;
        if (!cut && want != have) return false;
        begin = end;
    }
    return true;
}

// Seconds a new Searcher takes to answer a misspelt query with its suggestion.
double first_suggestion_seconds(const std::string& db, trouvere::SearchEngine engine) {
    trouvere::Searcher searcher(db);
    const auto start = Clock::now();
    const auto results = searcher.search("persistnt", {.engine = engine});
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!results.suggestion) throw std::runtime_error("no suggestion from " + db);
    return seconds;
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"The benchmark queries against one database and clusters of it", "shards_bench"};
    std::string queries_file;
    std::string single;
    std::vector<std::string> clusters;
    int rounds = 3;
    app.add_option("--queries", queries_file, "bench/queries.tsv")->required();
    app.add_option("--single", single, "The database every cluster splits")->required();
    app.add_option("--cluster", clusters, "NAME=STUB, a cluster file");
    app.add_option("--rounds", rounds, "Timed passes over the queries, after one to warm up");
    CLI11_PARSE(app, argc, argv);
    const std::vector<Query> queries = read_queries(queries_file);

    nlohmann::ordered_json report;
    report["queries"] = queries.size();
    report["rounds"] = rounds;
    const trouvere::SearchOptions with_snippets;
    const trouvere::SearchOptions without_snippets{.snippets = false};
    trouvere::Searcher local(single);
    std::vector<trouvere::SearchResults> expected;
    expected.reserve(queries.size());
    for (const Query& query : queries) {
        expected.push_back(local.search(query.text, {.engine = trouvere::SearchEngine::xapian}));
    }
    for (const auto engine : {trouvere::SearchEngine::native, trouvere::SearchEngine::xapian}) {
        const std::string name = "local " + std::string(trouvere::search_engine_name(engine));
        auto& entry = report["databases"][name];
        trouvere::SearchOptions snippets = with_snippets;
        trouvere::SearchOptions plain = without_snippets;
        snippets.engine = plain.engine = engine;
        entry["snippets"] = timings(local, queries, snippets, rounds);
        entry["no_snippets"] = timings(local, queries, plain, rounds);
        entry["first_suggestion_seconds"] = first_suggestion_seconds(single, engine);
    }
    for (const std::string& named : clusters) {
        const auto equals = named.find('=');
        const std::string name = named.substr(0, equals);
        const std::string stub = named.substr(equals + 1);
        trouvere::Searcher searcher(stub);
        auto& entry = report["databases"][name];
        std::size_t identical = 0;
        for (std::size_t k = 0; k < queries.size(); ++k) {
            if (same_answer(expected[k], searcher.search(queries[k].text))) ++identical;
        }
        entry["identical_answers"] = identical;
        entry["snippets"] = timings(searcher, queries, with_snippets, rounds);
        entry["no_snippets"] = timings(searcher, queries, without_snippets, rounds);
        entry["first_suggestion_seconds"] =
            first_suggestion_seconds(stub, trouvere::SearchEngine::automatic);
    }
    std::cout << report.dump(2) << '\n';
    return 0;
} catch (const std::exception& error) {
    std::cerr << "shards_bench: " << error.what() << '\n';
    return 2;
}
