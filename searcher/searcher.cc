#include "trouvere/searcher.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "core/limits.h"
#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "native/damaged.h"
#include "searcher/cluster.h"
#include "searcher/date_range.h"
#include "searcher/did_you_mean.h"
#include "searcher/match_engine.h"
#include "searcher/native_engine.h"
#include "searcher/query_translation.h"
#include "searcher/snippet_builder.h"
#include "searcher/xapian_engine.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"
#include "trouvere/query.h"

namespace trouvere {

using searcher::MatchEngine;

namespace {

// A writer that commits while a search runs can overwrite the state the search reads; the search
// then starts again on the latest state. Each retry needs two more commits during one search to
// fail again.
constexpr int kSearchAttempts = 5;

// Where each hit of a page holds the terms `match` names: (position, term) pairs, ascending.
// Each position holds one word, so the lists of distinct terms never share a position.
using Occurrences = std::vector<std::pair<std::uint32_t, const std::string*>>;

// The occurrences of every hit in `ranked`, asked of the engine term by term for the whole page:
// one lookup of a term and one walk of its list serve every hit.
std::vector<Occurrences> page_occurrences(MatchEngine& engine,
                                          const std::vector<MatchEngine::Match>& ranked,
                                          const searcher::MatchSpec& match) {
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
    std::vector<std::size_t> by_docid(ranked.size());
    for (std::size_t k = 0; k < ranked.size(); ++k) by_docid[k] = k;
    std::sort(by_docid.begin(), by_docid.end(), [&](std::size_t a, std::size_t b) {
        return ranked[a].document < ranked[b].document;
    });
    std::vector<MatchEngine::DocumentNumber> documents(ranked.size());
    for (std::size_t k = 0; k < ranked.size(); ++k) documents[k] = ranked[by_docid[k]].document;

    std::vector<Occurrences> occurrences(ranked.size());
    if (ranked.empty()) return occurrences;
    for (const std::string* term : terms) {
        const auto lists = engine.positions(*term, documents);
        for (std::size_t k = 0; k < lists.size(); ++k) {
            for (std::uint32_t position : lists[k]) {
                occurrences[by_docid[k]].emplace_back(position, term);
            }
        }
    }
    for (Occurrences& each : occurrences) std::sort(each.begin(), each.end());
    return occurrences;
}

// The words of a hit's body at `occurrences`, found from the body's stored word offsets rather
// than by analysing the body again; nullopt when the offsets are missing or damaged, and the body
// must be analysed.
std::optional<std::vector<Token>> located_tokens(const Occurrences& occurrences,
                                                 std::string_view word_offsets,
                                                 std::string_view body) {
    if (word_offsets.empty()) return std::nullopt;
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

// The date bounds of `options` as a filter, empty when there is none.
searcher::TermQuery date_bounds(const SearchOptions& options) {
    if (options.since.empty() && options.until.empty()) return {};
    searcher::DayRange days;
    if (!options.since.empty()) {
        days.first = searcher::parse_date_range(options.since, "since " + options.since).first;
    }
    if (!options.until.empty()) {
        days.last = searcher::parse_date_range(options.until, "until " + options.until).last;
    }
    if (days.first > days.last) {
        throw QueryError("no day is both since " + options.since + " and until " + options.until);
    }
    return searcher::dated_between(days.first, days.last);
}

// The filters of `options`, their date bounds and their source, empty when there is none.
searcher::TermQuery option_filters(const SearchOptions& options) {
    std::vector<searcher::TermQuery> filters;
    if (auto days = date_bounds(options); !days.empty()) filters.push_back(std::move(days));
    if (!options.source.empty()) filters.push_back(searcher::from_source(options.source));
    return searcher::all_of(std::move(filters));
}

// `query` within the filters `bounds`, or the bounds alone when the query is only them.
searcher::TermQuery bounded(searcher::TermQuery query, const searcher::TermQuery& bounds) {
    if (bounds.empty()) return query;
    return query.empty() ? bounds : searcher::all_of({std::move(query), bounds});
}

// `values`, most frequent first, equal counts in byte order.
std::vector<FacetValue> ranked_values(const std::vector<MatchEngine::ValueCount>& values) {
    std::vector<FacetValue> ranked;
    ranked.reserve(values.size());
    for (const auto& value : values) ranked.push_back({value.value, value.count});
    std::sort(ranked.begin(), ranked.end(), [](const FacetValue& a, const FacetValue& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    return ranked;
}

MatchEngine::Request match_request(const SearchOptions& options) {
    MatchEngine::Request request;
    request.offset = options.offset;
    request.limit = options.limit;
    request.count_at_least = options.count_at_least;
    request.order = options.sort == SortOrder::newest   ? MatchEngine::Order::newest
                    : options.sort == SortOrder::oldest ? MatchEngine::Order::oldest
                                                        : MatchEngine::Order::relevance;
    for (Facet facet : options.facets) {
        (facet == Facet::year ? request.count_years : request.count_sources) = true;
    }
    return request;
}

}  // namespace

std::string_view facet_name(Facet facet) {
    return facet == Facet::year ? "year" : "source";
}

std::optional<Facet> facet_named(std::string_view name) {
    for (Facet facet : {Facet::year, Facet::source}) {
        if (facet_name(facet) == name) return facet;
    }
    return std::nullopt;
}

struct TROUVERE_HIDDEN Searcher::Impl {
    std::string path;
    // A cluster file rather than a database folder.
    bool cluster = false;
    // Declared first: the native engine reads its stored records through it.
    std::unique_ptr<MatchEngine> xapian;
    // The native index when it was built from the state `xapian` has open, else null and why.
    std::unique_ptr<searcher::NativeEngine> native;
    std::string native_unusable;
    bool native_worth_a_warning = false;
    // The engine answering the search under way.
    MatchEngine* engine = nullptr;
    Analyzer analyzer;

    // `typed`: the text `parsed` was read from; nullopt for a tree built in code.
    [[nodiscard]] SearchResults search_once(const ParsedQuery& parsed,
                                            std::optional<std::string_view> typed,
                                            const SearchOptions& options);

    // What the query would better have been, for results.suggestion.
    [[nodiscard]] std::optional<std::string> suggestion_for(const ParsedQuery& parsed,
                                                            std::optional<std::string_view> typed,
                                                            const searcher::TermQuery& bounds,
                                                            bool answered_poorly);

    void reopen();

    // `run` once, and again on the latest state while writers overwrite the one it reads, or
    // with Xapian when the native index turns out damaged.
    template <typename Run>
    auto with_retries(const SearchOptions& options, Run run) -> decltype(run());

    // Opens the native index of the state `xapian` has open, keeping the one already open when
    // it is still that state's.
    void open_native() {
        if (cluster) {
            native_unusable =
                "a cluster of shards is answered by Xapian: the native index cannot be read over "
                "the network";
            return;
        }
        try {
            auto opening = searcher::open_native_engine(path, *xapian, std::move(native));
            native = std::move(opening.engine);
            native_unusable = std::move(opening.reason);
            native_worth_a_warning = opening.damaged_or_foreign;
        } catch (const MatchEngine::StateOverwritten& error) {
            // Xapian's own searches will meet the same and move on; the native index waits.
            native.reset();
            native_unusable = "database " + path + ": " + error.what();
            native_worth_a_warning = false;
        }
    }

    // The engine `options` asks for, said in `results`.
    void choose_engine(const SearchOptions& options, SearchResults& results) {
        const bool use_native = options.engine == SearchEngine::native ||
                                (options.engine == SearchEngine::automatic && native != nullptr);
        if (use_native && native == nullptr) throw DatabaseError(native_unusable);
        if (options.engine == SearchEngine::automatic && native == nullptr &&
            native_worth_a_warning) {
            results.warnings.push_back(native_unusable + "; answered with Xapian");
        }
        engine = use_native ? static_cast<MatchEngine*>(native.get()) : xapian.get();
        results.engine = use_native ? "native" : "xapian";
    }

    // No answer is silently incomplete: the parts of the database that cannot answer (shards of
    // a cluster) fail the search, or, when `allow_partial`, are named in the warnings.
    void check_parts(bool allow_partial, std::vector<std::string>& warnings) const {
        std::vector<std::string> missing = xapian->unreachable_parts();
        if (missing.empty()) return;
        std::string names;
        for (const std::string& part : missing) names += (names.empty() ? "" : "; ") + part;
        if (!allow_partial) throw DatabaseError("cluster " + path + ": " + names);
        for (std::string& part : missing) {
            warnings.push_back("answered without " + std::move(part) +
                               "; its documents are missing");
        }
    }

    // A hit's stored record, through `read` of the engine answering. The native index is built
    // from the database state it names, so a hit the database cannot give means the index is not
    // that state's (a writer's bug behind sound checksums): damage, which Xapian answers instead.
    [[nodiscard]] std::string_view read_record(
        MatchEngine::DocumentNumber hit, std::string& buffer,
        std::string_view (MatchEngine::*read)(MatchEngine::DocumentNumber, std::string&)) const {
        try {
            return (engine->*read)(hit, buffer);
        } catch (const DatabaseError& error) {
            if (engine != native.get()) throw;
            throw native::Damaged("native index " + native->index().file().path().string() +
                                  " names document " + std::to_string(hit) +
                                  ", which its database does not give: " + error.what());
        }
    }

    // The snippet of a hit: of its body, or of its title when it has no body. `record` gives
    // where the body's words and sentences are.
    Snippet snippet_of(const Document& document, const stored::FullRecord& record,
                       const Occurrences& occurrences, const searcher::MatchSpec& match,
                       std::size_t max_chars) {
        if (document.body.empty()) {
            return searcher::build_snippet(analyzer, document.title, match, max_chars);
        }
        // Nothing to mark needs no words at all.
        auto tokens = match.empty() ? std::optional<std::vector<Token>>(std::in_place)
                      : engine->reads_positions_cheaply()
                          ? located_tokens(occurrences, record.word_offsets, document.body)
                          : std::nullopt;
        if (tokens) {
            return searcher::build_snippet(document.body, *tokens, record.sentence_breaks, match,
                                           max_chars);
        }
        return searcher::build_snippet(analyzer, document.body, match, max_chars);
    }
};

Searcher::Searcher(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->cluster = searcher::is_cluster_file(path);
    impl_->xapian = searcher::open_xapian_engine(path);
    impl_->open_native();
}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

template <typename Run>
auto Searcher::Impl::with_retries(const SearchOptions& options, Run run) -> decltype(run()) {
    for (int attempt = 1;; ++attempt) {
        try {
            return run();
        } catch (const MatchEngine::StateOverwritten& error) {
            if (attempt == kSearchAttempts) {
                throw DatabaseError("database " + path + ": " + error.what());
            }
            reopen();
        } catch (const MatchEngine::PartLost& error) {
            // The shard is now among the unreachable parts: the next attempt fails naming it, or
            // answers without it when the search allows.
            if (attempt == kSearchAttempts) throw DatabaseError(error.what());
        } catch (const native::Damaged& error) {
            // Damage found as a query reads it: Xapian answers this search and the next ones.
            if (options.engine != SearchEngine::automatic) throw;
            native.reset();
            native_unusable = error.what();
            native_worth_a_warning = true;
        }
    }
}

namespace {

void check_query_size(std::string_view query_text) {
    if (query_text.size() > limits::kMaxQueryBytes) {
        throw QueryError("query of " + std::to_string(query_text.size()) +
                         " bytes is longer than the limit of " +
                         std::to_string(limits::kMaxQueryBytes));
    }
}

}  // namespace

SearchResults Searcher::search(std::string_view query_text, const SearchOptions& options) {
    check_query_size(query_text);
    const ParsedQuery parsed = parse_query(query_text);
    return impl_->with_retries(options,
                               [&] { return impl_->search_once(parsed, query_text, options); });
}

SearchResults Searcher::search(const QueryNode& query, const SearchOptions& options) {
    const ParsedQuery parsed{query, {}};
    return impl_->with_retries(options,
                               [&] { return impl_->search_once(parsed, std::nullopt, options); });
}

namespace {

// `first..last`, an open end left empty.
std::string days_text(dates::DayNumber first, dates::DayNumber last) {
    return (first == dates::kFirstDay ? "" : dates::iso_day(first)) + ".." +
           (last == dates::kLastDay ? "" : dates::iso_day(last));
}

// The words of every words and phrase node under `node`, and its date filters, in query order.
// `excluded`: whether the node is under an exclusion.
void explain_node(const QueryNode& node, Analyzer& analyzer, QueryExplanation& explanation,
                  bool excluded) {
    excluded = excluded || node.occur == Occur::must_not;
    switch (node.kind) {
        case QueryNode::Kind::words:
        case QueryNode::Kind::phrase: {
            const std::vector<Token> tokens = analyzer.analyze(node.text);
            for (std::size_t k = 0; k < tokens.size(); ++k) {
                const Token& token = tokens[k];
                const bool free_word = node.kind == QueryNode::Kind::words;
                // As the translation gives it: the word alone, neither a phrase's nor joined by a
                // hyphen, of any field, not excluded and not a stopword.
                const bool hyphenated =
                    token.hyphenated_to_previous ||
                    (k + 1 < tokens.size() && tokens[k + 1].hyphenated_to_previous);
                const bool boosted = free_word && !hyphenated && node.field == Field::any &&
                                     !excluded && !token.is_stopword;
                explanation.words.push_back(
                    {node.text.substr(token.begin, token.end - token.begin), token.term,
                     token.accented_term,
                     boosted ? (token.accented_word.empty() ? token.word : token.accented_word)
                             : std::string(),
                     token.is_stopword && free_word});
            }
            return;
        }
        case QueryNode::Kind::date: {
            const auto days = searcher::parse_date_range(node.text, "date:" + node.text);
            explanation.filters.push_back((node.occur == Occur::must_not ? "not " : "") +
                                          days_text(days.first, days.last));
            return;
        }
        case QueryNode::Kind::group:
        case QueryNode::Kind::all:
        case QueryNode::Kind::any:
            for (const QueryNode& child : node.children) {
                explain_node(child, analyzer, explanation, excluded);
            }
            return;
    }
}

}  // namespace

QueryExplanation Searcher::explain(std::string_view query_text, const SearchOptions& options) {
    check_query_size(query_text);
    ParsedQuery parsed = parse_query(query_text);
    QueryExplanation explanation;
    explanation.tree = to_string(parsed.root);
    explanation.warnings = std::move(parsed.warnings);
    explain_node(parsed.root, impl_->analyzer, explanation, false);
    if (const searcher::TermQuery days = date_bounds(options); !days.empty()) {
        explanation.filters.push_back(days_text(days.first_day, days.last_day));
    }
    if (!options.source.empty()) explanation.filters.push_back("source: " + options.source);
    const searcher::TermQuery bounds = option_filters(options);
    auto translation = searcher::translate(parsed.root, impl_->analyzer, searcher::FreeWords::all);
    if (translation.query.empty() && bounds.empty()) {
        throw QueryError("nothing to search for in '" + std::string(query_text) + "'");
    }
    explanation.matching = searcher::to_string(bounded(std::move(translation.query), bounds));
    SearchResults chosen;
    impl_->choose_engine(options, chosen);
    explanation.engine = chosen.engine;
    if (chosen.engine == "xapian") {
        explanation.engine_reason =
            options.engine == SearchEngine::xapian ? "asked for" : impl_->native_unusable;
    }
    return explanation;
}

std::optional<Document> Searcher::document(std::string_view id) {
    return impl_->with_retries({}, [&]() -> std::optional<Document> {
        SearchResults unused;
        impl_->choose_engine({}, unused);
        impl_->check_parts(false, unused.warnings);
        MatchEngine& engine = *impl_->engine;
        MatchEngine::Request request;
        request.limit = 1;
        const auto matches = engine.match(searcher::term_query(scheme::id_term(id)), request);
        if (matches.ranked.empty()) return std::nullopt;
        const MatchEngine::DocumentNumber number = matches.ranked.front().document;
        std::string buffer;
        auto record = stored::split_full_record(
            impl_->read_record(number, buffer, &MatchEngine::full_record));
        if (!record)
            throw DatabaseError("the stored record of document '" + std::string(id) +
                                "' is damaged; index it again");
        Document document = stored::decode_header(record->header);
        auto body = stored::decompress_body(record->stored_body, engine.body_check());
        if (!body)
            throw DatabaseError("the stored text of document '" + std::string(id) +
                                "' is damaged; index it again");
        document.body = std::move(*body);
        return document;
    });
}

SearchResults Searcher::Impl::search_once(const ParsedQuery& parsed,
                                          std::optional<std::string_view> typed,
                                          const SearchOptions& options) {
    SearchResults results;
    results.query = typed ? std::string(*typed) : to_string(parsed.root);
    results.warnings = parsed.warnings;
    choose_engine(options, results);
    check_parts(options.allow_partial, results.warnings);

    const searcher::TermQuery bounds = option_filters(options);
    auto translation = searcher::translate(parsed.root, analyzer, searcher::FreeWords::all);
    if (translation.query.empty() && bounds.empty()) {
        throw QueryError("nothing to search for in '" + results.query + "'");
    }
    const MatchEngine::Request request = match_request(options);
    MatchEngine::Matches matches = engine->match(bounded(translation.query, bounds), request);
    if (matches.upper_bound == 0 && translation.can_relax) {
        translation = searcher::translate(parsed.root, analyzer, searcher::FreeWords::any);
        matches = engine->match(bounded(translation.query, bounds), request);
        results.fell_back_to_any_word = true;
    }
    results.suggestion = suggestion_for(parsed, typed, bounds,
                                        matches.upper_bound == 0 || results.fell_back_to_any_word);
    for (Facet facet : options.facets) {
        results.facets.push_back(
            {facet, ranked_values(facet == Facet::year ? matches.years : matches.sources)});
    }
    results.total_estimate = matches.estimate;
    results.total_exact = matches.exact;
    const std::vector<Occurrences> occurrences =
        options.snippets && !translation.match.empty() && engine->reads_positions_cheaply()
            ? page_occurrences(*engine, matches.ranked, translation.match)
            : std::vector<Occurrences>(matches.ranked.size());
    for (std::size_t k = 0; k < matches.ranked.size(); ++k) {
        const MatchEngine::Match& match = matches.ranked[k];
        Hit hit;
        hit.rank = options.offset + k + 1;
        hit.score = match.score;
        Document document;
        std::string buffer;
        if (options.snippets) {
            const std::string_view value =
                read_record(match.document, buffer, &MatchEngine::full_record);
            auto record = stored::split_full_record(value);
            auto body = record ? stored::decompress_body(record->stored_body, engine->body_check())
                               : std::nullopt;
            std::string header_buffer;
            document = stored::decode_header(
                record ? record->header
                       : read_record(match.document, header_buffer, &MatchEngine::header));
            if (body) {
                document.body = std::move(*body);
            } else {
                // One damaged record should not cost the whole answer: its snippet comes from
                // the title, and the warning says what to do.
                results.warnings.push_back("the stored text of document '" + document.id +
                                           "' is damaged; index it again");
            }
            hit.snippet = snippet_of(document, record.value_or(stored::FullRecord()),
                                     occurrences[k], translation.match, options.snippet_chars);
        } else {
            document =
                stored::decode_header(read_record(match.document, buffer, &MatchEngine::header));
        }
        hit.id = std::move(document.id);
        hit.title = std::move(document.title);
        hit.date = std::move(document.date);
        hit.source = std::move(document.source);
        hit.url = std::move(document.url);
        hit.path = std::move(document.path);
        results.hits.push_back(std::move(hit));
    }
    return results;
}

std::optional<std::string> Searcher::Impl::suggestion_for(const ParsedQuery& parsed,
                                                          std::optional<std::string_view> typed,
                                                          const searcher::TermQuery& bounds,
                                                          bool answered_poorly) {
    auto matches_in_full = [&](const QueryNode& corrected) {
        searcher::Translation translation;
        try {
            translation = searcher::translate(corrected, analyzer, searcher::FreeWords::all);
        } catch (const QueryError&) {
            // Corrections that analyse into more words than a query may have: no suggestion,
            // rather than a failed search.
            return false;
        }
        if (translation.query.empty()) return false;
        // Counting one match is enough to know.
        MatchEngine::Request first_match;
        first_match.limit = 0;
        first_match.count_at_least = 1;
        return engine->match(bounded(std::move(translation.query), bounds), first_match)
                   .upper_bound > 0;
    };
    return searcher::did_you_mean({.root = parsed.root,
                                   .typed = typed,
                                   .answered_poorly = answered_poorly,
                                   .matches_in_full = matches_in_full},
                                  analyzer, *engine);
}

void Searcher::Impl::reopen() {
    try {
        xapian->move_to_latest();
        open_native();
    } catch (const MatchEngine::StateOverwritten& error) {
        throw DatabaseError("database " + path + ": " + error.what());
    } catch (const MatchEngine::PartLost&) {
        // The shard is now among the unreachable parts, which the next search names or, when
        // allowed, answers without.
    }
}

void Searcher::reopen() {
    impl_->reopen();
}

std::size_t Searcher::document_count() const {
    return impl_->xapian->document_count();
}

std::uint64_t Searcher::revision() const {
    // Asking the revision reads no block that a commit could overwrite. Xapian's remote backend
    // does not tell it.
    return impl_->cluster ? 0 : impl_->xapian->state().revision;
}

SearchEngine Searcher::automatic_engine() const {
    return impl_->native != nullptr ? SearchEngine::native : SearchEngine::xapian;
}

}  // namespace trouvere
