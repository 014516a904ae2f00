#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/document.h"
#include "trouvere/export.h"
#include "trouvere/query.h"
#include "trouvere/snippet.h"

namespace trouvere {

/// Which index answers a search. Both give the same hits in the same order, with the same
/// scores and snippets; the native index answers faster.
enum class SearchEngine {
    /// The native index when it was built from the database state the Searcher has open, else
    /// Xapian: a warning in SearchResults::warnings says so when the native index is damaged or
    /// of another version (not when it is missing or older, as between a commit and the end of
    /// the search-index run that made it).
    automatic,
    /// Xapian's matcher over the database.
    xapian,
    /// trouvere's own index, `<database>/trouvere.native`; the search throws DatabaseError saying
    /// why when it is missing, older than the database state, damaged or of another version.
    native,
};

/// How hits are ordered. Under a date order, undated documents come last and documents of the
/// same day rank by relevance.
enum class SortOrder { relevance, newest, oldest };

/// What the matches of a query can be counted by (SearchOptions::facets).
enum class Facet {
    year,    ///< the year of the document's date; undated documents are not counted
    source,  ///< the source as indexed; documents without one are not counted
};

/// `year` or `source`.
[[nodiscard]] TROUVERE_EXPORT std::string_view facet_name(Facet facet);
/// The facet of that name (facet_name), or nullopt.
[[nodiscard]] TROUVERE_EXPORT std::optional<Facet> facet_named(std::string_view name);

/// `auto`, `native` or `xapian`, as search --engine and the server's `engine` parameter take them;
/// the last two are also the names SearchResults::engine gives the index that answered.
[[nodiscard]] TROUVERE_EXPORT std::string_view search_engine_name(SearchEngine engine);

struct SearchOptions {
    std::size_t limit = 10;
    std::size_t offset = 0;
    bool snippets = true;
    /// Approximate length of a snippet, in characters.
    std::size_t snippet_chars = 200;
    SearchEngine engine = SearchEngine::automatic;
    /// Matches are counted one by one until this many are; past that, the native engine leaves
    /// out the documents that cannot rank in the page, and total_estimate is an estimate.
    /// SIZE_MAX counts every match (slower for frequent words).
    std::size_t count_at_least = 1000;
    /// Only documents dated from `since` on and up to `until`, both included, each a year
    /// (`2024`), a month (`2024-07`) or a day (`2024-07-04`) covering its whole period, as the
    /// query syntax's `date:` takes them; empty for no bound. Undated documents never pass a
    /// bound. A malformed date is a QueryError.
    std::string since;
    std::string until;
    /// Only documents whose source is this one, byte for byte as stored (as the `source` facet
    /// gives it); empty for any source. Documents without a source never pass.
    std::string source;
    SortOrder sort = SortOrder::relevance;
    /// Count every match (not only the page) by each of these, into SearchResults::facets.
    /// Under a date order or with facets, every match is counted, and the total is exact.
    std::vector<Facet> facets;
    /// For a cluster of shards: when some shards do not answer, answer from the others, with a
    /// warning naming each shard missing, rather than throw DatabaseError naming them.
    bool allow_partial = false;
};

/// Sets the option of `options` that `name` names from its text, `value`: the one reading of
/// the options that `search` takes on its command line (`--limit 5`, `--snippet-chars 80`) and
/// the server in its URLs (`limit=5`, `snippet_chars=80`), so that both take the same values.
///
/// | name            | takes                                                               |
/// |-----------------|---------------------------------------------------------------------|
/// | `limit`         | a whole number from 1 to kMaxSearchLimit                            |
/// | `offset`        | a whole number                                                      |
/// | `snippet_chars` | a whole number from kMinSnippetChars to kMaxSnippetChars            |
/// | `sort`          | `relevance`, `newest` or `oldest`                                   |
/// | `engine`        | `auto`, `native` or `xapian` (search_engine_name)                   |
/// | `since`,`until` | kept as given; search() refuses a malformed date                    |
/// | `source`        | kept as given                                                       |
/// | `facets`        | `year` and `source`, comma-separated; a repeated one counts once    |
/// | `allow_partial` | `true` or `false` (`1` or `0`)                                      |
///
/// Throws QueryError when no option has that name or the value is not one it takes; the message
/// says what the option takes and quotes the value, but leaves the name out, for the caller to
/// spell it as its users do (`--snippet-chars`, `snippet_chars`).
TROUVERE_EXPORT void set_search_option(SearchOptions& options, std::string_view name,
                                       std::string_view value);

/// The most hits set_search_option takes for a page: a program wanting more pages through them.
inline constexpr std::size_t kMaxSearchLimit = 100'000;
/// Snippet lengths set_search_option takes: shorter than kMinSnippetChars cannot show a word in
/// its context, and kMaxSnippetChars is a tenth of the longest body indexed.
inline constexpr std::size_t kMinSnippetChars = 20;
inline constexpr std::size_t kMaxSnippetChars = 100'000;

struct FacetValue {
    std::string value;
    std::size_t count = 0;
    bool operator==(const FacetValue&) const = default;
};

/// The matches counted by one facet: each value with its count, most frequent first, equal
/// counts in byte order of the value.
struct FacetCounts {
    Facet facet = Facet::year;
    std::vector<FacetValue> values;
    bool operator==(const FacetCounts&) const = default;
};

struct Hit {
    /// 1-based rank in the whole result list (offset included).
    std::size_t rank = 0;
    std::string id;
    std::string title;
    double score = 0;
    std::string date;
    std::string source;
    std::string url;
    std::string path;
    Snippet snippet;
};

struct SearchResults {
    std::string query;
    /// Which index answered: "native" or "xapian".
    std::string engine;
    /// The number of matching documents when total_exact, else an estimate of it. Xapian
    /// counts every match; the native engine counts SearchOptions::count_at_least of them,
    /// then only those it must look at to rank the page.
    std::size_t total_estimate = 0;
    bool total_exact = false;
    /// No document had all the free words, so documents with any of them were returned.
    bool fell_back_to_any_word = false;
    /// "Did you mean": the query with its misspelt words corrected, when some word of it is in
    /// no document and the query matched nothing, matched only by falling back to any word, or
    /// that word alone matches nothing, and the corrected query matches documents with all its
    /// free words. A word a document has is never corrected, and accents count: `securite` is
    /// not corrected when documents have `sécurité`, and `sécurté` becomes `sécurité`. Only the
    /// corrected words change: the rest is the query as typed (for a query tree built in code,
    /// the corrected tree as to_string(const QueryNode&) renders it). Both engines give the
    /// same. The native index holds the index's words ready; from Xapian, the first query
    /// needing them reads every word of the index, and the Searcher keeps them until it moves
    /// to another state of the database.
    std::optional<std::string> suggestion;
    /// Repairs made to a malformed query, and damaged stored records met, to show the user.
    std::vector<std::string> warnings;
    std::vector<Hit> hits;
    /// The facets asked for, in the order asked.
    std::vector<FacetCounts> facets;
};

/// How a query is read: what search --explain prints.
struct QueryExplanation {
    /// The parsed tree, as to_string(const QueryNode&) renders it.
    std::string tree;
    /// What each word of the query became, in query order.
    struct Word {
        std::string text;
        /// The folded stem, the term that matches (`arme` for `armées`).
        std::string stem;
        /// The stem with accents, which ranks the documents spelling the word as typed first;
        /// empty when the word has no accent.
        std::string accented_stem;
        /// The word as typed, folded (or with its accents when typed with them): documents
        /// holding it rank above those holding only other words of its stem. Empty for a word
        /// of a phrase, a `title:` word and a stopword, which have no such boost.
        std::string exact;
        /// Left out of free words when other words are there (not of phrases).
        bool stopword = false;
    };
    std::vector<Word> words;
    /// The date filters of the query, then the options', as `2024-01-01..2024-06-30`, an open
    /// end left empty (`2024-06-01..`), an excluded range after `not `; then the options' source,
    /// as `source: Le Monde`.
    std::vector<std::string> filters;
    /// The query over the index's terms that the engine evaluates first (all free words
    /// required), in a compact prefix notation: `(and_maybe arme Aarmé)`.
    std::string matching;
    /// "native" or "xapian", the index that answers.
    std::string engine;
    /// Why, when the native index is not the one answering.
    std::string engine_reason;
    std::vector<std::string> warnings;
};

/// Answers queries over a trouvere database. Opening is cheap; keep one Searcher per thread
/// (not thread-safe). It sees the database as of opening; reopen() to see later commits.
/// A writer may work meanwhile: every answer comes from one committed state of the database.
///
/// Answers come from the native index beside the database (`<path>/trouvere.native`, which
/// search-index and IndexWriter::update_native_index() build) when it was built from the state
/// the Searcher has open, else from Xapian (SearchEngine says how to choose). A Searcher keeps
/// the native index it opened until reopen(), even once a newer one replaces its file.
class TROUVERE_EXPORT Searcher {
public:
    /// Throws DatabaseError naming `path` if it is missing or not a trouvere database.
    explicit Searcher(const std::string& path);
    ~Searcher();
    Searcher(Searcher&& other) noexcept;
    Searcher& operator=(Searcher&& other) noexcept;
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// Ranked results (BM25; ties in index order). When commits made meanwhile have overwritten
    /// the state being read, moves to the latest one and starts again (a few times at most).
    /// Throws QueryError when the query has nothing to search for or is over the limits (10,000
    /// bytes, 1024 words after analysis; README, "Limits"), DatabaseError when the database fails
    /// or when SearchEngine::native is asked for and the native index cannot answer.
    [[nodiscard]] SearchResults search(std::string_view query, const SearchOptions& options = {});

