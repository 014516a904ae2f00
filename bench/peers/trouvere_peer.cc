// trouvere through its public API, measured by the same harness, loop and clock as the peers,
// so that the comparison table holds like-for-like figures. (bench/littre_bench measures the
// same things with Google Benchmark, per query class, for tracking trouvere alone.)
//
// `trouvere_peer [--engine xapian] COMMAND ...`: the index step builds the Xapian database and
// then trouvere's own index from it, as search-index does, and times the latter apart; queries
// are answered by trouvere's own index, or with `--engine xapian` by Xapian from the same
// database (reported as "trouvere-xapian").

#include <trouvere/trouvere.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "harness.h"

namespace {

class TrouverePeer final : public peers::Peer {
public:
    explicit TrouverePeer(trouvere::SearchEngine engine) : engine_(engine) {}

    [[nodiscard]] peers::Json settings() const override {
        return {{"engine", engine_ == trouvere::SearchEngine::xapian
                               ? "trouvere, answered by Xapian 1.4 (its store of record)"
                               : "trouvere, answered by its own index (built from Xapian 1.4)"},
                {"analysis", "ICU words, elision, NFKC case and accent folding, French Snowball"},
                {"fields",
                 "title (3x weight, and title: family) and body; positions on the "
                 "folded stems only; stored: header, LZ4 body, word offsets and sentence "
                 "breaks in values"},
                {"default_op", "AND, falling back to OR when no document has every word"},
                {"ranking", "BM25Weight (default)"},
                {"snippets",
                 "own highlighter, matches from position lists and stored word offsets, cut "
                 "at stored sentence breaks, 200 characters"}};
    }

    peers::Json index(const std::string& location, peers::JsonlReader& records) override {
        std::filesystem::remove_all(location);
        trouvere::IndexWriter writer(location);
        peers::Record record;
        while (records.next(record)) {
            writer.add_or_replace({.id = record.id, .title = record.title, .body = record.body});
        }
        writer.commit();
        const auto start = std::chrono::steady_clock::now();
        writer.update_native_index();
        const std::chrono::duration<double> native_seconds =
            std::chrono::steady_clock::now() - start;
        const auto native_bytes =
            std::filesystem::file_size(std::filesystem::path(location) / "trouvere.native");
        return {{"native_index_seconds", native_seconds.count()},
                {"native_index_mb", static_cast<double>(native_bytes) / 1e6}};
    }

    [[nodiscard]] std::uint64_t disk_bytes(const std::string& location) override {
        return peers::disk_usage(location);
    }

    void open(const std::string& location) override {
        searcher_ = std::make_unique<trouvere::Searcher>(location);
    }

    peers::Results search(const std::string& query, bool snippets) override {
        trouvere::SearchOptions options;
        options.limit = 10;
        options.snippets = snippets;
        options.engine = engine_;
        auto found = searcher_->search(query, options);
        peers::Results results;
        results.estimated_matches = found.total_estimate;
        for (auto& hit : found.hits) {
            results.hits.push_back({.id = std::move(hit.id),
                                    .title = std::move(hit.title),
                                    .snippet = snippets ? trouvere::to_html(hit.snippet) : ""});
        }
        return results;
    }

    std::uint64_t count(const std::string& query) override {
        trouvere::SearchOptions options;
        options.limit = searcher_->document_count();
        options.snippets = false;
        options.engine = engine_;
        return searcher_->search(query, options).hits.size();
    }

    // What the library proposes for the query as a search gives it: the suggestion of a search
    // of the first ten hits, without snippets.
    std::optional<std::string> suggest(const std::string& query) override {
        trouvere::SearchOptions options;
        options.limit = 10;
        options.snippets = false;
        options.engine = engine_;
        return searcher_->search(query, options).suggestion;
    }

private:
    trouvere::SearchEngine engine_;
    std::unique_ptr<trouvere::Searcher> searcher_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && std::strcmp(argv[1], "--engine") == 0) {
        if (std::strcmp(argv[2], "xapian") != 0) {
            std::cerr << "trouvere_peer: --engine takes xapian (the default is trouvere's own "
                         "index)\n";
            return 2;
        }
        TrouverePeer peer(trouvere::SearchEngine::xapian);
        // The program's name stays first, as the harness reads its arguments after it.
        argv[2] = argv[0];
        return peers::run(argc - 2, argv + 2, "trouvere-xapian", peer);
    }
    TrouverePeer peer(trouvere::SearchEngine::native);
    return peers::run(argc, argv, "trouvere", peer);
}
