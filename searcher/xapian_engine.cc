#include "searcher/xapian_engine.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "core/xapian_errors.h"
#include "native/word_terms.h"
#include "searcher/cluster.h"
#include "trouvere/error.h"

namespace trouvere::searcher {

namespace {

// How many times opening is tried while first builds keep swapping the folder in.
constexpr int kOpenAttempts = 5;

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

Xapian::Query::op xapian_op(TermQuery::Op op) {
    switch (op) {
        case TermQuery::Op::all: return Xapian::Query::OP_AND;
        case TermQuery::Op::any: return Xapian::Query::OP_OR;
        case TermQuery::Op::phrase: return Xapian::Query::OP_PHRASE;
        case TermQuery::Op::and_maybe: return Xapian::Query::OP_AND_MAYBE;
        case TermQuery::Op::and_not: return Xapian::Query::OP_AND_NOT;
        case TermQuery::Op::nothing:
        case TermQuery::Op::everything:
        case TermQuery::Op::term:
        case TermQuery::Op::dated:
        case TermQuery::Op::sourced: break;
    }
    return Xapian::Query::OP_INVALID;
}

// The counts of `dates`, a spy on the date slot, added up by year.
std::vector<MatchEngine::ValueCount> years_of(const Xapian::ValueCountMatchSpy& dates) {
    std::vector<MatchEngine::ValueCount> years;
    for (auto value = dates.values_begin(); value != dates.values_end(); ++value) {
        // Values come in ascending order, so a year's days are together.
        const std::string year = (*value).substr(0, 4);
        if (years.empty() || years.back().value != year) years.push_back({year, 0});
        years.back().count += value.get_termfreq();
    }
    return years;
}

// The date ranges and sources that every match of a query must be in, taken out of it. Xapian
// 1.4.22 scores some phrases under an OR as if they occurred once a value range sits beside them
// in an AND (the OR, advanced with a minimum weight, turns into an AND_MAYBE that does not check
// the phrase on its optional side); a filter applied as a match decider leaves the tree, and its
// scores, as without it.
class ValueFilters final : public Xapian::MatchDecider {
public:
    // `query` without the filters found down its chain of ANDs and required sides of AND_NOTs,
    // which every match must satisfy; those are kept here.
    TermQuery take_from(const TermQuery& query) {
        switch (query.op) {
            case TermQuery::Op::dated:
            case TermQuery::Op::sourced: filters_.push_back(query); return match_everything();
            case TermQuery::Op::all: {
                std::vector<TermQuery> rest;
                for (const TermQuery& part : query.parts) {
                    if (is_filter(part)) {
                        filters_.push_back(part);
                    } else {
                        rest.push_back(take_from(part));
                    }
                }
                return rest.empty() ? match_everything() : all_of(std::move(rest));
            }
            case TermQuery::Op::and_not: return and_not(take_from(query.parts[0]), query.parts[1]);
            default: return query;
        }
    }
    [[nodiscard]] bool empty() const { return filters_.empty(); }

    // `query` filtered by these filters and `more` in the query itself, for a cluster: Xapian's
    // remote backend runs no match decider.
    [[nodiscard]] Xapian::Query filtering(const Xapian::Query& query,
                                          std::vector<Xapian::Query> more = {}) const {
        for (const TermQuery& filter : filters_) more.push_back(to_xapian_query(filter));
        if (more.empty()) return query;
        return {Xapian::Query::OP_FILTER, query,
                Xapian::Query(Xapian::Query::OP_AND, more.begin(), more.end())};
    }

    bool operator()(const Xapian::Document& document) const override {
        return std::all_of(filters_.begin(), filters_.end(), [&](const TermQuery& filter) {
            if (filter.op == TermQuery::Op::sourced) {
                return document.get_value(scheme::kSourceSlot) == filter.term;
            }
            const auto day = dates::parse_iso_day(document.get_value(scheme::kDateSlot));
            return day && *day >= filter.first_day && *day <= filter.last_day;
        });
    }

private:
    static bool is_filter(const TermQuery& query) {
        return query.op == TermQuery::Op::dated || query.op == TermQuery::Op::sourced;
    }

