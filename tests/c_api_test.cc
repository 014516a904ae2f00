// The C API (trouvere/trouvere_c.h), compiled here as C++: every function, on the bundled
// articles and on documents added through it, with the C++ API as the oracle, and every way a
// call can fail.

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "capi/c_errors.h"
#include "tests/shard_support.h"
#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"
#include "trouvere/trouvere_c.h"
#include "trouvere/version.h"

namespace {

using trouvere::testing::TempDir;

// Owns what a C function hands out, releasing it with `Release`.
template <auto Release>
struct Releaser {
    template <typename T>
    void operator()(T* pointer) const {
        Release(pointer);
    }
};
using Searcher = std::unique_ptr<trouvere_searcher, Releaser<trouvere_searcher_close>>;
using Writer = std::unique_ptr<trouvere_writer, Releaser<trouvere_writer_close>>;
using Options = std::unique_ptr<trouvere_search_options, Releaser<trouvere_search_options_destroy>>;
using Results = std::unique_ptr<trouvere_results, Releaser<trouvere_results_destroy>>;
using Document = std::unique_ptr<trouvere_document, Releaser<trouvere_document_destroy>>;
using Report = std::unique_ptr<trouvere_index_report, Releaser<trouvere_index_report_destroy>>;
using Text = std::unique_ptr<char, Releaser<trouvere_free>>;

// The error out-parameter of one call after another, releasing what each received.
class ErrorSlot {
public:
    ErrorSlot() = default;
    ~ErrorSlot() { release(); }
    ErrorSlot(const ErrorSlot&) = delete;
    ErrorSlot& operator=(const ErrorSlot&) = delete;

    // For the next call: a pointer that is not NULL, which the call must replace, with NULL when
    // it succeeds.
    trouvere_error** out() {
        release();
        error_ = not_yet_set();
        return &error_;
    }
    [[nodiscard]] trouvere_error* get() const { return error_; }
    [[nodiscard]] trouvere_status code() const { return trouvere_error_code(error_); }
    [[nodiscard]] std::string message() const { return trouvere_error_message(error_); }

private:
    // A call that leaves it there fails the test: it reads as TROUVERE_OK, not as NULL.
    static trouvere_error* not_yet_set() {
        static trouvere_error marker;
        return &marker;
    }
    void release() {
        if (error_ != not_yet_set()) trouvere_error_destroy(error_);
    }
    trouvere_error* error_ = nullptr;
};

// Fails the test with the error's message unless the call succeeded and said so.
void require_ok(trouvere_status status, const ErrorSlot& error) {
    INFO(trouvere_error_message(error.get()));
    REQUIRE(status == TROUVERE_OK);
    REQUIRE(error.get() == nullptr);
}

Writer open_writer(const std::string& path, unsigned lock_wait_ms = TROUVERE_DEFAULT_LOCK_WAIT_MS) {
    ErrorSlot error;
    trouvere_writer* writer = nullptr;
    require_ok(trouvere_writer_open(path.c_str(), 1, lock_wait_ms, &writer, error.out()), error);
    return Writer(writer);
}

Searcher open_searcher(const std::string& path) {
    ErrorSlot error;
    trouvere_searcher* searcher = nullptr;
    require_ok(trouvere_searcher_open(path.c_str(), &searcher, error.out()), error);
    return Searcher(searcher);
}

Options new_options() {
    ErrorSlot error;
    trouvere_search_options* options = nullptr;
    require_ok(trouvere_search_options_create(&options, error.out()), error);
    return Options(options);
}

Results search(trouvere_searcher* searcher, const char* query,
               const trouvere_search_options* options = nullptr) {
    ErrorSlot error;
    trouvere_results* results = nullptr;
    require_ok(trouvere_searcher_search(searcher, query, options, &results, error.out()), error);
    return Results(results);
}

std::string json_of(const trouvere_results* results) {
    ErrorSlot error;
    char* json = nullptr;
    require_ok(trouvere_results_to_json(results, &json, error.out()), error);
    return Text(json).get();
}

Document new_document(const char* id) {
    ErrorSlot error;
    trouvere_document* document = nullptr;
    require_ok(trouvere_document_create(id, &document, error.out()), error);
    return Document(document);
}

void set_field(trouvere_document* document, trouvere_field field, const char* value) {
    ErrorSlot error;
    require_ok(trouvere_document_set_field(document, field, value, error.out()), error);
}

// The bundled articles indexed through the C API, with their native index.
struct CorpusDatabase {
    TempDir dir;
    std::string path = (dir.path() / "db").string();

    CorpusDatabase() {
        Writer writer = open_writer(path);
        const std::string corpus = trouvere::testing::corpus_dir().string();
        const char* paths[] = {corpus.c_str()};
        ErrorSlot error;
        trouvere_index_report* report = nullptr;
        require_ok(trouvere_index_paths(writer.get(), paths, 1, 0, TROUVERE_DEFAULT_COMMIT_EVERY,
                                        &report, error.out()),
                   error);
        Report owned(report);
        REQUIRE(trouvere_index_report_added(report) == 5);
        require_ok(trouvere_writer_commit(writer.get(), error.out()), error);
        int built = 0;
        require_ok(trouvere_writer_update_native_index(writer.get(), &built, error.out()), error);
        REQUIRE(built == 1);
    }
};

}  // namespace

TEST_CASE("C: indexing the bundled articles reports each count and builds the native index once",
          "[capi][index]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const std::string corpus = trouvere::testing::corpus_dir().string();
    const char* paths[] = {corpus.c_str()};
    Writer writer = open_writer(db);
    ErrorSlot error;

    trouvere_index_report* first = nullptr;
    require_ok(trouvere_index_paths(writer.get(), paths, 1, 0, 0, &first, error.out()), error);
    Report first_report(first);
    CHECK(trouvere_index_report_added(first) == 5);
    CHECK(trouvere_index_report_updated(first) == 0);
    CHECK(trouvere_index_report_unchanged(first) == 0);
    CHECK(trouvere_index_report_deleted(first) == 0);
    CHECK(trouvere_index_report_skipped(first) == 0);
    CHECK(trouvere_index_report_warning_count(first) == 0);
    require_ok(trouvere_writer_commit(writer.get(), error.out()), error);

    int built = -1;
    require_ok(trouvere_writer_update_native_index(writer.get(), &built, error.out()), error);
    CHECK(built == 1);
    require_ok(trouvere_writer_update_native_index(writer.get(), &built, error.out()), error);
    CHECK(built == 0);
    // Whether it built is for those who ask.
    require_ok(trouvere_writer_update_native_index(writer.get(), nullptr, error.out()), error);

    trouvere_index_report* second = nullptr;
    require_ok(trouvere_index_paths(writer.get(), paths, 1, 1, TROUVERE_DEFAULT_COMMIT_EVERY,
                                    &second, error.out()),
               error);
    Report second_report(second);
    CHECK(trouvere_index_report_added(second) == 0);
    CHECK(trouvere_index_report_unchanged(second) == 5);
}

