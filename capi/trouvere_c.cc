// The C API (trouvere/trouvere_c.h) over the public C++ API. Each handle is a struct holding the
// C++ object; each function that can fail runs its body through guarded(), which turns whatever
// it throws into a status.

#include "trouvere/trouvere_c.h"

#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capi/c_errors.h"
#include "text/utf8.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"
#include "trouvere/snippet.h"
#include "trouvere/version.h"

struct trouvere_document {
    trouvere::Document document;
};

struct trouvere_search_options {
    trouvere::SearchOptions options;
};

struct trouvere_hit {
    // Into the results that hold this hit.
    const trouvere::Hit* hit = nullptr;
    std::string snippet_html;
};

struct trouvere_results {
    trouvere::SearchResults results;
    // One per results.hits, in order.
    std::vector<trouvere_hit> hits;
    // The name of each of results.facets, as a C string.
    std::vector<std::string> facet_names;
};

struct trouvere_searcher {
    trouvere::Searcher searcher;
};

struct trouvere_writer {
    trouvere::IndexWriter writer;
};

struct trouvere_index_report {
    trouvere::IndexReport report;
};

namespace {

using trouvere::capi::guarded;
using trouvere::capi::UsageError;

// `pointer`, which the caller must give.
template <typename T>
T* required(T* pointer, const char* name) {
    if (pointer == nullptr) throw UsageError(std::string(name) + " is NULL");
    return pointer;
}

// The out-parameter `out`, which the caller must give, set to NULL until the call succeeds.
template <typename T>
T*& out_parameter(T** out, const char* name) {
    return *required(out, name) = nullptr;
}

// Text the caller must give, in UTF-8.
std::string_view utf8_argument(const char* text, const char* name) {
    const std::string_view view(required(text, name));
    if (const auto invalid = trouvere::text::find_invalid_utf8(view)) {
        throw UsageError(std::string(name) + " is not valid UTF-8 (byte " +
                         std::to_string(*invalid) + ")");
    }
    return view;
}

// Text the caller may leave NULL, which reads as empty.
std::string_view optional_utf8_argument(const char* text, const char* name) {
    return text == nullptr ? std::string_view() : utf8_argument(text, name);
}

// A copy of `text` that the caller releases with trouvere_free.
char* caller_owned(std::string_view text) {
    // NOLINTNEXTLINE(modernize-avoid-c-arrays): a C string, which trouvere_free deletes
    auto copy = std::make_unique<char[]>(text.size() + 1);
    std::memcpy(copy.get(), text.data(), text.size());
    copy[text.size()] = '\0';
    return copy.release();
}

// The member of `record`, a Document or a Hit, that `field` names; nullptr for a value outside
// trouvere_field, and for the body of a Hit, which has none.
template <typename Record>
auto field_of(Record& record, trouvere_field field) -> decltype(&record.id) {
    switch (field) {
        case TROUVERE_FIELD_ID: return &record.id;
        case TROUVERE_FIELD_TITLE: return &record.title;
        case TROUVERE_FIELD_BODY:
            if constexpr (requires { record.body; }) {
                return &record.body;
            } else {
                return nullptr;
            }
        case TROUVERE_FIELD_DATE: return &record.date;
        case TROUVERE_FIELD_SOURCE: return &record.source;
        case TROUVERE_FIELD_URL: return &record.url;
        case TROUVERE_FIELD_PATH: return &record.path;
    }
    return nullptr;
}

// Element `index` of `items`, or nullptr past the end.
template <typename T>
const T* element(const std::vector<T>& items, std::size_t index) {
    return index < items.size() ? &items[index] : nullptr;
}

const trouvere::FacetCounts* facet_at(const trouvere_results* results, std::size_t facet) {
    return results == nullptr ? nullptr : element(results->results.facets, facet);
}

const trouvere::FacetValue* facet_value_at(const trouvere_results* results, std::size_t facet,
                                           std::size_t value) {
    const auto* counts = facet_at(results, facet);
    return counts == nullptr ? nullptr : element(counts->values, value);
}

const trouvere::Highlight* highlight_at(const trouvere_hit* hit, std::size_t index) {
    return hit == nullptr ? nullptr : element(hit->hit->snippet.highlights, index);
}

const trouvere::IndexWarning* warning_at(const trouvere_index_report* report, std::size_t index) {
    return report == nullptr ? nullptr : element(report->report.warnings, index);
}

// Sets one search option, the rest of the work being `set`'s.
template <std::size_t N, typename Set>
// NOLINTNEXTLINE(modernize-avoid-c-arrays): __func__, taken whole so that it does not decay
trouvere_status set_option(const char (&function)[N], trouvere_search_options* options,
                           trouvere_error** error, Set&& set) {
    return guarded(function, error, [&] { std::forward<Set>(set)(*required(options, "options")); });
}

const trouvere::SearchOptions& options_or_defaults(const trouvere_search_options* options) {
    static const trouvere::SearchOptions defaults;
    return options == nullptr ? defaults : options->options;
}

}  // namespace

