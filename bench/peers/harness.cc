#include "harness.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string_view>

namespace peers {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The same five queries for every engine (and for trouvere's own benchmark): what each one
// matches shows its French analysis (accents, elision, plurals, stopwords in phrases).
const std::vector<std::string> kProbeQueries = {
    "église", "l'église", "chevaux", "\"chemin de fer\"", "d'armes",
};

struct Query {
    std::string query_class;
    std::string text;
};

// `class<TAB>query` lines; blank lines and lines starting with # are skipped.
std::vector<Query> read_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<Query> queries;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        const auto tab = line.find('\t');
        if (tab == std::string::npos || tab == 0 || tab + 1 == line.size()) {
            throw std::runtime_error(path + ":" + std::to_string(number) +
                                     ": expected class<TAB>query");
        }
        queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    if (queries.empty()) throw std::runtime_error(path + ": no queries");
    return queries;
}

// One known-item case: a query and the documents it should find at the top.
struct KnownItem {
    std::string kind;
    std::string query;
    std::vector<std::string> ids;
};

// `kind<TAB>query<TAB>id,id…` lines (scripts/make-queries --known-items); blank lines and lines
// starting with # are skipped.
std::vector<KnownItem> read_known_items(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<KnownItem> cases;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        const auto first_tab = line.find('\t');
        const auto second_tab =
            first_tab == std::string::npos ? first_tab : line.find('\t', first_tab + 1);
        if (first_tab == 0 || second_tab == std::string::npos || second_tab == first_tab + 1 ||
            second_tab + 1 == line.size()) {
            throw std::runtime_error(path + ":" + std::to_string(number) +
                                     ": expected kind<TAB>query<TAB>ids");
        }
        KnownItem item{
            line.substr(0, first_tab), line.substr(first_tab + 1, second_tab - first_tab - 1), {}};
        std::string_view ids = std::string_view(line).substr(second_tab + 1);
        while (!ids.empty()) {
            const auto comma = ids.find(',');
            item.ids.emplace_back(ids.substr(0, comma));
            ids = comma == std::string_view::npos ? std::string_view() : ids.substr(comma + 1);
        }
        cases.push_back(std::move(item));
    }
    if (cases.empty()) throw std::runtime_error(path + ": no cases");
    return cases;
}

double megabytes(double bytes) {
    return bytes / 1e6;
}

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return megabytes(static_cast<double>(usage.ru_maxrss) * 1024.0);  // Linux counts KiB
}

// Rounded to the microsecond: finer digits are noise and only lengthen the files.
double rounded_ms(double ms) {
    return std::round(ms * 1000.0) / 1000.0;
}

// Nearest-rank percentiles, so that every figure is a latency that was actually observed.
Json summarize(std::vector<double> samples_ms) {
    std::sort(samples_ms.begin(), samples_ms.end());
    const auto percentile = [&](double p) {
        const auto rank =
            static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples_ms.size())));
        return rounded_ms(samples_ms[std::max<std::size_t>(rank, 1) - 1]);
    };
    double sum = 0;
    for (double sample : samples_ms) sum += sample;
    return Json{{"n", samples_ms.size()},
                {"p50", percentile(50)},
                {"p90", percentile(90)},
                {"p99", percentile(99)},
                {"mean", rounded_ms(sum / static_cast<double>(samples_ms.size()))},
                {"max", rounded_ms(samples_ms.back())}};
}

Json header(const std::string& name, const std::string& command, const Peer& peer) {
    return Json{{"peer", name}, {"command", command}, {"settings", peer.settings()}};
}

Json run_index(const std::string& name, Peer& peer, const std::string& location,
               const std::string& jsonl) {
    JsonlReader records(jsonl);
    const auto start = Clock::now();
    Json extra = peer.index(location, records);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

    Json out = header(name, "index", peer);
    out["corpus"] = jsonl;
    out["docs"] = records.records();
    out["input_mb"] = megabytes(static_cast<double>(records.bytes()));
    out["seconds"] = seconds;
    out["mb_per_s"] = megabytes(static_cast<double>(records.bytes())) / seconds;
    out["peak_rss_mb"] = peak_rss_mb();
    out["disk_mb"] = megabytes(static_cast<double>(peer.disk_bytes(location)));
    for (const auto& [key, value] : extra.items()) out[key] = value;
    return out;
}