TEST_CASE("C: a bad file is skipped with a warning that the report gives field by field",
          "[capi][index]") {
    TempDir dir;
    dir.write("docs/good.md", "# Bon\n\nUn texte.\n");
    dir.write("docs/bad.txt", std::string("binaire\0texte", 13));
    dir.write("docs/dated.jsonl", R"({"id": "j1", "body": "texte", "date": "2024-02-30"})"
                                  "\n");
    const std::string docs = (dir.path() / "docs").string();
    const char* paths[] = {docs.c_str()};
    Writer writer = open_writer((dir.path() / "db").string());
    ErrorSlot error;
    trouvere_index_report* report = nullptr;
    require_ok(trouvere_index_paths(writer.get(), paths, 1, 0, TROUVERE_DEFAULT_COMMIT_EVERY,
                                    &report, error.out()),
               error);
    Report owned(report);
    CHECK(trouvere_index_report_added(report) == 2);
    CHECK(trouvere_index_report_skipped(report) == 1);
    REQUIRE(trouvere_index_report_warning_count(report) == 2);

    // Files in id order: bad.txt, then dated.jsonl.
    CHECK(std::string(trouvere_index_report_warning_file(report, 0)) == docs + "/bad.txt");
    CHECK(trouvere_index_report_warning_line(report, 0) == 0);
    CHECK(std::string(trouvere_index_report_warning_message(report, 0)) ==
          "binary file (NUL byte)");
    CHECK(trouvere_index_report_warning_skipped(report, 0) == 1);

    CHECK(std::string(trouvere_index_report_warning_file(report, 1)) == docs + "/dated.jsonl");
    CHECK(trouvere_index_report_warning_line(report, 1) == 1);
    CHECK_THAT(trouvere_index_report_warning_message(report, 1), Catch::Contains("2024-02-30"));
    CHECK(trouvere_index_report_warning_skipped(report, 1) == 0);

    CHECK(trouvere_index_report_warning_file(report, 2) == nullptr);
    CHECK(trouvere_index_report_warning_line(report, 2) == 0);
    CHECK(trouvere_index_report_warning_message(report, 2) == nullptr);
    CHECK(trouvere_index_report_warning_skipped(report, 2) == 0);
}

TEST_CASE("C: a search gives the C++ API's results, hit by hit and as the same JSON",
          "[capi][search]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);
    Options options = new_options();
    ErrorSlot error;
    require_ok(trouvere_search_options_set_limit(options.get(), 2, error.out()), error);
    require_ok(trouvere_search_options_add_facet(options.get(), "year", error.out()), error);
    require_ok(trouvere_search_options_add_facet(options.get(), "source", error.out()), error);
    Results results = search(searcher.get(), "accord militaire", options.get());

    trouvere::Searcher oracle(db.path);
    const trouvere::SearchResults expected =
        oracle.search("accord militaire",
                      {.limit = 2, .facets = {trouvere::Facet::year, trouvere::Facet::source}});

    CHECK(std::string(trouvere_results_query(results.get())) == "accord militaire");
    CHECK(std::string(trouvere_results_engine(results.get())) == "native");
    CHECK(trouvere_results_total_estimate(results.get()) == 3);
    CHECK(trouvere_results_total_exact(results.get()) == 1);
    CHECK(trouvere_results_fell_back_to_any_word(results.get()) == 0);
    CHECK(trouvere_results_suggestion(results.get()) == nullptr);
    CHECK(trouvere_results_warning_count(results.get()) == 0);
    CHECK(trouvere_results_warning(results.get(), 0) == nullptr);

    REQUIRE(trouvere_results_hit_count(results.get()) == 2);
    CHECK(trouvere_results_hit(results.get(), 2) == nullptr);
    for (std::size_t i = 0; i < 2; ++i) {
        const trouvere_hit* hit = trouvere_results_hit(results.get(), i);
        const trouvere::Hit& want = expected.hits[i];
        CHECK(trouvere_hit_rank(hit) == i + 1);
        CHECK(trouvere_hit_score(hit) == want.score);
        CHECK(trouvere_hit_field(hit, TROUVERE_FIELD_ID) == want.id);
        CHECK(trouvere_hit_field(hit, TROUVERE_FIELD_TITLE) == want.title);
        CHECK(trouvere_hit_field(hit, TROUVERE_FIELD_DATE) == want.date);
        CHECK(trouvere_hit_field(hit, TROUVERE_FIELD_SOURCE) == want.source);
        CHECK(trouvere_hit_field(hit, TROUVERE_FIELD_URL) == want.url);
        CHECK(trouvere_hit_field(hit, TROUVERE_FIELD_PATH) == want.path);
        CHECK(trouvere_hit_field(hit, TROUVERE_FIELD_BODY) == nullptr);
        CHECK(trouvere_hit_snippet_text(hit) == want.snippet.text);
        CHECK(trouvere_hit_snippet_html(hit) == trouvere::to_html(want.snippet));
        REQUIRE(trouvere_hit_highlight_count(hit) == want.snippet.highlights.size());
        for (std::size_t k = 0; k < want.snippet.highlights.size(); ++k) {
            CHECK(trouvere_hit_highlight_begin(hit, k) == want.snippet.highlights[k].begin);
            CHECK(trouvere_hit_highlight_end(hit, k) == want.snippet.highlights[k].end);
        }
        const std::size_t past = want.snippet.highlights.size();
        CHECK(trouvere_hit_highlight_begin(hit, past) == 0);
        CHECK(trouvere_hit_highlight_end(hit, past) == 0);
    }
    const trouvere_hit* first = trouvere_results_hit(results.get(), 0);
    CHECK(std::string(trouvere_hit_field(first, TROUVERE_FIELD_ID)) == "000_dbeda49fb9d40084.txt");
    CHECK(std::string(trouvere_hit_field(first, TROUVERE_FIELD_DATE)) == "2024-11-22");
    CHECK(std::string(trouvere_hit_field(first, TROUVERE_FIELD_SOURCE)).empty());
    CHECK_THAT(trouvere_hit_snippet_html(first),
               Catch::Contains("l’<mark>accord</mark> de coopération <mark>militaire</mark>"));
    const std::string text = trouvere_hit_snippet_text(first);
    CHECK(text.substr(trouvere_hit_highlight_begin(first, 0),
                      trouvere_hit_highlight_end(first, 0) -
                          trouvere_hit_highlight_begin(first, 0)) == "accord");

    REQUIRE(trouvere_results_facet_count(results.get()) == 2);
    CHECK(std::string(trouvere_results_facet_name(results.get(), 0)) == "year");
    CHECK(std::string(trouvere_results_facet_name(results.get(), 1)) == "source");
    CHECK(trouvere_results_facet_name(results.get(), 2) == nullptr);
    REQUIRE(trouvere_results_facet_value_count(results.get(), 0) == 1);
    CHECK(std::string(trouvere_results_facet_value(results.get(), 0, 0)) == "2024");
    CHECK(trouvere_results_facet_value_documents(results.get(), 0, 0) == 2);
    CHECK(trouvere_results_facet_value(results.get(), 0, 1) == nullptr);
    CHECK(trouvere_results_facet_value_documents(results.get(), 0, 1) == 0);
    CHECK(trouvere_results_facet_value_count(results.get(), 1) == 0);
    CHECK(trouvere_results_facet_value_count(results.get(), 2) == 0);
    CHECK(trouvere_results_facet_value(results.get(), 2, 0) == nullptr);

    CHECK(json_of(results.get()) == trouvere::to_json(expected));
}