extern "C" {

// ---- Errors

trouvere_status trouvere_error_code(const trouvere_error* error) {
    return error == nullptr ? TROUVERE_OK : error->code;
}

const char* trouvere_error_message(const trouvere_error* error) {
    return error == nullptr ? "" : error->message.c_str();
}

void trouvere_error_destroy(trouvere_error* error) {
    if (error != trouvere::capi::out_of_memory_error()) delete error;
}

// ---- Memory and version

void trouvere_free(void* pointer) {
    delete[] static_cast<char*>(pointer);
}

const char* trouvere_version(void) {
    // Compiled into the library: the version of the library loaded, as trouvere::version().
    return TROUVERE_VERSION;
}

trouvere_status trouvere_terminal_safe(const char* text, size_t length, char** safe,
                                       trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(safe, "safe");
        out =
            caller_owned(trouvere::terminal_safe(std::string_view(required(text, "text"), length)));
    });
}

// ---- Documents

trouvere_status trouvere_document_create(const char* id, trouvere_document** document,
                                         trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(document, "document");
        auto made = std::make_unique<trouvere_document>();
        made->document.id = utf8_argument(id, "id");
        out = made.release();
    });
}

void trouvere_document_destroy(trouvere_document* document) {
    delete document;
}

const char* trouvere_document_field(const trouvere_document* document, trouvere_field field) {
    if (document == nullptr) return nullptr;
    const std::string* value = field_of(document->document, field);
    return value == nullptr ? nullptr : value->c_str();
}

trouvere_status trouvere_document_set_field(trouvere_document* document, trouvere_field field,
                                            const char* value, trouvere_error** error) {
    return guarded(__func__, error, [&] {
        std::string* member = field_of(required(document, "document")->document, field);
        if (member == nullptr) {
            throw UsageError("field " + std::to_string(field) + " is not a trouvere_field");
        }
        *member = optional_utf8_argument(value, "value");
    });
}

// ---- Search options

trouvere_status trouvere_search_options_create(trouvere_search_options** options,
                                               trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(options, "options");
        out = new trouvere_search_options();
    });
}

void trouvere_search_options_destroy(trouvere_search_options* options) {
    delete options;
}

trouvere_status trouvere_search_options_set_limit(trouvere_search_options* options, size_t limit,
                                                  trouvere_error** error) {
    return set_option(__func__, options, error,
                      [&](auto& handle) { handle.options.limit = limit; });
}

trouvere_status trouvere_search_options_set_offset(trouvere_search_options* options, size_t offset,
                                                   trouvere_error** error) {
    return set_option(__func__, options, error,
                      [&](auto& handle) { handle.options.offset = offset; });
}

trouvere_status trouvere_search_options_set_sort(trouvere_search_options* options,
                                                 trouvere_sort sort, trouvere_error** error) {
    return set_option(__func__, options, error, [&](auto& handle) {
        switch (sort) {
            case TROUVERE_SORT_RELEVANCE:
                handle.options.sort = trouvere::SortOrder::relevance;
                return;
            case TROUVERE_SORT_NEWEST: handle.options.sort = trouvere::SortOrder::newest; return;
            case TROUVERE_SORT_OLDEST: handle.options.sort = trouvere::SortOrder::oldest; return;
        }
        throw UsageError("sort " + std::to_string(sort) + " is not a trouvere_sort");
    });
}

trouvere_status trouvere_search_options_set_since(trouvere_search_options* options,
                                                  const char* since, trouvere_error** error) {
    return set_option(__func__, options, error, [&](auto& handle) {
        handle.options.since = optional_utf8_argument(since, "since");
    });
}

trouvere_status trouvere_search_options_set_until(trouvere_search_options* options,
                                                  const char* until, trouvere_error** error) {
    return set_option(__func__, options, error, [&](auto& handle) {
        handle.options.until = optional_utf8_argument(until, "until");
    });
}

