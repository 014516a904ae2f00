// Snippet selection. Which words match is the analyser's decision alone (so `l’accord` marks
// `accord` and `militaires` marks `militaire`); this file only decides where passages start and
// end, and how they are rendered.
//
// Lengths are counted in columns: code points of the rendered snippet, where a whitespace run
// renders as one character and each invalid UTF-8 sequence as U+FFFD. Counting a range piece by
// piece never gives less than counting it whole, so a limit checked on pieces also holds for the
// whole; that is how every snippet stays within `max_chars` without being rendered twice.

#include "searcher/snippet_builder.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>

#include "analysis/sentence_breaks.h"
#include "analysis/word_segmenter.h"
#include "core/stored_document.h"
#include "text/utf8.h"
#include "text/white_space.h"
#include "trouvere/error.h"

namespace trouvere::searcher {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
constexpr std::string_view kPassageSeparator = " \xE2\x80\xA6 ";
// U+FFFD REPLACEMENT CHARACTER, shown for each invalid byte sequence.
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
constexpr std::size_t kEllipsisColumns = 1;
constexpr std::size_t kSeparatorColumns = 3;
// Context shown before a match whose sentence does not fit: a few words, enough to read it by.
constexpr std::size_t kMaxLeadColumns = 50;
// Below this, two passages would each be too short to read.
constexpr std::size_t kMinTwoPassageColumns = 100;
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

struct Range {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// One code point, or one invalid sequence (c < 0) that renders as U+FFFD.
struct Unit {
    std::size_t next = 0;
    UChar32 c = 0;
    bool space = false;
};

// Printable ASCII other than the space: one column per byte. Most of a French text is runs of
// these, which the column counting below takes without decoding them one unit at a time.
inline bool is_ascii_graphic(char byte) {
    auto value = static_cast<unsigned char>(byte);
    return value > ' ' && value < 0x7F;
}

Unit next_multibyte_unit(std::string_view text, std::size_t offset) {
    Unit unit;
    unit.c = text::decode_at(text, offset, unit.next);
    unit.space = text::is_white_space(unit.c);
    return unit;
}

// Kept apart from the multibyte case, and inline, because it runs once per byte when the columns
// of a whole document are counted.
inline Unit next_unit(std::string_view text, std::size_t offset) {
    auto byte = static_cast<unsigned char>(text[offset]);
    if (byte < 0x80) return {offset + 1, byte, text::is_ascii_white_space(text[offset])};
    return next_multibyte_unit(text, offset);
}

// Code point ending at `offset` (not before `floor`), and where it starts; c < 0 when invalid.
std::pair<std::size_t, UChar32> previous_unit(std::string_view text, std::size_t offset,
                                              std::size_t floor) {
    std::size_t start = 0;
    const UChar32 c = text::decode_before(text, offset, floor, start);
    return {start, c};
}

// Walks the text forward, counting columns.
class ColumnWalker {
public:
    ColumnWalker(std::string_view text, std::size_t offset) : text_(text), offset_(offset) {}

    // Advances to `offset`, stopping early once more than `cap` columns are counted; returns the
    // columns counted (more than `cap` means the range does not fit in `cap`).
    std::size_t advance_to(std::size_t offset, std::size_t cap = kNone) {
        while (offset_ < offset && columns_ <= cap) {
            // Up to the first column past `cap`, as taking one unit at a time would stop.
            std::size_t room = cap - columns_;
            take_graphic_run(room < offset - offset_ ? offset_ + room + 1 : offset);
            if (offset_ < offset && columns_ <= cap) take(next_unit(text_, offset_));
        }
        return columns_;
    }

    // Advances to `offset` like advance_to, but once more than `gap` columns are counted on the
    // way, jumps there: the columns counted are exact when the way is at most `gap` columns
    // long, else `gap` + 1.
    std::size_t advance_or_skip_to(std::size_t offset, std::size_t gap) {
        advance_to(offset, gap > kNone - columns_ ? kNone : columns_ + gap);
        if (offset_ < offset) {
            offset_ = offset;
            in_space_ = text::is_white_space(previous_unit(text_, offset, 0).second);
        }
        return columns_;
    }

