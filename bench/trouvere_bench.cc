// Throughput of analysis and indexing, and query latency, on the bundled articles.
//   build/bench/trouvere_bench --benchmark_format=json
// The corpus is small, so these figures are per-document costs, not capacity planning; the
// real-corpus comparison with other engines lives beside this file.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/scratch_dir.h"
#include "trouvere/trouvere.h"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> corpus_texts() {
    std::vector<std::string> texts;
    for (const auto& entry : fs::directory_iterator(TROUVERE_CORPUS_DIR)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        texts.push_back(std::move(content).str());
    }
    return texts;
}

const std::string& corpus_db() {
    static const std::string db = [] {
        std::string path = (trouvere::bench::scratch_dir() / "corpus-db").string();
        trouvere::IndexWriter writer(path);
        (void)trouvere::index_paths(writer, {TROUVERE_CORPUS_DIR});
        writer.commit();
        return path;
    }();
    return db;
}

void BM_Analyze(benchmark::State& state) {
    auto texts = corpus_texts();
    trouvere::Analyzer analyzer;
    std::int64_t bytes = 0;
    std::int64_t tokens = 0;
    for (auto _ : state) {
        for (const auto& text : texts) {
            auto result = analyzer.analyze(text);
            tokens += static_cast<std::int64_t>(result.size());
            bytes += static_cast<std::int64_t>(text.size());
            benchmark::DoNotOptimize(result);
        }
    }
    state.SetBytesProcessed(bytes);
    state.counters["tokens/s"] =
        benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Analyze);

void BM_IndexCorpus(benchmark::State& state) {
    int run = 0;
    for (auto _ : state) {
        std::string path =
            (trouvere::bench::scratch_dir() / ("index-" + std::to_string(run++))).string();
        {
            trouvere::IndexWriter writer(path);
            auto report = trouvere::index_paths(writer, {TROUVERE_CORPUS_DIR});
            writer.commit();
            benchmark::DoNotOptimize(report);
        }
        state.PauseTiming();
        fs::remove_all(path);
        state.ResumeTiming();
    }
    state.counters["docs/s"] = benchmark::Counter(5.0 * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IndexCorpus)->Unit(benchmark::kMillisecond);

const std::vector<std::string> kQueries = {
    "Mali", "Kidal", "accord militaire", "\"coopération militaire\"", "l'armée", "Kidal -Lavrov",
};

void BM_Search(benchmark::State& state) {
    trouvere::Searcher searcher(corpus_db());
    const std::string& query = kQueries[static_cast<std::size_t>(state.range(0))];
    trouvere::SearchOptions options;
    options.snippets = state.range(1) != 0;
    for (auto _ : state) {
        auto results = searcher.search(query, options);
        benchmark::DoNotOptimize(results);
    }
    state.SetLabel(query + (options.snippets ? " +snippets" : ""));
}
BENCHMARK(BM_Search)
    ->ArgsProduct({benchmark::CreateDenseRange(0, static_cast<int>(kQueries.size()) - 1, 1),
                   {0, 1}})
    ->ArgNames({"query", "snippets"})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