trouvere_status trouvere_search_options_set_source(trouvere_search_options* options,
                                                   const char* source, trouvere_error** error) {
    return set_option(__func__, options, error, [&](auto& handle) {
        handle.options.source = optional_utf8_argument(source, "source");
    });
}

trouvere_status trouvere_search_options_add_facet(trouvere_search_options* options,
                                                  const char* name, trouvere_error** error) {
    return set_option(__func__, options, error, [&](auto& handle) {
        const std::string_view text = utf8_argument(name, "name");
        const std::optional<trouvere::Facet> facet = trouvere::facet_named(text);
        if (!facet) throw UsageError("no facet is named '" + std::string(text) + "'");
        handle.options.facets.push_back(*facet);
    });
}

trouvere_status trouvere_search_options_set_snippet_chars(trouvere_search_options* options,
                                                          size_t chars, trouvere_error** error) {
    return set_option(__func__, options, error,
                      [&](auto& handle) { handle.options.snippet_chars = chars; });
}

trouvere_status trouvere_search_options_set_snippets(trouvere_search_options* options, int snippets,
                                                     trouvere_error** error) {
    return set_option(__func__, options, error,
                      [&](auto& handle) { handle.options.snippets = snippets != 0; });
}

trouvere_status trouvere_search_options_set_engine(trouvere_search_options* options,
                                                   trouvere_engine engine, trouvere_error** error) {
    return set_option(__func__, options, error, [&](auto& handle) {
        switch (engine) {
            case TROUVERE_ENGINE_AUTOMATIC:
                handle.options.engine = trouvere::SearchEngine::automatic;
                return;
            case TROUVERE_ENGINE_XAPIAN:
                handle.options.engine = trouvere::SearchEngine::xapian;
                return;
            case TROUVERE_ENGINE_NATIVE:
                handle.options.engine = trouvere::SearchEngine::native;
                return;
        }
        throw UsageError("engine " + std::to_string(engine) + " is not a trouvere_engine");
    });
}

trouvere_status trouvere_search_options_set_count_at_least(trouvere_search_options* options,
                                                           size_t count, trouvere_error** error) {
    return set_option(__func__, options, error,
                      [&](auto& handle) { handle.options.count_at_least = count; });
}

trouvere_status trouvere_search_options_set_allow_partial(trouvere_search_options* options,
                                                          int allow_partial,
                                                          trouvere_error** error) {
    return set_option(__func__, options, error,
                      [&](auto& handle) { handle.options.allow_partial = allow_partial != 0; });
}

// ---- Results

void trouvere_results_destroy(trouvere_results* results) {
    delete results;
}

const char* trouvere_results_query(const trouvere_results* results) {
    return results == nullptr ? "" : results->results.query.c_str();
}

const char* trouvere_results_engine(const trouvere_results* results) {
    return results == nullptr ? "" : results->results.engine.c_str();
}

size_t trouvere_results_total_estimate(const trouvere_results* results) {
    return results == nullptr ? 0 : results->results.total_estimate;
}

int trouvere_results_total_exact(const trouvere_results* results) {
    return results != nullptr && results->results.total_exact ? 1 : 0;
}

int trouvere_results_fell_back_to_any_word(const trouvere_results* results) {
    return results != nullptr && results->results.fell_back_to_any_word ? 1 : 0;
}

const char* trouvere_results_suggestion(const trouvere_results* results) {
    if (results == nullptr || !results->results.suggestion) return nullptr;
    return results->results.suggestion->c_str();
}

size_t trouvere_results_warning_count(const trouvere_results* results) {
    return results == nullptr ? 0 : results->results.warnings.size();
}

const char* trouvere_results_warning(const trouvere_results* results, size_t index) {
    const std::string* warning =
        results == nullptr ? nullptr : element(results->results.warnings, index);
    return warning == nullptr ? nullptr : warning->c_str();
}

size_t trouvere_results_hit_count(const trouvere_results* results) {
    return results == nullptr ? 0 : results->hits.size();
}

const trouvere_hit* trouvere_results_hit(const trouvere_results* results, size_t index) {
    return results == nullptr ? nullptr : element(results->hits, index);
}

size_t trouvere_results_facet_count(const trouvere_results* results) {
    return results == nullptr ? 0 : results->results.facets.size();
}

