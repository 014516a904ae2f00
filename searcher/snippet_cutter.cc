#include "searcher/snippet_cutter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "analysis/sentence_breaks.h"
#include "analysis/word_segmenter.h"
#include "core/stored_document.h"
#include "trouvere/error.h"

namespace trouvere::searcher::snippets {

namespace {

// Context shown before a match whose sentence does not fit: a few words, enough to read it by.
constexpr std::size_t kMaxLeadColumns = 50;
// Below this, two passages would each be too short to read.
constexpr std::size_t kMinTwoPassageColumns = 100;

// Creating an ICU break iterator costs more than cutting a snippet, so each thread keeps one of
// each kind and only points it at each new text. The sentence iterator is made only when a text
// has no usable stored sentence breaks: in an index of this version, never.
icu::BreakIterator& thread_word_iterator() {
    thread_local std::unique_ptr<icu::BreakIterator> iterator = analysis::make_word_iterator();
    return *iterator;
}

icu::BreakIterator& thread_sentence_iterator() {
    thread_local std::unique_ptr<icu::BreakIterator> iterator = analysis::make_sentence_iterator();
    return *iterator;
}

// The sentence boundaries of a text, found as far as its passages need them: read from those
// indexing stored when there are any, else found by ICU's rules over the whole text. Both give
// analysis::sentence_breaks(text), so a snippet does not depend on which was used. Stored
// boundaries that turn out damaged are dropped and ICU starts over.
class SentenceBoundaries {
public:
    SentenceBoundaries(std::string_view text, std::string_view stored) : text_(text) {
        if (!stored.empty()) stored_.emplace(stored, text);
    }

    // Finds every boundary up to the first at or past `offset`.
    void reach(std::size_t offset) {
        while (!finished_ && (known_.empty() || known_.back() < offset)) {
            std::optional<std::size_t> next = next_boundary();
            if (next) {
                known_.push_back(*next);
            } else {
                finished_ = true;
            }
        }
    }

    // The last boundary at or before `offset`, which reach() must have passed.
    [[nodiscard]] std::size_t at_or_before(std::size_t offset) const {
        auto after = std::upper_bound(known_.begin(), known_.end(), offset);
        return after == known_.begin() ? 0 : *(after - 1);
    }

    [[nodiscard]] bool contains(std::size_t offset) const {
        return std::binary_search(known_.begin(), known_.end(), offset);
    }

private:
    std::optional<std::size_t> next_boundary() {
        if (stored_) {
            std::optional<std::size_t> next = stored_->next();
            if (next || !stored_->damaged()) return next;
            stored_.reset();
            known_.clear();
        }
        if (!walker_) walker_.emplace(thread_sentence_iterator(), text_);
        return walker_->next();
    }

    std::string_view text_;
    std::optional<stored::SentenceBreakReader> stored_;
    std::optional<analysis::SentenceWalker> walker_;
    std::vector<std::size_t> known_;  // ascending
    bool finished_ = false;
};

// Chooses passage boundaries in one text: sentence boundaries where the sentence fits, else word
// boundaries that touch whitespace, so that no word is cut unless it alone exceeds the budget.
//
// Word boundaries are ICU's (UAX #29). Beside ASCII whitespace, where passages nearly always start
// and end, analysis::word_break_beside_ascii_space decides them; ICU's word iterator is asked only
// elsewhere (a token after an elided article, a text without whitespace), and then sees a window of
// the text around the match: `budget` columns on either side, the most a passage can reach, plus
// kBreakContextBytes of context for the rules. A word iterator over a whole long document backs up
// a long way to a safe point on every query, which made cutting cost as much as analysing.
class Cutter {
public:
    Cutter(std::string_view text, Range content, SentenceBoundaries& sentences)
        : text_(text), content_(content), sentences_(sentences) {}

    ~Cutter() { detach(); }
    Cutter(const Cutter&) = delete;
    Cutter& operator=(const Cutter&) = delete;

