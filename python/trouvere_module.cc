// The Python module `trouvere` (its compiled part, `trouvere._trouvere`), over the public C++ API.
//
// Every call into the library runs without the GIL, so that other Python threads run meanwhile,
// searches on other Searchers included. A Searcher or an IndexWriter is not thread-safe, so each
// Python object holds a mutex that its calls take once the GIL is released: threads sharing one
// take turns instead of racing.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trouvere/trouvere.h"

namespace py = pybind11;

namespace {

// A library object that Python threads share: calls take turns, and close() ends its life before
// Python drops its last reference (releasing a writer's lock, for one).
template <typename Object>
class Shared {
public:
    template <typename... Args>
    explicit Shared(const char* kind, Args&&... args)
        : kind_(kind), object_(std::in_place, std::forward<Args>(args)...) {}

    // `call(object)`, alone on the object. Call it without the GIL.
    template <typename Call>
    decltype(auto) use(Call&& call) {
        const std::lock_guard lock(mutex_);
        if (!object_) throw py::value_error(std::string("operation on a closed ") + kind_);
        return std::forward<Call>(call)(*object_);
    }

    // Ends the object's life; using it then raises ValueError. Closing again does nothing.
    void close() {
        const std::lock_guard lock(mutex_);
        object_.reset();
    }

private:
    const char* kind_;
    std::mutex mutex_;
    std::optional<Object> object_;
};

using SharedSearcher = Shared<trouvere::Searcher>;
using SharedWriter = Shared<trouvere::IndexWriter>;
using ReleasesGil = py::call_guard<py::gil_scoped_release>;

// Unknown fields are empty strings in C++ and None in Python, as `null` in the JSON.
std::optional<std::string> none_if_empty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

trouvere::SortOrder sort_named(std::string_view name) {
    if (name == "relevance") return trouvere::SortOrder::relevance;
    if (name == "newest") return trouvere::SortOrder::newest;
    if (name == "oldest") return trouvere::SortOrder::oldest;
    throw py::value_error("sort must be 'relevance', 'newest' or 'oldest', not '" +
                          std::string(name) + "'");
}

// The names of `search --engine`.
trouvere::SearchEngine engine_named(std::string_view name) {
    if (name == "auto") return trouvere::SearchEngine::automatic;
    if (name == "native") return trouvere::SearchEngine::native;
    if (name == "xapian") return trouvere::SearchEngine::xapian;
    throw py::value_error("engine must be 'auto', 'native' or 'xapian', not '" + std::string(name) +
                          "'");
}

// The options of Searcher.search and Searcher.explain, from their keyword arguments.
trouvere::SearchOptions search_options(
    std::size_t limit, std::size_t offset, std::string_view sort, std::optional<std::string> since,
    std::optional<std::string> until, std::optional<std::string> source,
    const std::vector<std::string>& facets, std::size_t snippet_chars, bool snippets,
    std::string_view engine, std::size_t count_at_least, bool allow_partial) {
    trouvere::SearchOptions options;
    options.limit = limit;
    options.offset = offset;
    options.sort = sort_named(sort);
    options.since = std::move(since).value_or("");
    options.until = std::move(until).value_or("");
    options.source = std::move(source).value_or("");
    for (const std::string& name : facets) {
        const auto facet = trouvere::facet_named(name);
        if (!facet) throw py::value_error("no facet is named '" + name + "'");
        options.facets.push_back(*facet);
    }
    options.snippet_chars = snippet_chars;
    options.snippets = snippets;
    options.engine = engine_named(engine);
    options.count_at_least = count_at_least;
    options.allow_partial = allow_partial;
    return options;
}

std::chrono::milliseconds lock_wait_of(double seconds) {
    if (!(seconds >= 0)) throw py::value_error("lock_wait must be a number of seconds, 0 or more");
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(seconds));
}

