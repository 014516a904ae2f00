/* trouvere's C API: search and index French text from C, or from any language that can call C.
 *
 * It wraps the C++ API of <trouvere/trouvere.h>, whose comments say more about what each call
 * does; this header says what crosses the boundary.
 *
 * Handles. Every object is an opaque handle made by a `_open` or `_create` function (or handed
 * out by another call) and released by its `_close` or `_destroy` function, which accepts NULL.
 *
 * Errors. A function that can fail returns a trouvere_status, TROUVERE_OK on success. Its last
 * argument, `error`, may be NULL; otherwise, on failure, *error receives an error object holding
 * the status and a message, which the caller owns and releases with trouvere_error_destroy, and on
 * success *error is set to NULL. On failure, out-parameters other than `error` are set to NULL (or
 * 0). No C++ exception crosses this API: every failure, running out of memory included, becomes a
 * status.
 *
 * Strings. Strings passed in are NUL-terminated UTF-8: text that is not valid UTF-8 is refused
 * with TROUVERE_ERROR_USAGE, except file system paths, which are given to the system as they
 * are, and the bytes given to trouvere_terminal_safe, which makes any bytes safe. Strings handed
 * out are NUL-terminated UTF-8, as indexed (a document added through the C++ API with a NUL byte
 * in a field reads up to it here). A `const char*` result belongs to the object it was read from
 * and lives as long as that object; a `char*` result belongs to the caller, who releases it with
 * trouvere_free. Indexed text may hold control characters: make it trouvere_terminal_safe before
 * printing it to a terminal.
 *
 * Accessors. Functions that read a field (trouvere_results_total_estimate, trouvere_hit_field…)
 * cannot fail: given a NULL handle or an index past the end, they return NULL, 0 or "" as each
 * says.
 *
 * Threads. A searcher handle is used by one thread at a time, as trouvere::Searcher: open one per
 * thread. The same holds for a writer, and for search options while a thread changes them.
 * Results, hits, documents, index reports and errors do not change once handed out: any number of
 * threads may read them at once.
 */
#pragma once

/* A C header, which C++ reads too: C has neither `using` nor <cstddef>. */
/* NOLINTBEGIN(modernize-use-using,modernize-deprecated-headers) */
#include <stddef.h>

#include "trouvere/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* In C++ the enumerations below are based on int, as C's are, so that every value a C caller
 * passes can be checked and refused: C++ gives no meaning to a value outside a plain enumeration's
 * range. */
/* NOLINTBEGIN(cppcoreguidelines-macro-usage): C has no other way to say it */
#ifdef __cplusplus
#define TROUVERE_ENUM_BASE : int
#else
#define TROUVERE_ENUM_BASE
#endif
/* NOLINTEND(cppcoreguidelines-macro-usage) */

/* What a call that can fail returns. */
typedef enum trouvere_status TROUVERE_ENUM_BASE {
    TROUVERE_OK = 0,
    /* The call itself is wrong: a NULL handle or out-parameter, text that is not valid UTF-8, a
     * value outside its enumeration, an unknown facet name. */
    TROUVERE_ERROR_USAGE = 1,
    /* The query cannot be run (trouvere::QueryError): nothing to search for, over the limits, a
     * malformed date. */
    TROUVERE_ERROR_QUERY = 2,
    /* The document cannot be indexed as given (trouvere::DocumentError): an empty id, a date that
     * is not an existing day written YYYY-MM-DD. */
    TROUVERE_ERROR_DOCUMENT = 3,
    /* The database could not be opened, locked, read or written (trouvere::DatabaseError); the
     * message names the path. */
    TROUVERE_ERROR_DATABASE = 4,
    TROUVERE_ERROR_OUT_OF_MEMORY = 5,
    /* Any other failure of the library (trouvere::Error), such as a path given to
     * trouvere_index_paths that does not exist. */
    TROUVERE_ERROR_OTHER = 6
} trouvere_status;

/* ---- Errors ---------------------------------------------------------------------------------- */

typedef struct trouvere_error trouvere_error;

/* The status of the failure; TROUVERE_OK for NULL. */
TROUVERE_EXPORT trouvere_status trouvere_error_code(const trouvere_error* error);

/* What went wrong, for a person to read: "trouvere_searcher_search: query is not valid UTF-8 (byte
 * 3)", "database /tmp/x: No such file or directory"… Owned by `error`; "" for NULL. */
TROUVERE_EXPORT const char* trouvere_error_message(const trouvere_error* error);

TROUVERE_EXPORT void trouvere_error_destroy(trouvere_error* error);

