// trouvere on the Littré corpus made by scripts/fetch-corpus: analysis throughput, indexing cost
// at three corpus sizes, and warm query latency per query class, without and with snippets, with
// the engine search chooses and with each engine (native, Xapian) forced.
//
//   build-bench/bench/littre_bench --benchmark_format=json
//
// Environment: TROUVERE_BENCH_DATA (default bench/data) holds littre-10.jsonl, littre.jsonl and
// littre-x4/; TROUVERE_BENCH_QUERIES (default bench/queries.tsv) the query set;
// TROUVERE_BENCH_DB (optional) an already built index of littre.jsonl for the query benchmarks.
// Peak RSS is per process: run one indexing size per process (scripts/bench does) to read it.

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/littre_data.h"
#include "bench/scratch_dir.h"
#include "trouvere/trouvere.h"

namespace fs = std::filesystem;

namespace {

using trouvere::bench::data_dir;
using trouvere::bench::environment_or;
using trouvere::bench::littre_db;

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

std::uintmax_t size_on_disk(const fs::path& folder) {
    std::uintmax_t total = 0;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (entry.is_regular_file()) total += entry.file_size();
    }
    return total;
}

void BM_AnalyzeLittre(benchmark::State& state) {
    std::vector<std::string> bodies;
    std::ifstream in(data_dir() / "littre-10.jsonl");
    for (std::string line; std::getline(in, line);) {
        bodies.push_back(nlohmann::json::parse(line)["body"].get<std::string>());
    }
    if (bodies.empty()) {
        state.SkipWithError("no littre-10.jsonl: run scripts/fetch-corpus");
        return;
    }
    std::int64_t bytes = 0;
    std::int64_t tokens = 0;
    for (auto _ : state) {
        // A new analyzer each pass: its word cache warms up the way it does during indexing.
        trouvere::Analyzer analyzer;
        for (const auto& body : bodies) {
            auto result = analyzer.analyze(body);
            tokens += static_cast<std::int64_t>(result.size());
            bytes += static_cast<std::int64_t>(body.size());
            benchmark::DoNotOptimize(result);
        }
    }
    state.SetBytesProcessed(bytes);
    state.counters["tokens_per_s"] =
        benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AnalyzeLittre)->Unit(benchmark::kMillisecond)->MinTime(5);

const std::map<int, std::string> kSizes = {
    {10, "littre-10.jsonl"}, {100, "littre.jsonl"}, {400, "littre-x4"}};

void BM_IndexLittre(benchmark::State& state) {
    fs::path input = data_dir() / kSizes.at(static_cast<int>(state.range(0)));
    if (!fs::exists(input)) {
        state.SkipWithError("missing corpus file: run scripts/fetch-corpus");
        return;
    }
    // The 400% corpus is a folder of four files, each under search-index's JSON Lines limit.
    std::uintmax_t bytes = fs::is_directory(input) ? size_on_disk(input) : fs::file_size(input);
    double megabytes = static_cast<double>(bytes) / 1e6;
    trouvere::IndexReport report;
    std::uintmax_t disk = 0;
    for (auto _ : state) {
        fs::path db = trouvere::bench::scratch_dir() / ("index-" + std::to_string(state.range(0)));
        auto start = std::chrono::steady_clock::now();
        {
            trouvere::IndexWriter writer(db.string());
            report = trouvere::index_paths(writer, {input.string()});
            writer.commit();
        }
        std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        state.SetIterationTime(elapsed.count());
        disk = size_on_disk(db);
        fs::remove_all(db);
    }
    state.counters["docs"] = static_cast<double>(report.added);
    state.counters["docs_per_s"] = benchmark::Counter(
        static_cast<double>(report.added) * static_cast<double>(state.iterations()),
        benchmark::Counter::kIsRate);
    state.counters["MB_per_s"] = benchmark::Counter(
        megabytes * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["input_MB"] = megabytes;
    state.counters["disk_MB"] = static_cast<double>(disk) / 1e6;
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_IndexLittre)
    ->ArgName("percent")
    ->Arg(10)
    ->Arg(100)
    ->Arg(400)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

std::map<std::string, std::vector<std::string>> load_queries() {
    std::map<std::string, std::vector<std::string>> by_class;
    std::ifstream in(environment_or("TROUVERE_BENCH_QUERIES", "bench/queries.tsv"));
    for (std::string line; std::getline(in, line);) {
        auto tab = line.find('\t');
        if (tab != std::string::npos) by_class[line.substr(0, tab)].push_back(line.substr(tab + 1));
    }
    return by_class;
}

double percentile(std::vector<double> samples, double fraction) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    auto index =
        static_cast<std::size_t>(std::llround(fraction * static_cast<double>(samples.size() - 1)));
    return samples[index];
}

