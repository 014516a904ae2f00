#include "searcher/native_matching.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "native/bm25.h"

namespace trouvere::searcher {

namespace {

using native::kEndOfList;
using DocId = std::uint32_t;

// Before the top k is full and enough matches are counted, nothing is left out.
constexpr double kNoThreshold = -std::numeric_limits<double>::infinity();

// Bounds and scores are sums taken in different orders, and the thresholds of parts are
// differences: they may disagree in their last bits. The threshold the nodes learn is lowered by
// far more than that, so that rounding never leaves out a document that belongs in the top k.
constexpr double kThresholdMargin = 1e-12;

// A node of the matching tree: it stands on its current match (the lowest docid it matches from
// where it was moved to, kEndOfList after the last), and moves only forwards. Nodes are made
// standing on their first match.
class Matcher {
public:
    Matcher() = default;
    virtual ~Matcher() = default;
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;
    Matcher(Matcher&&) = delete;
    Matcher& operator=(Matcher&&) = delete;

    [[nodiscard]] DocId doc() const { return doc_; }
    /// To the next match; nowhere after the last.
    virtual void next() = 0;
    /// To the first match at `target` or after; nowhere when already there.
    virtual void skip_to(DocId target) = 0;
    /// The BM25 score of the current match.
    [[nodiscard]] virtual double score() = 0;
    /// The number of documents this node can match at most.
    [[nodiscard]] virtual std::uint64_t bound() const = 0;
    /// A bound of the score of this node's matches from `target` to `until`, which it sets (at
    /// least `target`), read from skip entries without decoding or moving.
    [[nodiscard]] virtual double block_bound(DocId target, DocId& until) = 0;

    /// A bound of the score of every match.
    [[nodiscard]] double max_score() const { return max_score_; }

    /// From now on, a match scoring `threshold` or less may be left out, or scored lower (but
    /// never above `threshold`): it cannot enter the top k. Thresholds only rise. The node
    /// stays on its current match.
    void raise_threshold(double threshold) {
        threshold_ = threshold;
        if (max_score_ <= threshold) {
            stand_on(kEndOfList);
        } else {
            pass_threshold_on();
        }
    }

protected:
    void stand_on(DocId document) { doc_ = document; }
    void set_max_score(double score) { max_score_ = score; }
    [[nodiscard]] double threshold() const { return threshold_; }
    [[nodiscard]] bool pruning() const { return threshold_ != kNoThreshold; }
    /// Tells the parts their thresholds: a part's score must pass what the others cannot
    /// make up.
    virtual void pass_threshold_on() {}
    void pass_threshold_to(Matcher& part) const {
        part.raise_threshold(threshold_ - (max_score_ - part.max_score()));
    }

private:
    DocId doc_ = kEndOfList;
    double max_score_ = 0;
    double threshold_ = kNoThreshold;
};

using MatcherPtr = std::unique_ptr<Matcher>;

class NothingMatcher final : public Matcher {
public:
    void next() override {}
    void skip_to(DocId /*target*/) override {}
    double score() override { return 0; }
    [[nodiscard]] std::uint64_t bound() const override { return 0; }
    double block_bound(DocId /*target*/, DocId& until) override {
        until = kEndOfList;
        return 0;
    }
};

// Documents that weigh nothing, walked in docid order by `Walk::first_from(docid)` (the first
// one from `docid` on, or kEndOfList), with their number known beforehand.
template <typename Walk>
class WeightlessMatcher final : public Matcher {
public:
    WeightlessMatcher(Walk walk, std::uint64_t count) : walk_(std::move(walk)), count_(count) {
        stand_on(walk_.first_from(1));
    }
    void next() override {
        if (doc() != kEndOfList) stand_on(walk_.first_from(doc() + 1));
    }
    void skip_to(DocId target) override {
        if (target > doc()) stand_on(walk_.first_from(target));
    }
    double score() override { return 0; }
    [[nodiscard]] std::uint64_t bound() const override { return count_; }
    double block_bound(DocId /*target*/, DocId& until) override {
        until = kEndOfList;
        return 0;
    }

private:
    Walk walk_;
    std::uint64_t count_;
};

// Every document, as Xapian's MatchAll.
struct EveryDocument {
    const native::DocumentTable& documents;
    [[nodiscard]] DocId first_from(DocId docid) const { return documents.next_document(docid); }
};

// The documents dated from `first_day` to `last_day`, as Xapian's value range over the date
// slot. Its size is counted once, so that an AND is led by a rarer part when there is one; moving
// on passes runs of docids whose days all lie outside the range a summary at a time.
struct DatedDocuments {
    const native::DocumentValues& values;
    dates::DayNumber first_day;
    dates::DayNumber last_day;
    [[nodiscard]] DocId first_from(DocId docid) const {
        return values.next_dated(docid, first_day, last_day);
    }
};

// The documents of one source, as Xapian's value range over the source slot from that source to
// itself.
struct SourcedDocuments {
    const native::DocumentValues& values;
    std::uint32_t ordinal;
    [[nodiscard]] DocId first_from(DocId docid) const {
        return values.next_from_source(docid, ordinal);
    }
};

class TermMatcher final : public Matcher {
public:
    TermMatcher(const native::PostingCursor& cursor, double weight, const native::Bm25& bm25,
                const native::DocumentTable& documents)
        : cursor_(cursor), weight_(weight), bm25_(bm25), documents_(documents) {
        set_max_score(weight_ * cursor_.list_tf_bound());
        stand_on(cursor_.doc());
    }
    void next() override {
        if (doc() == kEndOfList) return;
        cursor_.next();
        settle();
    }
    void skip_to(DocId target) override {
        if (target <= doc()) return;
        cursor_.skip_to(target);
        settle();
    }
    double score() override {
        return weight_ * bm25_.tf_part(cursor_.wdf(), documents_.length(doc()));
    }
    [[nodiscard]] std::uint64_t bound() const override { return cursor_.frequency(); }
    double block_bound(DocId target, DocId& until) override {
        const auto block = cursor_.block_bound(target);
        until = block.last_docid;
        return weight_ * block.tf_bound;
    }