const char* trouvere_results_facet_name(const trouvere_results* results, size_t facet) {
    const std::string* name = results == nullptr ? nullptr : element(results->facet_names, facet);
    return name == nullptr ? nullptr : name->c_str();
}

size_t trouvere_results_facet_value_count(const trouvere_results* results, size_t facet) {
    const auto* counts = facet_at(results, facet);
    return counts == nullptr ? 0 : counts->values.size();
}

const char* trouvere_results_facet_value(const trouvere_results* results, size_t facet,
                                         size_t value) {
    const auto* counted = facet_value_at(results, facet, value);
    return counted == nullptr ? nullptr : counted->value.c_str();
}

size_t trouvere_results_facet_value_documents(const trouvere_results* results, size_t facet,
                                              size_t value) {
    const auto* counted = facet_value_at(results, facet, value);
    return counted == nullptr ? 0 : counted->count;
}

trouvere_status trouvere_results_to_json(const trouvere_results* results, char** json,
                                         trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(json, "json");
        out = caller_owned(trouvere::to_json(required(results, "results")->results));
    });
}

size_t trouvere_hit_rank(const trouvere_hit* hit) {
    return hit == nullptr ? 0 : hit->hit->rank;
}

double trouvere_hit_score(const trouvere_hit* hit) {
    return hit == nullptr ? 0 : hit->hit->score;
}

const char* trouvere_hit_field(const trouvere_hit* hit, trouvere_field field) {
    if (hit == nullptr) return nullptr;
    const std::string* value = field_of(*hit->hit, field);
    return value == nullptr ? nullptr : value->c_str();
}

const char* trouvere_hit_snippet_text(const trouvere_hit* hit) {
    return hit == nullptr ? "" : hit->hit->snippet.text.c_str();
}

const char* trouvere_hit_snippet_html(const trouvere_hit* hit) {
    return hit == nullptr ? "" : hit->snippet_html.c_str();
}

size_t trouvere_hit_highlight_count(const trouvere_hit* hit) {
    return hit == nullptr ? 0 : hit->hit->snippet.highlights.size();
}

size_t trouvere_hit_highlight_begin(const trouvere_hit* hit, size_t index) {
    const auto* highlight = highlight_at(hit, index);
    return highlight == nullptr ? 0 : highlight->begin;
}

size_t trouvere_hit_highlight_end(const trouvere_hit* hit, size_t index) {
    const auto* highlight = highlight_at(hit, index);
    return highlight == nullptr ? 0 : highlight->end;
}

// ---- Searching

trouvere_status trouvere_searcher_open(const char* path, trouvere_searcher** searcher,
                                       trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(searcher, "searcher");
        out = new trouvere_searcher{trouvere::Searcher(required(path, "path"))};
    });
}

void trouvere_searcher_close(trouvere_searcher* searcher) {
    delete searcher;
}

trouvere_status trouvere_searcher_search(trouvere_searcher* searcher, const char* query,
                                         const trouvere_search_options* options,
                                         trouvere_results** results, trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(results, "results");
        auto& handle = *required(searcher, "searcher");
        const std::string_view text = utf8_argument(query, "query");
        auto made = std::make_unique<trouvere_results>();
        made->results = handle.searcher.search(text, options_or_defaults(options));
        made->hits.reserve(made->results.hits.size());
        for (const trouvere::Hit& hit : made->results.hits) {
            made->hits.push_back({&hit, trouvere::to_html(hit.snippet)});
        }
        for (const trouvere::FacetCounts& counts : made->results.facets) {
            made->facet_names.emplace_back(trouvere::facet_name(counts.facet));
        }
        out = made.release();
    });
}

trouvere_status trouvere_searcher_explain(trouvere_searcher* searcher, const char* query,
                                          const trouvere_search_options* options, char** json,
                                          trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(json, "json");
        auto& handle = *required(searcher, "searcher");
        const std::string_view text = utf8_argument(query, "query");
        out = caller_owned(
            trouvere::to_json(handle.searcher.explain(text, options_or_defaults(options))));
    });
}

trouvere_status trouvere_searcher_document(trouvere_searcher* searcher, const char* id,
                                           trouvere_document** document, trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(document, "document");
        auto& handle = *required(searcher, "searcher");
        std::optional<trouvere::Document> found = handle.searcher.document(utf8_argument(id, "id"));
        if (found) out = new trouvere_document{std::move(*found)};
    });
}

trouvere_status trouvere_searcher_reopen(trouvere_searcher* searcher, trouvere_error** error) {
    return guarded(__func__, error, [&] { required(searcher, "searcher")->searcher.reopen(); });
}