    std::vector<TermQuery> filters_;
};

// The documents of the items of `mset` from `first` to before `end`, fetched together: over the
// remote backend, one request per document sent before any reply is awaited, rather than a round
// trip each.
std::vector<std::pair<Xapian::docid, Xapian::Document>> documents_of(const Xapian::MSet& mset,
                                                                     Xapian::doccount first,
                                                                     Xapian::doccount end) {
    std::vector<std::pair<Xapian::docid, Xapian::Document>> documents;
    if (first >= end) return documents;
    mset.fetch(mset[first], mset[end - 1]);
    documents.reserve(end - first);
    for (Xapian::doccount k = first; k < end; ++k) {
        documents.emplace_back(*mset[k], mset[k].get_document());
    }
    return documents;
}

Xapian::MSetIterator item_at(const Xapian::MSet& mset, std::size_t k) {
    return mset[static_cast<Xapian::doccount>(k)];
}

// Whether two items of a match set rank alike: the same score, and under a date order the same
// day.
bool tied(const Xapian::MSetIterator& a, const Xapian::MSetIterator& b) {
    return a.get_sort_key() == b.get_sort_key() && a.get_weight() == b.get_weight();
}

// Where the run of ties holding `mset`'s item `k` starts.
std::size_t start_of_run(const Xapian::MSet& mset, std::size_t k) {
    std::size_t start = k;
    while (start > 0 && tied(item_at(mset, start - 1), item_at(mset, k))) --start;
    return start;
}

// Past the end of the run of ties holding `mset`'s item `k` (its size when the run reaches it).
std::size_t end_of_run(const Xapian::MSet& mset, std::size_t k) {
    std::size_t end = k + 1;
    while (end < mset.size() && tied(item_at(mset, k), item_at(mset, end))) ++end;
    return end;
}

class XapianEngine final : public MatchEngine {
public:
    explicit XapianEngine(std::string path) : path_(std::move(path)) {}

    void open() {
        if (is_cluster_file(path_)) {
            open_cluster();
            return;
        }
        std::error_code error;
        if (!std::filesystem::exists(path_, error)) {
            throw DatabaseError("no database at " + path_ +
                                " (build one with: search-index FOLDER)");
        }
        try {
            open_current();
        } catch (const Xapian::Error& xapian_error) {
            throw DatabaseError("cannot open database " + path_ + ": " +
                                xapian_error.get_description());
        }
        if (db_.get_metadata(std::string(scheme::kSchemeKey)) != scheme::kSchemeVersion) {
            throw DatabaseError("database " + path_ +
                                " was not written by this version of trouvere; index again");
        }
    }

    // Counts every match, whatever `count_at_least` allows.
    Matches match(const TermQuery& query, const Request& request) override {
        return guarded([&] {
            if (cluster()) return match_in_cluster(query, request);
            Xapian::Enquire enquire(db_);
            enquire.set_weighting_scheme(Xapian::BM25Weight());
            ValueFilters filters;
            enquire.set_query(to_xapian_query(filters.take_from(query)));
            // Undated documents have no value: the default key puts them after every date.
            Xapian::MultiValueKeyMaker by_date;
            if (request.order == Order::newest) {
                by_date.add_value(scheme::kDateSlot);
                enquire.set_sort_by_key_then_relevance(&by_date, true);
            } else if (request.order == Order::oldest) {
                by_date.add_value(scheme::kDateSlot, false, "\xff");
                enquire.set_sort_by_key_then_relevance(&by_date, false);
            }
            Spies spies(request);
            spies.watch(enquire);
            // Every match is checked: Xapian 1.4.22's pruning by weight can leave out of the top
            // k a document that scores above some it returns (`(a OR b) c`, `"a b" OR c` on
            // some databases; tests/native_differential_test.cc found them), and it prunes only
            // once this many documents have been checked. The count, and the spies' counts, are
            // then exact.
            Xapian::MSet mset =
                enquire.get_mset(within_database(request.offset), within_database(request.limit),
                                 db_.get_doccount(), nullptr, filters.empty() ? nullptr : &filters);
            Matches matches;
            matches.exact = true;
            add_counts(mset, matches);
            matches.ranked.reserve(mset.size());
            for (auto item = mset.begin(); item != mset.end(); ++item) {
                matches.ranked.push_back({*item, item.get_weight()});
            }
            spies.count_into(matches);
            return matches;
        });
    }