    // The passage, within `bounds` and `budget` columns, that shows `match` with the context
    // around it.
    Range around(Range match, std::size_t budget, Range bounds) {
        focus(match, budget);
        // A token starts after an elided article (`accord` in `l’accord`); the passage must not.
        match.begin = std::max(word_at_or_before(match.begin), bounds.begin);
        std::size_t match_columns = count_columns(text_, match.begin, match.end, budget);
        if (match_columns > budget) {
            // A word or phrase longer than the whole budget: the one case where a word is cut.
            return {match.begin,
                    ColumnWalker(text_, match.begin).advance_within(budget, bounds.end)};
        }
        std::size_t start = std::max(sentence_at_or_before(match.begin), bounds.begin);
        if (count_columns(text_, start, match.end, budget) > budget) {
            std::size_t lead = std::min((budget - match_columns) / 2, kMaxLeadColumns);
            start = extend_back(match.begin, lead, bounds.begin);
        }
        std::size_t end = cut_end(start, match.end, budget, bounds.end);
        // Room left after the end goes to the text before the start, unless that would only
        // add the tail of the previous sentence while there is more text to show after the end.
        std::size_t used = count_columns(text_, start, end, budget);
        bool at_last_end = end >= std::min(bounds.end, content_.end);
        if (used < budget && (at_last_end || !is_sentence_boundary(start))) {
            start = extend_back(start, budget - used, bounds.begin);
        }
        return {start, end};
    }

    // The start of the text, within `budget` columns.
    Range opening(std::size_t budget) {
        focus({content_.begin, content_.begin}, budget);
        return {content_.begin, cut_end(content_.begin, content_.begin, budget, text_.size())};
    }

private:
    static constexpr std::size_t kBreakContextBytes = 64;

    // Sets the window of the text a passage showing `match` can touch, for the word iterator
    // when it is needed, and finds the sentence boundaries in it. The window's start, a walk back
    // over `budget` columns, is found only when the word iterator is needed, which is rarely.
    void focus(Range match, std::size_t budget) {
        std::size_t end = ColumnWalker(text_, match.end).advance_within(budget + 1, text_.size());
        end = std::min(end + kBreakContextBytes, text_.size());
        while (end < text_.size() && text::is_continuation_byte(text_[end])) ++end;
        if (match.begin != focus_begin_ || budget != focus_budget_ || end != window_.end) {
            detach();
            focus_begin_ = match.begin;
            focus_budget_ = budget;
            window_ = {kNone, end};
        }
        sentences_.reach(end);
    }

    // The word iterator, pointed at the window; made for this thread on first use. Offsets go
    // to and from ICU (to_icu, from_icu) only through it.
    icu::BreakIterator& words() {
        if (attached_) return *words_;
        if (words_ == nullptr) words_ = &thread_word_iterator();
        if (window_.begin == kNone) {
            std::size_t begin = columns_before(focus_begin_, focus_budget_);
            begin = begin > kBreakContextBytes ? begin - kBreakContextBytes : 0;
            while (begin > 0 && text::is_continuation_byte(text_[begin])) --begin;
            window_.begin = begin;
        }
        UErrorCode status = U_ZERO_ERROR;
        utext_openUTF8(&utext_, text_.data() + window_.begin,
                       static_cast<int64_t>(window_.end - window_.begin), &status);
        words_->setText(&utext_, status);
        attached_ = true;
        if (U_FAILURE(status)) {
            detach();
            throw Error(std::string("ICU cannot read the snippet text: ") + u_errorName(status));
        }
        return *words_;
    }

    void detach() {
        if (!attached_) return;
        words_->setText(icu::UnicodeString());
        utext_close(&utext_);
        attached_ = false;
    }

    // The offset `columns` columns before `from`, counted as ColumnWalker counts them.
    [[nodiscard]] std::size_t columns_before(std::size_t from, std::size_t columns) const {
        std::size_t counted = 0;
        bool in_space = false;
        while (from > 0 && counted <= columns) {
            if (is_ascii_graphic(text_[from - 1])) {
                ++counted;
                in_space = false;
                --from;
                continue;
            }
            auto [start, c] = previous_unit(text_, from, 0);
            bool space = text::is_white_space(c);
            if (!(space && in_space)) ++counted;
            in_space = space;
            from = start;
        }
        return from;
    }