// Warms up with one pass over every query, then times `repeat` passes. Latency is one call of
// Peer::search: parsing, matching, ranking, fetching the ten hits and, if asked, their snippets.
Json run_queries(const std::string& name, Peer& peer, const std::string& location,
                 const std::string& queries_path, bool snippets, int repeat) {
    const auto queries = read_queries(queries_path);
    peer.open(location);
    for (const auto& query : queries) (void)peer.search(query.text, snippets);

    std::vector<Results> first_pass(queries.size());
    std::vector<std::vector<double>> samples(queries.size());
    for (int pass = 0; pass < repeat; ++pass) {
        for (std::size_t i = 0; i < queries.size(); ++i) {
            const auto start = Clock::now();
            Results results = peer.search(queries[i].text, snippets);
            samples[i].push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - start).count());
            if (pass == 0) first_pass[i] = std::move(results);
        }
    }

    std::vector<std::string> class_order;
    std::map<std::string, std::vector<double>> by_class;
    std::vector<double> all;
    Json per_query = Json::array();
    for (std::size_t i = 0; i < queries.size(); ++i) {
        const auto& query = queries[i];
        if (!by_class.contains(query.query_class)) class_order.push_back(query.query_class);
        auto& class_samples = by_class[query.query_class];
        class_samples.insert(class_samples.end(), samples[i].begin(), samples[i].end());
        all.insert(all.end(), samples[i].begin(), samples[i].end());

        const Results& results = first_pass[i];
        const bool estimated = results.estimated_matches.has_value();
        Json entry{{"class", query.query_class},
                   {"query", query.text},
                   {"matches", estimated ? *results.estimated_matches : peer.count(query.text)},
                   {"matches_are", estimated ? "estimated" : "exact"},
                   {"hits", results.hits.size()},
                   {"p50_ms", summarize(samples[i])["p50"]}};
        if (!results.hits.empty()) {
            entry["top_id"] = results.hits.front().id;
            if (snippets) entry["top_snippet"] = results.hits.front().snippet;
        }
        per_query.push_back(std::move(entry));
    }

    // Queries that match nothing cost an empty lookup: their share tells how to read a class.
    std::map<std::string, std::size_t> without_match;
    for (const auto& entry : per_query) {
        if (entry["matches"] == 0) ++without_match[entry["class"].get<std::string>()];
    }
    Json latency{{"all", summarize(all)}};
    Json no_match = Json::object();
    for (const auto& query_class : class_order) {
        latency[query_class] = summarize(by_class[query_class]);
        no_match[query_class] = without_match[query_class];
    }
    Json out = header(name, "query", peer);
    out["query_set"] = queries_path;
    out["snippets"] = snippets;
    out["repeat"] = repeat;
    out["queries"] = queries.size();
    out["latency_ms"] = std::move(latency);
    out["queries_without_match"] = std::move(no_match);
    out["peak_rss_mb"] = peak_rss_mb();
    out["per_query"] = std::move(per_query);
    return out;
}

Json run_probe(const std::string& name, Peer& peer, const std::string& location) {
    peer.open(location);
    Json counts = Json::object();
    for (const auto& query : kProbeQueries) counts[query] = peer.count(query);
    Json out = header(name, "probe", peer);
    out["counts"] = std::move(counts);
    return out;
}

// Searches each known-item case once (after a warm-up pass) and scores where the first document
// it should find comes: success@1 and success@3 (the share of cases found at rank 1, at rank 3 or
// better) and MRR@10 (the mean of 1/rank, 0 past rank 10), per kind.
Json run_known_items(const std::string& name, Peer& peer, const std::string& location,
                     const std::string& cases_path) {
    const auto cases = read_known_items(cases_path);
    peer.open(location);
    for (const auto& item : cases) (void)peer.search(item.query, false);

    struct Scores {
        std::size_t cases = 0;
        std::size_t at_1 = 0;
        std::size_t at_3 = 0;
        double reciprocal_ranks = 0;
        std::vector<double> samples_ms;
    };
    std::vector<std::string> kind_order;
    std::map<std::string, Scores> by_kind;
    Json per_case = Json::array();
    for (const auto& item : cases) {
        const auto start = Clock::now();
        const Results results = peer.search(item.query, false);
        const double elapsed =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        const auto found =
            std::find_if(results.hits.begin(), results.hits.end(), [&](const Hit& hit) {
                return std::find(item.ids.begin(), item.ids.end(), hit.id) != item.ids.end();
            });
        const std::size_t rank = found == results.hits.end()
                                     ? 0
                                     : static_cast<std::size_t>(found - results.hits.begin()) + 1;
        if (!by_kind.contains(item.kind)) kind_order.push_back(item.kind);
        Scores& scores = by_kind[item.kind];
        ++scores.cases;
        scores.at_1 += rank == 1 ? 1 : 0;
        scores.at_3 += rank >= 1 && rank <= 3 ? 1 : 0;
        scores.reciprocal_ranks += rank == 0 ? 0.0 : 1.0 / static_cast<double>(rank);
        scores.samples_ms.push_back(elapsed);
        Json entry{{"kind", item.kind}, {"query", item.query}, {"rank", nullptr}, {"top", nullptr}};
        if (rank != 0) entry["rank"] = rank;
        if (!results.hits.empty()) entry["top"] = results.hits.front().title;
        per_case.push_back(std::move(entry));
    }

    const auto share = [](double part, std::size_t whole) {
        return std::round(part / static_cast<double>(whole) * 1000.0) / 1000.0;
    };
    Json kinds = Json::object();
    for (const auto& kind : kind_order) {
        Scores& scores = by_kind[kind];
        kinds[kind] = {{"cases", scores.cases},
                       {"success_at_1", share(static_cast<double>(scores.at_1), scores.cases)},
                       {"success_at_3", share(static_cast<double>(scores.at_3), scores.cases)},
                       {"mrr_at_10", share(scores.reciprocal_ranks, scores.cases)},
                       {"latency_ms", summarize(std::move(scores.samples_ms))}};
    }
    Json out = header(name, "known-items", peer);
    out["cases_file"] = cases_path;
    out["kinds"] = std::move(kinds);
    out["per_case"] = std::move(per_case);
    return out;
}