    native::PostingCursor& cursor() { return cursor_; }

private:
    // Past the blocks whose postings cannot pass the threshold, decoding none of them.
    void settle() {
        if (pruning() && cursor_.doc() != kEndOfList) {
            DocId from = cursor_.doc();
            for (;;) {
                const auto block = cursor_.block_bound(from);
                if (block.last_docid == kEndOfList) {
                    stand_on(kEndOfList);
                    return;
                }
                if (weight_ * block.tf_bound > threshold()) break;
                from = block.last_docid + 1;
            }
            cursor_.skip_to(from);
        }
        stand_on(cursor_.doc());
    }

    native::PostingCursor cursor_;
    double weight_;
    const native::Bm25& bm25_;
    const native::DocumentTable& documents_;
};

double sum_of_max_scores(const std::vector<MatcherPtr>& parts) {
    double sum = 0;
    for (const MatcherPtr& part : parts) sum += part->max_score();
    return sum;
}

// `part`'s block bound from `target` on, for a part moved to `target` or before: it matches
// nothing before the document it stands on, which the bound of a block (or of a term's single
// posting) would not tell.
double bound_ahead(Matcher& part, DocId target, DocId& until) {
    if (target < part.doc()) {
        until = part.doc() - 1;
        return 0;
    }
    return part.block_bound(target, until);
}

double sum_of_block_bounds(const std::vector<MatcherPtr>& parts, DocId target, DocId& until) {
    double sum = 0;
    until = kEndOfList;
    for (const MatcherPtr& part : parts) {
        DocId part_until = kEndOfList;
        sum += bound_ahead(*part, target, part_until);
        until = std::min(until, part_until);
    }
    return sum;
}

// Documents every part matches; their scores add up.
class AllMatcher : public Matcher {
public:
    explicit AllMatcher(std::vector<MatcherPtr> parts) : parts_(std::move(parts)) {
        for (const MatcherPtr& part : parts_) by_rarity_.push_back(part.get());
        std::stable_sort(
            by_rarity_.begin(), by_rarity_.end(),
            [](const Matcher* a, const Matcher* b) { return a->bound() < b->bound(); });
        set_max_score(sum_of_max_scores(parts_));
    }
    void next() override {
        if (doc() != kEndOfList) settle(doc() + 1);
    }
    void skip_to(DocId target) override {
        if (target > doc()) settle(target);
    }
    double score() override { return score_; }
    [[nodiscard]] std::uint64_t bound() const override { return by_rarity_.front()->bound(); }
    double block_bound(DocId target, DocId& until) override {
        return sum_of_block_bounds(parts_, target, until);
    }

protected:
    // Stands on the first document from `target` on that every part matches and that can pass
    // the threshold, the rarest part proposing candidates and the others confirming or moving
    // the candidate on.
    void settle(DocId target) {
        DocId candidate = target;
        while (candidate != kEndOfList) {
            if (pruning() && candidate > bound_checked_until_) {
                DocId until = kEndOfList;
                if (block_bound(candidate, until) <= threshold()) {
                    candidate = until == kEndOfList ? kEndOfList : until + 1;
                    continue;
                }
                bound_checked_until_ = until;
            }
            if (!agree_on(candidate)) continue;
            score_ = 0;
            for (const MatcherPtr& part : parts_) score_ += part->score();
            if (score_ > threshold() && accepts(candidate)) break;
            candidate = candidate == kEndOfList - 1 ? kEndOfList : candidate + 1;
        }
        stand_on(candidate);
    }
    /// Whether a document every part matches is a match (a phrase checks its positions).
    virtual bool accepts(DocId /*document*/) { return true; }
    void pass_threshold_on() override {
        for (const MatcherPtr& part : parts_) pass_threshold_to(*part);
    }

private:
    // Moves every part to `candidate`; false, with `candidate` moved on to the first document
    // a part stands on after it, when one does not match it.
    bool agree_on(DocId& candidate) {
        for (Matcher* part : by_rarity_) {
            part->skip_to(candidate);
            if (part->doc() != candidate) {
                candidate = part->doc();
                return false;
            }
        }
        return true;
    }