/* ---- Memory and version ---------------------------------------------------------------------- */

/* Releases a `char*` that the library handed out (JSON, terminal-safe text); accepts NULL. */
TROUVERE_EXPORT void trouvere_free(void* pointer);

/* The version of the library loaded, "0.1.0". Static. */
TROUVERE_EXPORT const char* trouvere_version(void);

/* The `length` bytes at `text` (a whole string, or a piece of one such as the text between two
 * highlights of a snippet) with nothing a terminal would obey (trouvere::terminal_safe): tab and
 * newline become spaces, other controls their visible symbol, invalid UTF-8 U+FFFD. *safe is the
 * caller's (trouvere_free). */
TROUVERE_EXPORT trouvere_status trouvere_terminal_safe(const char* text, size_t length, char** safe,
                                                       trouvere_error** error);

/* ---- Documents ------------------------------------------------------------------------------- */

/* The fields of a document (trouvere::Document). */
typedef enum trouvere_field TROUVERE_ENUM_BASE {
    /* Unique key: adding a document with the same id replaces it. */
    TROUVERE_FIELD_ID = 0,
    TROUVERE_FIELD_TITLE = 1,
    /* Plain text, paragraphs separated by blank lines. */
    TROUVERE_FIELD_BODY = 2,
    /* The day of publication, YYYY-MM-DD, or "" when unknown. */
    TROUVERE_FIELD_DATE = 3,
    /* Publisher or site name, "" when unknown. */
    TROUVERE_FIELD_SOURCE = 4,
    TROUVERE_FIELD_URL = 5,
    /* The file the document was indexed from, "" for documents added as documents. */
    TROUVERE_FIELD_PATH = 6
} trouvere_field;

typedef struct trouvere_document trouvere_document;

/* A new document with this id and every other field empty, to fill with
 * trouvere_document_set_field and give to trouvere_writer_add_or_replace. The id is checked there
 * (an empty one is a TROUVERE_ERROR_DOCUMENT). *document is the caller's
 * (trouvere_document_destroy). */
TROUVERE_EXPORT trouvere_status trouvere_document_create(const char* id,
                                                         trouvere_document** document,
                                                         trouvere_error** error);

TROUVERE_EXPORT void trouvere_document_destroy(trouvere_document* document);

/* The field's value, "" when empty; NULL for a NULL document or a value outside trouvere_field. */
TROUVERE_EXPORT const char* trouvere_document_field(const trouvere_document* document,
                                                    trouvere_field field);

/* Sets the field; NULL sets it empty. A date is checked when the document is added. */
TROUVERE_EXPORT trouvere_status trouvere_document_set_field(trouvere_document* document,
                                                            trouvere_field field, const char* value,
                                                            trouvere_error** error);

/* ---- Search options -------------------------------------------------------------------------- */

/* How hits are ordered (trouvere::SortOrder). Under a date order, undated documents come last. */
typedef enum trouvere_sort TROUVERE_ENUM_BASE {
    TROUVERE_SORT_RELEVANCE = 0,
    TROUVERE_SORT_NEWEST = 1,
    TROUVERE_SORT_OLDEST = 2
} trouvere_sort;

/* Which index answers (trouvere::SearchEngine): both give the same hits, scores and snippets. */
typedef enum trouvere_engine TROUVERE_ENUM_BASE {
    /* The native index when it is current, else Xapian. */
    TROUVERE_ENGINE_AUTOMATIC = 0,
    TROUVERE_ENGINE_XAPIAN = 1,
    /* The native index, or a TROUVERE_ERROR_DATABASE saying why it cannot answer. */
    TROUVERE_ENGINE_NATIVE = 2
} trouvere_engine;

typedef struct trouvere_search_options trouvere_search_options;

/* Options with trouvere::SearchOptions' defaults: 10 hits from the first, by relevance, snippets
 * of about 200 characters, no date bound, no facet, the automatic engine, matches counted one by
 * one up to 1000. *options is the caller's (trouvere_search_options_destroy). */
TROUVERE_EXPORT trouvere_status trouvere_search_options_create(trouvere_search_options** options,
                                                               trouvere_error** error);

TROUVERE_EXPORT void trouvere_search_options_destroy(trouvere_search_options* options);

/* How many hits to return; 0 returns none, and still counts the matches. */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_limit(trouvere_search_options* options,
                                                                  size_t limit,
                                                                  trouvere_error** error);

/* How many of the first hits to leave out (paging). */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_offset(trouvere_search_options* options,
                                                                   size_t offset,
                                                                   trouvere_error** error);

