// trouvere through its public API, measured by the same harness, loop and clock as the peers,
// so that the comparison table holds like-for-like figures. (bench/littre_bench measures the
// same things with Google Benchmark, per query class, for tracking trouvere alone.)

#include <trouvere/trouvere.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "harness.h"

namespace {

class TrouverePeer final : public peers::Peer {
public:
    [[nodiscard]] peers::Json settings() const override {
        return {{"engine", "trouvere (Xapian 1.4 storage)"},
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
        return peers::Json::object();
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
        return searcher_->search(query, options).hits.size();
    }

private:
    std::unique_ptr<trouvere::Searcher> searcher_;
};

}  // namespace

int main(int argc, char** argv) {
    TrouverePeer peer;
    return peers::run(argc, argv, "trouvere", peer);
}