// Every query of one class, top 10 with their titles, warm, through the Searcher with `engine`:
// one pass to warm caches, then each iteration is one query and its latency is one sample.
// Percentiles come from the samples, not from averages.
void BM_QueryLittre(benchmark::State& state, const std::string& query_class, bool snippets,
                    trouvere::SearchEngine engine) {
    static const auto queries = load_queries();
    auto found = queries.find(query_class);
    if (found == queries.end() || !fs::exists(data_dir() / "littre.jsonl")) {
        state.SkipWithError("no queries or corpus: run scripts/fetch-corpus");
        return;
    }
    const auto& list = found->second;
    trouvere::Searcher searcher(littre_db());
    trouvere::SearchOptions options;
    options.snippets = snippets;
    options.engine = engine;
    try {
        for (const auto& query : list) benchmark::DoNotOptimize(searcher.search(query, options));
    } catch (const trouvere::DatabaseError& error) {
        // Engine native without a current native index (a TROUVERE_BENCH_DB built without one).
        state.SkipWithError(error.what());
        return;
    }

    std::vector<double> samples;
    std::size_t next = 0;
    for (auto _ : state) {
        const std::string& query = list[next++ % list.size()];
        auto start = std::chrono::steady_clock::now();
        auto results = searcher.search(query, options);
        std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        benchmark::DoNotOptimize(results);
        state.SetIterationTime(elapsed.count());
        samples.push_back(elapsed.count() * 1e3);
    }
    state.counters["p50_ms"] = percentile(samples, 0.50);
    state.counters["p90_ms"] = percentile(samples, 0.90);
    state.counters["p99_ms"] = percentile(samples, 0.99);
    state.counters["queries"] = static_cast<double>(list.size());
}

// BM_QueryLittre/<class>/<snippets>: the engine search chooses (the native index when current).
// BM_QueryEngines/<class>/<engine>/<snippets>: each engine forced, for a side-by-side comparison.
void register_query_benchmarks() {
    using trouvere::SearchEngine;
    struct Family {
        const char* name;
        const char* engine_name;  // empty for the engine search chooses
        SearchEngine engine;
    };
    const std::array<Family, 3> families = {{{"BM_QueryLittre", "", SearchEngine::automatic},
                                             {"BM_QueryEngines", "/native", SearchEngine::native},
                                             {"BM_QueryEngines", "/xapian", SearchEngine::xapian}}};
    // Class by class, the engines one after the other: a busy moment of the shared machine then
    // weighs on both engines of a class rather than on one engine.
    for (const char* query_class :
         {"frequent", "rare", "words", "phrase", "accents", "exclusion"}) {
        for (bool snippets : {false, true}) {
            for (const Family& family : families) {
                std::string name = std::string(family.name) + "/" + query_class +
                                   family.engine_name + (snippets ? "/snippets" : "/no_snippets");
                benchmark::RegisterBenchmark(name.c_str(), BM_QueryLittre, std::string(query_class),
                                             snippets, family.engine)
                    ->UseManualTime()
                    ->Iterations(2000)
                    ->Unit(benchmark::kMicrosecond);
            }
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    register_query_benchmarks();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