// A field that is missing, null or not a string reads as empty.
std::string string_field(const Json& object, const char* key) {
    const auto field = object.find(key);
    return field != object.end() && field->is_string() ? field->get<std::string>() : "";
}

int usage(const std::string& name) {
    std::cerr << "usage: " << name << " index DB JSONL\n"
              << "       " << name << " query DB QUERIES.tsv [--snippets] [--repeat N]\n"
              << "       " << name << " probe DB\n"
              << "       " << name << " known-items DB CASES.tsv\n";
    return 2;
}

}  // namespace

JsonlReader::JsonlReader(const std::string& path) : in_(path, std::ios::binary) {
    if (!in_) throw std::runtime_error("cannot open " + path);
}

bool JsonlReader::next(Record& record) {
    while (std::getline(in_, line_)) {
        ++line_number_;
        bytes_ += line_.size() + 1;
        if (line_.find_first_not_of(" \t\r") == std::string::npos) continue;
        const auto object = Json::parse(line_, nullptr, /*allow_exceptions=*/false);
        if (!object.is_object() || !object.contains("id") || !object["id"].is_string()) {
            throw std::runtime_error("line " + std::to_string(line_number_) +
                                     ": expected a JSON object with a string \"id\"");
        }
        record.id = object["id"].get<std::string>();
        record.title = string_field(object, "title");
        record.body = string_field(object, "body");
        ++records_;
        return true;
    }
    return false;
}

std::uint64_t disk_usage(const std::string& path) {
    const auto blocks = [](const fs::path& file) -> std::uint64_t {
        struct stat info {};
        if (::lstat(file.c_str(), &info) != 0) return 0;
        return static_cast<std::uint64_t>(info.st_blocks) * 512;  // st_blocks is in 512 B units
    };
    std::uint64_t total = blocks(path);
    if (fs::is_directory(path)) {
        for (const auto& entry : fs::recursive_directory_iterator(path)) {
            total += blocks(entry.path());
        }
    }
    return total;
}

int run(int argc, char** argv, const std::string& name, Peer& peer) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() < 2) return usage(name);
    const std::string& command = args[0];
    const std::string& location = args[1];
    try {
        Json out;
        if (command == "index" && args.size() == 3) {
            out = run_index(name, peer, location, args[2]);
        } else if (command == "query" && args.size() >= 3) {
            bool snippets = false;
            int repeat = 5;
            for (std::size_t i = 3; i < args.size(); ++i) {
                if (args[i] == "--snippets") {
                    snippets = true;
                } else if (args[i] == "--repeat" && i + 1 < args.size()) {
                    const std::string& text = args[++i];
                    const char* end = text.data() + text.size();
                    auto [stop, error] = std::from_chars(text.data(), end, repeat);
                    if (error != std::errc() || stop != end || repeat < 1) return usage(name);
                } else {
                    return usage(name);
                }
            }
            out = run_queries(name, peer, location, args[2], snippets, repeat);
        } else if (command == "probe" && args.size() == 2) {
            out = run_probe(name, peer, location);
        } else if (command == "known-items" && args.size() == 3) {
            out = run_known_items(name, peer, location, args[2]);
        } else {
            return usage(name);
        }
        std::cout << out.dump() << '\n';
        return 0;
    } catch (const std::exception& error) {
        std::cerr << name << ": " << error.what() << '\n';
        return 1;
    }
}

}  // namespace peers