TEST_CASE("C: each search option has the effect of its C++ counterpart", "[capi][search]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);
    trouvere::Searcher oracle(db.path);
    using SetOption = std::function<trouvere_status(trouvere_search_options*, trouvere_error**)>;
    struct Case {
        const char* query;
        SetOption set;
        trouvere::SearchOptions expected;
    };
    const Case cases[] = {
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_limit(o, 2, e); },
         {.limit = 2}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_offset(o, 3, e); },
         {.offset = 3}},
        {"Mali",
         [](auto* o, auto** e) {
             return trouvere_search_options_set_sort(o, TROUVERE_SORT_NEWEST, e);
         },
         {.sort = trouvere::SortOrder::newest}},
        {"Mali",
         [](auto* o, auto** e) {
             return trouvere_search_options_set_sort(o, TROUVERE_SORT_OLDEST, e);
         },
         {.sort = trouvere::SortOrder::oldest}},
        {"Mali",
         [](auto* o, auto** e) {
             return trouvere_search_options_set_sort(o, TROUVERE_SORT_RELEVANCE, e);
         },
         {.sort = trouvere::SortOrder::relevance}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_since(o, "2024-07", e); },
         {.since = "2024-07"}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_until(o, "2024-07", e); },
         {.until = "2024-07"}},
        {"Mali", [](auto* o, auto** e) { return trouvere_search_options_set_since(o, "", e); }, {}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_source(o, "Le Monde", e); },
         {.source = "Le Monde"}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_source(o, nullptr, e); },
         {}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_until(o, nullptr, e); },
         {}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_snippet_chars(o, 40, e); },
         {.snippet_chars = 40}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_set_snippets(o, 0, e); },
         {.snippets = false}},
        {"Mali",
         [](auto* o, auto** e) {
             return trouvere_search_options_set_engine(o, TROUVERE_ENGINE_XAPIAN, e);
         },
         {.engine = trouvere::SearchEngine::xapian}},
        {"Mali",
         [](auto* o, auto** e) {
             return trouvere_search_options_set_engine(o, TROUVERE_ENGINE_NATIVE, e);
         },
         {.engine = trouvere::SearchEngine::native}},
        {"Mali",
         [](auto* o, auto** e) {
             return trouvere_search_options_set_engine(o, TROUVERE_ENGINE_AUTOMATIC, e);
         },
         {.engine = trouvere::SearchEngine::automatic}},
        {"Russie",
         [](auto* o, auto** e) { return trouvere_search_options_set_count_at_least(o, 1, e); },
         {.count_at_least = 1}},
        {"Mali",
         [](auto* o, auto** e) { return trouvere_search_options_add_facet(o, "year", e); },
         {.facets = {trouvere::Facet::year}}},
    };
    for (const Case& c : cases) {
        const trouvere::SearchResults expected = oracle.search(c.query, c.expected);
        INFO(trouvere::to_json(expected));
        Options options = new_options();
        ErrorSlot error;
        require_ok(c.set(options.get(), error.out()), error);
        Results results = search(searcher.get(), c.query, options.get());
        CHECK(json_of(results.get()) == trouvere::to_json(expected));
    }
}

TEST_CASE("C: a limit of 0 returns no hit and still counts the matches", "[capi][search]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);
    Options options = new_options();
    ErrorSlot error;
    require_ok(trouvere_search_options_set_limit(options.get(), 0, error.out()), error);
    Results results = search(searcher.get(), "Mali", options.get());
    CHECK(trouvere_results_hit_count(results.get()) == 0);
    CHECK(trouvere_results_hit(results.get(), 0) == nullptr);
    CHECK(trouvere_results_total_estimate(results.get()) == 5);
    CHECK(trouvere_results_total_exact(results.get()) == 1);
}

TEST_CASE("C: results carry the suggestion, the fallback to any word and the query's repairs",
          "[capi][search]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);

    Results misspelt = search(searcher.get(), "accrd militaire");
    CHECK(std::string(trouvere_results_suggestion(misspelt.get())) == "accord militaire");
    CHECK(trouvere_results_fell_back_to_any_word(misspelt.get()) == 1);
    CHECK(trouvere_results_total_estimate(misspelt.get()) == 5);

    Results repaired = search(searcher.get(), "\"unbalanced militaire");
    REQUIRE(trouvere_results_warning_count(repaired.get()) == 1);
    CHECK(std::string(trouvere_results_warning(repaired.get(), 0)) ==
          "unbalanced quote: closed at end of query");
    CHECK(trouvere_results_hit_count(repaired.get()) == 0);
}