    std::vector<MatcherPtr> parts_;
    std::vector<Matcher*> by_rarity_;
    double score_ = 0;
    // The blocks' bounds let documents up to here through: checked again only past it (the
    // threshold may have risen since, which only makes the check let more through).
    DocId bound_checked_until_ = 0;
};

// Terms adjacent and in order: an AND whose candidates are checked on the terms' positions, as
// Xapian's exact phrase does, only once their score can pass the threshold. Without positions in
// the whole database, Xapian matches a phrase as an AND, and so does this.
class PhraseMatcher final : public AllMatcher {
public:
    PhraseMatcher(std::vector<MatcherPtr> parts, std::vector<TermMatcher*> terms,
                  bool check_positions)
        : AllMatcher(std::move(parts)),
          terms_(std::move(terms)),
          check_positions_(check_positions),
          order_(terms_.size()) {
        settle(1);
    }

private:
    // The phrase's possible starts, from the positions of the term with the lowest wdf, then
    // narrowed term by term in increasing wdf: most candidates fail on the rarer terms, before
    // the long lists of the frequent ones are decoded.
    bool accepts(DocId /*document*/) override {
        if (!check_positions_) return true;
        for (std::size_t k = 0; k < terms_.size(); ++k) order_[k] = k;
        std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
            return terms_[a]->cursor().wdf() < terms_[b]->cursor().wdf();
        });
        starts_.clear();
        terms_[order_[0]]->cursor().positions(positions_);
        for (std::uint32_t position : positions_) {
            if (position >= order_[0]) starts_.push_back(position - order_[0]);
        }
        for (std::size_t n = 1; n < order_.size() && !starts_.empty(); ++n) {
            const std::size_t offset = order_[n];
            terms_[offset]->cursor().positions(positions_);
            std::erase_if(starts_, [&](std::uint32_t start) {
                return !std::binary_search(positions_.begin(), positions_.end(),
                                           std::uint64_t{start} + offset);
            });
        }
        return !starts_.empty();
    }

    std::vector<TermMatcher*> terms_;
    bool check_positions_;
    std::vector<std::size_t> order_;
    std::vector<std::uint32_t> starts_;
    std::vector<std::uint32_t> positions_;
};

