#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/stored_document.h"
#include "native/spelling_dictionary.h"
#include "searcher/term_query.h"

namespace trouvere::searcher {

/// The seam between the searcher's engine-neutral half (query parsing and analysis, snippets,
/// hits) and an engine that finds and ranks the documents a TermQuery matches and reads what the
/// database stores about them. Every engine answers from one state of the database, the one it
/// opened or last moved to, and gives the same answers as Xapian's BM25 on that state.
class MatchEngine {
public:
    /// A document as the engine numbers it, valid in the engine's current state only.
    using DocumentNumber = std::uint32_t;

    struct Match {
        DocumentNumber document = 0;
        double score = 0;
    };

    /// How matches are ranked. Under a date order undated documents come last, and documents of
    /// the same day (or both undated) rank by score.
    enum class Order { relevance, newest, oldest };

    /// What to find of a query's matches.
    struct Request {
        std::size_t offset = 0;
        std::size_t limit = 10;
        /// Matches are counted one by one until this many are; past that, an engine may leave
        /// out the documents that cannot rank before offset + limit, and estimate the count.
        /// Under a date order, or when counting by year or source, every match is counted.
        std::size_t count_at_least = 1000;
        Order order = Order::relevance;
        /// Count the matches of each year (from the date) and of each source; undated
        /// documents and documents without a source are not counted.
        bool count_years = false;
        bool count_sources = false;
    };

    /// How many matches have one value (a year, `2024`, or a source).
    struct ValueCount {
        std::string value;
        std::size_t count = 0;
        bool operator==(const ValueCount&) const = default;
    };

    struct Matches {
        /// The matches ranked offset to offset + limit in the requested order; equal scores in
        /// document order.
        std::vector<Match> ranked;
        /// An estimate of the number of matching documents, and a bound it cannot exceed.
        std::size_t estimate = 0;
        std::size_t upper_bound = 0;
        /// Whether the estimate is the number of matching documents, counted.
        bool exact = false;
        /// When requested, each year and each source with matches, once, in no given order.
        std::vector<ValueCount> years;
        std::vector<ValueCount> sources;
    };

    /// A committed state of the database: its UUID (a new database, a first build's swap
    /// included, has a new one) and the revision of the commit.
    struct State {
        std::string uuid;
        std::uint64_t revision = 0;
        bool operator==(const State&) const = default;
    };

    /// Thrown when writes made since the engine's state was opened have overwritten what it was
    /// reading: the caller moves the engine to the latest state and asks again.
    class StateOverwritten : public std::runtime_error {
    public:
        using std::runtime_error::runtime_error;
    };

    /// Thrown when a part of the database (a shard of a cluster) stopped answering during a
    /// call; unreachable_parts() now names it, and the caller may ask again without it.
    class PartLost : public std::runtime_error {
    public:
        using std::runtime_error::runtime_error;
    };

    MatchEngine() = default;
    virtual ~MatchEngine() = default;
    MatchEngine(const MatchEngine&) = delete;
    MatchEngine& operator=(const MatchEngine&) = delete;
    MatchEngine(MatchEngine&&) = delete;
    MatchEngine& operator=(MatchEngine&&) = delete;

    // Each call below throws StateOverwritten and PartLost as above, and DatabaseError naming
    // the database for any other failure to read it.

    /// The documents `query` matches, ranked by BM25 or by date as `request` says.
    [[nodiscard]] virtual Matches match(const TermQuery& query, const Request& request) = 0;
    /// The stored header of a document (stored::encode_header): every field but the body. The
    /// bytes are viewed where the engine keeps them, or copied into `buffer`: valid while the
    /// engine and `buffer` are unchanged.
    [[nodiscard]] virtual std::string_view header(DocumentNumber document, std::string& buffer) = 0;
    /// The stored full record of a document (stored::encode_full_record), or empty; as header().
    [[nodiscard]] virtual std::string_view full_record(DocumentNumber document,
                                                       std::string& buffer) = 0;
    /// How the bodies of the full records read here are to be checked.
    [[nodiscard]] virtual stored::BodyCheck body_check() const = 0;
    /// The positions of `term` in each of `documents` (ascending, no repeats): one list per
    /// document, in their order, each ascending, empty where the document does not hold the term.
    [[nodiscard]] virtual std::vector<std::vector<std::uint32_t>> positions(
        const std::string& term, std::span<const DocumentNumber> documents) = 0;
    /// Whether positions() costs little enough to find a page's matched words with; when not
    /// (shards read over the network: a round trip per term and hit), they are found by analysing
    /// the hit's stored body, which gives the same words.
    [[nodiscard]] virtual bool reads_positions_cheaply() const { return true; }
    /// The number of documents that hold `term`; 0 when none does.
    [[nodiscard]] virtual std::uint32_t frequency(const std::string& term) = 0;
    /// The spelling dictionary of the surface words of the engine's state
    /// (native::dictionary_of_index_words), made on the first call and kept, valid until the
    /// engine moves to another state.
    [[nodiscard]] virtual const native::SpellingDictionary& spelling_dictionary() = 0;
    [[nodiscard]] virtual std::size_t document_count() const = 0;
    /// The state this engine answers from.
    [[nodiscard]] virtual State state() = 0;
    /// Moves to the latest committed state of the database (and, for a cluster, reconnects the
    /// shards that did not answer).
    virtual void move_to_latest() = 0;
    /// The parts of the database that cannot answer now, each named with why (`shard 'remote
    /// 10.0.0.7:7001' does not answer: …`); empty when every part answers, as a database in a
    /// folder always does. Tries again, from time to time, to reach those that did not answer.
    [[nodiscard]] virtual std::vector<std::string> unreachable_parts() { return {}; }
};

}  // namespace trouvere::searcher