TEST_CASE("C: explain gives the C++ explanation's JSON", "[capi][search]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);
    Options options = new_options();
    ErrorSlot error;
    require_ok(trouvere_search_options_set_since(options.get(), "2024", error.out()), error);
    char* json = nullptr;
    require_ok(
        trouvere_searcher_explain(searcher.get(), "L'armée", options.get(), &json, error.out()),
        error);
    Text owned(json);
    trouvere::Searcher oracle(db.path);
    CHECK(json == trouvere::to_json(oracle.explain("L'armée", {.since = "2024"})));
    CHECK_THAT(json, Catch::Contains(R"("filters":["2024-01-01.."])"));

    char* defaults = nullptr;
    require_ok(trouvere_searcher_explain(searcher.get(), "armée", nullptr, &defaults, error.out()),
               error);
    Text owned_defaults(defaults);
    CHECK(defaults == trouvere::to_json(oracle.explain("armée")));
}

TEST_CASE("C: documents are added, replaced, read back whole and deleted", "[capi][index]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    Writer writer = open_writer(db);
    ErrorSlot error;

    Document document = new_document("a1");
    set_field(document.get(), TROUVERE_FIELD_TITLE, "Livraison de blé");
    set_field(document.get(), TROUVERE_FIELD_BODY, "La Russie a livré 25 000 tonnes de blé.");
    set_field(document.get(), TROUVERE_FIELD_DATE, "2024-03-01");
    set_field(document.get(), TROUVERE_FIELD_SOURCE, "Maliweb");
    set_field(document.get(), TROUVERE_FIELD_URL, "https://example.org/a1");
    CHECK(std::string(trouvere_document_field(document.get(), TROUVERE_FIELD_ID)) == "a1");
    CHECK(std::string(trouvere_document_field(document.get(), TROUVERE_FIELD_SOURCE)) == "Maliweb");
    CHECK(std::string(trouvere_document_field(document.get(), TROUVERE_FIELD_PATH)).empty());
    require_ok(trouvere_writer_add_or_replace(writer.get(), document.get(), error.out()), error);

    Document other = new_document("a2");
    set_field(other.get(), TROUVERE_FIELD_BODY, "Du blé pour Bamako.");
    require_ok(trouvere_writer_add_or_replace(writer.get(), other.get(), error.out()), error);
    require_ok(trouvere_writer_commit(writer.get(), error.out()), error);

    Searcher searcher = open_searcher(db);
    trouvere_document* found = nullptr;
    require_ok(trouvere_searcher_document(searcher.get(), "a1", &found, error.out()), error);
    Document read(found);
    REQUIRE(found != nullptr);
    CHECK(std::string(trouvere_document_field(found, TROUVERE_FIELD_ID)) == "a1");
    CHECK(std::string(trouvere_document_field(found, TROUVERE_FIELD_TITLE)) == "Livraison de blé");
    CHECK(std::string(trouvere_document_field(found, TROUVERE_FIELD_BODY)) ==
          "La Russie a livré 25 000 tonnes de blé.");
    CHECK(std::string(trouvere_document_field(found, TROUVERE_FIELD_DATE)) == "2024-03-01");
    CHECK(std::string(trouvere_document_field(found, TROUVERE_FIELD_SOURCE)) == "Maliweb");
    CHECK(std::string(trouvere_document_field(found, TROUVERE_FIELD_URL)) ==
          "https://example.org/a1");
    CHECK(std::string(trouvere_document_field(found, TROUVERE_FIELD_PATH)).empty());

    Options by_source = new_options();
    require_ok(trouvere_search_options_add_facet(by_source.get(), "source", error.out()), error);
    Results wheat = search(searcher.get(), "25000 ble", by_source.get());
    REQUIRE(trouvere_results_hit_count(wheat.get()) == 1);
    CHECK(std::string(trouvere_results_facet_value(wheat.get(), 0, 0)) == "Maliweb");
    CHECK(trouvere_results_facet_value_documents(wheat.get(), 0, 0) == 1);
    Options from_maliweb = new_options();
    require_ok(trouvere_search_options_set_source(from_maliweb.get(), "Maliweb", error.out()),
               error);
    Results maliweb_wheat = search(searcher.get(), "ble", from_maliweb.get());
    REQUIRE(trouvere_results_hit_count(maliweb_wheat.get()) == 1);
    CHECK(std::string(trouvere_hit_field(trouvere_results_hit(maliweb_wheat.get(), 0),
                                         TROUVERE_FIELD_ID)) == "a1");

    // Replaced, with its title and date cleared; and a2 deleted.
    set_field(document.get(), TROUVERE_FIELD_TITLE, nullptr);
    set_field(document.get(), TROUVERE_FIELD_DATE, "");
    require_ok(trouvere_writer_add_or_replace(writer.get(), document.get(), error.out()), error);
    int deleted = -1;
    require_ok(trouvere_writer_delete(writer.get(), "a2", &deleted, error.out()), error);
    CHECK(deleted == 1);
    require_ok(trouvere_writer_delete(writer.get(), "a2", &deleted, error.out()), error);
    CHECK(deleted == 0);
    require_ok(trouvere_writer_delete(writer.get(), "a2", nullptr, error.out()), error);
    require_ok(trouvere_writer_commit(writer.get(), error.out()), error);

    // The searcher sees the state it opened until it reopens.
    Results before = search(searcher.get(), "ble");
    CHECK(trouvere_results_total_estimate(before.get()) == 2);
    require_ok(trouvere_searcher_reopen(searcher.get(), error.out()), error);
    Results after = search(searcher.get(), "ble");
    REQUIRE(trouvere_results_hit_count(after.get()) == 1);
    const trouvere_hit* hit = trouvere_results_hit(after.get(), 0);
    CHECK(std::string(trouvere_hit_field(hit, TROUVERE_FIELD_ID)) == "a1");
    CHECK(std::string(trouvere_hit_field(hit, TROUVERE_FIELD_TITLE)).empty());
    CHECK(std::string(trouvere_hit_field(hit, TROUVERE_FIELD_DATE)).empty());

    trouvere_document* gone = nullptr;
    require_ok(trouvere_searcher_document(searcher.get(), "a2", &gone, error.out()), error);
    CHECK(gone == nullptr);
}