class PlainAllMatcher final : public AllMatcher {
public:
    explicit PlainAllMatcher(std::vector<MatcherPtr> parts) : AllMatcher(std::move(parts)) {
        settle(1);
    }
};

// Documents one part at least matches; the scores of those that do add up. Once there is a
// threshold, the parts are split as MaxScore splits them: the lowest-bounded parts whose bounds
// add up to no more than the threshold cannot make a match alone, so only the documents of the
// others (the essential parts) are visited, and the former are looked into for those documents
// only while their block bounds can still lift the score above the threshold.
class AnyMatcher final : public Matcher {
public:
    explicit AnyMatcher(std::vector<MatcherPtr> parts) : parts_(std::move(parts)) {
        std::stable_sort(parts_.begin(), parts_.end(),
                         [](const MatcherPtr& a, const MatcherPtr& b) {
                             return a->max_score() < b->max_score();
                         });
        set_max_score(sum_of_max_scores(parts_));
        block_bounds_.resize(parts_.size());
        settle();
    }
    void next() override {
        if (doc() == kEndOfList) return;
        leave(doc());
        settle();
    }
    void skip_to(DocId target) override {
        if (target <= doc()) return;
        for (std::size_t k = first_essential_; k < parts_.size(); ++k) parts_[k]->skip_to(target);
        settle();
    }
    double score() override { return score_; }
    [[nodiscard]] std::uint64_t bound() const override {
        std::uint64_t sum = 0;
        for (const MatcherPtr& part : parts_) sum += part->bound();
        return sum;
    }
    double block_bound(DocId target, DocId& until) override {
        return sum_of_block_bounds(parts_, target, until);
    }

private:
    void pass_threshold_on() override {
        for (const MatcherPtr& part : parts_) pass_threshold_to(*part);
        double sum = 0;
        first_essential_ = 0;
        while (first_essential_ < parts_.size() &&
               sum + parts_[first_essential_]->max_score() <= threshold()) {
            sum += parts_[first_essential_]->max_score();
            ++first_essential_;
        }
    }

    // Moves the essential parts standing on `document` on.
    void leave(DocId document) {
        for (std::size_t k = first_essential_; k < parts_.size(); ++k) {
            if (parts_[k]->doc() == document) parts_[k]->next();
        }
    }

    // Stands on the first document an essential part stands on whose score can pass the
    // threshold.
    void settle() {
        for (;;) {
            DocId candidate = kEndOfList;
            for (std::size_t k = first_essential_; k < parts_.size(); ++k) {
                candidate = std::min(candidate, parts_[k]->doc());
            }
            if (candidate == kEndOfList) break;
            score_ = 0;
            for (std::size_t k = first_essential_; k < parts_.size(); ++k) {
                if (parts_[k]->doc() == candidate) score_ += parts_[k]->score();
            }
            if (first_essential_ > 0) add_non_essential(candidate);
            if (score_ > threshold()) {
                stand_on(candidate);
                return;
            }
            leave(candidate);
        }
        stand_on(kEndOfList);
    }

    // Adds the scores of the non-essential parts that match `candidate`, highest bound first,
    // while what they may add can still lift the score above the threshold.
    void add_non_essential(DocId candidate) {
        double rest = 0;
        for (std::size_t k = 0; k < first_essential_; ++k) {
            DocId until = kEndOfList;
            block_bounds_[k] = bound_ahead(*parts_[k], candidate, until);
            rest += block_bounds_[k];
        }
        for (std::size_t k = first_essential_; k-- > 0;) {
            if (score_ + rest <= threshold()) return;
            rest -= block_bounds_[k];
            parts_[k]->skip_to(candidate);
            if (parts_[k]->doc() == candidate) score_ += parts_[k]->score();
        }
    }

    std::vector<MatcherPtr> parts_;  // by max score, ascending
    std::size_t first_essential_ = 0;
    std::vector<double> block_bounds_;
    double score_ = 0;
};