    // Offsets in and out of the window ICU sees. Every offset asked about lies in the window by
    // construction; clamping only keeps a mistake from reaching ICU.
    [[nodiscard]] int32_t to_icu(std::size_t offset) const {
        offset = std::clamp(offset, window_.begin, window_.end);
        return static_cast<int32_t>(offset - window_.begin);
    }

    [[nodiscard]] std::size_t from_icu(int32_t boundary) const {
        return boundary == icu::BreakIterator::DONE
                   ? kNone
                   : window_.begin + static_cast<std::size_t>(boundary);
    }

    [[nodiscard]] std::size_t sentence_at_or_before(std::size_t offset) const {
        return sentences_.at_or_before(offset);
    }

    [[nodiscard]] bool is_sentence_boundary(std::size_t offset) const {
        return sentences_.contains(offset);
    }

    bool is_word_boundary(std::size_t offset) {
        if (offset == 0 || offset >= text_.size()) return true;
        std::optional<bool> breaks = analysis::word_break_beside_ascii_space(
            previous_unit(text_, offset, 0).second, next_unit(text_, offset).c);
        if (breaks) return *breaks;
        icu::BreakIterator& iterator = words();
        return iterator.isBoundary(to_icu(offset)) != 0;
    }

    std::size_t word_at_or_before(std::size_t offset) {
        if (is_word_boundary(offset)) return offset;
        icu::BreakIterator& iterator = words();
        return from_icu(iterator.preceding(to_icu(offset)));
    }

    [[nodiscard]] bool before_space(std::size_t offset) const {
        return offset >= text_.size() || next_unit(text_, offset).space;
    }

    // The last word boundary before `at` that follows whitespace, or `floor` if that is a word
    // boundary and there is none; kNone if there is neither within `room` columns of `at`.
    std::size_t boundary_after_space_before(std::size_t at, std::size_t floor, std::size_t room) {
        std::size_t position = at;
        std::size_t counted = 0;  // columns from `position` to `at`, counted backwards
        bool in_space = false;
        while (position > floor) {
            if (position < at && counted > room) return kNone;
            if (is_ascii_graphic(text_[position - 1])) {
                ++counted;
                in_space = false;
                --position;
                continue;
            }
            auto [start, c] = previous_unit(text_, position, floor);
            bool space = text::is_white_space(c);
            if (position < at && space && is_word_boundary(position)) return position;
            if (!(space && in_space)) ++counted;
            in_space = space;
            position = start;
        }
        return position < at && counted <= room && is_word_boundary(position) ? position : kNone;
    }

    // The earliest start, not before `floor`, that adds at most `room` columns before `from`: a
    // sentence start when one uses at least half the room, else a word start after whitespace.
    std::size_t extend_back(std::size_t from, std::size_t room, std::size_t floor) {
        std::size_t word_start = from;
        std::size_t sentence_start = kNone;
        std::size_t used = 0;
        for (std::size_t at = from; at > floor;) {
            std::size_t previous = boundary_after_space_before(at, floor, room - used);
            if (previous == kNone) break;
            // Counted forwards, as the passage will be rendered: the backward count of
            // boundary_after_space_before only bounds its search.
            // NOLINTNEXTLINE(readability-suspicious-call-argument): previous starts, room caps
            used += count_columns(text_, previous, at, room);
            if (used > room) break;
            at = previous;
            word_start = at;
            if (2 * used >= room && is_sentence_boundary(at)) sentence_start = at;
        }
        return sentence_start != kNone ? sentence_start : word_start;
    }

    // The end of a passage starting at `start` that keeps `match_end` and fits `budget` columns,
    // not past `ceiling`: the rest of the text when it fits, else a sentence end that fills at
    // least half the budget, else the last word end before whitespace.
    std::size_t cut_end(std::size_t start, std::size_t match_end, std::size_t budget,
                        std::size_t ceiling) {
        std::size_t limit = ColumnWalker(text_, start).advance_within(budget, ceiling);
        if (limit >= std::min(ceiling, content_.end)) return limit;

        std::size_t sentence_end = sentence_at_or_before(limit);
        if (sentence_end >= match_end && sentence_end > start &&
            2 * count_columns(text_, start, sentence_end, budget) >= budget) {
            return sentence_end;
        }
        for (std::size_t at = limit; at > start && at >= match_end;
             at = previous_unit(text_, at, start).first) {
            if (before_space(at) && is_word_boundary(at)) return at;
        }
        // No whitespace to cut at: any word boundary, else mid-word (a word over the budget).
        std::size_t word_end = word_at_or_before(limit);
        return word_end != kNone && word_end > start && word_end >= match_end ? word_end : limit;
    }