// An optional text field of Document, None when empty.
template <std::string trouvere::Document::*Field>
void def_optional_field(py::class_<trouvere::Document>& document, const char* name,
                        const char* doc) {
    document.def_property(
        name, [](const trouvere::Document& self) { return none_if_empty(self.*Field); },
        [](trouvere::Document& self, const std::optional<std::string>& value) {
            self.*Field = value.value_or("");
        },
        doc);
}

}  // namespace

PYBIND11_MODULE(_trouvere, module) {
    module.doc() = "The compiled part of the trouvere package: import trouvere instead.";

    // ---- Exceptions, mapping trouvere/error.h. Translators are tried from the last registered
    // back, so the subclasses come after Error, which would catch them all.
    auto& error = py::register_exception<trouvere::Error>(module, "Error");
    error.doc() = "Root of every error the library raises.";
    auto& database_error =
        py::register_exception<trouvere::DatabaseError>(module, "DatabaseError", error.ptr());
    database_error.doc() =
        "The database could not be opened, created, locked, read or written; the message names "
        "the path.";
    auto& query_error =
        py::register_exception<trouvere::QueryError>(module, "QueryError", error.ptr());
    query_error.doc() =
        "A query that cannot be run: nothing to search for in it, over the limits, or a "
        "malformed date. Ordinary slips (an unbalanced quote) are repaired with a warning "
        "instead.";
    auto& document_error =
        py::register_exception<trouvere::DocumentError>(module, "DocumentError", error.ptr());
    document_error.doc() =
        "A document that cannot be indexed as given: an empty id, or a date that is not an "
        "existing day written YYYY-MM-DD.";

    // ---- Classes first, then their members, so that signatures name the classes.
    py::class_<trouvere::Document> document(module, "Document",
                                            R"(A document to index, or as stored.

Only ``id`` is required: adding a document with the id of another replaces it.
``date`` is the day of publication, ``YYYY-MM-DD``; ``date``, ``source``, ``url``
and ``path`` are None when unknown.

>>> trouvere.Document("a1", title="Livraison de blé",
...                   body="La Russie a livré 25 000 tonnes de blé au Mali.")
)");
    py::class_<trouvere::Hit> hit(module, "Hit",
                                  "One document of the results, with a snippet of its text.");
    py::class_<trouvere::SearchResults> results(module, "Results", R"(What Searcher.search found.

``hits`` is the page asked for; ``total_estimate`` the number of matching
documents (counted when ``total_exact``, else estimated); ``facets`` maps each
facet asked for to its ``(value, count)`` pairs, most frequent first.)");
    py::class_<trouvere::QueryExplanation> explanation(
        module, "Explanation", "How a query is read and answered: what search --explain prints.");
    py::class_<trouvere::QueryExplanation::Word> explained_word(module, "ExplainedWord",
                                                                "What one word of a query became.");
    py::class_<trouvere::IndexWarning> index_warning(
        module, "IndexWarning", "A file, or a line of one, skipped or only partly used, and why.");
    py::class_<trouvere::IndexReport> index_report(module, "IndexReport",
                                                   "What IndexWriter.index_paths did.");
    py::class_<SharedSearcher> searcher(module, "Searcher",
                                        R"(Answers queries over a trouvere database.

It sees the database as of opening (or of the last reopen()). Threads may share
one, taking turns; for searches in parallel, give each thread its own. The GIL
is released while the library works. Use it as a context manager, or call
close(), to let go of the database at a known moment.

>>> with trouvere.Searcher("/tmp/index") as searcher:
...     for hit in searcher.search("accord militaire", limit=3).hits:
...         print(hit.rank, hit.title)
)");
    py::class_<SharedWriter> writer(module, "IndexWriter",
                                    R"(Writes documents into a trouvere database.

Changes become visible and durable only at commit(), all at once. A writer
holds the database's lock until it is closed: another one, in this process or
another, waits up to ``lock_wait`` seconds for it, then raises DatabaseError.
As a context manager it commits when the block ends normally, and closes in
any case, discarding what was not committed after an exception.

>>> with trouvere.IndexWriter("/tmp/index") as writer:
...     writer.add_or_replace(trouvere.Document("a1", title="Livraison de blé"))
)");
    // The package's name as their module, so that they read `trouvere.Searcher` in help(),
    // signatures and tracebacks, not `trouvere._trouvere.Searcher`.
    for (py::handle type :
         {error.ptr(), database_error.ptr(), query_error.ptr(), document_error.ptr(),
          document.ptr(), hit.ptr(), results.ptr(), explanation.ptr(), explained_word.ptr(),
          index_warning.ptr(), index_report.ptr(), searcher.ptr(), writer.ptr()}) {
        type.attr("__module__") = "trouvere";
    }

    // ---- Document
    document
        .def(
            py::init(
                [](std::string id, std::string title, std::string body,
                   const std::optional<std::string>& date, const std::optional<std::string>& source,
                   const std::optional<std::string>& url, const std::optional<std::string>& path) {
                    return trouvere::Document{.id = std::move(id),
                                              .title = std::move(title),
                                              .body = std::move(body),
                                              .date = date.value_or(""),
                                              .source = source.value_or(""),
                                              .url = url.value_or(""),
                                              .path = path.value_or("")};
                }),
            py::arg("id"), py::kw_only(), py::arg("title") = "", py::arg("body") = "",
            py::arg("date") = py::none(), py::arg("source") = py::none(),
            py::arg("url") = py::none(), py::arg("path") = py::none(),
            "A document with this id and, by name, its other fields.")
        .def_readwrite("id", &trouvere::Document::id, "Unique key of the document.")
        .def_readwrite("title", &trouvere::Document::title, "The title, '' when none.")
        .def_readwrite("body", &trouvere::Document::body,
                       "Plain text, paragraphs separated by blank lines.")
        .def(
            "__eq__",
            [](const trouvere::Document& self, const trouvere::Document& other) {
                return self.id == other.id && self.title == other.title &&
                       self.body == other.body && self.date == other.date &&
                       self.source == other.source && self.url == other.url &&
                       self.path == other.path;
            },
            py::is_operator(), "Whether every field is the same.")
        .def("__repr__", [](const trouvere::Document& self) {
            return "<trouvere.Document id=" + py::repr(py::str(self.id)).cast<std::string>() +
                   " title=" + py::repr(py::str(self.title)).cast<std::string>() + ">";
        });
    def_optional_field<&trouvere::Document::date>(document, "date",
                                                  "Day of publication, YYYY-MM-DD, or None.");
    def_optional_field<&trouvere::Document::source>(document, "source",
                                                    "Publisher or site name, or None.");
    def_optional_field<&trouvere::Document::url>(document, "url", "Address, or None.");
    def_optional_field<&trouvere::Document::path>(
        document, "path", "The file it was indexed from, or None for a document added as such.");

    // ---- Hit
    hit.def_readonly("rank", &trouvere::Hit::rank,
                     "1-based rank in the whole result list (offset included).")
        .def_readonly("id", &trouvere::Hit::id, "The document's id.")
        .def_readonly("title", &trouvere::Hit::title, "The document's title, '' when none.")
        .def_readonly("score", &trouvere::Hit::score, "BM25 score.")
        .def_property_readonly(
            "date", [](const trouvere::Hit& self) { return none_if_empty(self.date); },
            "Day of publication, YYYY-MM-DD, or None.")
        .def_property_readonly(
            "source", [](const trouvere::Hit& self) { return none_if_empty(self.source); },
            "Publisher or site name, or None.")
        .def_property_readonly(
            "url", [](const trouvere::Hit& self) { return none_if_empty(self.url); },
            "Address, or None.")
        .def_property_readonly(
            "path", [](const trouvere::Hit& self) { return none_if_empty(self.path); },
            "The file it was indexed from, or None.")
        .def_property_readonly(
            "snippet_text", [](const trouvere::Hit& self) { return self.snippet.text; },
            "The passage around the matched words, plain text; it starts or ends with '…' "
            "where the document was cut. Empty without snippets.")
        .def_property_readonly(
            "snippet_html",
            [](const trouvere::Hit& self) { return trouvere::to_html(self.snippet); },
            "The passage HTML-escaped, each matched word in <mark>…</mark>.")
        .def("__repr__", [](const trouvere::Hit& self) {
            return "<trouvere.Hit rank=" + std::to_string(self.rank) +
                   " id=" + py::repr(py::str(self.id)).cast<std::string>() + ">";
        });

    // ---- Results
    results.def_readonly("query", &trouvere::SearchResults::query, "The query as given.")
        .def_readonly("engine", &trouvere::SearchResults::engine,
                      "Which index answered: 'native' or 'xapian'.")
        .def_readonly("total_estimate", &trouvere::SearchResults::total_estimate,
                      "The number of matching documents, or an estimate of it.")
        .def_readonly("total_exact", &trouvere::SearchResults::total_exact,
                      "True when total_estimate was counted.")
        .def_readonly("fell_back_to_any_word", &trouvere::SearchResults::fell_back_to_any_word,
                      "True when no document had all the free words, so documents with any of "
                      "them were returned.")
        .def_readonly("suggestion", &trouvere::SearchResults::suggestion,
                      "Did you mean: the query with its misspelt words corrected, or None.")
        .def_readonly("warnings", &trouvere::SearchResults::warnings,
                      "Repairs made to a malformed query, and other notes for the user.")
        .def_readonly("hits", &trouvere::SearchResults::hits, "The page of hits, a list of Hit.")
        .def_property_readonly(
            "facets",
            [](const trouvere::SearchResults& self) {
                py::dict facets;
                for (const trouvere::FacetCounts& counts : self.facets) {
                    py::list values;
                    for (const trouvere::FacetValue& value : counts.values) {
                        values.append(py::make_tuple(value.value, value.count));
                    }
                    facets[py::str(std::string(trouvere::facet_name(counts.facet)))] = values;
                }
                return facets;
            },
            "Each facet asked for, in the order asked, to its (value, count) pairs, most "
            "frequent first.")
        .def(
            "to_json", [](const trouvere::SearchResults& self) { return trouvere::to_json(self); },
            "The results as one line of JSON, exactly as search --json prints them.")
        .def("__repr__", [](const trouvere::SearchResults& self) {
            return "<trouvere.Results query=" + py::repr(py::str(self.query)).cast<std::string>() +
                   " total_estimate=" + std::to_string(self.total_estimate) +
                   " hits=" + std::to_string(self.hits.size()) + ">";
        });

    // ---- Explanation
    explained_word
        .def_readonly("text", &trouvere::QueryExplanation::Word::text, "The word as typed.")
        .def_readonly("stem", &trouvere::QueryExplanation::Word::stem,
                      "The folded stem, the term that matches.")
        .def_property_readonly(
            "accented_stem",
            [](const trouvere::QueryExplanation::Word& self) {
                return none_if_empty(self.accented_stem);
            },
            "The stem with accents, which ranks the word as typed first; None without accents.")
        .def_property_readonly(
            "exact",
            [](const trouvere::QueryExplanation::Word& self) { return none_if_empty(self.exact); },
            "The word as typed, which ranks documents holding it first; None when it has no "
            "such boost.")
        .def_readonly("stopword", &trouvere::QueryExplanation::Word::stopword,
                      "Left out of free words when other words are there.");
    explanation.def_readonly("tree", &trouvere::QueryExplanation::tree, "The parsed query tree.")
        .def_readonly("words", &trouvere::QueryExplanation::words,
                      "What each word became, a list of ExplainedWord.")
        .def_readonly("filters", &trouvere::QueryExplanation::filters,
                      "The date filters, as '2024-01-01..2024-06-30'.")
        .def_readonly("matching", &trouvere::QueryExplanation::matching,
                      "The query over the index's terms, in prefix notation.")
        .def_readonly("engine", &trouvere::QueryExplanation::engine,
                      "'native' or 'xapian', the index that answers.")
        .def_property_readonly(
            "engine_reason",
            [](const trouvere::QueryExplanation& self) {
                return none_if_empty(self.engine_reason);
            },
            "Why the native index does not answer, or None.")
        .def_readonly("warnings", &trouvere::QueryExplanation::warnings,
                      "Repairs made to a malformed query.")
        .def(
            "to_json",
            [](const trouvere::QueryExplanation& self) { return trouvere::to_json(self); },
            "The explanation as one line of JSON, as search --explain --json prints it.");

    // ---- IndexReport
    index_warning.def_readonly("file", &trouvere::IndexWarning::file, "The file's path.")
        .def_readonly("line", &trouvere::IndexWarning::line,
                      "1-based line, 0 when the problem concerns the whole file.")
        .def_property_readonly(
            "offset",
            [](const trouvere::IndexWarning& self) {
                return self.has_offset ? std::optional<std::size_t>(self.offset) : std::nullopt;
            },
            "0-based byte offset in the file where the problem was found, or None.")
        .def_readonly("message", &trouvere::IndexWarning::message,
                      "What went wrong, without the position.")
        .def_readonly("skipped", &trouvere::IndexWarning::skipped,
                      "True when the file or line was left out, False when it was indexed "
                      "without the part named.");
    index_report.def_readonly("added", &trouvere::IndexReport::added, "Documents added.")
        .def_readonly("updated", &trouvere::IndexReport::updated,
                      "Documents replaced, their file having changed.")
        .def_readonly("unchanged", &trouvere::IndexReport::unchanged,
                      "Documents whose file had not changed.")
        .def_readonly("deleted", &trouvere::IndexReport::deleted,
                      "Documents deleted: gone from their file, or with prune, their file gone.")
        .def_readonly("skipped", &trouvere::IndexReport::skipped,
                      "Files or records skipped as bad input.")
        .def_readonly("warnings", &trouvere::IndexReport::warnings, "A list of IndexWarning.");

    // ---- Searcher
    searcher
        .def(py::init([](const std::filesystem::path& path) {
                 return std::make_unique<SharedSearcher>("Searcher", path.string());
             }),
             py::arg("path"), ReleasesGil(),
             "Opens the database at path as of its last commit, or the cluster of shards a "
             "cluster file at path names (README, \"Shards\"). Raises DatabaseError when it is "
             "missing or not a trouvere database.")
        .def(
            "search",
            [](SharedSearcher& self, const std::string& query, std::size_t limit,
               std::size_t offset, std::string_view sort, std::optional<std::string> since,
               std::optional<std::string> until, std::optional<std::string> source,
               const std::vector<std::string>& facets, std::size_t snippet_chars, bool snippets,
               std::string_view engine, std::size_t count_at_least, bool allow_partial) {
                const trouvere::SearchOptions options = search_options(
                    limit, offset, sort, std::move(since), std::move(until), std::move(source),
                    facets, snippet_chars, snippets, engine, count_at_least, allow_partial);
                return self.use(
                    [&](trouvere::Searcher& searcher) { return searcher.search(query, options); });
            },
            py::arg("query"), py::kw_only(), py::arg("limit") = 10, py::arg("offset") = 0,
            py::arg("sort") = "relevance", py::arg("since") = py::none(),
            py::arg("until") = py::none(), py::arg("source") = py::none(),
            py::arg("facets") = std::vector<std::string>(), py::arg("snippet_chars") = 200,
            py::arg("snippets") = true, py::arg("engine") = "auto",
            py::arg("count_at_least") = 1000, py::arg("allow_partial") = false, ReleasesGil(),
            R"(Runs the query (README, "Query syntax") and returns its Results.

limit and offset choose the page of hits; sort is 'relevance', 'newest' or
'oldest' (undated documents last); since and until keep documents dated from
or up to a year, month or day ('2024', '2024-07', '2024-07-04'), both
included; source keeps the documents of that source, byte for byte as the
'source' facet names it; facets names what to count every match by, among
'year' and 'source'; snippet_chars is the snippets' approximate length, and snippets=False
leaves them out; engine is 'auto', 'native' or 'xapian'; matches are counted
one by one up to count_at_least (sys.maxsize counts them all), past which the
total is estimated. Over a cluster of shards, allow_partial=True answers from the
shards that answer when some do not, a warning naming each one missing. Raises QueryError when the query has nothing to search
for, is over the limits or holds a malformed date; DatabaseError when the
database fails or engine='native' cannot answer; ValueError for an unknown
sort, engine or facet.)")
        .def(
            "explain",
            [](SharedSearcher& self, const std::string& query, std::optional<std::string> since,
               std::optional<std::string> until, std::optional<std::string> source,
               std::string_view engine) {
                const trouvere::SearchOptions options =
                    search_options(0, 0, "relevance", std::move(since), std::move(until),
                                   std::move(source), {}, 0, false, engine, 0, false);
                return self.use(
                    [&](trouvere::Searcher& searcher) { return searcher.explain(query, options); });
            },
            py::arg("query"), py::kw_only(), py::arg("since") = py::none(),
            py::arg("until") = py::none(), py::arg("source") = py::none(),
            py::arg("engine") = "auto", ReleasesGil(),
            "How the query is read and answered, without searching, as an Explanation. Raises "
            "as search() does for a query it would refuse.")
        .def(
            "document",
            [](SharedSearcher& self, const std::string& id) {
                return self.use(
                    [&](trouvere::Searcher& searcher) { return searcher.document(id); });
            },
            py::arg("id"), ReleasesGil(),
            "The stored document with this id, body included, or None when there is none.")
        .def(
            "reopen",
            [](SharedSearcher& self) {
                self.use([](trouvere::Searcher& searcher) { searcher.reopen(); });
            },
            ReleasesGil(), "Moves to the latest commit of the database.")
        .def(
            "document_count",
            [](SharedSearcher& self) {
                return self.use(
                    [](const trouvere::Searcher& searcher) { return searcher.document_count(); });
            },
            ReleasesGil(), "The number of documents in the state the Searcher sees.")
        .def("close", &SharedSearcher::close, ReleasesGil(),
             "Lets go of the database; the Searcher cannot be used after. Closing again does "
             "nothing.")
        .def(
            "__enter__", [](py::object self) { return self; }, "Returns the Searcher.")
        .def(
            "__exit__",
            [](SharedSearcher& self, const py::args&) {
                const py::gil_scoped_release released;
                self.close();
            },
            "Closes the Searcher.");

    // ---- IndexWriter
    writer
        .def(py::init([](const std::filesystem::path& path, unsigned threads, double lock_wait) {
                 return std::make_unique<SharedWriter>("IndexWriter", path.string(), threads,
                                                       lock_wait_of(lock_wait));
             }),
             py::arg("path"), py::kw_only(), py::arg("threads") = 0, py::arg("lock_wait") = 5.0,
             ReleasesGil(),
             "Opens the database at path for writing, creating it (and missing parent folders) "
             "if needed. An empty database is built on up to `threads` cores (0: all of them). "
             "Raises DatabaseError when it cannot be opened, or is still locked after "
             "`lock_wait` seconds.")
        .def(
            "add_or_replace",
            [](SharedWriter& self, const trouvere::Document& document) {
                self.use([&](trouvere::IndexWriter& writer) { writer.add_or_replace(document); });
            },
            py::arg("document"), ReleasesGil(),
            "Adds the document, replacing any with the same id; visible at the next commit. "
            "Raises DocumentError when its id is empty or its date is not an existing day "
            "written YYYY-MM-DD.")
        .def(
            "delete",
            [](SharedWriter& self, const std::string& id) {
                return self.use([&](trouvere::IndexWriter& writer) { return writer.remove(id); });
            },
            py::arg("id"), ReleasesGil(),
            "Deletes the document with this id; returns whether there was one.")
        .def(
            "__contains__",
            [](SharedWriter& self, const std::string& id) {
                return self.use(
                    [&](const trouvere::IndexWriter& writer) { return writer.contains(id); });
            },
            py::arg("id"), ReleasesGil(),
            "Whether a document has this id, committed or added since the last commit.")
        .def(
            "commit",
            [](SharedWriter& self) {
                self.use([](trouvere::IndexWriter& writer) { writer.commit(); });
            },
            ReleasesGil(),
            "Makes every change since opening (or the last commit) durable and visible, all at "
            "once. Raises DatabaseError when it fails, leaving the database as of the last "
            "commit.")
        .def(
            "update_native_index",
            [](SharedWriter& self) {
                return self.use(
                    [](trouvere::IndexWriter& writer) { return writer.update_native_index(); });
            },
            ReleasesGil(),
            "Brings the native index beside the database up to the last commit, as search-index "
            "does at the end of a run; returns whether it built one (False when it was "
            "current). Call it after the last commit of a batch.")
        .def(
            "index_paths",
            [](SharedWriter& self, const std::vector<std::filesystem::path>& paths, bool prune,
               std::size_t commit_every) {
                std::vector<std::string> texts;
                texts.reserve(paths.size());
                for (const auto& path : paths) texts.push_back(path.string());
                trouvere::IndexOptions options;
                options.prune = prune;
                options.commit_every = commit_every;
                return self.use([&](trouvere::IndexWriter& writer) {
                    return trouvere::index_paths(writer, texts, options);
                });
            },
            py::arg("paths"), py::kw_only(), py::arg("prune") = false,
            py::arg("commit_every") = 1000, ReleasesGil(),
            "Indexes files and folders as search-index does (.txt, .md, .html, .jsonl, "
            "recursively; unchanged files skipped; with prune, documents whose file is gone "
            "deleted), committing every commit_every documents (0: never). The caller makes the "
            "final commit. Bad files are skipped with a warning in the IndexReport returned. "
            "Raises trouvere.Error when a path does not exist.")
        .def(
            "document_count",
            [](SharedWriter& self) {
                return self.use(
                    [](const trouvere::IndexWriter& writer) { return writer.document_count(); });
            },
            ReleasesGil(), "The number of documents, those added since the last commit included.")
        .def_property_readonly(
            "path",
            [](SharedWriter& self) {
                return self.use([](const trouvere::IndexWriter& writer) { return writer.path(); });
            },
            "The database's path.")
        .def("close", &SharedWriter::close, ReleasesGil(),
             "Discards the changes made since the last commit and releases the lock; the writer "
             "cannot be used after. Closing again does nothing.")
        .def(
            "__enter__", [](py::object self) { return self; }, "Returns the IndexWriter.")
        .def(
            "__exit__",
            [](SharedWriter& self, const py::object& exception_type, const py::args&) {
                const bool ended_normally = exception_type.is_none();
                const py::gil_scoped_release released;
                // Closed whatever happens, a failed commit included: the block is over.
                try {
                    if (ended_normally) {
                        self.use([](trouvere::IndexWriter& writer) { writer.commit(); });
                    }
                } catch (...) {
                    self.close();
                    throw;
                }
                self.close();
            },
            "Commits when the block ended normally, then closes.");

    module.def(
        "version", [] { return std::string(trouvere::version()); },
        "The version of the trouvere library loaded, '0.1.0'.");
}
