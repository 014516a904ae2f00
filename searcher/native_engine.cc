#include "searcher/native_engine.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "native/bm25.h"
#include "native/damaged.h"

namespace trouvere::searcher {

namespace {

using native::kEndOfList;
using DocId = std::uint32_t;

// A node of the matching tree, evaluated document at a time: it stands on its current match (the
// lowest docid it matches from where it was moved to, kEndOfList after the last), and moves only
// forwards. Nodes are made standing on their first match.
class Matcher {
public:
    Matcher() = default;
    virtual ~Matcher() = default;
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;
    Matcher(Matcher&&) = delete;
    Matcher& operator=(Matcher&&) = delete;

    [[nodiscard]] DocId doc() const { return doc_; }
    /// To the next match.
    virtual void next() = 0;
    /// To the first match at `target` or after; nowhere when already there.
    virtual void skip_to(DocId target) = 0;
    /// The BM25 score of the current match.
    [[nodiscard]] virtual double score() = 0;
    /// The number of documents this node can match at most, to lead intersections with the
    /// rarest.
    [[nodiscard]] virtual std::uint64_t bound() const = 0;

protected:
    void stand_on(DocId document) { doc_ = document; }

private:
    DocId doc_ = kEndOfList;
};

using MatcherPtr = std::unique_ptr<Matcher>;

class NothingMatcher final : public Matcher {
public:
    void next() override {}
    void skip_to(DocId /*target*/) override {}
    double score() override { return 0; }
    [[nodiscard]] std::uint64_t bound() const override { return 0; }
};

// Every document, weighing nothing, as Xapian's MatchAll.
class EverythingMatcher final : public Matcher {
public:
    explicit EverythingMatcher(const native::NativeIndex& index)
        : documents_(index.documents()), count_(index.stats().document_count) {
        stand_on(documents_.next_document(1));
    }
    void next() override {
        if (doc() != kEndOfList) stand_on(documents_.next_document(doc() + 1));
    }
    void skip_to(DocId target) override {
        if (target > doc()) stand_on(documents_.next_document(target));
    }
    double score() override { return 0; }
    [[nodiscard]] std::uint64_t bound() const override { return count_; }

private:
    const native::DocumentTable& documents_;
    std::uint64_t count_;
};

class TermMatcher final : public Matcher {
public:
    TermMatcher(const native::PostingCursor& cursor, double weight, const native::Bm25& bm25,
                const native::DocumentTable& documents)
        : cursor_(cursor), weight_(weight), bm25_(bm25), documents_(documents) {
        stand_on(cursor_.doc());
    }
    void next() override {
        cursor_.next();
        stand_on(cursor_.doc());
    }
    void skip_to(DocId target) override {
        cursor_.skip_to(target);
        stand_on(cursor_.doc());
    }
    double score() override {
        return weight_ * bm25_.tf_part(cursor_.wdf(), documents_.length(doc()));
    }
    [[nodiscard]] std::uint64_t bound() const override { return cursor_.frequency(); }

    native::PostingCursor& cursor() { return cursor_; }

private:
    native::PostingCursor cursor_;
    double weight_;
    const native::Bm25& bm25_;
    const native::DocumentTable& documents_;
};

// Documents every part matches; their scores add up.
class AllMatcher : public Matcher {
public:
    explicit AllMatcher(std::vector<MatcherPtr> parts) : parts_(std::move(parts)) {
        for (const MatcherPtr& part : parts_) by_rarity_.push_back(part.get());
        std::stable_sort(
            by_rarity_.begin(), by_rarity_.end(),
            [](const Matcher* a, const Matcher* b) { return a->bound() < b->bound(); });
    }
    void next() override {
        if (doc() != kEndOfList) settle(doc() + 1);
    }
    void skip_to(DocId target) override {
        if (target > doc()) settle(target);
    }
    double score() override {
        double sum = 0;
        for (const MatcherPtr& part : parts_) sum += part->score();
        return sum;
    }
    [[nodiscard]] std::uint64_t bound() const override { return by_rarity_.front()->bound(); }

protected:
    // Stands on the first document from `target` on that every part matches, the rarest part
    // proposing candidates and the others confirming or moving the candidate on.
    void settle(DocId target) {
        DocId candidate = target;
        for (;;) {
            bool agreed = true;
            for (Matcher* part : by_rarity_) {
                part->skip_to(candidate);
                if (part->doc() != candidate) {
                    candidate = part->doc();
                    agreed = false;
                    break;
                }
            }
            if (agreed || candidate == kEndOfList) {
                stand_on(candidate);
                if (agreed && candidate != kEndOfList && !accepts(candidate)) {
                    if (candidate == kEndOfList - 1) {
                        stand_on(kEndOfList);
                        return;
                    }
                    candidate += 1;
                    continue;
                }
                return;
            }
        }
    }
    /// Whether a document every part matches is a match (a phrase checks its positions).
    virtual bool accepts(DocId /*document*/) { return true; }

private:
    std::vector<MatcherPtr> parts_;
    std::vector<Matcher*> by_rarity_;
};

// Terms adjacent and in order: an AND whose candidates are checked on the terms' positions, as
// Xapian's exact phrase does. Without positions in the whole database, Xapian matches a phrase as
// an AND, and so does this.
class PhraseMatcher final : public AllMatcher {
public:
    PhraseMatcher(std::vector<MatcherPtr> parts, std::vector<TermMatcher*> terms,
                  bool check_positions)
        : AllMatcher(std::move(parts)),
          terms_(std::move(terms)),
          check_positions_(check_positions),
          positions_(terms_.size()) {
        settle(1);
    }

private:
    bool accepts(DocId /*document*/) override {
        if (!check_positions_) return true;
        for (std::size_t k = 0; k < terms_.size(); ++k) {
            terms_[k]->cursor().positions(positions_[k]);
            if (positions_[k].empty()) return false;
        }
        for (std::uint32_t start : positions_[0]) {
            bool found = true;
            for (std::size_t k = 1; k < terms_.size() && found; ++k) {
                const std::uint64_t wanted = std::uint64_t{start} + k;
                found = std::binary_search(positions_[k].begin(), positions_[k].end(), wanted);
            }
            if (found) return true;
        }
        return false;
    }