// A node whose matches are among those of its required part, which leads the walk.
class RequiredLedMatcher : public Matcher {
public:
    void next() override {
        if (doc() == kEndOfList) return;
        required_->next();
        settle();
    }
    void skip_to(DocId target) override {
        if (target <= doc()) return;
        required_->skip_to(target);
        settle();
    }
    [[nodiscard]] std::uint64_t bound() const override { return required_->bound(); }

protected:
    explicit RequiredLedMatcher(MatcherPtr required) : required_(std::move(required)) {}
    /// Stands on the first match from the required part's current document on.
    virtual void settle() = 0;
    [[nodiscard]] Matcher& required() const { return *required_; }

private:
    MatcherPtr required_;
};

// What `required` matches, with the weight of `optional` added where it matches too. Once the
// required part alone cannot pass the threshold, only documents both match can: an AND. Runs of
// documents whose blocks' bounds cannot pass the threshold are skipped, as an AND skips them: an
// optional part that matches a few documents (a whole title) would otherwise keep its full bound
// on every document, and leave the required part unpruned.
class AndMaybeMatcher final : public RequiredLedMatcher {
public:
    AndMaybeMatcher(MatcherPtr required, MatcherPtr optional)
        : RequiredLedMatcher(std::move(required)), optional_(std::move(optional)) {
        set_max_score(this->required().max_score() + optional_->max_score());
        AndMaybeMatcher::settle();
    }
    double score() override { return score_; }
    double block_bound(DocId target, DocId& until) override {
        DocId optional_until = kEndOfList;
        const double sum = bound_ahead(required(), target, until) +
                           bound_ahead(*optional_, target, optional_until);
        until = std::min(until, optional_until);
        return sum;
    }

private:
    void pass_threshold_on() override {
        pass_threshold_to(required());
        pass_threshold_to(*optional_);
    }

    void settle() override {
        const bool both_needed = required().max_score() <= threshold();
        for (DocId candidate = required().doc(); candidate != kEndOfList;
             candidate = required().doc()) {
            if (pruning() && candidate > bound_checked_until_) {
                DocId until = kEndOfList;
                if (block_bound(candidate, until) <= threshold()) {
                    if (until == kEndOfList) break;
                    required().skip_to(until + 1);
                    continue;
                }
                bound_checked_until_ = until;
            }
            if (both_needed) {
                optional_->skip_to(candidate);
                if (optional_->doc() != candidate) {
                    if (optional_->doc() == kEndOfList) break;
                    required().skip_to(optional_->doc());
                    continue;
                }
            }
            score_ = required().score();
            // The optional part is looked into only where it can lift the score enough.
            DocId optional_until = kEndOfList;
            if (!pruning() ||
                score_ + bound_ahead(*optional_, candidate, optional_until) > threshold()) {
                optional_->skip_to(candidate);
                if (optional_->doc() == candidate) score_ += optional_->score();
            }
            if (score_ > threshold()) {
                stand_on(candidate);
                return;
            }
            required().next();
        }
        stand_on(kEndOfList);
    }

    MatcherPtr optional_;
    double score_ = 0;
    // As AllMatcher's: blocks up to here let documents through.
    DocId bound_checked_until_ = 0;
};

// What `required` matches and `excluded` does not; `excluded` weighs nothing, and is never
// pruned: what it matches decides what matches.
class AndNotMatcher final : public RequiredLedMatcher {
public:
    AndNotMatcher(MatcherPtr required, MatcherPtr excluded)
        : RequiredLedMatcher(std::move(required)), excluded_(std::move(excluded)) {
        set_max_score(this->required().max_score());
        AndNotMatcher::settle();
    }
    double score() override { return required().score(); }
    double block_bound(DocId target, DocId& until) override {
        return bound_ahead(required(), target, until);
    }

private:
    void pass_threshold_on() override { pass_threshold_to(required()); }

    void settle() override {
        for (;;) {
            const DocId candidate = required().doc();
            if (candidate == kEndOfList) break;
            excluded_->skip_to(candidate);
            if (excluded_->doc() != candidate) break;
            required().next();
        }
        stand_on(required().doc());
    }

    MatcherPtr excluded_;
};

class TreeBuilder {
public:
    explicit TreeBuilder(const native::NativeIndex& index) : index_(index), bm25_(index.stats()) {}

