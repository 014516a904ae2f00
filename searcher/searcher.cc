#include "trouvere/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/limits.h"
#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "core/xapian_errors.h"
#include "searcher/query_translation.h"
#include "searcher/snippet_builder.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"
#include "trouvere/query.h"

namespace trouvere {

namespace {

// A writer that commits while a search runs can overwrite the blocks of the revision the search
// reads; the search then starts again on the latest revision. Each retry needs two more commits
// during one search to fail again.
constexpr int kSearchAttempts = 5;

// Which folder is at the path: a first build swaps in a whole new folder, which
// Xapian::Database::reopen() does not notice when the new database has the old one's revision.
struct FolderIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    bool operator==(const FolderIdentity&) const = default;
};

FolderIdentity identity_of(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) return {};
    return {status.st_dev, status.st_ino};
}

// The words of a hit's body that `match` names, found from Xapian's position lists and the body's
// stored word offsets rather than by analysing the body again; nullopt when the offsets are
// missing or damaged, and the body must be analysed.
std::optional<std::vector<Token>> located_tokens(const Xapian::Database& db, Xapian::docid hit,
                                                 std::string_view word_offsets,
                                                 std::string_view body,
                                                 const searcher::MatchSpec& match) {
    if (word_offsets.empty()) return std::nullopt;
    std::vector<const std::string*> terms;
    for (const std::string& term : match.terms) terms.push_back(&term);
    for (const std::vector<std::string>& phrase : match.phrases) {
        for (const std::string& term : phrase) {
            if (!match.terms.contains(term) &&
                std::none_of(terms.begin(), terms.end(),
                             [&](const std::string* seen) { return *seen == term; })) {
                terms.push_back(&term);
            }
        }
    }
    // Each position holds one word, so the lists of distinct terms never share a position.
    std::vector<std::pair<std::uint32_t, const std::string*>> occurrences;
    for (const std::string* term : terms) {
        for (auto position = db.positionlist_begin(hit, *term);
             position != db.positionlist_end(hit, *term); ++position) {
            occurrences.emplace_back(*position, term);
        }
    }
    std::sort(occurrences.begin(), occurrences.end());
    std::vector<std::uint32_t> positions(occurrences.size());
    std::transform(occurrences.begin(), occurrences.end(), positions.begin(),
                   [](const auto& occurrence) { return occurrence.first; });
    auto words = stored::locate_words(word_offsets, positions, body);
    if (!words) return std::nullopt;

    std::vector<Token> tokens(words->size());
    auto occurrence = occurrences.begin();
    for (std::size_t k = 0; k < words->size(); ++k) {
        const stored::WordSpan& word = (*words)[k];
        while (occurrence->first != word.position) ++occurrence;
        tokens[k].term = *occurrence->second;
        tokens[k].position = word.position;
        tokens[k].begin = word.begin;
        tokens[k].end = word.end;
    }
    return tokens;
}

}  // namespace

struct Searcher::Impl {
    std::string path;
    Xapian::Database db;
    FolderIdentity folder;
    Analyzer analyzer;

    // Opens the folder now at the path. Xapian opens a database file by file, so a swap in the
    // middle could pair files of two databases: the open counts only if the same folder was at
    // the path before and after it.
    void open_current() {
        for (int attempt = 1;; ++attempt) {
            FolderIdentity before = identity_of(path);
            try {
                Xapian::Database opened(path);
                if (identity_of(path) == before) {
                    db = std::move(opened);
                    folder = before;
                    return;
                }
            } catch (const Xapian::DatabaseError&) {
                if (identity_of(path) == before) throw;
            }
            if (attempt == kSearchAttempts) {
                throw Xapian::DatabaseOpeningError("replaced during every attempt to open it");
            }
        }
    }

    void move_to_latest() {
        if (identity_of(path) == folder) {
            db.reopen();
            // A swap during reopen() may have paired files of two databases.
            if (identity_of(path) == folder) return;
        }
        open_current();
    }

    [[nodiscard]] SearchResults search_once(std::string_view query_text,
                                            const SearchOptions& options);

    // The snippet of a hit: of its body, or of its title when it has no body. `record` gives
    // where the body's words and sentences are.
    Snippet snippet_of(const Document& document, const stored::FullRecord& record,
                       Xapian::docid hit, const searcher::MatchSpec& match, std::size_t max_chars) {
        if (document.body.empty()) {
            return searcher::build_snippet(analyzer, document.title, match, max_chars);
        }
        // Nothing to mark needs no words at all.
        auto tokens = match.empty()
                          ? std::optional<std::vector<Token>>(std::in_place)
                          : located_tokens(db, hit, record.word_offsets, document.body, match);
        if (tokens) {
            return searcher::build_snippet(document.body, *tokens, record.sentence_breaks, match,
                                           max_chars);
        }
        return searcher::build_snippet(analyzer, document.body, match, max_chars);
    }
};