    std::vector<TermMatcher*> terms_;
    bool check_positions_;
    std::vector<std::vector<std::uint32_t>> positions_;
};

class PlainAllMatcher final : public AllMatcher {
public:
    explicit PlainAllMatcher(std::vector<MatcherPtr> parts) : AllMatcher(std::move(parts)) {
        settle(1);
    }
};

// Documents one part at least matches; the scores of those that do add up.
class AnyMatcher final : public Matcher {
public:
    explicit AnyMatcher(std::vector<MatcherPtr> parts) : parts_(std::move(parts)) { update(); }
    void next() override {
        const DocId current = doc();
        if (current == kEndOfList) return;
        for (const MatcherPtr& part : parts_) {
            if (part->doc() == current) part->next();
        }
        update();
    }
    void skip_to(DocId target) override {
        if (target <= doc()) return;
        for (const MatcherPtr& part : parts_) part->skip_to(target);
        update();
    }
    double score() override {
        double sum = 0;
        for (const MatcherPtr& part : parts_) {
            if (part->doc() == doc()) sum += part->score();
        }
        return sum;
    }
    [[nodiscard]] std::uint64_t bound() const override {
        std::uint64_t sum = 0;
        for (const MatcherPtr& part : parts_) sum += part->bound();
        return sum;
    }

private:
    void update() {
        DocId lowest = kEndOfList;
        for (const MatcherPtr& part : parts_) lowest = std::min(lowest, part->doc());
        stand_on(lowest);
    }

    std::vector<MatcherPtr> parts_;
};

// What `required` matches, with the weight of `optional` added where it matches too.
class AndMaybeMatcher final : public Matcher {
public:
    AndMaybeMatcher(MatcherPtr required, MatcherPtr optional)
        : required_(std::move(required)), optional_(std::move(optional)) {
        stand_on(required_->doc());
    }
    void next() override {
        required_->next();
        stand_on(required_->doc());
    }
    void skip_to(DocId target) override {
        required_->skip_to(target);
        stand_on(required_->doc());
    }
    double score() override {
        double sum = required_->score();
        optional_->skip_to(doc());
        if (optional_->doc() == doc()) sum += optional_->score();
        return sum;
    }
    [[nodiscard]] std::uint64_t bound() const override { return required_->bound(); }

private:
    MatcherPtr required_;
    MatcherPtr optional_;
};

// What `required` matches and `excluded` does not; `excluded` weighs nothing.
class AndNotMatcher final : public Matcher {
public:
    AndNotMatcher(MatcherPtr required, MatcherPtr excluded)
        : required_(std::move(required)), excluded_(std::move(excluded)) {
        settle();
    }
    void next() override {
        required_->next();
        settle();
    }
    void skip_to(DocId target) override {
        if (target <= doc()) return;
        required_->skip_to(target);
        settle();
    }
    double score() override { return required_->score(); }
    [[nodiscard]] std::uint64_t bound() const override { return required_->bound(); }

private:
    void settle() {
        for (;;) {
            const DocId candidate = required_->doc();
            if (candidate == kEndOfList) break;
            excluded_->skip_to(candidate);
            if (excluded_->doc() != candidate) break;
            required_->next();
        }
        stand_on(required_->doc());
    }