    std::string_view header(DocumentNumber document, std::string& buffer) override {
        buffer = guarded([&] { return stored_document(document).get_value(scheme::kHeaderSlot); });
        return buffer;
    }

    std::string_view full_record(DocumentNumber document, std::string& buffer) override {
        buffer =
            guarded([&] { return stored_document(document).get_value(scheme::kFullRecordSlot); });
        return buffer;
    }

    // Xapian keeps no checksums of its own.
    [[nodiscard]] stored::BodyCheck body_check() const override {
        return stored::BodyCheck::own_checksum;
    }

    std::vector<std::vector<std::uint32_t>> positions(
        const std::string& term, std::span<const DocumentNumber> documents) override {
        return guarded([&] {
            std::vector<std::vector<std::uint32_t>> found(documents.size());
            for (std::size_t k = 0; k < documents.size(); ++k) {
                for (auto position = db_.positionlist_begin(documents[k], term);
                     position != db_.positionlist_end(documents[k], term); ++position) {
                    found[k].push_back(*position);
                }
            }
            return found;
        });
    }

    // Over the remote backend, a position list costs a round trip per term and document.
    [[nodiscard]] bool reads_positions_cheaply() const override { return !cluster(); }

    std::uint32_t frequency(const std::string& term) override {
        return guarded([&] { return db_.get_termfreq(term); });
    }

    // Read again once the database has moved to another state.
    const native::SpellingDictionary& spelling_dictionary() override {
        return guarded([&]() -> const native::SpellingDictionary& {
            State now = current_state();
            if (!spelling_ || spelling_->first != now) {
                spelling_.emplace(std::move(now), read_spelling_dictionary());
            }
            return spelling_->second;
        });
    }

    [[nodiscard]] std::size_t document_count() const override { return db_.get_doccount(); }

    State state() override {
        return guarded([&] { return current_state(); });
    }

    void move_to_latest() override {
        guarded([&] {
            if (cluster()) {
                fetched_.clear();
                db_.reopen();
                take_replaced_shards();
                reconnect_when_due();
                return;
            }
            if (identity_of(path_) == folder_) {
                db_.reopen();
                // A swap during reopen() may have paired files of two databases.
                if (identity_of(path_) == folder_) return;
            }
            open_current();
        });
    }

    std::vector<std::string> unreachable_parts() override {
        if (!cluster()) return {};
        reconnect_when_due();
        std::vector<std::string> missing;
        for (const Shard& shard : shards_) {
            if (!shard.database)
                missing.push_back("shard '" + shard.address.name + "' " + shard.trouble);
        }
        return missing;
    }

private:
    // The counts by year and by source that a request asks for, of every match an Enquire sees.
    class Spies {
    public:
        explicit Spies(const Request& request)
            : years_(request.count_years), sources_asked_(request.count_sources) {}

        // Counts the matches of `enquire`'s next get_mset() too; the counts add up.
        void watch(Xapian::Enquire& enquire) {
            if (years_) enquire.add_matchspy(&dates_);
            if (sources_asked_) enquire.add_matchspy(&sources_);
        }

        void count_into(Matches& matches) const {
            if (years_) matches.years = years_of(dates_);
            if (sources_asked_) {
                for (auto value = sources_.values_begin(); value != sources_.values_end();
                     ++value) {
                    matches.sources.push_back({*value, value.get_termfreq()});
                }
            }
        }

    private:
        Xapian::ValueCountMatchSpy dates_{scheme::kDateSlot};
        Xapian::ValueCountMatchSpy sources_{scheme::kSourceSlot};
        bool years_ = false;
        bool sources_asked_ = false;
    };

