// The native index reader on damaged files. An input is a mode byte, then the bytes of a
// `trouvere.native` file; the seeds are real indexes of the database this target builds, which
// the mutations truncate, extend, flip, and give wrong lengths, offsets and section tables.
//
// Mode 0 (raw): the bytes as they are. Every part of a file is under a checksum, so a mutated
// file is refused when it is opened or damage is found where a query reads it.
// Mode 1 (resealed): the source state of the target's database is written into the header, then
// every checksum the section table can locate is computed again, as a writer with a bug would:
// the structures themselves, not their checksums, must then refuse what does not hold.
//
// Properties, beyond not crashing and never reading outside the mapping (ASan):
// - NativeIndex::open never throws; a refusal names the file; check() never throws;
// - a file that opens either passes check() or names the file in what check() says;
// - a file equal to the target's own index passes check(), and answers as Xapian does;
// - asked date ranges, date orders and counts by year and source directly (match_native, as the
//   searcher's options do not reach them yet), an index that opens answers or throws
//   native::Damaged, one that passes check() answers, and the target's own index answers as
//   Xapian's engine does;
// - through a Searcher, engine native answers or throws DatabaseError naming the file; engine
//   automatic always answers, with Xapian's hits and suggestion whenever Xapian answers, and a
//   raw file (whose checksums cannot be forged) never changes its answers.
//
// TROUVERE_NATIVE_FUZZ_SEEDS=DIR writes the seeds of tests/fuzz/corpus/native_index into DIR.

#include <xapian.h>

#include <unistd.h>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/term_scheme.h"
#include "native/damaged.h"
#include "native/native_index.h"
#include "searcher/match_engine.h"
#include "searcher/native_matching.h"
#include "searcher/query_translation.h"
#include "searcher/term_query.h"
#include "searcher/xapian_engine.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/native_reseal.h"
#include "trouvere/analyzer.h"
#include "trouvere/document.h"
#include "trouvere/error.h"
#include "trouvere/index_writer.h"
#include "trouvere/query.h"
#include "trouvere/searcher.h"

namespace {

namespace fs = std::filesystem;
namespace native = trouvere::native;
using trouvere::fuzz::check;
using trouvere::searcher::MatchEngine;
using trouvere::searcher::TermQuery;

// Enough for a word in every document to fill two postings blocks (128 postings each).
constexpr std::size_t kDocuments = 160;

// The queries every input is asked: single words (one of them in every document, so that its
// postings span several blocks), AND, OR, a phrase, an exclusion, a field, a word no document
// has, misspelt words (which read the spelling dictionary), and their snippets, which read
// positions.
const char* const kQueries[] = {
    "commun",       "rivière montagne", "forêt OR désert", "\"vieille rivière\"", "commun -désert",
    "title:notice", "introuvable",      "l'armée",         "rivire montagen",
};

const char* const kWords[] = {"rivière", "montagne", "forêt",  "désert", "vieille", "ville",
                              "armée",   "pont",     "chemin", "moulin", "prairie", "source"};

// Days over several years, a 29 February among them, a seventh of the documents undated; sources
// that differ only by case, a fourth of the documents without one: the document values section
// holds every case its reader checks.
std::string date_of(std::size_t n) {
    if (n % 7 == 0) return {};
    if (n % 11 == 0) return "2024-02-29";
    return std::to_string(2019 + n % 5) + "-0" + std::to_string(1 + n % 9) + "-1" +
           std::to_string(n % 10);
}

std::string source_of(std::size_t n) {
    const char* const sources[] = {"Le Monde", "le monde", "Libération"};
    return n % 4 == 0 ? std::string() : sources[n % 3];
}

std::string body_of(std::size_t n) {
    std::string body = "commun";
    // A fixed pseudo-random walk over the words, so that every run builds the same database.
    std::uint32_t state = static_cast<std::uint32_t>(n) * 2654435761U + 1;
    for (std::size_t k = 0; k < 8 + n % 13; ++k) {
        state = state * 1664525U + 1013904223U;
        body += ' ';
        body += kWords[(state >> 16) % std::size(kWords)];
    }
    return body + '.';
}

using Engine = trouvere::SearchEngine;

trouvere::SearchOptions every_hit(Engine engine) {
    return {.limit = kDocuments, .snippets = false, .engine = engine};
}

trouvere::SearchOptions with_snippets(Engine engine) {
    return {.limit = 3, .snippets = true, .snippet_chars = 80, .engine = engine};
}

// The ids of the hits, in rank order or sorted, then the suggestion.
std::string answer_of(const trouvere::SearchResults& results, bool sorted) {
    std::vector<std::string> ids;
    for (const trouvere::Hit& hit : results.hits) ids.push_back(hit.id);
    if (sorted) std::sort(ids.begin(), ids.end());
    std::string joined;
    for (const std::string& id : ids) joined += id + ' ';
    return joined + "| " + results.suggestion.value_or("no suggestion");
}

// A database of kDocuments generated documents with a few deleted (holes in the docids), and its
// native index, in a folder of its own removed when the run ends normally.
class ScratchDatabase {
public:
    ScratchDatabase()
        : folder_(fs::temp_directory_path() /
                  ("trouvere-native-fuzzer-" + std::to_string(::getpid()))),
          path_((folder_ / "db").string()) {
        fs::remove_all(folder_);
        fs::create_directories(folder_);
        {
            trouvere::IndexWriter writer(path_, 1);
            for (std::size_t n = 0; n < kDocuments; ++n) {
                writer.add_or_replace({.id = "d" + std::to_string(n),
                                       .title = n % 3 == 0 ? "Notice " + std::to_string(n) : "",
                                       .body = body_of(n),
                                       .date = date_of(n),
                                       .source = source_of(n)});
            }
            writer.commit();
        }
        trouvere::IndexWriter writer(path_, 1);
        for (std::size_t n = 5; n < kDocuments; n += 37) {
            (void)writer.remove("d" + std::to_string(n));
        }
        writer.commit();
        (void)writer.update_native_index();
        std::ifstream in(native_path(), std::ios::binary);
        own_index_.assign(std::istreambuf_iterator<char>(in), {});
        const Xapian::Database db(path_);
        source_ = {db.get_uuid(), db.get_revision()};
    }
    ~ScratchDatabase() {
        std::error_code ignored;
        fs::remove_all(folder_, ignored);
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] fs::path native_path() const { return fs::path(path_) / native::kFileName; }
    [[nodiscard]] const std::string& own_index() const { return own_index_; }