    MatcherPtr required_;
    MatcherPtr excluded_;
};

class TreeBuilder {
public:
    explicit TreeBuilder(const native::NativeIndex& index) : index_(index), bm25_(index.stats()) {}

    // `weighted`: whether the node's scores count (not under an exclusion).
    MatcherPtr build(const TermQuery& query, bool weighted) {
        switch (query.op) {
            case TermQuery::Op::nothing: return nothing();
            case TermQuery::Op::everything: return std::make_unique<EverythingMatcher>(index_);
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
bool ranks_before(const MatchEngine::Match& a, const MatchEngine::Match& b) {
    return a.score != b.score ? a.score > b.score : a.document < b.document;
}

std::string damaged_in(const native::NativeIndex& index, const native::Damaged& error) {
    const std::string what = error.what();
    const std::string path = index.file().path().string();
    return what.find(path) != std::string::npos ? what
                                                : "native index " + path + " is damaged: " + what;
}

}  // namespace

NativeEngine::NativeEngine(std::shared_ptr<const native::NativeIndex> index)
    : index_(std::move(index)) {}

MatchEngine::Matches NativeEngine::match(const TermQuery& query, std::size_t offset,
                                         std::size_t limit) {
    try {
        TreeBuilder builder(*index_);
        MatcherPtr root = builder.build(query, true);
        const std::size_t wanted = offset + limit < offset ? SIZE_MAX : offset + limit;
        // The `wanted` best so far, the worst on top of the heap.
        std::vector<Match> best;
        std::size_t count = 0;
        for (; root->doc() != kEndOfList; root->next()) {
            ++count;
            if (wanted == 0) continue;
            const Match candidate{root->doc(), root->score()};
            if (best.size() < wanted) {
                best.push_back(candidate);
                std::push_heap(best.begin(), best.end(), ranks_before);
            } else if (candidate.score > best.front().score) {
                // Documents come in docid order, so an equal score never ranks before.
                std::pop_heap(best.begin(), best.end(), ranks_before);
                best.back() = candidate;
                std::push_heap(best.begin(), best.end(), ranks_before);
            }
        }
        std::sort(best.begin(), best.end(), ranks_before);
        Matches matches;
        matches.estimate = count;
        matches.upper_bound = count;
        if (offset < best.size())
            matches.ranked.assign(best.begin() + static_cast<long>(offset), best.end());
        return matches;
    } catch (const native::Damaged& error) {
        throw native::Damaged(damaged_in(*index_, error));
    }
}

std::string NativeEngine::header(DocumentNumber document) {
    return std::string(index_->header(document));
}

std::string NativeEngine::full_record(DocumentNumber document) {
    return std::string(index_->full_record(document));
}

std::vector<std::uint32_t> NativeEngine::positions(DocumentNumber document,
                                                   const std::string& term) {
    std::vector<std::uint32_t> found;
    try {
        const auto info = index_->find_term(term);
        if (!info) return found;
        native::PostingCursor cursor = index_->cursor(*info, true);
        cursor.skip_to(document);
        if (cursor.doc() == document) cursor.positions(found);
    } catch (const native::Damaged& error) {
        throw native::Damaged(damaged_in(*index_, error));
    }
    return found;
}

std::size_t NativeEngine::document_count() const {
    return index_->stats().document_count;
}

MatchEngine::State NativeEngine::state() {
    return {index_->source().uuid, index_->source().revision};
}

NativeOpening open_native_engine(const std::string& path, MatchEngine& records,
                                 std::unique_ptr<NativeEngine> current) {
    const std::filesystem::path file = std::filesystem::path(path) / native::kFileName;
    const MatchEngine::State wanted = records.state();
    if (current) {
        struct stat status {};
        if (::stat(file.c_str(), &status) == 0 &&
            status.st_dev == current->index().file().device() &&
            status.st_ino == current->index().file().inode() && current->state() == wanted) {
            return {std::move(current), {}, false};
        }
    }
    auto opened = native::NativeIndex::open(file);
    if (!opened.index) {
        return {nullptr, opened.reason, opened.refusal != native::Refusal::missing};
    }
    if (opened.index->source().uuid != wanted.uuid ||
        opened.index->source().revision != wanted.revision) {
        return {nullptr,
                "native index " + file.string() +
                    " was built from another state of the database; search-index brings it up "
                    "to date",
                false};
    }
    NativeOpening opening;
    opening.engine = std::make_unique<NativeEngine>(std::move(opened.index));
    return opening;
}

}  // namespace trouvere::searcher