TEST_CASE("C: the version is the library's, and text is made safe for a terminal",
          "[capi][snippet]") {
    CHECK(trouvere_version() == trouvere::version());
    ErrorSlot error;
    char* safe = nullptr;
    // Up to the length given, NUL included.
    const std::string text("a\x1b[2J\tb\xff\0c", 10);
    require_ok(trouvere_terminal_safe(text.data(), 9, &safe, error.out()), error);
    Text owned(safe);
    CHECK(std::string(safe) == "a␛[2J b\xEF\xBF\xBD␀");
    char* empty = nullptr;
    require_ok(trouvere_terminal_safe(text.data(), 0, &empty, error.out()), error);
    Text owned_empty(empty);
    CHECK(std::string(empty).empty());
}

TEST_CASE("C: every function refuses a NULL handle, text or out-parameter as a usage error",
          "[capi][errors]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);
    TempDir dir;
    Writer writer = open_writer((dir.path() / "db").string());
    Options options = new_options();
    Document document = new_document("d");
    Results results = search(searcher.get(), "Mali");
    trouvere_searcher* no_searcher = nullptr;
    trouvere_writer* no_writer = nullptr;
    trouvere_search_options* no_options = nullptr;
    trouvere_document* no_document = nullptr;
    trouvere_results* no_results = nullptr;
    const char* no_text = nullptr;

    // Each call with the name of the argument it lacks. Out-parameters are left NULL.
    struct Case {
        std::function<trouvere_status(trouvere_error**)> call;
        const char* message;
    };
    trouvere_searcher* searcher_out = nullptr;
    trouvere_results* results_out = nullptr;
    trouvere_document* document_out = nullptr;
    trouvere_writer* writer_out = nullptr;
    trouvere_index_report* report_out = nullptr;
    char* text_out = nullptr;
    const Case cases[] = {
        {[&](auto** e) { return trouvere_terminal_safe(no_text, 0, &text_out, e); },
         "trouvere_terminal_safe: text is NULL"},
        {[&](auto** e) { return trouvere_terminal_safe("a", 1, nullptr, e); },
         "trouvere_terminal_safe: safe is NULL"},
        {[&](auto** e) { return trouvere_document_create(no_text, &document_out, e); },
         "trouvere_document_create: id is NULL"},
        {[&](auto** e) { return trouvere_document_create("d", nullptr, e); },
         "trouvere_document_create: document is NULL"},
        {[&](auto** e) {
             return trouvere_document_set_field(no_document, TROUVERE_FIELD_TITLE, "t", e);
         },
         "trouvere_document_set_field: document is NULL"},
        {[&](auto** e) { return trouvere_search_options_create(nullptr, e); },
         "trouvere_search_options_create: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_limit(no_options, 1, e); },
         "trouvere_search_options_set_limit: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_offset(no_options, 1, e); },
         "trouvere_search_options_set_offset: options is NULL"},
        {[&](auto** e) {
             return trouvere_search_options_set_sort(no_options, TROUVERE_SORT_NEWEST, e);
         },
         "trouvere_search_options_set_sort: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_since(no_options, "2024", e); },
         "trouvere_search_options_set_since: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_until(no_options, "2024", e); },
         "trouvere_search_options_set_until: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_source(no_options, "RFI", e); },
         "trouvere_search_options_set_source: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_add_facet(no_options, "year", e); },
         "trouvere_search_options_add_facet: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_add_facet(options.get(), no_text, e); },
         "trouvere_search_options_add_facet: name is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_snippet_chars(no_options, 9, e); },
         "trouvere_search_options_set_snippet_chars: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_snippets(no_options, 0, e); },
         "trouvere_search_options_set_snippets: options is NULL"},
        {[&](auto** e) {
             return trouvere_search_options_set_engine(no_options, TROUVERE_ENGINE_NATIVE, e);
         },
         "trouvere_search_options_set_engine: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_count_at_least(no_options, 9, e); },
         "trouvere_search_options_set_count_at_least: options is NULL"},
        {[&](auto** e) { return trouvere_search_options_set_allow_partial(no_options, 1, e); },
         "trouvere_search_options_set_allow_partial: options is NULL"},
        {[&](auto** e) { return trouvere_results_to_json(no_results, &text_out, e); },
         "trouvere_results_to_json: results is NULL"},
        {[&](auto** e) { return trouvere_results_to_json(results.get(), nullptr, e); },
         "trouvere_results_to_json: json is NULL"},
        {[&](auto** e) { return trouvere_searcher_open(no_text, &searcher_out, e); },
         "trouvere_searcher_open: path is NULL"},
        {[&](auto** e) { return trouvere_searcher_open(db.path.c_str(), nullptr, e); },
         "trouvere_searcher_open: searcher is NULL"},
        {[&](auto** e) {
             return trouvere_searcher_search(no_searcher, "Mali", nullptr, &results_out, e);
         },
         "trouvere_searcher_search: searcher is NULL"},
        {[&](auto** e) {
             return trouvere_searcher_search(searcher.get(), no_text, nullptr, &results_out, e);
         },
         "trouvere_searcher_search: query is NULL"},
        {[&](auto** e) {
             return trouvere_searcher_search(searcher.get(), "Mali", nullptr, nullptr, e);
         },
         "trouvere_searcher_search: results is NULL"},
        {[&](auto** e) {
             return trouvere_searcher_explain(no_searcher, "Mali", nullptr, &text_out, e);
         },
         "trouvere_searcher_explain: searcher is NULL"},
        {[&](auto** e) {
             return trouvere_searcher_explain(searcher.get(), no_text, nullptr, &text_out, e);
         },
         "trouvere_searcher_explain: query is NULL"},
        {[&](auto** e) {
             return trouvere_searcher_explain(searcher.get(), "Mali", nullptr, nullptr, e);
         },
         "trouvere_searcher_explain: json is NULL"},
        {[&](auto** e) { return trouvere_searcher_document(no_searcher, "d", &document_out, e); },
         "trouvere_searcher_document: searcher is NULL"},
        {[&](auto** e) {
             return trouvere_searcher_document(searcher.get(), no_text, &document_out, e);
         },
         "trouvere_searcher_document: id is NULL"},
        {[&](auto** e) { return trouvere_searcher_document(searcher.get(), "d", nullptr, e); },
         "trouvere_searcher_document: document is NULL"},
        {[&](auto** e) { return trouvere_searcher_reopen(no_searcher, e); },
         "trouvere_searcher_reopen: searcher is NULL"},
        {[&](auto** e) { return trouvere_writer_open(no_text, 1, 0, &writer_out, e); },
         "trouvere_writer_open: path is NULL"},
        {[&](auto** e) {
             return trouvere_writer_open((dir.path() / "other").c_str(), 1, 0, nullptr, e);
         },
         "trouvere_writer_open: writer is NULL"},
        {[&](auto** e) { return trouvere_writer_add_or_replace(no_writer, document.get(), e); },
         "trouvere_writer_add_or_replace: writer is NULL"},
        {[&](auto** e) { return trouvere_writer_add_or_replace(writer.get(), no_document, e); },
         "trouvere_writer_add_or_replace: document is NULL"},
        {[&](auto** e) { return trouvere_writer_delete(no_writer, "d", nullptr, e); },
         "trouvere_writer_delete: writer is NULL"},
        {[&](auto** e) { return trouvere_writer_delete(writer.get(), no_text, nullptr, e); },
         "trouvere_writer_delete: id is NULL"},
        {[&](auto** e) { return trouvere_writer_commit(no_writer, e); },
         "trouvere_writer_commit: writer is NULL"},
        {[&](auto** e) { return trouvere_writer_update_native_index(no_writer, nullptr, e); },
         "trouvere_writer_update_native_index: writer is NULL"},
        {[&](auto** e) {
             const char* paths[] = {"corpus"};
             return trouvere_index_paths(no_writer, paths, 1, 0, 0, &report_out, e);
         },
         "trouvere_index_paths: writer is NULL"},
        {[&](auto** e) {
             return trouvere_index_paths(writer.get(), nullptr, 1, 0, 0, &report_out, e);
         },
         "trouvere_index_paths: paths is NULL"},
        {[&](auto** e) {
             const char* paths[] = {no_text};
             return trouvere_index_paths(writer.get(), paths, 1, 0, 0, &report_out, e);
         },
         "trouvere_index_paths: a path is NULL"},
        {[&](auto** e) {
             const char* paths[] = {"corpus"};
             return trouvere_index_paths(writer.get(), paths, 1, 0, 0, nullptr, e);
         },
         "trouvere_index_paths: report is NULL"},
    };
    for (const Case& c : cases) {
        INFO(c.message);
        ErrorSlot error;
        CHECK(c.call(error.out()) == TROUVERE_ERROR_USAGE);
        CHECK(error.code() == TROUVERE_ERROR_USAGE);
        CHECK(error.message() == c.message);
        // Without an error object, the status alone.
        CHECK(c.call(nullptr) == TROUVERE_ERROR_USAGE);
    }
    CHECK(searcher_out == nullptr);
    CHECK(results_out == nullptr);
    CHECK(document_out == nullptr);
    CHECK(writer_out == nullptr);
    CHECK(report_out == nullptr);
    CHECK(text_out == nullptr);

    // No path to index is no work, and no reason to look at the array.
    ErrorSlot error;
    require_ok(trouvere_index_paths(writer.get(), nullptr, 0, 0, 0, &report_out, error.out()),
               error);
    Report empty(report_out);
    CHECK(trouvere_index_report_added(report_out) == 0);
}

