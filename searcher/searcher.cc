#include "trouvere/searcher.h"

#include <xapian.h>

#include <filesystem>

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

struct Searcher::Impl {
    std::string path;
    Xapian::Database db;
    Analyzer analyzer;
};

Searcher::Searcher(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        throw DatabaseError("no database at " + path + " (build one with: search-index FOLDER)");
    }
    try {
        impl_->db = Xapian::Database(path);
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
    SearchResults results;
    results.query = std::string(query_text);
    ParsedQuery parsed = parse_query(query_text);
    results.warnings = std::move(parsed.warnings);

    auto translation = searcher::translate(parsed.root, impl_->analyzer, searcher::FreeWords::all);
    if (translation.query.empty()) {
        throw QueryError("nothing to search for in '" + results.query + "'");
    }
    try {
        Xapian::Enquire enquire(impl_->db);
        enquire.set_weighting_scheme(Xapian::BM25Weight());
        enquire.set_query(translation.query);
        Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(options.offset),
                                             static_cast<Xapian::doccount>(options.limit));
        if (mset.get_matches_upper_bound() == 0 && translation.can_relax) {
            translation =
                searcher::translate(parsed.root, impl_->analyzer, searcher::FreeWords::any);
            enquire.set_query(translation.query);
            mset = enquire.get_mset(static_cast<Xapian::doccount>(options.offset),
                                    static_cast<Xapian::doccount>(options.limit));
            results.fell_back_to_any_word = true;
        }
        results.total_estimate = mset.get_matches_estimated();
        for (auto item = mset.begin(); item != mset.end(); ++item) {
            Xapian::Document stored_document = item.get_document();
            Document document =
                stored::decode_header(stored_document.get_value(scheme::kHeaderSlot));
            Hit hit;
            hit.rank = item.get_rank() + 1;
            hit.score = item.get_weight();
            if (options.snippets) {
                document.body = stored_document.get_data();
                const std::string& text = document.body.empty() ? document.title : document.body;
                hit.snippet = searcher::build_snippet(impl_->analyzer, text, translation.match,
                                                      options.snippet_chars);
            }
            hit.id = std::move(document.id);
            hit.title = std::move(document.title);
            hit.date = std::move(document.date);
            hit.source = std::move(document.source);
            hit.url = std::move(document.url);
            hit.path = std::move(document.path);
            results.hits.push_back(std::move(hit));
        }
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
    return results;
}

void Searcher::reopen() {
    try {
        impl_->db.reopen();
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

std::size_t Searcher::document_count() const {
    return impl_->db.get_doccount();
}

}  // namespace trouvere