    // Xapian counts documents in 32 bits: an offset or a limit past the database's size means the
    // same as its size, and must not wrap round to a small number.
    [[nodiscard]] Xapian::doccount within_database(std::size_t count) const {
        return static_cast<Xapian::doccount>(std::min<std::size_t>(count, db_.get_doccount()));
    }

    // `mset`'s counts added to those of `matches`, exact while every one added is.
    static void add_counts(const Xapian::MSet& mset, Matches& matches) {
        matches.estimate += mset.get_matches_estimated();
        matches.upper_bound += mset.get_matches_upper_bound();
        matches.exact =
            matches.exact && mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    }

    // A match over a cluster. Xapian's remote backend runs neither a match decider nor a key
    // maker: the date ranges and the source are in the query, and a date order sorts by the date
    // slot's value. Documents of equal score (and day) come in docid order from Xapian, and a
    // cluster's docids interleave its shards': the stored header, which starts with the id, orders
    // them instead, as it would however the documents were spread.
    Matches match_in_cluster(const TermQuery& query, const Request& request) {
        // Xapian refuses to match over no database at all, as when no shard answers.
        if (shards_open_ == 0) return {.exact = true};
        ValueFilters filters;
        const Xapian::Query unfiltered = to_xapian_query(filters.take_from(query));
        const Xapian::Query matching = filters.filtering(unfiltered);
        // Under the oldest first, undated documents come last: they are asked for apart, since
        // their empty value sorts first.
        const Xapian::Query dated(Xapian::Query::OP_VALUE_GE, scheme::kDateSlot, "0");
        std::vector<std::pair<Xapian::Query, bool>> parts;  // a query, and whether by date
        if (request.order == Order::relevance) {
            parts.emplace_back(matching, false);
        } else if (request.order == Order::newest) {
            parts.emplace_back(matching, true);
        } else {
            parts.emplace_back(filters.filtering(unfiltered, {dated}), true);
            parts.emplace_back(Xapian::Query(Xapian::Query::OP_AND_NOT, matching, dated), false);
        }
        Matches matches;
        matches.exact = true;
        Spies spies(request);
        if (request.count_years || request.count_sources) {
            // Asked for documents, Xapian 1.4.22's remote backend counts a few matches twice in
            // the spies (more the more documents it is asked for; seen with phrases and with
            // sorts by value): they count in a pass of their own, which asks for none.
            Xapian::Enquire counting(db_);
            counting.set_query(matching);
            spies.watch(counting);
            (void)counting.get_mset(0, 0, db_.get_doccount());
        }
        std::vector<std::pair<Xapian::docid, Xapian::Document>> documents;
        const std::size_t page_end = request.offset + request.limit;
        std::size_t before = 0;
        for (const auto& [part, by_date] : parts) {
            Xapian::Enquire enquire(db_);
            enquire.set_weighting_scheme(Xapian::BM25Weight());
            enquire.set_query(part);
            if (by_date) {
                enquire.set_sort_by_value_then_relevance(scheme::kDateSlot,
                                                         request.order == Order::newest);
            }
            // The part's share of the page, from `first` to before `end`.
            const std::size_t first = request.offset > before ? request.offset - before : 0;
            const std::size_t end = page_end > before ? page_end - before : 0;
            // Every match is checked, as in match(), and a run of ties that crosses the page's
            // end is read to its end, so that the runs at the page's ends are put in key order
            // from their records. Under relevance, the match reads up to kLongestTieRunRead
            // pages at once (reading more costs little beside checking every match); a longer
            // run is put in key order by the match itself, which reads the key of every
            // candidate, a cost most pages do not pay. A date order has no such way, the remote
            // backend running no key maker: its match is read again, twice as far each time.
            const std::size_t read = end == 0 ? 0 : (by_date ? 1 : kLongestTieRunRead) * (end + 1);
            Xapian::MSet mset = enquire.get_mset(0, within_database(read), db_.get_doccount());
            const auto run_reaches_end = [&] {
                return end > 0 && end < mset.size() && end_of_run(mset, end - 1) == mset.size();
            };
            bool keyed = false;
            if (!by_date && mset.size() == read && run_reaches_end()) {
                enquire.set_sort_by_relevance_then_value(scheme::kHeaderSlot, false);
                mset = enquire.get_mset(0, within_database(end), db_.get_doccount());
                keyed = true;
            }
            for (std::size_t wanted = 2 * read;
                 by_date && mset.size() == wanted / 2 && run_reaches_end(); wanted *= 2) {
                mset = enquire.get_mset(0, within_database(wanted), db_.get_doccount());
            }
            add_counts(mset, matches);
            before += mset.get_matches_estimated();
            const std::size_t last = std::min<std::size_t>(end, mset.size());
            if (first >= last) continue;
            const std::size_t run_start = keyed ? first : start_of_run(mset, first);
            const std::size_t run_end = keyed ? last : end_of_run(mset, last - 1);
            auto fetched = documents_of(mset, static_cast<Xapian::doccount>(run_start),
                                        static_cast<Xapian::doccount>(run_end));
            std::vector<std::size_t> order(run_end - run_start);
            for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
            if (!keyed) {
                for (std::size_t run = run_start, stop = 0; run < run_end; run = stop) {
                    stop = std::min(end_of_run(mset, run), run_end);
                    std::sort(order.begin() + static_cast<std::ptrdiff_t>(run - run_start),
                              order.begin() + static_cast<std::ptrdiff_t>(stop - run_start),
                              [&](std::size_t a, std::size_t b) {
                                  return fetched[a].second.get_value(scheme::kHeaderSlot) <
                                         fetched[b].second.get_value(scheme::kHeaderSlot);
                              });
                }
            }
            for (std::size_t k = first; k < last; ++k) {
                const std::size_t at = order[k - run_start];
                matches.ranked.push_back(
                    {fetched[at].first, item_at(mset, run_start + at).get_weight()});
                documents.push_back(std::move(fetched[at]));
            }
        }
        spies.count_into(matches);
        if (request.limit > 0) fetched_ = std::move(documents);
        return matches;
    }