TEST_CASE("C: accessors given NULL return NULL, 0 or an empty string", "[capi][errors]") {
    CHECK(trouvere_error_code(nullptr) == TROUVERE_OK);
    CHECK(std::string(trouvere_error_message(nullptr)).empty());
    CHECK(trouvere_document_field(nullptr, TROUVERE_FIELD_ID) == nullptr);
    CHECK(std::string(trouvere_results_query(nullptr)).empty());
    CHECK(std::string(trouvere_results_engine(nullptr)).empty());
    CHECK(trouvere_results_total_estimate(nullptr) == 0);
    CHECK(trouvere_results_total_exact(nullptr) == 0);
    CHECK(trouvere_results_fell_back_to_any_word(nullptr) == 0);
    CHECK(trouvere_results_suggestion(nullptr) == nullptr);
    CHECK(trouvere_results_warning_count(nullptr) == 0);
    CHECK(trouvere_results_warning(nullptr, 0) == nullptr);
    CHECK(trouvere_results_hit_count(nullptr) == 0);
    CHECK(trouvere_results_hit(nullptr, 0) == nullptr);
    CHECK(trouvere_results_facet_count(nullptr) == 0);
    CHECK(trouvere_results_facet_name(nullptr, 0) == nullptr);
    CHECK(trouvere_results_facet_value_count(nullptr, 0) == 0);
    CHECK(trouvere_results_facet_value(nullptr, 0, 0) == nullptr);
    CHECK(trouvere_results_facet_value_documents(nullptr, 0, 0) == 0);
    CHECK(trouvere_hit_rank(nullptr) == 0);
    CHECK(trouvere_hit_score(nullptr) == 0);
    CHECK(trouvere_hit_field(nullptr, TROUVERE_FIELD_ID) == nullptr);
    CHECK(std::string(trouvere_hit_snippet_text(nullptr)).empty());
    CHECK(std::string(trouvere_hit_snippet_html(nullptr)).empty());
    CHECK(trouvere_hit_highlight_count(nullptr) == 0);
    CHECK(trouvere_hit_highlight_begin(nullptr, 0) == 0);
    CHECK(trouvere_hit_highlight_end(nullptr, 0) == 0);
    CHECK(trouvere_index_report_added(nullptr) == 0);
    CHECK(trouvere_index_report_updated(nullptr) == 0);
    CHECK(trouvere_index_report_unchanged(nullptr) == 0);
    CHECK(trouvere_index_report_deleted(nullptr) == 0);
    CHECK(trouvere_index_report_skipped(nullptr) == 0);
    CHECK(trouvere_index_report_warning_count(nullptr) == 0);
    CHECK(trouvere_index_report_warning_file(nullptr, 0) == nullptr);
    CHECK(trouvere_index_report_warning_line(nullptr, 0) == 0);
    CHECK(trouvere_index_report_warning_message(nullptr, 0) == nullptr);
    CHECK(trouvere_index_report_warning_skipped(nullptr, 0) == 0);
    // Releasing NULL does nothing.
    trouvere_error_destroy(nullptr);
    trouvere_free(nullptr);
    trouvere_document_destroy(nullptr);
    trouvere_search_options_destroy(nullptr);
    trouvere_results_destroy(nullptr);
    trouvere_searcher_close(nullptr);
    trouvere_writer_close(nullptr);
    trouvere_index_report_destroy(nullptr);
}