TROUVERE_EXPORT trouvere_status trouvere_search_options_set_sort(trouvere_search_options* options,
                                                                 trouvere_sort sort,
                                                                 trouvere_error** error);

/* Only documents dated from `since` on, or up to `until`, both included: a year ("2024"), a month
 * ("2024-07") or a day ("2024-07-04"), as the query syntax's `date:`; NULL or "" for no bound. A
 * malformed date is reported by the search, as a TROUVERE_ERROR_QUERY. */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_since(trouvere_search_options* options,
                                                                  const char* since,
                                                                  trouvere_error** error);
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_until(trouvere_search_options* options,
                                                                  const char* until,
                                                                  trouvere_error** error);

/* Only documents whose source is `source`, byte for byte as stored (as the "source" facet names
 * it); NULL or "" for any source. Documents without a source never pass. */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_source(trouvere_search_options* options,
                                                                   const char* source,
                                                                   trouvere_error** error);

/* Counts every match by this facet, "year" or "source" (another name is a TROUVERE_ERROR_USAGE),
 * after those added before. */
TROUVERE_EXPORT trouvere_status trouvere_search_options_add_facet(trouvere_search_options* options,
                                                                  const char* name,
                                                                  trouvere_error** error);

/* Approximate length of a snippet, in characters. */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_snippet_chars(
    trouvere_search_options* options, size_t chars, trouvere_error** error);

/* Whether hits have snippets (non-zero, the default) or not (0: faster). */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_snippets(
    trouvere_search_options* options, int snippets, trouvere_error** error);

TROUVERE_EXPORT trouvere_status trouvere_search_options_set_engine(trouvere_search_options* options,
                                                                   trouvere_engine engine,
                                                                   trouvere_error** error);

/* Matches are counted one by one until this many are, the total being an estimate past that;
 * SIZE_MAX counts every match. */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_count_at_least(
    trouvere_search_options* options, size_t count, trouvere_error** error);

/* For a cluster of shards (README, "Shards"): non-zero answers from the shards that answer when
 * some do not, with a warning naming each one missing (trouvere_results_warning); 0, the default,
 * fails the search with a TROUVERE_ERROR_DATABASE naming them. */
TROUVERE_EXPORT trouvere_status trouvere_search_options_set_allow_partial(
    trouvere_search_options* options, int allow_partial, trouvere_error** error);

/* ---- Results --------------------------------------------------------------------------------- */

typedef struct trouvere_results trouvere_results;
/* One hit, owned by the results it was read from. */
typedef struct trouvere_hit trouvere_hit;

TROUVERE_EXPORT void trouvere_results_destroy(trouvere_results* results);

/* The query as given. "" for NULL. */
TROUVERE_EXPORT const char* trouvere_results_query(const trouvere_results* results);

/* Which index answered: "native" or "xapian". "" for NULL. */
TROUVERE_EXPORT const char* trouvere_results_engine(const trouvere_results* results);

/* The number of matching documents when trouvere_results_total_exact, else an estimate. */
TROUVERE_EXPORT size_t trouvere_results_total_estimate(const trouvere_results* results);
TROUVERE_EXPORT int trouvere_results_total_exact(const trouvere_results* results);

/* Non-zero when no document had all the free words, so documents with any of them were returned. */
TROUVERE_EXPORT int trouvere_results_fell_back_to_any_word(const trouvere_results* results);

/* "Did you mean": the query with its misspelt words corrected, or NULL when there is none. */
TROUVERE_EXPORT const char* trouvere_results_suggestion(const trouvere_results* results);

/* Repairs made to a malformed query and other notes for the user, in order; NULL past the end. */
TROUVERE_EXPORT size_t trouvere_results_warning_count(const trouvere_results* results);
TROUVERE_EXPORT const char* trouvere_results_warning(const trouvere_results* results, size_t index);

/* The hits of the page, best first (or in the date order asked); NULL past the end. */
TROUVERE_EXPORT size_t trouvere_results_hit_count(const trouvere_results* results);
TROUVERE_EXPORT const trouvere_hit* trouvere_results_hit(const trouvere_results* results,
                                                         size_t index);

/* The facets asked for, in the order asked, by name ("year", "source"); each holds values with
 * the number of matching documents that have them, most frequent first. NULL and 0 past the end.
 */
TROUVERE_EXPORT size_t trouvere_results_facet_count(const trouvere_results* results);
TROUVERE_EXPORT const char* trouvere_results_facet_name(const trouvere_results* results,
                                                        size_t facet);
TROUVERE_EXPORT size_t trouvere_results_facet_value_count(const trouvere_results* results,
                                                          size_t facet);