    // When a search or a reopen tries again to reach a shard that did not answer: a second
    // after it failed, then twice as long after each attempt that fails, up to the longest
    // interval, so that a shard down for long costs its cluster an attempt every half minute.
    static constexpr std::chrono::milliseconds kFirstReconnectInterval{1000};
    static constexpr std::chrono::milliseconds kLongestReconnectInterval{30000};
    // How long a search waits for a shard it tries again to greet: one that is back greets
    // within a round trip. One that has not greeted yet is looked at again by the next
    // searches, without waiting, until kShardConnectTimeout has passed.
    static constexpr std::chrono::milliseconds kGreetingPatience{100};
    // How far, in pages, a match under relevance is read to find the end of a run of equal
    // scores that crosses the page's end.
    static constexpr std::size_t kLongestTieRunRead = 8;
    // How often a reopen looks for shards replaced by a first build.
    static constexpr std::chrono::seconds kReplacementCheckInterval{1};

    // A shard of a cluster, open or not and why.
    struct Shard {
        ShardAddress address;
        std::optional<Xapian::Database> database;
        // Why it is not open: completes "shard 'remote HOST:PORT' …".
        std::string trouble;
        // Which shard of how many it holds (search-index --shard), when it says.
        std::string part;
        // Failed attempts to reach it since it last answered, and when to try again.
        int failures = 0;
        std::chrono::steady_clock::time_point next_attempt;
        // While it is tried again, remote: the connection waiting for its greeting.
        std::unique_ptr<GreetingProbe> probe;
    };

    [[nodiscard]] bool cluster() const { return !shards_.empty(); }

    // Xapian's failures as the seam promises them.
    template <typename Read>
    auto guarded(Read read) -> decltype(read()) {
        try {
            return read();
        } catch (const Xapian::DatabaseModifiedError& error) {
            throw StateOverwritten(error.get_description());
        } catch (const Xapian::NetworkError& error) {
            if (!cluster()) xapian_errors::rethrow_as_database_error(path_, error);
            throw PartLost(lost_shards(error));
        } catch (const Xapian::Error& error) {
            xapian_errors::rethrow_as_database_error(path_, error);
        }
    }