TEST_CASE("C: text that is not UTF-8 is refused, naming the argument and the byte",
          "[capi][errors]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);
    Writer writer = open_writer(db.path);
    Options options = new_options();
    Document document = new_document("d");
    trouvere_results* results = nullptr;
    trouvere_document* found = nullptr;
    char* json = nullptr;
    // An overlong form of '/', a lone continuation byte, a truncated sequence, a surrogate.
    const std::string overlong = "ab\xC0\xAF";
    struct Case {
        std::function<trouvere_status(trouvere_error**)> call;
        const char* message;
    };
    const Case cases[] = {
        {[&](auto** e) {
             return trouvere_searcher_search(searcher.get(), overlong.c_str(), nullptr, &results,
                                             e);
         },
         "trouvere_searcher_search: query is not valid UTF-8 (byte 2)"},
        {[&](auto** e) {
             return trouvere_searcher_explain(searcher.get(), "\x80", nullptr, &json, e);
         },
         "trouvere_searcher_explain: query is not valid UTF-8 (byte 0)"},
        {[&](auto** e) { return trouvere_searcher_document(searcher.get(), "é\xC3", &found, e); },
         "trouvere_searcher_document: id is not valid UTF-8 (byte 2)"},
        {[&](auto** e) { return trouvere_document_create("\xED\xA0\x80", &found, e); },
         "trouvere_document_create: id is not valid UTF-8 (byte 0)"},
        {[&](auto** e) {
             return trouvere_document_set_field(document.get(), TROUVERE_FIELD_BODY, "ok \xFF", e);
         },
         "trouvere_document_set_field: value is not valid UTF-8 (byte 3)"},
        {[&](auto** e) { return trouvere_search_options_set_since(options.get(), "\xFF", e); },
         "trouvere_search_options_set_since: since is not valid UTF-8 (byte 0)"},
        {[&](auto** e) { return trouvere_search_options_set_until(options.get(), "\xFF", e); },
         "trouvere_search_options_set_until: until is not valid UTF-8 (byte 0)"},
        {[&](auto** e) { return trouvere_search_options_set_source(options.get(), "\xFF", e); },
         "trouvere_search_options_set_source: source is not valid UTF-8 (byte 0)"},
        {[&](auto** e) { return trouvere_search_options_add_facet(options.get(), "\xFF", e); },
         "trouvere_search_options_add_facet: name is not valid UTF-8 (byte 0)"},
        {[&](auto** e) { return trouvere_writer_delete(writer.get(), "\xFF", nullptr, e); },
         "trouvere_writer_delete: id is not valid UTF-8 (byte 0)"},
    };
    for (const Case& c : cases) {
        ErrorSlot error;
        CHECK(c.call(error.out()) == TROUVERE_ERROR_USAGE);
        CHECK(error.message() == c.message);
    }
    CHECK(results == nullptr);
    CHECK(found == nullptr);
    CHECK(json == nullptr);
    // The refused value is not kept.
    CHECK(std::string(trouvere_document_field(document.get(), TROUVERE_FIELD_BODY)).empty());
}

TEST_CASE("C: values outside an enumeration or a facet's names are usage errors",
          "[capi][errors]") {
    Options options = new_options();
    Document document = new_document("d");
    ErrorSlot error;
    CHECK(trouvere_search_options_set_sort(options.get(), static_cast<trouvere_sort>(3),
                                           error.out()) == TROUVERE_ERROR_USAGE);
    CHECK(error.message() == "trouvere_search_options_set_sort: sort 3 is not a trouvere_sort");
    CHECK(trouvere_search_options_set_engine(options.get(), static_cast<trouvere_engine>(-1),
                                             error.out()) == TROUVERE_ERROR_USAGE);
    CHECK(error.message() ==
          "trouvere_search_options_set_engine: engine -1 is not a trouvere_engine");
    CHECK(trouvere_document_set_field(document.get(), static_cast<trouvere_field>(7), "x",
                                      error.out()) == TROUVERE_ERROR_USAGE);
    CHECK(error.message() == "trouvere_document_set_field: field 7 is not a trouvere_field");
    CHECK(trouvere_document_field(document.get(), static_cast<trouvere_field>(7)) == nullptr);
    CHECK(trouvere_search_options_add_facet(options.get(), "author", error.out()) ==
          TROUVERE_ERROR_USAGE);
    CHECK(error.message() == "trouvere_search_options_add_facet: no facet is named 'author'");
}