Searcher::Searcher(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        throw DatabaseError("no database at " + path + " (build one with: search-index FOLDER)");
    }
    try {
        impl_->open_current();
    } catch (const Xapian::Error& xapian_error) {
        throw DatabaseError("cannot open database " + path + ": " + xapian_error.get_description());
    }
    if (impl_->db.get_metadata(std::string(scheme::kSchemeKey)) != scheme::kSchemeVersion) {
        throw DatabaseError("database " + path +
                            " was not written by this version of trouvere; index again");
    }
}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SearchResults Searcher::search(std::string_view query_text, const SearchOptions& options) {
    if (query_text.size() > limits::kMaxQueryBytes) {
        throw QueryError("query of " + std::to_string(query_text.size()) +
                         " bytes is longer than the limit of " +
                         std::to_string(limits::kMaxQueryBytes));
    }
    for (int attempt = 1;; ++attempt) {
        try {
            return impl_->search_once(query_text, options);
        } catch (const Xapian::DatabaseModifiedError& error) {
            if (attempt == kSearchAttempts) {
                xapian_errors::rethrow_as_database_error(impl_->path, error);
            }
            reopen();
        }
    }
}

SearchResults Searcher::Impl::search_once(std::string_view query_text,
                                          const SearchOptions& options) {
    SearchResults results;
    results.query = std::string(query_text);
    ParsedQuery parsed = parse_query(query_text);
    results.warnings = std::move(parsed.warnings);

    auto translation = searcher::translate(parsed.root, analyzer, searcher::FreeWords::all);
    if (translation.query.empty()) {
        throw QueryError("nothing to search for in '" + results.query + "'");
    }
    try {
        Xapian::Enquire enquire(db);
        enquire.set_weighting_scheme(Xapian::BM25Weight());
        enquire.set_query(translation.query);
        Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(options.offset),
                                             static_cast<Xapian::doccount>(options.limit));
        if (mset.get_matches_upper_bound() == 0 && translation.can_relax) {
            translation = searcher::translate(parsed.root, analyzer, searcher::FreeWords::any);
            enquire.set_query(translation.query);
            mset = enquire.get_mset(static_cast<Xapian::doccount>(options.offset),
                                    static_cast<Xapian::doccount>(options.limit));
            results.fell_back_to_any_word = true;
        }
        results.total_estimate = mset.get_matches_estimated();
        for (auto item = mset.begin(); item != mset.end(); ++item) {
            Xapian::Document stored_document = item.get_document();
            Hit hit;
            hit.rank = item.get_rank() + 1;
            hit.score = item.get_weight();
            Document document;
            if (options.snippets) {
                const std::string value = stored_document.get_value(scheme::kFullRecordSlot);
                auto record = stored::split_full_record(value);
                auto body = record ? stored::decompress_body(record->stored_body) : std::nullopt;
                document =
                    stored::decode_header(record ? std::string(record->header)
                                                 : stored_document.get_value(scheme::kHeaderSlot));
                if (body) {
                    document.body = std::move(*body);
                } else {
                    // One damaged record should not cost the whole answer: its snippet comes
                    // from the title, and the warning says what to do.
                    results.warnings.push_back("the stored text of document '" + document.id +
                                               "' is damaged; index it again");
                }
                hit.snippet = snippet_of(document, record.value_or(stored::FullRecord()), *item,
                                         translation.match, options.snippet_chars);
            } else {
                document = stored::decode_header(stored_document.get_value(scheme::kHeaderSlot));
            }
            hit.id = std::move(document.id);
            hit.title = std::move(document.title);
            hit.date = std::move(document.date);
            hit.source = std::move(document.source);
            hit.url = std::move(document.url);
            hit.path = std::move(document.path);
            results.hits.push_back(std::move(hit));
        }
    } catch (const Xapian::DatabaseModifiedError&) {
        throw;  // Searcher::search starts again on the latest revision
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(path, error);
    }
    return results;
}

void Searcher::reopen() {
    try {
        impl_->move_to_latest();
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

std::size_t Searcher::document_count() const {
    return impl_->db.get_doccount();
}

}  // namespace trouvere