// ---- Indexing

trouvere_status trouvere_writer_open(const char* path, unsigned threads, unsigned lock_wait_ms,
                                     trouvere_writer** writer, trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(writer, "writer");
        out = new trouvere_writer{trouvere::IndexWriter(required(path, "path"), threads,
                                                        std::chrono::milliseconds(lock_wait_ms))};
    });
}

void trouvere_writer_close(trouvere_writer* writer) {
    delete writer;
}

trouvere_status trouvere_writer_add_or_replace(trouvere_writer* writer,
                                               const trouvere_document* document,
                                               trouvere_error** error) {
    return guarded(__func__, error, [&] {
        required(writer, "writer")->writer.add_or_replace(required(document, "document")->document);
    });
}

trouvere_status trouvere_writer_delete(trouvere_writer* writer, const char* id, int* deleted,
                                       trouvere_error** error) {
    return guarded(__func__, error, [&] {
        if (deleted != nullptr) *deleted = 0;
        const bool was_there = required(writer, "writer")->writer.remove(utf8_argument(id, "id"));
        if (deleted != nullptr) *deleted = was_there ? 1 : 0;
    });
}

trouvere_status trouvere_writer_commit(trouvere_writer* writer, trouvere_error** error) {
    return guarded(__func__, error, [&] { required(writer, "writer")->writer.commit(); });
}

trouvere_status trouvere_writer_update_native_index(trouvere_writer* writer, int* built,
                                                    trouvere_error** error) {
    return guarded(__func__, error, [&] {
        if (built != nullptr) *built = 0;
        const bool rebuilt = required(writer, "writer")->writer.update_native_index();
        if (built != nullptr) *built = rebuilt ? 1 : 0;
    });
}

trouvere_status trouvere_index_paths(trouvere_writer* writer, const char* const* paths,
                                     size_t path_count, int prune, size_t commit_every,
                                     trouvere_index_report** report, trouvere_error** error) {
    return guarded(__func__, error, [&] {
        auto*& out = out_parameter(report, "report");
        auto& handle = *required(writer, "writer");
        std::vector<std::string> path_list;
        if (path_count > 0) {
            const std::span given(required(paths, "paths"), path_count);
            path_list.reserve(path_count);
            for (const char* path : given) path_list.emplace_back(required(path, "a path"));
        }
        trouvere::IndexOptions options;
        options.prune = prune != 0;
        options.commit_every = commit_every;
        auto made = std::make_unique<trouvere_index_report>();
        made->report = trouvere::index_paths(handle.writer, path_list, options);
        out = made.release();
    });
}

void trouvere_index_report_destroy(trouvere_index_report* report) {
    delete report;
}

size_t trouvere_index_report_added(const trouvere_index_report* report) {
    return report == nullptr ? 0 : report->report.added;
}

size_t trouvere_index_report_updated(const trouvere_index_report* report) {
    return report == nullptr ? 0 : report->report.updated;
}

size_t trouvere_index_report_unchanged(const trouvere_index_report* report) {
    return report == nullptr ? 0 : report->report.unchanged;
}

size_t trouvere_index_report_deleted(const trouvere_index_report* report) {
    return report == nullptr ? 0 : report->report.deleted;
}

size_t trouvere_index_report_skipped(const trouvere_index_report* report) {
    return report == nullptr ? 0 : report->report.skipped;
}

size_t trouvere_index_report_warning_count(const trouvere_index_report* report) {
    return report == nullptr ? 0 : report->report.warnings.size();
}

const char* trouvere_index_report_warning_file(const trouvere_index_report* report, size_t index) {
    const auto* warning = warning_at(report, index);
    return warning == nullptr ? nullptr : warning->file.c_str();
}

size_t trouvere_index_report_warning_line(const trouvere_index_report* report, size_t index) {
    const auto* warning = warning_at(report, index);
    return warning == nullptr ? 0 : warning->line;
}

const char* trouvere_index_report_warning_message(const trouvere_index_report* report,
                                                  size_t index) {
    const auto* warning = warning_at(report, index);
    return warning == nullptr ? nullptr : warning->message.c_str();
}

int trouvere_index_report_warning_skipped(const trouvere_index_report* report, size_t index) {
    const auto* warning = warning_at(report, index);
    return warning != nullptr && warning->skipped ? 1 : 0;
}

}  // extern "C"