    // Opens the folder now at the path. Xapian opens a database file by file, so a swap in the
    // middle could pair files of two databases: the open counts only if the same folder was at
    // the path before and after it.
    void open_current() {
        for (int attempt = 1;; ++attempt) {
            FolderIdentity before = identity_of(path_);
            try {
                Xapian::Database opened(path_);
                if (identity_of(path_) == before) {
                    db_ = std::move(opened);
                    folder_ = before;
                    return;
                }
            } catch (const Xapian::DatabaseError&) {
                if (identity_of(path_) == before) throw;
            }
            if (attempt == kOpenAttempts) {
                throw Xapian::DatabaseOpeningError("replaced during every attempt to open it");
            }
        }
    }

    // Each shard is opened alone, so that one that does not answer is named, and the others can
    // answer without it when the search allows.
    void open_cluster() {
        for (ShardAddress& address : read_cluster_file(path_)) {
            shards_.push_back({.address = std::move(address)});
        }
        for (Shard& shard : shards_) {
            if (!connect(shard)) count_failure(shard);
        }
        combine();
    }

    // Whether the shard is open now; if not, `trouble` says why.
    bool connect(Shard& shard) {
        try {
            Xapian::Database database = open_shard_database(shard.address);
            const std::string scheme = database.get_metadata(std::string(scheme::kSchemeKey));
            if (scheme != scheme::kSchemeVersion) {
                shard.trouble = "was not written by this version of trouvere (term scheme " +
                                (scheme.empty() ? std::string("none") : scheme) + ", not " +
                                std::string(scheme::kSchemeVersion) + "); index it again";
                return false;
            }
            shard.part = database.get_metadata(std::string(scheme::kShardKey));
            const std::string of_count = "/" + std::to_string(shards_.size());
            if (!shard.part.empty() && !shard.part.ends_with(of_count)) {
                shard.trouble = "holds shard " + shard.part + " of a cluster, but " + path_ +
                                " names " + std::to_string(shards_.size()) + " shards";
                return false;
            }
            shard.database = std::move(database);
            shard.trouble.clear();
            return true;
        } catch (const Xapian::NetworkError& error) {
            const std::string description = error.get_description();
            shard.trouble =
                description.find("protocol version") != std::string::npos
                    ? "is served by another version of Xapian's remote protocol than this "
                      "program's Xapian " +
                          std::string(Xapian::version_string()) + " speaks: " + description
                    : "does not answer: " + description;
        } catch (const Xapian::Error& error) {
            shard.trouble = "cannot be opened: " + error.get_description();
        }
        return false;
    }

    // The shards open, as one database, their statistics combined.
    void combine() {
        fetched_.clear();
        db_ = Xapian::Database();
        std::vector<const Shard*> seen;
        for (Shard& shard : shards_) {
            if (!shard.database) continue;
            const auto same = std::find_if(seen.begin(), seen.end(), [&](const Shard* other) {
                return !shard.part.empty() && other->part == shard.part;
            });
            if (same != seen.end()) {
                shard.database.reset();
                shard.trouble =
                    "holds shard " + shard.part + ", as '" + (*same)->address.name + "' does";
                count_failure(shard);
                continue;
            }
            seen.push_back(&shard);
            shard.failures = 0;
            db_.add_database(*shard.database);
        }
        shards_open_ = seen.size();
    }

    // A first build swapped in at a shard's path is not seen through the connection open to it
    // when it has the old database's revision: the shard's server goes on answering from the
    // old files. A new connection opens the database now at the path; when it is another one
    // (another uuid), it takes the old one's place. A connection a shard costs, at most once
    // every kReplacementCheckInterval.
    void take_replaced_shards() {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_replacement_check_ < kReplacementCheckInterval) return;
        last_replacement_check_ = now;
        bool changed = false;
        for (Shard& shard : shards_) {
            if (!shard.database) continue;
            // One that fails now is found out, and named, by the next search.
            Shard now_at_path{.address = shard.address};
            if (!connect(now_at_path)) continue;
            if (now_at_path.database->get_uuid() == shard.database->get_uuid()) continue;
            shard.database = std::move(now_at_path.database);
            shard.part = std::move(now_at_path.part);
            changed = true;
        }
        if (changed) combine();
    }