    // `weighted`: whether the node's scores count (not under an exclusion).
    MatcherPtr build(const TermQuery& query, bool weighted) {
        switch (query.op) {
            case TermQuery::Op::nothing: return nothing();
            case TermQuery::Op::dated: {
                const native::DocumentValues& values = index_.values();
                return std::make_unique<WeightlessMatcher<DatedDocuments>>(
                    DatedDocuments{values, query.first_day, query.last_day},
                    values.count_dated(query.first_day, query.last_day));
            }
            case TermQuery::Op::sourced: {
                const native::DocumentValues& values = index_.values();
                const std::uint32_t ordinal = values.source_ordinal(query.term);
                if (ordinal == native::kNoSource) return nothing();
                return std::make_unique<WeightlessMatcher<SourcedDocuments>>(
                    SourcedDocuments{values, ordinal}, values.count_from_source(ordinal));
            }
            case TermQuery::Op::everything:
                return std::make_unique<WeightlessMatcher<EveryDocument>>(
                    EveryDocument{index_.documents()}, index_.stats().document_count);
            case TermQuery::Op::term: {
                auto matcher = term(query.term, weighted, false);
                if (!matcher) return nothing();
                return matcher;
            }
            case TermQuery::Op::all: {
                std::vector<MatcherPtr> parts;
                for (const TermQuery& part : query.parts) {
                    parts.push_back(build(part, weighted));
                    if (parts.back()->doc() == kEndOfList) return nothing();
                }
                return std::make_unique<PlainAllMatcher>(std::move(parts));
            }
            case TermQuery::Op::any: {
                std::vector<MatcherPtr> parts;
                for (const TermQuery& part : query.parts) {
                    MatcherPtr matcher = build(part, weighted);
                    if (matcher->doc() != kEndOfList) parts.push_back(std::move(matcher));
                }
                if (parts.empty()) return nothing();
                if (parts.size() == 1) return std::move(parts.front());
                return std::make_unique<AnyMatcher>(std::move(parts));
            }
            case TermQuery::Op::phrase: return phrase(query, weighted);
            case TermQuery::Op::and_maybe: {
                MatcherPtr required = build(query.parts.at(0), weighted);
                if (required->doc() == kEndOfList) return nothing();
                MatcherPtr optional = build(query.parts.at(1), weighted);
                if (optional->doc() == kEndOfList) return required;
                return std::make_unique<AndMaybeMatcher>(std::move(required), std::move(optional));
            }
            case TermQuery::Op::and_not: {
                MatcherPtr required = build(query.parts.at(0), weighted);
                if (required->doc() == kEndOfList) return nothing();
                MatcherPtr excluded = build(query.parts.at(1), false);
                if (excluded->doc() == kEndOfList) return required;
                return std::make_unique<AndNotMatcher>(std::move(required), std::move(excluded));
            }
        }
        return nothing();
    }

private:
    static MatcherPtr nothing() { return std::make_unique<NothingMatcher>(); }

    std::unique_ptr<TermMatcher> term(const std::string& name, bool weighted, bool with_positions) {
        const auto info = index_.find_term(name);
        if (!info) return nullptr;
        const double weight = weighted ? bm25_.term_weight(info->frequency) : 0;
        return std::make_unique<TermMatcher>(index_.cursor(*info, with_positions), weight, bm25_,
                                             index_.documents());
    }

    MatcherPtr phrase(const TermQuery& query, bool weighted) {
        const bool check_positions = index_.stats().has_positions;
        std::vector<MatcherPtr> parts;
        std::vector<TermMatcher*> terms;
        for (const TermQuery& part : query.parts) {
            // phrase_of() makes every part a term.
            if (part.op != TermQuery::Op::term) return nothing();
            auto matcher = term(part.term, weighted, check_positions);
            if (!matcher) return nothing();
            terms.push_back(matcher.get());
            parts.push_back(std::move(matcher));
        }
        return std::make_unique<PhraseMatcher>(std::move(parts), std::move(terms), check_positions);
    }

    const native::NativeIndex& index_;
    native::Bm25 bm25_;
};

// Xapian's order: score descending, then docid ascending.
struct ByRelevance {
    bool operator()(const MatchEngine::Match& a, const MatchEngine::Match& b) const {
        return a.score != b.score ? a.score > b.score : a.document < b.document;
    }
};