    std::string_view text_;
    Range content_;
    SentenceBoundaries& sentences_;        // known up to the window's end
    icu::BreakIterator* words_ = nullptr;  // the thread's, once needed
    UText utext_ = UTEXT_INITIALIZER;
    bool attached_ = false;
    std::size_t focus_begin_ = kNone;  // the match and budget of the last focus()
    std::size_t focus_budget_ = 0;
    Range window_;  // its start kNone until words() finds it
};

}  // namespace

std::vector<Range> choose_passages(std::string_view text, Range content,
                                   std::string_view stored_sentence_breaks, const Matches& matches,
                                   std::size_t budget) {
    SentenceBoundaries sentences(text, stored_sentence_breaks);
    Cutter cutter(text, content, sentences);
    const std::vector<Occurrence>& occurrences = matches.occurrences;
    if (occurrences.empty()) return {cutter.opening(budget)};
    const Range whole{0, text.size()};

    std::vector<std::uint32_t> counts(matches.key_count, 0);
    Window best = best_window(occurrences, 0, occurrences.size(), budget, counts);
    Range single = cutter.around(span_of(occurrences, best, counts), budget, whole);
    if (best.distinct == matches.distinct || budget < kMinTwoPassageColumns) return {single};

    // Terms are left out of the best passage: try two half-length passages that show more.
    std::size_t first_budget = (budget - kSeparatorColumns) / 2;
    Window first = best_window(occurrences, 0, occurrences.size(), first_budget, counts);
    Range first_range = cutter.around(span_of(occurrences, first, counts), first_budget, whole);

    std::vector<char> covered(matches.key_count, 0);
    std::uint32_t covered_count = 0;
    std::vector<Occurrence> others;  // occurrences of the keys the first passage lacks, outside it
    for (const Occurrence& occurrence : occurrences) {
        if (occurrence.begin >= first_range.begin && occurrence.end <= first_range.end &&
            !covered[occurrence.key]) {
            covered[occurrence.key] = 1;
            ++covered_count;
        }
    }
    for (const Occurrence& occurrence : occurrences) {
        if (!covered[occurrence.key] &&
            (occurrence.end <= first_range.begin || occurrence.begin >= first_range.end)) {
            others.push_back(occurrence);
        }
    }
    auto split = static_cast<std::size_t>(std::partition_point(others.begin(), others.end(),
                                                               [&](const Occurrence& occurrence) {
                                                                   return occurrence.begin <
                                                                          first_range.begin;
                                                               }) -
                                          others.begin());
    std::size_t second_budget = budget - kSeparatorColumns -
                                count_columns(text, first_range.begin, first_range.end, budget);
    Window before = best_window(others, 0, split, second_budget, counts);
    Window after = best_window(others, split, others.size(), second_budget, counts);
    bool second_is_before = !after.better_than(before);
    const Window& second = second_is_before ? before : after;
    if (second.distinct == 0) {
        // Nothing left for a second passage. The first still shows more keys than the best
        // window when a match longer than the budget (a long phrase) kept that window from
        // growing past it: then that passage wins, at full length.
        if (covered_count <= best.distinct) return {single};
        return {cutter.around(span_of(occurrences, first, counts), budget, whole)};
    }
    if (covered_count + second.distinct <= best.distinct) return {single};

    Range bounds =
        second_is_before ? Range{0, first_range.begin} : Range{first_range.end, text.size()};
    Range second_range = cutter.around(span_of(others, second, counts), second_budget, bounds);
    Range earlier = second_is_before ? second_range : first_range;
    Range later = second_is_before ? first_range : second_range;
    if (only_space_between(text, earlier.end, later.begin)) return {{earlier.begin, later.end}};
    return {earlier, later};
}

}  // namespace trouvere::searcher::snippets
