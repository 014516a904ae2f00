#include "searcher/xapian_engine.h"

#include <sys/stat.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "core/term_scheme.h"
#include "core/xapian_errors.h"
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

class XapianEngine final : public MatchEngine {
public:
    explicit XapianEngine(std::string path) : path_(std::move(path)) {}

    void open() {
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
            Xapian::ValueCountMatchSpy dates(scheme::kDateSlot);
            Xapian::ValueCountMatchSpy sources(scheme::kSourceSlot);
            if (request.count_years) enquire.add_matchspy(&dates);
            if (request.count_sources) enquire.add_matchspy(&sources);
            // Every match is checked: Xapian 1.4.22's pruning by weight can leave out of the top
            // k a document that scores above some it returns (`(a OR b) c`, `"a b" OR c` on
            // some databases; tests/native_differential_test.cc found them), and it prunes only
            // once this many documents have been checked. The count, and the spies' counts, are
            // then exact.
            // Xapian counts documents in 32 bits: an offset or a limit past the database's size
            // means the same as its size, and must not wrap round to a small number.
            const Xapian::doccount document_count = db_.get_doccount();
            const auto within_database = [document_count](std::size_t count) {
                return static_cast<Xapian::doccount>(std::min<std::size_t>(count, document_count));
            };
            Xapian::MSet mset =
                enquire.get_mset(within_database(request.offset), within_database(request.limit),
                                 document_count, nullptr, filters.empty() ? nullptr : &filters);
            Matches matches;
            matches.estimate = mset.get_matches_estimated();
            matches.upper_bound = mset.get_matches_upper_bound();
            matches.exact = mset.get_matches_lower_bound() == matches.upper_bound;
            matches.ranked.reserve(mset.size());
            for (auto item = mset.begin(); item != mset.end(); ++item) {
                matches.ranked.push_back({*item, item.get_weight()});
            }
            if (request.count_years) matches.years = years_of(dates);
            if (request.count_sources) {
                for (auto value = sources.values_begin(); value != sources.values_end(); ++value) {
                    matches.sources.push_back({*value, value.get_termfreq()});
                }
            }
            return matches;
        });
    }

    std::string_view header(DocumentNumber document, std::string& buffer) override {
        buffer = guarded([&] { return db_.get_document(document).get_value(scheme::kHeaderSlot); });
        return buffer;
    }

    std::string_view full_record(DocumentNumber document, std::string& buffer) override {
        buffer =
            guarded([&] { return db_.get_document(document).get_value(scheme::kFullRecordSlot); });
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

    std::uint32_t frequency(const std::string& term) override {
        return guarded([&] { return db_.get_termfreq(term); });
    }

    // Read again once the database has moved to another state.
    const native::SpellingDictionary& spelling_dictionary() override {
        return guarded([&]() -> const native::SpellingDictionary& {
            State now{db_.get_uuid(), db_.get_revision()};
            if (!spelling_ || spelling_->first != now) {
                std::deque<std::string> texts;
                const auto words = terms_with_prefix(scheme::kWordPrefix, texts);
                const auto forms = terms_with_prefix(scheme::kExactWordPrefix, texts);
                spelling_.emplace(std::move(now), native::dictionary_of_index_words(words, forms));
            }
            return spelling_->second;
        });
    }

    [[nodiscard]] std::size_t document_count() const override { return db_.get_doccount(); }

    State state() override {
        return guarded([&] { return State{db_.get_uuid(), db_.get_revision()}; });
    }

    void move_to_latest() override {
        guarded([&] {
            if (identity_of(path_) == folder_) {
                db_.reopen();
                // A swap during reopen() may have paired files of two databases.
                if (identity_of(path_) == folder_) return;
            }
            open_current();
        });
    }

private:
    // Xapian's failures as the seam promises them.
    template <typename Read>
    auto guarded(Read read) -> decltype(read()) {
        try {
            return read();
        } catch (const Xapian::DatabaseModifiedError& error) {
            throw StateOverwritten(error.get_description());
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