    // Advances as far towards `limit` as `budget` columns allow; returns the offset reached, which
    // is always at the end of a unit.
    std::size_t advance_within(std::size_t budget, std::size_t limit) {
        while (offset_ < limit) {
            if (columns_ < budget) {
                take_graphic_run(offset_ + std::min(budget - columns_, limit - offset_));
                if (offset_ == limit) break;
            }
            Unit unit = next_unit(text_, offset_);
            bool opens_column = !(unit.space && in_space_);
            if (unit.next > limit || (opens_column && columns_ >= budget)) break;
            take(unit);
        }
        return offset_;
    }

private:
    void take(const Unit& unit) {
        if (!(unit.space && in_space_)) ++columns_;
        in_space_ = unit.space;
        offset_ = unit.next;
    }

    // Takes the printable ASCII from here to `limit` at most.
    void take_graphic_run(std::size_t limit) {
        std::size_t start = offset_;
        while (offset_ < limit && is_ascii_graphic(text_[offset_])) ++offset_;
        if (offset_ == start) return;
        columns_ += offset_ - start;
        in_space_ = false;
    }

    std::string_view text_;
    std::size_t offset_;
    std::size_t columns_ = 0;
    bool in_space_ = false;
};

std::size_t count_columns(std::string_view text, std::size_t from, std::size_t to,
                          std::size_t cap = kNone) {
    return ColumnWalker(text, from).advance_to(to, cap);
}

// `range` without whitespace at either end.
Range trimmed(std::string_view text, Range range) {
    while (range.begin < range.end) {
        Unit unit = next_unit(text, range.begin);
        if (!unit.space || unit.next > range.end) break;
        range.begin = unit.next;
    }
    while (range.end > range.begin) {
        auto [start, c] = previous_unit(text, range.end, range.begin);
        if (!text::is_white_space(c)) break;
        range.end = start;
    }
    return range;
}

bool only_space_between(std::string_view text, std::size_t from, std::size_t to) {
    while (from < to) {
        Unit unit = next_unit(text, from);
        if (!unit.space) return false;
        from = unit.next;
    }
    return true;
}

// The text already says it is cut (a lead paragraph ending in `des…`): a second `…` would stutter.
bool starts_with_ellipsis(std::string_view text) {
    return text.starts_with(kEllipsis) || text.starts_with("...");
}

bool ends_with_ellipsis(std::string_view text) {
    return text.ends_with(kEllipsis) || text.ends_with("...");
}

// A matched word, or a whole phrase occurrence, as the passage chooser sees it.
struct Hit {
    std::size_t begin = 0;  // bytes
    std::size_t end = 0;
    // Columns from the first marked word: only their differences are used, so the text before
    // the first match (most of a long article, for a rare word) is never counted. A difference
    // is exact up to the budget find_matches was given; past it, it only says "more".
    std::size_t column_begin = 0;
    std::size_t column_end = 0;
    std::uint32_t key = 0;  // the term or phrase matched: terms first, then phrases
};

struct Matches {
    std::vector<std::size_t> marked;  // indices of the tokens to highlight, in text order
    std::vector<Hit> hits;            // sorted by begin, then end
    std::uint32_t key_count = 0;
    std::uint32_t distinct = 0;  // keys found at least once
};

bool phrase_at(const std::vector<Token>& tokens, std::size_t first,
               const std::vector<std::string>& phrase) {
    if (tokens.size() - first < phrase.size()) return false;
    for (std::size_t k = 0; k < phrase.size(); ++k) {
        const Token& token = tokens[first + k];
        if (token.term != phrase[k] || token.position != tokens[first].position + k) return false;
    }
    return true;
}

Matches find_matches(std::string_view text, const std::vector<Token>& tokens,
                     const MatchSpec& match, std::size_t budget) {
    struct Found {
        std::size_t first;  // token indices, inclusive
        std::size_t last;
        std::uint32_t key;
    };
    std::vector<Found> found;
    Matches matches;

    std::unordered_map<std::string_view, std::uint32_t> term_keys;
    term_keys.reserve(match.terms.size());
    for (const std::string& term : match.terms) term_keys.emplace(term, matches.key_count++);
    if (!term_keys.empty()) {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            auto key = term_keys.find(tokens[i].term);
            if (key != term_keys.end()) found.push_back({i, i, key->second});
        }
    }
    for (const std::vector<std::string>& phrase : match.phrases) {
        std::uint32_t key = matches.key_count++;
        if (phrase.empty()) continue;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (phrase_at(tokens, i, phrase)) found.push_back({i, i + phrase.size() - 1, key});
        }
    }
    if (found.empty()) return matches;