// A match under a date order: `key` is where its day ranks, lowest first (date_key).
struct DatedMatch {
    std::uint32_t key = 0;
    MatchEngine::Match match;
};

// Xapian's set_sort_by_key_then_relevance as xapian_engine.cc sets it up: the day, then the
// score descending, then the docid ascending.
struct ByDate {
    bool operator()(const DatedMatch& a, const DatedMatch& b) const {
        return a.key != b.key ? a.key < b.key : ByRelevance()(a.match, b.match);
    }
};

// Where a day ranks under a date order, lowest first; undated documents last in both orders.
std::uint32_t date_key(dates::DayNumber day, MatchEngine::Order order) {
    if (day == dates::kNoDay) return UINT32_MAX;
    return order == MatchEngine::Order::newest ? UINT32_MAX - day : day;
}

// The `wanted` best matches so far as `Before` ranks them, the worst on top of the heap.
template <typename Ranked, typename Before>
class TopMatches {
public:
    explicit TopMatches(std::size_t wanted) : wanted_(wanted) {}

    [[nodiscard]] bool full() const { return wanted_ > 0 && best_.size() == wanted_; }
    /// The match a new one must rank before to enter, once full.
    [[nodiscard]] const Ranked& worst() const { return best_.front(); }

    /// Whether `match` entered.
    bool offer(const Ranked& match) {
        if (wanted_ == 0) return false;
        if (best_.size() < wanted_) {
            best_.push_back(match);
            std::push_heap(best_.begin(), best_.end(), Before());
            return true;
        }
        if (!Before()(match, best_.front())) return false;
        std::pop_heap(best_.begin(), best_.end(), Before());
        best_.back() = match;
        std::push_heap(best_.begin(), best_.end(), Before());
        return true;
    }

    /// The matches from rank `offset` on, best first.
    [[nodiscard]] std::vector<Ranked> ranked(std::size_t offset) {
        std::sort(best_.begin(), best_.end(), Before());
        if (offset >= best_.size()) return {};
        return {best_.begin() + static_cast<long>(offset), best_.end()};
    }

private:
    std::size_t wanted_;
    std::vector<Ranked> best_;
};

std::size_t ranks_wanted(const MatchEngine::Request& request) {
    const std::size_t wanted = request.offset + request.limit;
    return wanted < request.offset ? SIZE_MAX : wanted;
}

// Ranked by BM25, leaving out what cannot enter the page once count_at_least matches are counted.
MatchEngine::Matches ranked_by_relevance(const native::NativeIndex& index, Matcher& root,
                                         const MatchEngine::Request& request) {
    const std::uint64_t bound = std::min<std::uint64_t>(root.bound(), index.stats().document_count);
    const std::size_t wanted = ranks_wanted(request);
    TopMatches<MatchEngine::Match, ByRelevance> top(wanted);
    std::size_t count = 0;
    // Where leaving documents out started: the matches counted by then, and the docid reached.
    std::size_t counted_in_full = 0;
    DocId pruned_from = 0;
    for (; root.doc() != kEndOfList; root.next()) {
        ++count;
        // Only counting: past count_at_least every document may be left out.
        if (wanted == 0 && count >= request.count_at_least) {
            counted_in_full = count;
            pruned_from = root.doc();
            break;
        }
        const bool entered = top.offer({root.doc(), root.score()});
        const bool starts = pruned_from == 0 && count >= request.count_at_least && top.full();
        if (starts) {
            counted_in_full = count;
            pruned_from = root.doc();
        }
        if (starts || (pruned_from != 0 && entered)) {
            const double lowest = top.worst().score;
            root.raise_threshold(lowest - std::fabs(lowest) * kThresholdMargin);
        }
    }
    MatchEngine::Matches matches;
    matches.ranked = top.ranked(request.offset);
    matches.exact = pruned_from == 0;
    const std::uint64_t upper_bound = matches.exact ? count : std::max<std::uint64_t>(bound, count);
    matches.upper_bound = upper_bound;
    if (matches.exact) {
        matches.estimate = count;
    } else {
        // As many matches after the docid where counting stopped as before it, for each docid.
        const double per_docid =
            static_cast<double>(counted_in_full) / static_cast<double>(pruned_from);
        const auto extrapolated =
            static_cast<std::uint64_t>(std::llround(per_docid * index.stats().last_docid));
        matches.estimate = std::clamp<std::uint64_t>(extrapolated, count, upper_bound);
    }
    return matches;
}