TROUVERE_EXPORT const char* trouvere_results_facet_value(const trouvere_results* results,
                                                         size_t facet, size_t value);
TROUVERE_EXPORT size_t trouvere_results_facet_value_documents(const trouvere_results* results,
                                                              size_t facet, size_t value);

/* The results as one line of JSON, exactly as `search --json` prints them (trouvere::to_json).
 * *json is the caller's (trouvere_free). */
TROUVERE_EXPORT trouvere_status trouvere_results_to_json(const trouvere_results* results,
                                                         char** json, trouvere_error** error);

/* 1-based rank in the whole result list (the offset included); 0 for NULL. */
TROUVERE_EXPORT size_t trouvere_hit_rank(const trouvere_hit* hit);
/* BM25 score; 0 for NULL. */
TROUVERE_EXPORT double trouvere_hit_score(const trouvere_hit* hit);

/* The hit's id, title, date, source, url or path, "" when unknown; NULL for TROUVERE_FIELD_BODY
 * (trouvere_searcher_document gives the body), for a value outside trouvere_field and for NULL. */
TROUVERE_EXPORT const char* trouvere_hit_field(const trouvere_hit* hit, trouvere_field field);

/* The passage around the words the query matched, as plain text starting or ending with "…"
 * where the document was cut; "" without snippets. */
TROUVERE_EXPORT const char* trouvere_hit_snippet_text(const trouvere_hit* hit);
/* The same passage HTML-escaped, each match in <mark>…</mark> (trouvere::to_html). */
TROUVERE_EXPORT const char* trouvere_hit_snippet_html(const trouvere_hit* hit);

/* The matched words of the snippet text, as byte offsets into trouvere_hit_snippet_text: sorted,
 * not overlapping, `begin` included and `end` excluded. 0 past the end. */
TROUVERE_EXPORT size_t trouvere_hit_highlight_count(const trouvere_hit* hit);
TROUVERE_EXPORT size_t trouvere_hit_highlight_begin(const trouvere_hit* hit, size_t index);
TROUVERE_EXPORT size_t trouvere_hit_highlight_end(const trouvere_hit* hit, size_t index);

/* ---- Searching ------------------------------------------------------------------------------- */

typedef struct trouvere_searcher trouvere_searcher;

/* Opens the database at `path` as of its last commit. *searcher is the caller's
 * (trouvere_searcher_close). TROUVERE_ERROR_DATABASE when it is missing or not a trouvere
 * database. */
TROUVERE_EXPORT trouvere_status trouvere_searcher_open(const char* path,
                                                       trouvere_searcher** searcher,
                                                       trouvere_error** error);

TROUVERE_EXPORT void trouvere_searcher_close(trouvere_searcher* searcher);

/* Runs `query` (README, "Query syntax") with `options`, or the defaults when NULL. *results is the
 * caller's (trouvere_results_destroy). TROUVERE_ERROR_QUERY when the query has nothing to search
 * for, is over the limits or has a malformed date; TROUVERE_ERROR_DATABASE when the database
 * fails or the native engine, asked for, cannot answer. */
TROUVERE_EXPORT trouvere_status trouvere_searcher_search(trouvere_searcher* searcher,
                                                         const char* query,
                                                         const trouvere_search_options* options,
                                                         trouvere_results** results,
                                                         trouvere_error** error);

/* How `query` is read, without searching, as one line of JSON (what `search --explain --json`
 * prints). *json is the caller's (trouvere_free). Fails as trouvere_searcher_search. */
TROUVERE_EXPORT trouvere_status trouvere_searcher_explain(trouvere_searcher* searcher,
                                                          const char* query,
                                                          const trouvere_search_options* options,
                                                          char** json, trouvere_error** error);

/* The stored document with this id, body included: *document is the caller's
 * (trouvere_document_destroy), or NULL, with TROUVERE_OK, when there is no such document. */
TROUVERE_EXPORT trouvere_status trouvere_searcher_document(trouvere_searcher* searcher,
                                                           const char* id,
                                                           trouvere_document** document,
                                                           trouvere_error** error);

/* Moves the searcher to the latest commit of its database. */
TROUVERE_EXPORT trouvere_status trouvere_searcher_reopen(trouvere_searcher* searcher,
                                                         trouvere_error** error);

/* ---- Indexing -------------------------------------------------------------------------------- */

typedef struct trouvere_writer trouvere_writer;

enum {
    /* How long a writer waits by default for another one to finish, in milliseconds. */
    TROUVERE_DEFAULT_LOCK_WAIT_MS = 5000,
    /* How often trouvere_index_paths commits by default, in documents (search-index's). */
    TROUVERE_DEFAULT_COMMIT_EVERY = 1000
};