TEST_CASE("C: the library's errors keep their kind: query, document, database, other",
          "[capi][errors]") {
    CorpusDatabase db;
    Searcher searcher = open_searcher(db.path);
    TempDir dir;
    ErrorSlot error;
    trouvere_results* results = nullptr;
    trouvere_searcher* missing = nullptr;
    char* json = nullptr;

    const std::string nowhere = (dir.path() / "missing").string();
    CHECK(trouvere_searcher_open(nowhere.c_str(), &missing, error.out()) ==
          TROUVERE_ERROR_DATABASE);
    CHECK(error.code() == TROUVERE_ERROR_DATABASE);
    CHECK_THAT(error.message(), Catch::Contains(nowhere));
    CHECK(missing == nullptr);

    // Nothing to search for, a malformed date in the query and in an option.
    for (const char* query : {"", "-", "((", "Mali date:2024-13"}) {
        INFO(query);
        CHECK(trouvere_searcher_search(searcher.get(), query, nullptr, &results, error.out()) ==
              TROUVERE_ERROR_QUERY);
        CHECK(error.code() == TROUVERE_ERROR_QUERY);
        CHECK(trouvere_searcher_explain(searcher.get(), query, nullptr, &json, error.out()) ==
              TROUVERE_ERROR_QUERY);
    }
    CHECK(trouvere_searcher_search(searcher.get(), "Mali date:2024-13", nullptr, &results,
                                   error.out()) == TROUVERE_ERROR_QUERY);
    CHECK(error.message() == "malformed date 'date:2024-13': there is no month 13");
    Options options = new_options();
    require_ok(trouvere_search_options_set_since(options.get(), "2024-13", error.out()), error);
    CHECK(trouvere_searcher_search(searcher.get(), "Mali", options.get(), &results, error.out()) ==
          TROUVERE_ERROR_QUERY);
    CHECK(error.message() == "malformed date 'since 2024-13': there is no month 13");
    CHECK(results == nullptr);
    CHECK(json == nullptr);

    // A database without its native index, which the native engine is asked for.
    const std::string bare = (dir.path() / "bare").string();
    Writer writer = open_writer(bare);
    Document document = new_document("d");
    require_ok(trouvere_writer_add_or_replace(writer.get(), document.get(), error.out()), error);
    require_ok(trouvere_writer_commit(writer.get(), error.out()), error);
    Searcher bare_searcher = open_searcher(bare);
    require_ok(
        trouvere_search_options_set_engine(options.get(), TROUVERE_ENGINE_NATIVE, error.out()),
        error);
    require_ok(trouvere_search_options_set_since(options.get(), nullptr, error.out()), error);
    CHECK(trouvere_searcher_search(bare_searcher.get(), "Mali", options.get(), &results,
                                   error.out()) == TROUVERE_ERROR_DATABASE);
    CHECK_THAT(error.message(), Catch::Contains("trouvere.native"));

    // Documents the writer refuses.
    Document no_id = new_document("");
    CHECK(trouvere_writer_add_or_replace(writer.get(), no_id.get(), error.out()) ==
          TROUVERE_ERROR_DOCUMENT);
    CHECK(error.message() == "document has an empty id");
    set_field(document.get(), TROUVERE_FIELD_DATE, "2024-02-30");
    CHECK(trouvere_writer_add_or_replace(writer.get(), document.get(), error.out()) ==
          TROUVERE_ERROR_DOCUMENT);
    CHECK(error.code() == TROUVERE_ERROR_DOCUMENT);

    // The database is locked by `writer`.
    trouvere_writer* second = nullptr;
    CHECK(trouvere_writer_open(bare.c_str(), 1, 0, &second, error.out()) ==
          TROUVERE_ERROR_DATABASE);
    CHECK_THAT(error.message(), Catch::StartsWith("database is locked by process"));
    CHECK(second == nullptr);

    // A path to index that does not exist.
    const char* paths[] = {nowhere.c_str()};
    trouvere_index_report* report = nullptr;
    CHECK(trouvere_index_paths(writer.get(), paths, 1, 0, 0, &report, error.out()) ==
          TROUVERE_ERROR_OTHER);
    CHECK_THAT(error.message(), Catch::Contains(nowhere));
    CHECK(report == nullptr);
}

TEST_CASE(
    "C: a cluster with a shard missing fails the search as a database error, or answers from the "
    "others with a warning when partial answers are allowed",
    "[capi][search]") {
    CorpusDatabase db;
    TempDir dir;
    const std::string cluster =
        trouvere::testing::write_cluster_file(dir.path() / "cluster.stub",
                                              {"auto " + db.path, "auto missing-shard"})
            .string();
    Searcher whole = open_searcher(db.path);
    Searcher searcher = open_searcher(cluster);
    const std::string missing = "shard 'auto missing-shard' cannot be opened";
    ErrorSlot error;
    trouvere_results* failed = nullptr;
    CHECK(trouvere_searcher_search(searcher.get(), "Mali", nullptr, &failed, error.out()) ==
          TROUVERE_ERROR_DATABASE);
    CHECK_THAT(error.message(), Catch::StartsWith("cluster " + cluster + ": " + missing));
    CHECK(failed == nullptr);

    Options options = new_options();
    require_ok(trouvere_search_options_set_allow_partial(options.get(), 1, error.out()), error);
    Results partial = search(searcher.get(), "Mali", options.get());
    Results expected = search(whole.get(), "Mali");
    CHECK(trouvere_results_total_estimate(partial.get()) ==
          trouvere_results_total_estimate(expected.get()));
    REQUIRE(trouvere_results_hit_count(partial.get()) ==
            trouvere_results_hit_count(expected.get()));
    for (std::size_t k = 0; k < trouvere_results_hit_count(partial.get()); ++k) {
        CHECK(std::string(
                  trouvere_hit_field(trouvere_results_hit(partial.get(), k), TROUVERE_FIELD_ID)) ==
              trouvere_hit_field(trouvere_results_hit(expected.get(), k), TROUVERE_FIELD_ID));
    }
    REQUIRE(trouvere_results_warning_count(partial.get()) == 1);
    CHECK_THAT(trouvere_results_warning(partial.get(), 0),
               Catch::StartsWith("answered without " + missing) &&
                   Catch::EndsWith("; its documents are missing"));

    require_ok(trouvere_search_options_set_allow_partial(options.get(), 0, error.out()), error);
    CHECK(trouvere_searcher_search(searcher.get(), "Mali", options.get(), &failed, error.out()) ==
          TROUVERE_ERROR_DATABASE);
}

TEST_CASE("C: each exception becomes its status, running out of memory included",
          "[capi][errors]") {
    struct Case {
        std::function<void()> body;
        trouvere_status code;
        const char* message;
    };
    const Case cases[] = {
        {[] { throw trouvere::capi::UsageError("x is NULL"); }, TROUVERE_ERROR_USAGE,
         "f: x is NULL"},
        {[] { throw trouvere::QueryError("q"); }, TROUVERE_ERROR_QUERY, "q"},
        {[] { throw trouvere::DocumentError("d"); }, TROUVERE_ERROR_DOCUMENT, "d"},
        {[] { throw trouvere::DatabaseError("b"); }, TROUVERE_ERROR_DATABASE, "b"},
        {[] { throw trouvere::Error("e"); }, TROUVERE_ERROR_OTHER, "e"},
        {[] { throw std::bad_alloc(); }, TROUVERE_ERROR_OUT_OF_MEMORY, "out of memory"},
        {[] { throw std::length_error("l"); }, TROUVERE_ERROR_OTHER, "l"},
        {[] { throw 42; }, TROUVERE_ERROR_OTHER, "f: an exception of unknown type"},
        {[] {}, TROUVERE_OK, ""},
    };
    for (const Case& c : cases) {
        INFO(c.message);
        ErrorSlot error;
        CHECK(trouvere::capi::guarded("f", error.out(), c.body) == c.code);
        CHECK(error.code() == c.code);
        CHECK(error.message() == c.message);
        CHECK(trouvere::capi::guarded("f", nullptr, c.body) == c.code);
    }
    // Memory running out is reported without allocating: the error object is shared, and
    // releasing it leaves it to the next failure.
    ErrorSlot error;
    CHECK(trouvere::capi::guarded("f", error.out(), [] { throw std::bad_alloc(); }) ==
          TROUVERE_ERROR_OUT_OF_MEMORY);
    CHECK(error.get() == trouvere::capi::out_of_memory_error());
}