    /// As search(), for a query tree built in code rather than parsed (its `text`s are analysed
    /// as typed words are); SearchResults::query is to_string(query).
    [[nodiscard]] SearchResults search(const QueryNode& query, const SearchOptions& options = {});

    /// How `query` is read and answered, without searching: search --explain. Throws as
    /// search() does for a query it would refuse.
    [[nodiscard]] QueryExplanation explain(std::string_view query,
                                           const SearchOptions& options = {});

    /// The stored document with this id, body included, or nullopt when there is none. Throws
    /// DatabaseError when its stored record is damaged or the database fails.
    [[nodiscard]] std::optional<Document> document(std::string_view id);

    /// Moves to the latest committed state of the database, opening the new folder when a first
    /// build has replaced the one this Searcher had open.
    void reopen();

    [[nodiscard]] std::size_t document_count() const;

    /// The revision of the committed state this Searcher answers from: Xapian's count of the
    /// database's commits, which every commit raises and reopen() follows. A first build puts a
    /// new database in place, whose count starts again.
    [[nodiscard]] std::uint64_t revision() const;

    /// The index that answers a search with SearchEngine::automatic: SearchEngine::native when
    /// the native index was built from the state this Searcher has open (and has shown no
    /// damage), else SearchEngine::xapian.
    [[nodiscard]] SearchEngine automatic_engine() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// `results` as one line of JSON (without a newline), the format of `search --json`: `query`,
/// `engine`, `total_estimate`, `total_exact`, `fell_back_to_any_word`, `suggestion` (null when
/// none), `warnings`, then `hits`, each with `rank`, `id`, `title`, `score`, `date`, `source`,
/// `url`, `path` (null when unknown) and `snippet` (to_html), then `facets`, an object with a
/// member per facet asked for, by name, each an array of `{"value": …, "count": …}`. Every control
/// character is escaped, DEL and C1 included, so that a program printing a field to a terminal
/// cannot pass one on; text is otherwise as indexed.
[[nodiscard]] TROUVERE_EXPORT std::string to_json(const SearchResults& results);

/// `document` as one line of JSON, escaped as to_json(const SearchResults&) escapes: `id`,
/// `title`, `body`, then `date`, `source`, `url` and `path`, each null when unknown.
[[nodiscard]] TROUVERE_EXPORT std::string to_json(const Document& document);

/// `explanation` as one line of JSON: `tree`, `words` (each with `text`, `stem`,
/// `accented_stem` (null when none) and `stopword`), `filters`, `matching`, `engine`,
/// `engine_reason` (null when none) and `warnings`.
[[nodiscard]] TROUVERE_EXPORT std::string to_json(const QueryExplanation& explanation);

}  // namespace trouvere