/* Opens the database at `path` for writing, creating it (and missing parent folders) if needed.
 * A writer holds the database's lock until it is closed: while another one holds it, this waits
 * up to `lock_wait_ms`, then fails with TROUVERE_ERROR_DATABASE. An empty database is built on
 * up to `threads` cores (0: all of them). *writer is the caller's (trouvere_writer_close). */
TROUVERE_EXPORT trouvere_status trouvere_writer_open(const char* path, unsigned threads,
                                                     unsigned lock_wait_ms,
                                                     trouvere_writer** writer,
                                                     trouvere_error** error);

/* Discards the changes made since the last commit and releases the lock. */
TROUVERE_EXPORT void trouvere_writer_close(trouvere_writer* writer);

/* Adds the document, replacing any with the same id; visible and durable at the next commit.
 * TROUVERE_ERROR_DOCUMENT when its id is empty or its date is not an existing day written
 * YYYY-MM-DD. */
TROUVERE_EXPORT trouvere_status trouvere_writer_add_or_replace(trouvere_writer* writer,
                                                               const trouvere_document* document,
                                                               trouvere_error** error);

/* Deletes the document with this id. *deleted, when `deleted` is not NULL, says whether there was
 * one. */
TROUVERE_EXPORT trouvere_status trouvere_writer_delete(trouvere_writer* writer, const char* id,
                                                       int* deleted, trouvere_error** error);

/* Makes every change since opening (or the last commit) durable and visible, all at once. */
TROUVERE_EXPORT trouvere_status trouvere_writer_commit(trouvere_writer* writer,
                                                       trouvere_error** error);

/* Brings the native index beside the database up to the last commit, as search-index does at the
 * end of a run: call it after the last commit of a batch. *built, when `built` is not NULL, says
 * whether it built one (0 when it was current). */
TROUVERE_EXPORT trouvere_status trouvere_writer_update_native_index(trouvere_writer* writer,
                                                                    int* built,
                                                                    trouvere_error** error);

/* What trouvere_index_paths did. */
typedef struct trouvere_index_report trouvere_index_report;

/* Indexes files and folders as search-index does (trouvere::index_paths): `.txt`, `.md`,
 * `.html`, `.jsonl`, recursively, unchanged files skipped; with `prune` non-zero, documents whose
 * file is gone are deleted. Commits every `commit_every` documents (0: never); the caller makes
 * the final commit. Bad files are skipped with a warning in the report. *report is the caller's
 * (trouvere_index_report_destroy). TROUVERE_ERROR_OTHER when a path does not exist. */
TROUVERE_EXPORT trouvere_status trouvere_index_paths(trouvere_writer* writer,
                                                     const char* const* paths, size_t path_count,
                                                     int prune, size_t commit_every,
                                                     trouvere_index_report** report,
                                                     trouvere_error** error);

TROUVERE_EXPORT void trouvere_index_report_destroy(trouvere_index_report* report);

/* Documents added, updated (their file changed), unchanged, deleted, and files or records skipped
 * as bad input. 0 for NULL. */
TROUVERE_EXPORT size_t trouvere_index_report_added(const trouvere_index_report* report);
TROUVERE_EXPORT size_t trouvere_index_report_updated(const trouvere_index_report* report);
TROUVERE_EXPORT size_t trouvere_index_report_unchanged(const trouvere_index_report* report);
TROUVERE_EXPORT size_t trouvere_index_report_deleted(const trouvere_index_report* report);
TROUVERE_EXPORT size_t trouvere_index_report_skipped(const trouvere_index_report* report);

/* The warnings, in the order they arose: the file, the 1-based line (0 for the whole file), the
 * message, and whether the file or line was left out (non-zero) or indexed without the part named.
 * NULL and 0 past the end. */
TROUVERE_EXPORT size_t trouvere_index_report_warning_count(const trouvere_index_report* report);
TROUVERE_EXPORT const char* trouvere_index_report_warning_file(const trouvere_index_report* report,
                                                               size_t index);
TROUVERE_EXPORT size_t trouvere_index_report_warning_line(const trouvere_index_report* report,
                                                          size_t index);
TROUVERE_EXPORT const char* trouvere_index_report_warning_message(
    const trouvere_index_report* report, size_t index);
TROUVERE_EXPORT int trouvere_index_report_warning_skipped(const trouvere_index_report* report,
                                                          size_t index);

#ifdef __cplusplus
}
#endif
/* NOLINTEND(modernize-use-using,modernize-deprecated-headers) */