    static void count_failure(Shard& shard) {
        ++shard.failures;
        const auto interval = kFirstReconnectInterval * (1 << std::min(shard.failures - 1, 5));
        shard.next_attempt =
            std::chrono::steady_clock::now() + std::min(interval, kLongestReconnectInterval);
    }

    // Tries again the shards whose time has come. A remote shard is connected to by Xapian only
    // once it has greeted a probe, so that a shard that hangs costs a search kGreetingPatience
    // at most, not the reply timeout.
    void reconnect_when_due() {
        bool changed = false;
        for (Shard& shard : shards_) {
            if (shard.database || std::chrono::steady_clock::now() < shard.next_attempt) continue;
            if (shard.address.remote) {
                const bool new_probe = !shard.probe;
                if (new_probe) shard.probe = std::make_unique<GreetingProbe>(shard.address);
                const auto outcome =
                    shard.probe->wait(new_probe ? kGreetingPatience : std::chrono::milliseconds(0));
                if (outcome == GreetingProbe::Outcome::waiting &&
                    std::chrono::steady_clock::now() - shard.probe->started() <
                        kShardConnectTimeout) {
                    continue;
                }
                shard.probe.reset();
                if (outcome != GreetingProbe::Outcome::greeted) {
                    count_failure(shard);
                    continue;
                }
            }
            if (connect(shard)) {
                changed = true;
            } else {
                count_failure(shard);
            }
        }
        if (changed) combine();
    }

    // After `error` in a cluster: which shards no longer answer, closed, named in the message.
    // The error's context names the remote shard it came from (`remote:tcp(HOST:PORT)`). The
    // other shards' connections were left in the middle of the same exchange, with replies
    // unread: they are opened again, and those that cannot be are named too.
    std::string lost_shards(const Xapian::NetworkError& error) {
        std::string names;
        for (Shard& shard : shards_) {
            if (!shard.database || !shard.address.remote) continue;
            const bool failed = error.get_context() == "remote:tcp(" + shard.address.host + ":" +
                                                           std::to_string(shard.address.port) + ")";
            shard.database.reset();
            if (failed) {
                shard.trouble = "stopped answering: " + error.get_description();
                count_failure(shard);
            } else if (!connect(shard)) {
                count_failure(shard);
            }
            if (!shard.database) names += (names.empty() ? "'" : ", '") + shard.address.name + "'";
        }
        combine();
        return "cluster " + path_ + ": " +
               (names.empty() ? error.get_description() : "shard " + names + " stopped answering");
    }

    // A cluster's state: its shards' databases and what they hold. Xapian's remote backend does
    // not tell a database's revision, so a commit shows as a change of its documents, their
    // number or their lengths.
    [[nodiscard]] State current_state() const {
        if (!cluster()) return {db_.get_uuid(), db_.get_revision()};
        std::string summary;
        for (const Shard& shard : shards_) {
            if (!shard.database) continue;
            summary += std::to_string(shard.database->get_doccount()) + ' ' +
                       std::to_string(shard.database->get_lastdocid()) + ' ' +
                       std::to_string(shard.database->get_total_length()) + ';';
        }
        return {db_.get_uuid(), scheme::stable_hash(summary)};
    }

    // The document, from those the last match fetched when it is one of them.
    [[nodiscard]] Xapian::Document stored_document(DocumentNumber document) const {
        for (const auto& [number, fetched] : fetched_) {
            if (number == document) return fetched;
        }
        return db_.get_document(document);
    }

