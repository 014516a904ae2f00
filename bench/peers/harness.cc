#include "harness.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
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

// The fields of each line of a tab-separated case file; blank lines and lines starting with #
// are skipped. Every line has `layout`'s fields, none empty except a last one that may be.
std::vector<std::vector<std::string>> read_tab_separated(const std::string& path,
                                                         const std::string& layout,
                                                         bool last_may_be_empty) {
    std::size_t field_count = 1;
    for (auto at = layout.find("<TAB>"); at != std::string::npos; at = layout.find("<TAB>", at + 1))
        ++field_count;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        std::vector<std::string> fields;
        std::string_view rest = line;
        while (true) {
            const auto tab = rest.find('\t');
            fields.emplace_back(rest.substr(0, tab));
            if (tab == std::string_view::npos) break;
            rest = rest.substr(tab + 1);
        }
        bool well_formed = fields.size() == field_count;
        for (std::size_t k = 0; well_formed && k < fields.size(); ++k) {
            const bool may_be_empty = last_may_be_empty && k + 1 == fields.size();
            well_formed = may_be_empty || !fields[k].empty();
        }
        if (!well_formed) {
            std::string message = path;
            message += ':';
            message += std::to_string(number);
            message += ": expected ";
            message += layout;
            throw std::runtime_error(message);
        }
        rows.push_back(std::move(fields));
    }
    if (rows.empty()) throw std::runtime_error(path + ": no cases");
    return rows;
}

struct Query {
    std::string query_class;
    std::string text;
};

// scripts/make-queries writes these.
std::vector<Query> read_queries(const std::string& path) {
    std::vector<Query> queries;
    for (auto& fields : read_tab_separated(path, "class<TAB>query", false))
        queries.push_back({std::move(fields[0]), std::move(fields[1])});
    return queries;
}

// One known-item case: a query and the documents it should find at the top.
struct KnownItem {
    std::string kind;
    std::string query;
    std::vector<std::string> ids;
};

// scripts/make-queries --known-items writes these.
std::vector<KnownItem> read_known_items(const std::string& path) {
    std::vector<KnownItem> cases;
    for (auto& fields : read_tab_separated(path, "kind<TAB>query<TAB>id,id…", false)) {
        KnownItem item{std::move(fields[0]), std::move(fields[1]), {}};
        std::string_view ids = fields[2];
        while (!ids.empty()) {
            const auto comma = ids.find(',');
            item.ids.emplace_back(ids.substr(0, comma));
            ids = comma == std::string_view::npos ? std::string_view() : ids.substr(comma + 1);
        }
        cases.push_back(std::move(item));
    }
    return cases;
}

// `text` lower-cased, without its accents: how suggestions are compared with what was expected.
std::string folded_for_comparison(const std::string& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* decompose = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
    const icu::UnicodeString decomposed =
        decompose->normalize(icu::UnicodeString::fromUTF8(text).toLower(), status);
    if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
    icu::UnicodeString folded;
    for (int32_t k = 0; k < decomposed.length(); ++k) {
        if (u_charType(decomposed.charAt(k)) != U_NON_SPACING_MARK)
            folded.append(decomposed.charAt(k));
    }
    std::string out;
    folded.toUTF8String(out);
    return out;
}

// One misspelling case: a query and the correction expected, empty for a query to leave alone.
struct Misspelling {
    std::string kind;
    std::string query;
    std::string expected;
};

// scripts/make-queries --misspellings writes these.
std::vector<Misspelling> read_misspellings(const std::string& path) {
    std::vector<Misspelling> cases;
    for (auto& fields : read_tab_separated(path, "kind<TAB>query<TAB>expected", true))
        cases.push_back({std::move(fields[0]), std::move(fields[1]), std::move(fields[2])});
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

// Asks each misspelling case for a suggestion once (after a warm-up pass). A suggestion is right
// when it is the expected word, case and accents aside (what a folding search finds alike);
// precision is the share of suggestions made that are right, recall the share of misspelt
// queries given the right one. A query expected to be left alone counts against precision when
// it is corrected.
Json run_spelling(const std::string& name, Peer& peer, const std::string& location,
                  const std::string& cases_path) {
    const auto cases = read_misspellings(cases_path);
    peer.open(location);
    for (const auto& item : cases) (void)peer.suggest(item.query);

    struct Tally {
        std::size_t cases = 0;
        std::size_t suggested = 0;
        std::size_t right = 0;
    };
    std::vector<std::string> kind_order;
    std::map<std::string, Tally> by_kind;
    Tally all;
    std::size_t misspelt = 0;
    std::vector<double> samples_ms;
    Json per_case = Json::array();
    for (const auto& item : cases) {
        const auto start = Clock::now();
        const std::optional<std::string> suggestion = peer.suggest(item.query);
        samples_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        const bool right =
            suggestion && !item.expected.empty() &&
            folded_for_comparison(*suggestion) == folded_for_comparison(item.expected);
        if (!by_kind.contains(item.kind)) kind_order.push_back(item.kind);
        for (Tally* tally : {&by_kind[item.kind], &all}) {
            ++tally->cases;
            tally->suggested += suggestion ? 1 : 0;
            tally->right += right ? 1 : 0;
        }
        misspelt += item.expected.empty() ? 0 : 1;
        per_case.push_back({{"kind", item.kind},
                            {"query", item.query},
                            {"expected", item.expected},
                            {"suggestion", suggestion ? Json(*suggestion) : Json(nullptr)},
                            {"right", right}});
    }

    const auto share = [](std::size_t part, std::size_t whole) {
        return whole == 0
                   ? 0.0
                   : std::round(static_cast<double>(part) / static_cast<double>(whole) * 1000.0) /
                         1000.0;
    };
    Json kinds = Json::object();
    for (const auto& kind : kind_order) {
        const Tally& tally = by_kind[kind];
        kinds[kind] = {
            {"cases", tally.cases}, {"suggested", tally.suggested}, {"right", tally.right}};
    }
    Json out = header(name, "spelling", peer);
    out["cases_file"] = cases_path;
    out["precision"] = share(all.right, all.suggested);
    out["recall"] = share(all.right, misspelt);
    out["latency_ms"] = summarize(std::move(samples_ms));
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
              << "       " << name << " known-items DB CASES.tsv\n"
              << "       " << name << " spelling DB MISSPELLINGS.tsv\n";
    return 2;
}

}  // namespace

std::optional<std::string> Peer::suggest(const std::string& /*query*/) {
    throw std::runtime_error("this engine gives no spelling suggestions");
}

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
        } else if (command == "spelling" && args.size() == 3) {
            out = run_spelling(name, peer, location, args[2]);
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