// The matches of each year and of each source, as they are walked.
class ValueCounter {
public:
    ValueCounter(const native::DocumentValues& values, const MatchEngine::Request& request)
        : values_(values),
          count_years_(request.count_years),
          count_sources_(request.count_sources),
          by_year_(count_years_ && values.last_year() != 0
                       ? values.last_year() - values.first_year() + 1
                       : 0),
          by_source_(count_sources_ ? values.source_count() + std::size_t{1} : 0) {}

    void add(DocId document, dates::DayNumber day) {
        if (count_years_ && day != dates::kNoDay) ++by_year_[day / 10000 - values_.first_year()];
        if (count_sources_) {
            const std::uint32_t source = values_.source(document);
            if (source != native::kNoSource) ++by_source_[source];
        }
    }

    void give(MatchEngine::Matches& matches) const {
        for (std::size_t k = 0; k < by_year_.size(); ++k) {
            if (by_year_[k] == 0) continue;
            // A year as the first four characters of its days.
            const auto year = static_cast<dates::DayNumber>(values_.first_year() + k);
            matches.years.push_back({dates::iso_day(year * 10000 + 101).substr(0, 4), by_year_[k]});
        }
        for (std::uint32_t source = 1; source < by_source_.size(); ++source) {
            if (by_source_[source] == 0) continue;
            matches.sources.push_back(
                {std::string(values_.source_name(source)), by_source_[source]});
        }
    }

private:
    const native::DocumentValues& values_;
    bool count_years_;
    bool count_sources_;
    std::vector<std::size_t> by_year_;    // from the first year the index holds
    std::vector<std::size_t> by_source_;  // by ordinal
};

// Every match walked: ranked by relevance or by date, counted exactly, and by year and source
// when asked.
MatchEngine::Matches walked_in_full(const native::NativeIndex& index, Matcher& root,
                                    const MatchEngine::Request& request) {
    const native::DocumentValues& values = index.values();
    ValueCounter counter(values, request);
    const bool by_date = request.order != MatchEngine::Order::relevance;
    TopMatches<MatchEngine::Match, ByRelevance> top_by_relevance(by_date ? 0
                                                                         : ranks_wanted(request));
    TopMatches<DatedMatch, ByDate> top_by_date(by_date ? ranks_wanted(request) : 0);
    std::size_t count = 0;
    for (; root.doc() != kEndOfList; root.next()) {
        ++count;
        const DocId document = root.doc();
        const dates::DayNumber day = values.day(document);
        counter.add(document, day);
        if (!by_date) {
            top_by_relevance.offer({document, root.score()});
            continue;
        }
        const std::uint32_t key = date_key(day, request.order);
        // A later day than every page's match cannot enter: its score is not needed.
        if (top_by_date.full() && key > top_by_date.worst().key) continue;
        top_by_date.offer({key, {document, root.score()}});
    }
    MatchEngine::Matches matches;
    if (by_date) {
        for (const DatedMatch& dated : top_by_date.ranked(request.offset)) {
            matches.ranked.push_back(dated.match);
        }
    } else {
        matches.ranked = top_by_relevance.ranked(request.offset);
    }
    matches.estimate = count;
    matches.upper_bound = count;
    matches.exact = true;
    counter.give(matches);
    return matches;
}

}  // namespace

MatchEngine::Matches match_native(const native::NativeIndex& index, const TermQuery& query,
                                  const MatchEngine::Request& request) {
    TreeBuilder builder(index);
    MatcherPtr root = builder.build(query, true);
    if (request.order == MatchEngine::Order::relevance && !request.count_years &&
        !request.count_sources) {
        return ranked_by_relevance(index, *root, request);
    }
    return walked_in_full(index, *root, request);
}

}  // namespace trouvere::searcher