    // The dictionary of the index's words, from the word terms the shards of a cluster keep
    // (one round trip each), else read term by term (over remote, a message each).
    native::SpellingDictionary read_spelling_dictionary() {
        if (auto kept = word_terms_kept_by_shards()) {
            const std::vector<native::IndexedTerm> terms = native::merged_terms(*kept);
            // Exact-word terms sort before word terms, and are the only others.
            const auto words = std::partition_point(
                terms.begin(), terms.end(),
                [](const native::IndexedTerm& term) { return term.term < scheme::kWordPrefix; });
            return native::dictionary_of_index_words({words, terms.end()}, {terms.begin(), words});
        }
        std::deque<std::string> texts;
        const auto words = terms_with_prefix(scheme::kWordPrefix, texts);
        const auto forms = terms_with_prefix(scheme::kExactWordPrefix, texts);
        return native::dictionary_of_index_words(words, forms);
    }

    // The word terms every shard open keeps, or nullopt when one keeps none (indexed without
    // --shard, or by an older version) or keeps those of another state (changed by a writer
    // that does not keep them).
    [[nodiscard]] std::optional<std::vector<native::WordTerms>> word_terms_kept_by_shards() const {
        if (!cluster()) return std::nullopt;
        std::vector<native::WordTerms> lists;
        for (const Shard& shard : shards_) {
            if (!shard.database) continue;
            auto kept = native::decode_word_terms(
                shard.database->get_metadata(std::string(scheme::kWordTermsKey)), *shard.database);
            if (!kept) return std::nullopt;
            lists.push_back(std::move(*kept));
        }
        return lists;
    }

    // Every term that starts with `prefix`, in byte order, with its frequency, viewing the
    // terms' bytes kept in `texts`.
    std::vector<native::IndexedTerm> terms_with_prefix(std::string_view prefix,
                                                       std::deque<std::string>& texts) {
        std::vector<native::IndexedTerm> terms;
        const std::string start(prefix);
        for (auto term = db_.allterms_begin(start); term != db_.allterms_end(start); ++term) {
            terms.push_back({texts.emplace_back(*term), term.get_termfreq()});
        }
        return terms;
    }

    std::string path_;
    Xapian::Database db_;
    FolderIdentity folder_;
    std::optional<std::pair<State, native::SpellingDictionary>> spelling_;
    // Empty for a database in a folder.
    std::vector<Shard> shards_;
    std::size_t shards_open_ = 0;
    std::chrono::steady_clock::time_point last_replacement_check_ =
        std::chrono::steady_clock::now();
    // The documents of the last match over a cluster that asked for hits, read together.
    std::vector<std::pair<Xapian::docid, Xapian::Document>> fetched_;
};

}  // namespace

Xapian::Query to_xapian_query(const TermQuery& query) {
    switch (query.op) {
        case TermQuery::Op::nothing: return {};
        case TermQuery::Op::everything: return Xapian::Query::MatchAll;
        case TermQuery::Op::term: return {query.term};
        case TermQuery::Op::dated:
            return {Xapian::Query::OP_VALUE_RANGE, scheme::kDateSlot,
                    dates::iso_day(query.first_day), dates::iso_day(query.last_day)};
        case TermQuery::Op::sourced:
            return {Xapian::Query::OP_VALUE_RANGE, scheme::kSourceSlot, query.term, query.term};
        case TermQuery::Op::all:
        case TermQuery::Op::any:
        case TermQuery::Op::phrase:
        case TermQuery::Op::and_maybe:
        case TermQuery::Op::and_not: break;
    }
    std::vector<Xapian::Query> parts;
    parts.reserve(query.parts.size());
    for (const TermQuery& part : query.parts) parts.push_back(to_xapian_query(part));
    // A phrase's window is its length: the words adjacent, in order.
    const auto window = query.op == TermQuery::Op::phrase
                            ? static_cast<Xapian::termcount>(parts.size())
                            : Xapian::termcount{0};
    return {xapian_op(query.op), parts.begin(), parts.end(), window};
}

std::unique_ptr<MatchEngine> open_xapian_engine(const std::string& path) {
    auto engine = std::make_unique<XapianEngine>(path);
    engine->open();
    return engine;
}

}  // namespace trouvere::searcher
