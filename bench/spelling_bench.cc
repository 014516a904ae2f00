// "Did you mean" on the Littré's vocabulary: building the spelling dictionary, and the latency of
// one suggestion for words misspelt by one and by two edits; then, over an index of the Littré,
// getting the dictionary from each engine (what the first query needing a correction pays) and
// whole searches of misspelt words.
//
//   build-bench/bench/spelling_bench
//
// The vocabulary is every word of bench/data/littre.jsonl (TROUVERE_BENCH_DATA sets the folder;
// scripts/fetch-corpus makes it), folded by the Analyzer, each accented form counted once per
// document that holds it: one entry per accented form, so the dictionary merges the forms of a
// folded word as it would those of an index. TROUVERE_BENCH_DB names an index of littre.jsonl
// already built by search-index; without it one is built first.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bench/littre_data.h"
#include "native/native_index.h"
#include "native/spelling_dictionary.h"
#include "searcher/xapian_engine.h"
#include "text/folding.h"
#include "text/utf8.h"
#include "trouvere/analyzer.h"
#include "trouvere/searcher.h"

namespace fs = std::filesystem;
using trouvere::native::SpellingDictionary;
using trouvere::native::SpellingEntry;

namespace {

fs::path littre_path() {
    return trouvere::bench::data_dir() / "littre.jsonl";
}

// One entry per accented form of the Littré's titles and bodies, with the number of documents
// that hold it. Empty when the corpus is missing.
const std::vector<SpellingEntry>& littre_entries() {
    static const std::vector<SpellingEntry> entries = [] {
        struct Form {
            std::string folded;
            std::uint32_t documents = 0;
        };
        trouvere::Analyzer analyzer;
        std::unordered_map<std::string, Form> forms;  // by accented form
        std::ifstream in(littre_path());
        for (std::string line; std::getline(in, line);) {
            const auto document = nlohmann::json::parse(line);
            std::unordered_set<std::string> seen;
            for (const char* field : {"title", "body"}) {
                const auto text = document.value(field, std::string());
                for (const trouvere::Token& token : analyzer.analyze(text)) {
                    const std::string_view surface =
                        std::string_view(text).substr(token.begin, token.end - token.begin);
                    std::string accented = trouvere::text::case_fold(surface);
                    if (seen.insert(accented).second) {
                        Form& form = forms[accented];
                        if (form.documents++ == 0) form.folded = analyzer.fold(surface);
                    }
                }
            }
        }
        std::vector<SpellingEntry> result;
        result.reserve(forms.size());
        for (auto& [accented, form] : forms) {
            result.push_back({std::move(form.folded), form.documents, accented});
        }
        return result;
    }();
    return entries;
}

std::vector<std::string> code_points_of(std::string_view word) {
    std::vector<std::string> characters;
    for (std::size_t offset = 0; offset < word.size();) {
        const std::size_t start = offset;
        (void)trouvere::text::decode_at(word, offset, offset);
        characters.emplace_back(word.substr(start, offset - start));
    }
    return characters;
}

// A misspelling of a word: `edits` random insertions (inside or at the end), deletions,
// substitutions or transpositions of adjacent letters, with the letters of folded French.
std::string misspelt(std::string_view word, int edits, std::mt19937& random) {
    static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
    auto pick = [&](std::size_t count) {
        return std::uniform_int_distribution<std::size_t>(0, count - 1)(random);
    };
    std::vector<std::string> characters = code_points_of(word);
    for (int done = 0; done < edits;) {
        const std::size_t at = pick(characters.size());
        const auto position = characters.begin() + static_cast<std::ptrdiff_t>(at);
        const std::string letter(1, kLetters[pick(kLetters.size())]);
        switch (pick(5)) {
            case 0: characters.insert(position, letter); break;
            case 1: characters.push_back(letter); break;
            case 2: characters.erase(position); break;
            case 3:
                if (characters[at] == letter) continue;
                characters[at] = letter;
                break;
            default:
                if (at + 1 == characters.size() || characters[at] == characters[at + 1]) continue;
                std::swap(characters[at], characters[at + 1]);
        }
        ++done;
    }
    std::string result;
    for (const std::string& c : characters) result += c;
    return result;
}

struct Query {
    std::string typed;
    std::string intended;
};

// 2,000 misspellings by `edits` edits of words drawn in proportion to their number of documents,
// as queries meet them; only words long enough to be given that many edits, and misspellings that
// are not themselves words.
std::vector<Query> misspellings(const SpellingDictionary& dictionary, int edits) {
    std::vector<const SpellingEntry*> long_enough;
    std::vector<double> weights;
    for (const SpellingEntry& entry : littre_entries()) {
        if (code_points_of(entry.folded).size() >= (edits == 1 ? 3U : 5U)) {
            long_enough.push_back(&entry);
            weights.push_back(entry.frequency);
        }
    }
    std::mt19937 random(static_cast<std::uint32_t>(edits));
    std::discrete_distribution<std::size_t> draw(weights.begin(), weights.end());
    std::vector<Query> queries;
    while (queries.size() < 2000) {
        const std::string& word = long_enough[draw(random)]->folded;
        std::string typed = misspelt(word, edits, random);
        if (!dictionary.contains(typed)) queries.push_back({std::move(typed), word});
    }
    return queries;
}

// The 50th, 90th and 99th percentiles and the maximum of `microseconds`, as counters.
void report_percentiles(benchmark::State& state, std::vector<double> microseconds) {
    std::ranges::sort(microseconds);
    auto percentile = [&](double fraction) {
        return microseconds[static_cast<std::size_t>(fraction *
                                                     static_cast<double>(microseconds.size() - 1))];
    };
    state.counters["p50_us"] = percentile(0.50);
    state.counters["p90_us"] = percentile(0.90);
    state.counters["p99_us"] = percentile(0.99);
    state.counters["max_us"] = microseconds.back();
}

void BM_BuildSpellingDictionary(benchmark::State& state) {
    if (littre_entries().empty()) {
        state.SkipWithError("no littre.jsonl: run scripts/fetch-corpus");
        return;
    }
    std::size_t words = 0;
    for (auto _ : state) {
        const SpellingDictionary dictionary(littre_entries());
        words = dictionary.size();
    }
    state.counters["entries"] = static_cast<double>(littre_entries().size());
    state.counters["words"] = static_cast<double>(words);
}
BENCHMARK(BM_BuildSpellingDictionary)->Unit(benchmark::kMillisecond);

// One suggestion per iteration, each timed alone: the percentiles are of single lookups.
// `corrected` is the share of misspellings whose suggestion is the word they were made from.
void BM_Suggest(benchmark::State& state) {
    if (littre_entries().empty()) {
        state.SkipWithError("no littre.jsonl: run scripts/fetch-corpus");
        return;
    }
    static const SpellingDictionary dictionary(littre_entries());
    const std::vector<Query> queries = misspellings(dictionary, static_cast<int>(state.range(0)));
    for (const Query& query : queries) benchmark::DoNotOptimize(dictionary.suggest(query.typed));

    std::vector<double> microseconds;
    std::size_t corrected = 0;
    std::size_t next = 0;
    for (auto _ : state) {
        const Query& query = queries[next++ % queries.size()];
        const auto start = std::chrono::steady_clock::now();
        const auto suggestion = dictionary.suggest(query.typed);
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        state.SetIterationTime(elapsed.count());
        microseconds.push_back(elapsed.count() * 1e6);
        if (suggestion && suggestion->folded == query.intended) ++corrected;
    }
    report_percentiles(state, microseconds);
    state.counters["corrected"] =
        static_cast<double>(corrected) / static_cast<double>(microseconds.size());
}
BENCHMARK(BM_Suggest)
    ->ArgName("edits")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(10000)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// What the first query needing a correction pays for the dictionary, on a fresh engine: from
// Xapian (0), reading every word term and building it; from the native index (1), checking its
// section and reading it where it lies.
void BM_OpenSpellingDictionary(benchmark::State& state) {
    std::size_t words = 0;
    for (auto _ : state) {
        if (state.range(0) == 0) {
            words = trouvere::searcher::open_xapian_engine(trouvere::bench::littre_db())
                        ->spelling_dictionary()
                        .size();
            continue;
        }
        const auto opened = trouvere::native::NativeIndex::open(
            fs::path(trouvere::bench::littre_db()) / trouvere::native::kFileName);
        if (!opened.index) {
            state.SkipWithError(opened.reason.c_str());
            return;
        }
        words = opened.index->spelling_dictionary().size();
    }
    state.counters["words"] = static_cast<double>(words);
}
BENCHMARK(BM_OpenSpellingDictionary)
    ->ArgName("native")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

// Whole searches (no snippets) of one word misspelt by `edits` edits, with the engine search
// chooses, the dictionary already read; `suggested` is the share given a suggestion.
void BM_SearchMisspelt(benchmark::State& state) {
    if (littre_entries().empty()) {
        state.SkipWithError("no littre.jsonl: run scripts/fetch-corpus");
        return;
    }
    static const SpellingDictionary dictionary(littre_entries());
    const std::vector<Query> queries = misspellings(dictionary, static_cast<int>(state.range(0)));
    trouvere::Searcher searcher(trouvere::bench::littre_db());
    trouvere::SearchOptions options;
    options.snippets = false;
    for (const Query& query : queries)
        benchmark::DoNotOptimize(searcher.search(query.typed, options));

    std::vector<double> microseconds;
    std::size_t suggested = 0;
    std::size_t next = 0;
    for (auto _ : state) {
        const Query& query = queries[next++ % queries.size()];
        const auto start = std::chrono::steady_clock::now();
        const auto results = searcher.search(query.typed, options);
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        state.SetIterationTime(elapsed.count());
        microseconds.push_back(elapsed.count() * 1e6);
        if (results.suggestion) ++suggested;
    }
    report_percentiles(state, microseconds);
    state.counters["suggested"] =
        static_cast<double>(suggested) / static_cast<double>(microseconds.size());
}
BENCHMARK(BM_SearchMisspelt)
    ->ArgName("edits")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(4000)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