    /// Puts `bytes` in place of the index, as a new file (a new inode, as a writer's rename).
    void install(std::string_view bytes) const {
        const fs::path next = folder_ / "next";
        {
            std::ofstream out(next, std::ios::binary | std::ios::trunc);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        }
        fs::rename(next, native_path());
    }

    /// Writes this database's source state into the header of `file`, then recomputes every
    /// checksum whose place and range the header and section table give, within the file.
    void reseal(std::string& file) const {
        trouvere::testing::stamp_native_source(file, source_);
        trouvere::testing::reseal_native_file(file);
    }

private:
    fs::path folder_;
    std::string path_;
    std::string own_index_;
    native::SourceState source_;
};

struct Checked {
    std::shared_ptr<const native::NativeIndex> index;  // when it opened
    bool sound = false;                                // and passed check()
};

// Opens the installed file on its own: a refusal or a sound index, and check() never throws.
Checked open_and_check(const fs::path& path) {
    try {
        const auto opened = native::NativeIndex::open(path);
        if (!opened.index) {
            check(opened.refusal != native::Refusal::none, "a refusal says why");
            check(opened.reason.find(path.string()) != std::string::npos,
                  "a refusal names the file", [&] { return opened.reason; });
            return {};
        }
        std::string problem = opened.index->check();
        check(problem.empty() || problem.find(path.string()) != std::string::npos,
              "check() names the file", [&] { return problem; });
        return {opened.index, problem.empty()};
    } catch (const std::exception& error) {
        trouvere::fuzz::fail("opening and checking never throw", error.what());
    }
}

// The date queries: a range alone, a word within a range, a word outside one, everything; each
// ranked newest first, oldest first from an offset, and by relevance with counts by year and
// source.
struct DatedAsk {
    TermQuery query;
    MatchEngine::Request request;
};

std::vector<DatedAsk> dated_asks() {
    using namespace trouvere::searcher;
    trouvere::Analyzer analyzer;
    const TermQuery word =
        translate(trouvere::parse_query("commun").root, analyzer, FreeWords::all).query;
    const TermQuery years = dated_between(20200101, 20221231);
    std::vector<DatedAsk> asks;
    for (const TermQuery& query : {years, all_of({word, years}), and_not(word, years),
                                   dated_between(20240229, 20240229), match_everything()}) {
        asks.push_back({query, {0, kDocuments, 0, MatchEngine::Order::newest}});
        asks.push_back({query, {7, kDocuments, 0, MatchEngine::Order::oldest, true}});
        asks.push_back({query, {0, 10, 0, MatchEngine::Order::relevance, true, true}});
    }
    return asks;
}

// What an answer must agree on with Xapian's: the count, the counts by year and source, and the
// page's documents with their dates in rank order (a single word, and parts that weigh nothing,
// score to the last bit in both engines, so that equal scores rank alike).
std::string summary_of(const MatchEngine::Matches& matches, const Xapian::Database& db) {
    std::string out = std::to_string(matches.estimate) + (matches.exact ? " exact:" : ":");
    for (const auto& match : matches.ranked) {
        out += ' ' + std::to_string(match.document) + '@' +
               db.get_document(match.document).get_value(trouvere::scheme::kDateSlot);
    }
    auto counts = [&](std::vector<MatchEngine::ValueCount> values) {
        std::sort(values.begin(), values.end(),
                  [](const auto& a, const auto& b) { return a.value < b.value; });
        for (const auto& value : values)
            out += ' ' + value.value + '=' + std::to_string(value.count);
    };
    out += " | years";
    counts(matches.years);
    out += " | sources";
    counts(matches.sources);
    return out;
}

// The date queries asked of an index that opened, straight through the native matcher.
void ask_dates(const native::NativeIndex& index, const Checked& checked, bool own,
               const std::vector<DatedAsk>& asks, const std::vector<std::string>& expected,
               const Xapian::Database& db) {
    for (std::size_t k = 0; k < asks.size(); ++k) {
        const auto shown = [&] { return trouvere::searcher::to_string(asks[k].query); };
        try {
            const auto matches =
                trouvere::searcher::match_native(index, asks[k].query, asks[k].request);
            if (own) {
                check(summary_of(matches, db) == expected[k],
                      "the target's own index answers date queries as Xapian", [&] {
                          return shown() + ": " + summary_of(matches, db) + " against " +
                                 expected[k];
                      });
            }
        } catch (const native::Damaged& error) {
            check(!checked.sound, "an index that passes check() answers date queries",
                  [&] { return shown() + ": " + error.what(); });
        } catch (const std::exception& error) {
            trouvere::fuzz::fail("date queries fail only with native::Damaged", error.what());
        }
    }
}

// Writes the seeds when TROUVERE_NATIVE_FUZZ_SEEDS names a folder; returns whether it did.
bool write_seeds(const ScratchDatabase& scratch) {
    const char* folder = std::getenv("TROUVERE_NATIVE_FUZZ_SEEDS");
    if (folder == nullptr) return false;
    for (const auto& [name, mode] :
         {std::pair{"raw_index.bin", '\0'}, {"resealed_index.bin", '\1'}}) {
        std::ofstream out(fs::path(folder) / name, std::ios::binary | std::ios::trunc);
        out << mode << scratch.own_index();
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Destroyed in the reverse order, so the searcher is closed before its folder goes.
    static const ScratchDatabase scratch;
    static trouvere::Searcher searcher(scratch.path());
    // Xapian's answers: every hit, compared as a set (engines may order equal scores either
    // way), and the first few with snippets.
    static const auto expected = [] {
        std::vector<std::pair<std::string, std::string>> answers;
        for (const char* query : kQueries) {
            answers.emplace_back(
                answer_of(searcher.search(query, every_hit(Engine::xapian)), true),
                answer_of(searcher.search(query, with_snippets(Engine::xapian)), false));
        }
        return answers;
    }();
    static const Xapian::Database database(scratch.path());
    static const std::vector<DatedAsk> asks = dated_asks();
    static const std::vector<std::string> dated_expected = [] {
        const auto xapian = trouvere::searcher::open_xapian_engine(scratch.path());
        std::vector<std::string> answers;
        answers.reserve(asks.size());
        for (const DatedAsk& ask : asks) {
            answers.push_back(summary_of(xapian->match(ask.query, ask.request), database));
        }
        return answers;
    }();
    static const bool seeds_written = write_seeds(scratch);
    static_cast<void>(seeds_written);
    if (size == 0) return 0;

    const bool resealed = (data[0] & 1) != 0;
    std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (resealed) scratch.reseal(file);
    const bool own = file == scratch.own_index();
    scratch.install(file);
    const fs::path path = scratch.native_path();
    const Checked checked = open_and_check(path);
    check(!own || checked.sound, "the target's own index passes check()");
    if (checked.index) ask_dates(*checked.index, checked, own, asks, dated_expected, database);

    searcher.reopen();
    // A refused file is refused before any query reads it: one query shows what searches do.
    const std::size_t queries = checked.index ? std::size(kQueries) : 1;
    for (std::size_t k = 0; k < queries; ++k) {
        const std::string_view query = kQueries[k];
        const auto& [all_hits, top_hits] = expected[k];
        const auto shown = [&] { return std::string(query); };
        try {
            const auto results = searcher.search(query, every_hit(Engine::native));
            check(!own || answer_of(results, true) == all_hits,
                  "the target's own index answers as Xapian", shown);
            (void)searcher.search(query, with_snippets(Engine::native));
        } catch (const trouvere::DatabaseError& error) {
            check(!own, "the target's own index answers", [&] { return error.what(); });
            check(std::string_view(error.what()).find(path.string()) != std::string::npos,
                  "a native refusal names the file", [&] { return error.what(); });
        } catch (const std::exception& error) {
            trouvere::fuzz::fail("engine native fails only with DatabaseError", error.what());
        }
        try {
            const auto results = searcher.search(query, every_hit(Engine::automatic));
            check(results.engine == "native" || answer_of(results, true) == all_hits,
                  "Xapian's answer when Xapian answers", shown);
            check(resealed || answer_of(results, true) == all_hits,
                  "a raw file never changes the answers", shown);
            const auto snippets = searcher.search(query, with_snippets(Engine::automatic));
            check(snippets.engine == "native" || answer_of(snippets, false) == top_hits,
                  "Xapian's answer when Xapian answers", shown);
        } catch (const std::exception& error) {
            trouvere::fuzz::fail("engine automatic always answers", error.what());
        }
    }
    return 0;
}