    for (const Found& each : found) {
        for (std::size_t i = each.first; i <= each.last; ++i) matches.marked.push_back(i);
    }
    std::sort(matches.marked.begin(), matches.marked.end());
    matches.marked.erase(std::unique(matches.marked.begin(), matches.marked.end()),
                         matches.marked.end());

    // One pass over the text gives the columns of every marked token. A token starts with a
    // character that is not whitespace, so counting from there gives the same differences as
    // counting from the start of the text. No passage spans a gap of more than `budget` columns
    // between marked tokens, so the pass skips the rest of such a gap, which in a long article
    // is most of its text.
    std::vector<std::size_t> column_begin(matches.marked.size());
    std::vector<std::size_t> column_end(matches.marked.size());
    ColumnWalker walker(text, tokens[matches.marked.front()].begin);
    for (std::size_t k = 0; k < matches.marked.size(); ++k) {
        const Token& token = tokens[matches.marked[k]];
        column_begin[k] = walker.advance_or_skip_to(token.begin, budget);
        column_end[k] = walker.advance_to(token.end);
    }
    auto mark_index = [&](std::size_t token) {
        return static_cast<std::size_t>(
            std::lower_bound(matches.marked.begin(), matches.marked.end(), token) -
            matches.marked.begin());
    };

    std::vector<char> seen(matches.key_count, 0);
    matches.hits.reserve(found.size());
    for (const Found& each : found) {
        std::size_t first = mark_index(each.first);
        std::size_t last = mark_index(each.last);
        matches.hits.push_back({tokens[each.first].begin, tokens[each.last].end,
                                column_begin[first], column_end[last], each.key});
        if (!seen[each.key]) {
            seen[each.key] = 1;
            ++matches.distinct;
        }
    }
    std::sort(matches.hits.begin(), matches.hits.end(), [](const Hit& a, const Hit& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    return matches;
}

// A run of consecutive hits, [first, last).
struct Window {
    std::size_t first = 0;
    std::size_t last = 0;
    std::uint32_t distinct = 0;

    // Among windows with as many distinct keys, the earliest wins (callers scan in text order),
    // not the one with the most repeats: that way the text after the first window that shows every
    // key never needs analysing (see tokens_as_needed).
    [[nodiscard]] bool better_than(const Window& other) const { return distinct > other.distinct; }
};

// The run of hits[from, to) spanning at most `budget` columns with the most distinct keys, then
// the earliest. A hit longer than the budget still forms a window on its own.
// `counts` has one zero per key and is left that way.
Window best_window(const std::vector<Hit>& hits, std::size_t from, std::size_t to,
                   std::size_t budget, std::vector<std::uint32_t>& counts) {
    Window best;
    std::uint32_t distinct = 0;
    auto add = [&](const Hit& hit) {
        if (counts[hit.key]++ == 0) ++distinct;
    };
    std::size_t next = from;
    for (std::size_t first = from; first < to; ++first) {
        if (next == first) add(hits[next++]);
        while (next < to && hits[next].column_end - hits[first].column_begin <= budget) {
            add(hits[next++]);
        }
        Window candidate{first, next, distinct};
        if (candidate.better_than(best)) best = candidate;
        if (--counts[hits[first].key] == 0) --distinct;
    }
    return best;
}

// The bytes from the window's first hit to the last hit that brings a key of its own. Repeats
// after that would only take room from the context around the match.
Range span_of(const std::vector<Hit>& hits, const Window& window,
              std::vector<std::uint32_t>& counts) {
    Range span{hits[window.first].begin, hits[window.first].end};
    for (std::size_t k = window.first; k < window.last; ++k) {
        if (counts[hits[k].key]++ == 0) span.end = std::max(span.end, hits[k].end);
    }
    for (std::size_t k = window.first; k < window.last; ++k) counts[hits[k].key] = 0;
    return span;
}

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

// Every term `match` marks, phrase words included.
std::vector<std::string_view> terms_of(const MatchSpec& match) {
    std::vector<std::string_view> terms(match.terms.begin(), match.terms.end());
    for (const std::vector<std::string>& phrase : match.phrases) {
        terms.insert(terms.end(), phrase.begin(), phrase.end());
    }
    return terms;
}

// Where a block of analysis that starts at `from` and is about `size` bytes long may end: before an
// ASCII space or line break that does not follow a digit. Every analysis step decides within a
// word or across a single separator (thousands groups like `25 000` are the one case that spans
// a space, hence the digit rule), so analysing the blocks one by one gives the same tokens as
// analysing the whole text.
std::size_t block_end(std::string_view text, std::size_t from, std::size_t size) {
    for (std::size_t at = from + size; at < text.size(); ++at) {
        char c = text[at];
        if (text::is_ascii_white_space(c) && !(text[at - 1] >= '0' && text[at - 1] <= '9'))
            return at;
    }
    return text.size();
}

struct TokensAndMatches {
    std::vector<Token> tokens;
    Matches matches;  // find_matches of tokens
};

// The tokens of `text` as far as the snippet needs them, and their matches: every token up to the
// point where the earliest window of `budget` columns showing every key of `match` is known, and
// `budget` more columns after it for the passage to end in. Without such a window, the whole text.
// On a long document whose first lines show the query, this saves analysing, or locating and
// counting the columns of, the rest of it. `append_tokens(from, to, tokens)` appends those of
// text[from, to) in order; it is asked for consecutive blocks, each ending before a separator
// (block_end).
template <typename AppendTokens>
TokensAndMatches tokens_as_needed(std::string_view text, const MatchSpec& match, std::size_t budget,
                                  AppendTokens append_tokens) {
    // Doubling the block keeps the repeated window checks to a logarithmic number.
    constexpr std::size_t kFirstBlockBytes = 512;
    // Until every term has been seen, no window can show every key, and the window search is not
    // worth running.
    std::unordered_map<std::string_view, bool> seen;
    for (std::string_view term : terms_of(match)) seen.emplace(term, false);
    std::size_t unseen = seen.size();

    std::vector<Token> tokens;
    std::size_t done = 0;
    for (std::size_t block = kFirstBlockBytes; done < text.size(); block *= 2) {
        std::size_t end = block_end(text, done, block);
        std::size_t first_new = tokens.size();
        append_tokens(done, end, tokens);
        for (std::size_t k = first_new; k < tokens.size() && unseen > 0; ++k) {
            auto term = seen.find(tokens[k].term);
            if (term != seen.end() && !term->second) {
                term->second = true;
                --unseen;
            }
        }
        done = end;
        if (done >= text.size()) break;
        if (unseen > 0) continue;

        Matches matches = find_matches(text, tokens, match, budget);
        if (matches.distinct < matches.key_count) continue;
        std::vector<std::uint32_t> counts(matches.key_count, 0);
        Window best = best_window(matches.hits, 0, matches.hits.size(), budget, counts);
        if (best.distinct < matches.key_count) continue;
        std::size_t last_hit_end = matches.hits[best.last - 1].end;
        if (done >= ColumnWalker(text, last_hit_end).advance_within(budget + 1, text.size())) {
            return {std::move(tokens), std::move(matches)};
        }
    }
    Matches matches = find_matches(text, tokens, match, budget);
    return {std::move(tokens), std::move(matches)};
}

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
    // when it is needed, and finds the sentence boundaries in it.
    void focus(Range match, std::size_t budget) {
        std::size_t begin = columns_before(match.begin, budget);
        begin = begin > kBreakContextBytes ? begin - kBreakContextBytes : 0;
        while (begin > 0 && text::is_continuation_byte(text_[begin])) --begin;
        std::size_t end = ColumnWalker(text_, match.end).advance_within(budget + 1, text_.size());
        end = std::min(end + kBreakContextBytes, text_.size());
        while (end < text_.size() && text::is_continuation_byte(text_[end])) ++end;
        if (begin != window_.begin || end != window_.end) {
            detach();
            window_ = {begin, end};
        }
        sentences_.reach(end);
    }

    // The word iterator, pointed at the window; made for this thread on first use.
    icu::BreakIterator& words() {
        if (attached_) return *words_;
        if (words_ == nullptr) words_ = &thread_word_iterator();
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
        return words().isBoundary(to_icu(offset)) != 0;
    }

    std::size_t word_at_or_before(std::size_t offset) {
        if (is_word_boundary(offset)) return offset;
        return from_icu(words().preceding(to_icu(offset)));
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
    Range window_;
};

// Passages in text order, at most `budget` columns in all, separators included.
std::vector<Range> choose_passages(std::string_view text, Cutter& cutter, const Matches& matches,
                                   std::size_t budget) {
    const std::vector<Hit>& hits = matches.hits;
    if (hits.empty()) return {cutter.opening(budget)};
    const Range whole{0, text.size()};

    std::vector<std::uint32_t> counts(matches.key_count, 0);
    Window best = best_window(hits, 0, hits.size(), budget, counts);
    Range single = cutter.around(span_of(hits, best, counts), budget, whole);
    if (best.distinct == matches.distinct || budget < kMinTwoPassageColumns) return {single};

    // Terms are left out of the best passage: try two half-length passages that show more.
    std::size_t first_budget = (budget - kSeparatorColumns) / 2;
    Window first = best_window(hits, 0, hits.size(), first_budget, counts);
    Range first_range = cutter.around(span_of(hits, first, counts), first_budget, whole);

    std::vector<char> covered(matches.key_count, 0);
    std::uint32_t covered_count = 0;
    std::vector<Hit> others;  // hits of the keys the first passage lacks, outside it
    for (const Hit& hit : hits) {
        if (hit.begin >= first_range.begin && hit.end <= first_range.end && !covered[hit.key]) {
            covered[hit.key] = 1;
            ++covered_count;
        }
    }
    for (const Hit& hit : hits) {
        if (!covered[hit.key] && (hit.end <= first_range.begin || hit.begin >= first_range.end)) {
            others.push_back(hit);
        }
    }
    auto split = static_cast<std::size_t>(
        std::partition_point(others.begin(), others.end(),
                             [&](const Hit& hit) { return hit.begin < first_range.begin; }) -
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
        return {cutter.around(span_of(hits, first, counts), budget, whole)};
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

// Appends text[passage] with whitespace runs collapsed and invalid bytes replaced, highlighting
// the parts of marked tokens inside it.
void append_passage(std::string_view text, Range passage, const std::vector<Token>& tokens,
                    const std::vector<std::size_t>& marked, Snippet& snippet) {
    std::string& out = snippet.text;
    auto mark = std::lower_bound(
        marked.begin(), marked.end(), passage.begin,
        [&](std::size_t token, std::size_t offset) { return tokens[token].end <= offset; });
    bool open = false;
    std::size_t open_at = 0;
    auto close = [&] {
        if (out.size() > open_at) snippet.highlights.push_back({open_at, out.size()});
        open = false;
    };
    // Opens and closes highlights for the marked tokens that begin or end at `offset`.
    auto sync_marks = [&](std::size_t offset) {
        while (mark != marked.end()) {
            const Token& token = tokens[*mark];
            if (open) {
                if (token.end > offset) return;
                close();
                ++mark;
            } else {
                if (token.begin > offset) return;
                open = true;
                open_at = out.size();
            }
        }
    };

    // Where sync_marks next has something to do.
    auto next_mark_edge = [&] {
        if (mark == marked.end()) return kNone;
        const Token& token = tokens[*mark];
        return open ? token.end : token.begin;
    };

    for (std::size_t at = passage.begin; at < passage.end;) {
        sync_marks(at);
        std::size_t graphic_end = at;
        std::size_t graphic_limit = std::min(passage.end, next_mark_edge());
        while (graphic_end < graphic_limit && is_ascii_graphic(text[graphic_end])) ++graphic_end;
        if (graphic_end > at) {
            out.append(text.substr(at, graphic_end - at));
            at = graphic_end;
            continue;
        }
        Unit unit = next_unit(text, at);
        if (unit.space) {
            std::size_t run_end = unit.next;
            while (run_end < passage.end) {
                Unit more = next_unit(text, run_end);
                if (!more.space) break;
                run_end = more.next;
            }
            // A lone space character is kept as written (French puts no-break spaces before
            // `:` and inside `« »`); longer runs and line breaks become one space.
            bool keep = run_end == unit.next && text::is_space_separator(unit.c);
            if (keep) {
                out.append(text.substr(at, unit.next - at));
            } else {
                out += ' ';
            }
            at = std::min(run_end, passage.end);
            continue;
        }
        if (unit.c < 0 || unit.next > passage.end) {
            out += kReplacement;
        } else {
            out.append(text.substr(at, unit.next - at));
        }
        at = unit.next;
    }
    sync_marks(passage.end);
    if (open) close();
}

// A snippet of `text` from the tokens `append_tokens` gives, as tokens_as_needed asks for them,
// and only when `match` is not empty. `stored_sentence_breaks` as for build_snippet.
template <typename AppendTokens>
Snippet assemble(std::string_view text, const MatchSpec& match, std::size_t max_chars,
                 std::string_view stored_sentence_breaks, AppendTokens append_tokens) {
    Snippet snippet;
    const Range content = trimmed(text, {0, text.size()});
    if (max_chars == 0 || content.begin == content.end) return snippet;

    std::vector<Token> tokens;
    if (count_columns(text, content.begin, content.end, max_chars) <= max_chars) {
        if (!match.empty()) append_tokens(0, text.size(), tokens);
        append_passage(text, content, tokens, find_matches(text, tokens, match, kNone).marked,
                       snippet);
        return snippet;
    }
    if (max_chars <= 2 * kEllipsisColumns) {
        snippet.text = kEllipsis;
        return snippet;
    }
    const std::size_t budget = max_chars - 2 * kEllipsisColumns;
    Matches matches;
    if (!match.empty()) {
        TokensAndMatches found = tokens_as_needed(text, match, budget, append_tokens);
        tokens = std::move(found.tokens);
        matches = std::move(found.matches);
    }
    SentenceBoundaries sentences(text, stored_sentence_breaks);
    Cutter cutter(text, content, sentences);
    std::vector<Range> passages = choose_passages(text, cutter, matches, budget);
    for (std::size_t k = 0; k < passages.size(); ++k) {
        Range passage = trimmed(text, passages[k]);
        std::string_view shown = text.substr(passage.begin, passage.end - passage.begin);
        if (k == 0 && passage.begin > content.begin && !starts_with_ellipsis(shown)) {
            snippet.text += kEllipsis;
        }
        if (k > 0) snippet.text += kPassageSeparator;
        append_passage(text, passage, tokens, matches.marked, snippet);
        if (k + 1 == passages.size() && passage.end < content.end && !ends_with_ellipsis(shown)) {
            snippet.text += kEllipsis;
        }
    }
    return snippet;
}

// ICU addresses text with 32-bit offsets; a snippet never needs to look past the first 2 GiB.
std::string_view within_icu_reach(std::string_view text) {
    return text.substr(0, std::min<std::size_t>(text.size(), std::numeric_limits<int32_t>::max()));
}

}  // namespace

Snippet build_snippet(Analyzer& analyzer, std::string_view text, const MatchSpec& match,
                      std::size_t max_chars) {
    text = within_icu_reach(text);
    const std::vector<std::string_view> terms = terms_of(match);
    std::uint32_t position = 0;
    auto analyze = [&](std::size_t from, std::size_t to, std::vector<Token>& tokens) {
        for (Token& token :
             analyzer.analyze_candidates(text.substr(from, to - from), terms, position)) {
            token.begin += from;
            token.end += from;
            tokens.push_back(std::move(token));
        }
    };
    return assemble(text, match, max_chars, std::string_view(), analyze);
}

Snippet build_snippet(std::string_view text, const std::vector<Token>& tokens,
                      std::string_view stored_sentence_breaks, const MatchSpec& match,
                      std::size_t max_chars) {
    text = within_icu_reach(text);
    // Tokens past what ICU can reach (over 2 GiB in) are left out, like the text they are in.
    const auto reachable_end = std::partition_point(
        tokens.begin(), tokens.end(), [&](const Token& token) { return token.end <= text.size(); });
    auto next = tokens.begin();
    auto take = [&](std::size_t /*from*/, std::size_t to, std::vector<Token>& taken) {
        for (; next != reachable_end && next->begin < to; ++next) taken.push_back(*next);
    };
    return assemble(text, match, max_chars, stored_sentence_breaks, take);
}

}  // namespace trouvere::searcher
