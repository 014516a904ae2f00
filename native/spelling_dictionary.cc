// How suggest() finds the closest words without comparing the query with each of them.
//
// The sorted words are an implicit trie: the words under a prefix are one run of the array. The
// distance table between the query (columns) and a word (rows, one per code point) is computed
// row by row, and the rows of the prefix a word shares with the previous one are kept, so a row
// is computed once per trie node visited, not once per word. A row's smallest cell never
// decreases in the rows below it (transpositions included: the cell a transposition starts from
// is at most one less than a cell of the row between), so once it exceeds the allowed distance,
// no word under that prefix can be close enough and the whole run is skipped, in a few jumps
// along precomputed links. Only the cells within the allowed distance of the diagonal are
// computed: the others exceed it by construction. Words one edit away are looked for first: the
// walk allowing two visits many more prefixes, and a word one edit away would win anyway.
//
// Two edits allowed from the first letter on would visit most short prefixes of the trie. Instead,
// take an alignment of the query with a word two edits away, and the edits it makes before first
// reaching the end of the query's first half (its first ceil(n/2) code points): either 0 or 1,
// or 2 and then none after, so that the word ends with the query's last n - ceil(n/2) code
// points exactly. A transposition across the middle skips that column; but a substitution in its
// place reaches it one edit higher, within 1 when no edit came before the transposition, and when
// one did, none comes after, and the word ends with the query's last n - ceil(n/2) - 1 code
// points exactly. So two walks allowing two edits find every word two edits away: one over the
// words that goes deeper than one edit allows only past a prefix within one edit of the first
// half, and one over the words written backwards (the distance is the same read backwards) that
// goes deeper than an exact match allows only past a prefix equal to the reversed query's first
// n - ceil(n/2) - 1 code points. A prefix is given up as soon as every alignment through it
// misses its walk's condition: when its row's cells up to the end of the guarded part all exceed
// what the guard allows.

#include "native/spelling_dictionary.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>

#include "core/term_scheme.h"
#include "text/folding.h"
#include "text/utf8.h"
#include "trouvere/error.h"

namespace trouvere::native {
namespace {

/// The section's header: the number of words, the bytes of the words (and of the words
/// reversed), and the bytes of the display forms, each a u32.
constexpr std::size_t kHeaderBytes = 12;

/// The distance allowed for a query of `length` code points: none below 3 (every short word is
/// one or two edits from too many others to guess), 1 up to 4, 2 beyond.
int allowed_distance(std::size_t length) {
    if (length < 3) return 0;
    return length <= 4 ? 1 : 2;
}

/// The code points of valid UTF-8 `text`.
std::u32string code_points_of(std::string_view text) {
    std::u32string code_points;
    for (std::size_t offset = 0; offset < text.size();) {
        code_points.push_back(static_cast<char32_t>(text::decode_at(text, offset, offset)));
    }
    return code_points;
}

/// The rows of the optimal string alignment table between the query and the word being walked,
/// for the word's prefix up to some depth. Cells hold min(distance, cap), cap being one more than
/// the allowed distance: enough to tell "close enough" from "too far", and it keeps cells small.
class DistanceRows {
public:
    DistanceRows(std::u32string_view query, int max_distance)
        : query_(query),
          width_(query_.size() + 1),
          // A row past depth query + max_distance + 1 cannot be reached: the one before it is all
          // out of the band, so the walk turns back there.
          cells_(width_ * (query_.size() + static_cast<std::size_t>(max_distance) + 2)),
          word_(query_.size() + static_cast<std::size_t>(max_distance) + 2, U'\0'),
          cap_(static_cast<std::uint8_t>(max_distance + 1)) {
        for (std::size_t column = 0; column < width_; ++column) {
            cells_[column] = static_cast<std::uint8_t>(std::min<std::size_t>(column, cap_));
        }
    }

    [[nodiscard]] int max_distance() const { return cap_ - 1; }

    /// The cells of a row that decide whether to go deeper.
    struct RowMinima {
        /// The smallest cell of the row.
        int smallest = 0;
        /// The smallest cell of the columns up to `guarded`, and the cell of column `guarded`.
        int smallest_guarded = 0;
        int at_guarded = 0;
    };

    /// Computes row `depth` + 1 for the word whose code point at that depth is `c`, from rows
    /// `depth` and `depth` - 1, and returns its minima, column `guarded` being the last guarded.
    RowMinima push(std::size_t depth, char32_t c, std::size_t guarded) {
        const std::size_t row_index = depth + 1;
        word_[row_index] = c;
        const auto k = static_cast<std::size_t>(max_distance());
        const std::size_t last_column = query_.size();
        // The band of columns within k of the diagonal; the cells beside it are set to the cap
        // so that the next row may read them.
        const std::size_t low = row_index > k ? row_index - k : 0;
        const std::size_t high = std::min(last_column, row_index + k);
        std::uint8_t* row = &cells_[row_index * width_];
        const std::uint8_t* above = row - width_;
        RowMinima minima{cap_, cap_, cap_};
        if (low > high) return minima;
        if (low > 0) row[low - 1] = cap_;
        for (std::size_t column = low; column <= high; ++column) {
            std::uint8_t cell = 0;
            if (column == 0) {
                cell = static_cast<std::uint8_t>(row_index);
            } else {
                const char32_t q = query_[column - 1];
                cell = static_cast<std::uint8_t>(above[column - 1] + (q == c ? 0 : 1));
                cell = std::min({cell, static_cast<std::uint8_t>(above[column] + 1),
                                 static_cast<std::uint8_t>(row[column - 1] + 1)});
                if (row_index >= 2 && column >= 2 && c == query_[column - 2] &&
                    word_[row_index - 1] == q) {
                    const std::uint8_t* two_above = above - width_;
                    cell = std::min(cell, static_cast<std::uint8_t>(two_above[column - 2] + 1));
                }
                cell = std::min(cell, cap_);
            }
            row[column] = cell;
            minima.smallest = std::min<int>(minima.smallest, cell);
            if (column <= guarded)
                minima.smallest_guarded = std::min<int>(minima.smallest_guarded, cell);
            if (column == guarded) minima.at_guarded = cell;
        }
        if (high < last_column) row[high + 1] = cap_;
        return minima;
    }

    /// The distance between the query and the word of `depth` code points on the rows, or more
    /// than the allowed distance.
    [[nodiscard]] int distance(std::size_t depth) const {
        const std::size_t last_column = query_.size();
        const auto k = static_cast<std::size_t>(max_distance());
        if (depth > last_column + k || last_column > depth + k) return cap_;
        return cells_[depth * width_ + last_column];
    }

private:
    std::u32string_view query_;
    std::size_t width_;
    std::vector<std::uint8_t> cells_;
    /// word_[d] is the word's code point at depth d (1-based, as rows are).
    std::u32string word_;
    std::uint8_t cap_;
};

/// Word i of `text` whose ends are the u32s of `ends`.
std::string_view word_of(std::string_view text, Bytes ends, std::size_t index) {
    const std::uint32_t begin = index == 0 ? 0 : load<std::uint32_t>(&ends[4 * (index - 1)]);
    return text.substr(begin, load<std::uint32_t>(&ends[4 * index]) - begin);
}

/// `word` with its code points in reverse order.
std::string reversed_word(std::string_view word) {
    std::u32string code_points = code_points_of(word);
    std::ranges::reverse(code_points);
    std::string reversed;
    for (const char32_t c : code_points) text::append_utf8(reversed, static_cast<UChar32>(c));
    return reversed;
}

/// Whether `reversed` is `word`'s code points in reverse order, both valid UTF-8.
bool is_reversal(std::string_view reversed, std::string_view word) {
    if (reversed.size() != word.size()) return false;
    std::size_t forward = 0;
    std::size_t backward = word.size();
    while (forward < reversed.size()) {
        // Folded words are mostly ASCII: one byte each, compared without decoding.
        const auto ahead = static_cast<unsigned char>(reversed[forward]);
        const auto behind = static_cast<unsigned char>(word[backward - 1]);
        if (ahead < 0x80 && behind < 0x80) {
            if (ahead != behind) return false;
            ++forward;
            --backward;
            continue;
        }
        std::size_t start = 0;
        if (text::decode_at(reversed, forward, forward) !=
            text::decode_before(word, backward, 0, start)) {
            return false;
        }
        backward = start;
    }
    return true;
}

void append_u32(Buffer& out, std::size_t value) {
    if (value > std::numeric_limits<std::uint32_t>::max()) {
        throw Error("spelling dictionary: its words take more than 4 GiB");
    }
    append<std::uint32_t>(out, static_cast<std::uint32_t>(value));
}

}  // namespace

SpellingDictionary::SpellingDictionary() : SpellingDictionary(std::vector<SpellingEntry>()) {}

SpellingDictionary::SpellingDictionary(std::vector<SpellingEntry> entries) {
    std::erase_if(entries,
                  [](const SpellingEntry& entry) { return !text::is_valid_utf8(entry.folded); });
    for (SpellingEntry& entry : entries) {
        if (entry.display.empty() || !text::is_valid_utf8(entry.display)) {
            entry.display = entry.folded;
        }
    }
    // Each folded word's first entry is then the one whose display form is kept.
    std::ranges::sort(entries, [](const SpellingEntry& a, const SpellingEntry& b) {
        return std::tie(a.folded, b.frequency, a.display) <
               std::tie(b.folded, a.frequency, b.display);
    });

    std::string words;
    Buffer word_ends;
    Buffer frequencies;
    std::string displays;
    Buffer display_ends;
    // Each word reversed, with its index.
    std::vector<std::pair<std::string, std::uint32_t>> reversed;
    for (auto first = entries.begin(); first != entries.end();) {
        auto last = std::find_if(first, entries.end(), [&](const SpellingEntry& entry) {
            return entry.folded != first->folded;
        });
        std::uint64_t frequency = 0;
        for (auto entry = first; entry != last; ++entry) frequency += entry->frequency;
        append_u32(frequencies,
                   std::min<std::uint64_t>(frequency, std::numeric_limits<std::uint32_t>::max()));
        words += first->folded;
        append_u32(word_ends, words.size());
        if (first->display != first->folded) displays += first->display;
        append_u32(display_ends, displays.size());
        reversed.emplace_back(reversed_word(first->folded),
                              static_cast<std::uint32_t>(reversed.size()));
        first = last;
    }
    std::ranges::sort(reversed);
    std::string reversed_words;
    Buffer reversed_ends;
    Buffer reversed_indexes;
    for (const auto& [word, index] : reversed) {
        reversed_words += word;
        append_u32(reversed_ends, reversed_words.size());
        append_u32(reversed_indexes, index);
    }

    auto bytes = std::make_shared<Buffer>();
    append_u32(*bytes, reversed.size());
    append_u32(*bytes, words.size());
    append_u32(*bytes, displays.size());
    for (const Buffer* array :
         {&word_ends, &frequencies, &display_ends, &reversed_ends, &reversed_indexes}) {
        append_bytes(*bytes, *array);
    }
    append_bytes(*bytes, words);
    append_bytes(*bytes, reversed_words);
    append_bytes(*bytes, displays);
    keeper_ = bytes;
    std::string why;
    if (!view(*bytes, why)) throw Error("spelling dictionary built wrong: " + why);
}

std::optional<SpellingDictionary> SpellingDictionary::open(Bytes bytes,
                                                           std::shared_ptr<const void> keeper,
                                                           std::string& why) {
    SpellingDictionary dictionary;
    dictionary.keeper_ = std::move(keeper);
    if (!dictionary.view(bytes, why)) return std::nullopt;
    return dictionary;
}

bool SpellingDictionary::view(Bytes bytes, std::string& why) {
    if (bytes.size() < kHeaderBytes) {
        why = "its spelling dictionary is cut short";
        return false;
    }
    const std::uint64_t count = load<std::uint32_t>(bytes.data());
    const std::uint64_t text_bytes = load<std::uint32_t>(bytes.data() + 4);
    const std::uint64_t display_bytes = load<std::uint32_t>(bytes.data() + 8);
    if (bytes.size() != kHeaderBytes + 20 * count + 2 * text_bytes + display_bytes) {
        why = "the lengths of its spelling dictionary do not add up";
        return false;
    }
    std::size_t at = kHeaderBytes;
    auto take = [&](std::uint64_t length) {
        const Bytes taken = bytes.subspan(at, static_cast<std::size_t>(length));
        at += taken.size();
        return taken;
    };
    const Bytes word_ends = take(4 * count);
    frequencies_ = take(4 * count);
    display_ends_ = take(4 * count);
    const Bytes reversed_ends = take(4 * count);
    reversed_indexes_ = take(4 * count);
    const std::string_view words = as_text(take(text_bytes));
    const std::string_view reversed_words = as_text(take(text_bytes));
    displays_ = as_text(take(display_bytes));
    if (!text::is_valid_utf8(words) || !text::is_valid_utf8(displays_)) {
        why = "its spelling dictionary is not UTF-8";
        return false;
    }
    if (!words_.open(words, word_ends, why) ||
        !reversed_.open(reversed_words, reversed_ends, why)) {
        return false;
    }
    std::uint32_t display_end = 0;
    for (std::size_t index = 0; index < count; ++index) {
        const auto next = load<std::uint32_t>(&display_ends_[4 * index]);
        if (next < display_end || next > displays_.size() ||
            (index + 1 == count && next != displays_.size())) {
            why = "the display forms of its spelling dictionary do not hold";
            return false;
        }
        display_end = next;
    }
    // Every word once among the reversed ones, each its word's code points read backwards. The
    // words are met out of order: asking for each word's end, then its bytes, some steps ahead
    // hides some of the cache misses.
    constexpr std::size_t kAhead = 8;
    std::vector<bool> reversed_once(count);
    for (std::size_t index = 0; index < count; ++index) {
        if (index + 2 * kAhead < count) {
            const std::size_t later = reversed_index(index + 2 * kAhead);
            if (later < count) __builtin_prefetch(&word_ends[4 * later]);
        }
        if (index + kAhead < count) {
            const std::size_t soon = reversed_index(index + kAhead);
            if (soon < count) __builtin_prefetch(words_.word(soon).data());
        }
        const std::size_t word = reversed_index(index);
        if (word >= count || reversed_once[word] ||
            !is_reversal(reversed_.word(index), words_.word(word))) {
            why = "the reversed words of its spelling dictionary are not its words";
            return false;
        }
        reversed_once[word] = true;
    }
    longest_word_ = 0;
    for (std::size_t index = 0; index < count; ++index) {
        const auto code_points = std::ranges::count_if(
            words_.word(index), [](char byte) { return !text::is_continuation_byte(byte); });
        longest_word_ = std::max(longest_word_, static_cast<std::size_t>(code_points));
    }
    bytes_ = bytes;
    return true;
}

bool SpellingDictionary::SortedWords::open(std::string_view text, Bytes ends, std::string& why) {
    text_ = text;
    ends_ = ends;
    const std::size_t count = ends.size() / 4;
    std::uint32_t previous_end = 0;
    for (std::size_t index = 0; index < count; ++index) {
        const auto next = load<std::uint32_t>(&ends[4 * index]);
        if (next < previous_end || next > text.size() ||
            (index + 1 == count && next != text.size())) {
            why = "the words of its spelling dictionary do not fit their bytes";
            return false;
        }
        previous_end = next;
    }
    shared_with_previous_.assign(count, 0);
    for (std::size_t index = 1; index < count; ++index) {
        const std::string_view previous = word(index - 1);
        const std::string_view current = word(index);
        const auto [in_previous, in_current] = std::ranges::mismatch(previous, current);
        // Strictly after the previous word: longer with it as a prefix, or a greater byte where
        // they first differ.
        if (in_current == current.end() ||
            (in_previous != previous.end() &&
             static_cast<unsigned char>(*in_previous) > static_cast<unsigned char>(*in_current))) {
            why = "the words of its spelling dictionary are out of order";
            return false;
        }
        const auto shared = in_current - current.begin();
        shared_with_previous_[index] = static_cast<std::uint8_t>(
            std::min<std::ptrdiff_t>(shared, std::numeric_limits<std::uint8_t>::max()));
    }
    // From the last word back, with a stack of the later words that may still be an earlier
    // word's answer, nearest on top: one whose share is not below the current word's never is.
    next_shorter_share_.resize(count);
    std::vector<std::uint32_t> candidates;
    for (std::size_t index = count; index-- > 0;) {
        while (!candidates.empty() &&
               shared_with_previous_[candidates.back()] >= shared_with_previous_[index]) {
            candidates.pop_back();
        }
        next_shorter_share_[index] =
            candidates.empty() ? static_cast<std::uint32_t>(count) : candidates.back();
        candidates.push_back(static_cast<std::uint32_t>(index));
    }
    return true;
}

std::string_view SpellingDictionary::SortedWords::word(std::size_t index) const {
    return word_of(text_, ends_, index);
}

std::size_t SpellingDictionary::SortedWords::end_of_prefix_run(std::size_t index,
                                                               std::size_t prefix_bytes) const {
    std::size_t next = index + 1;
    while (next < size() && shared_with_previous_[next] >= prefix_bytes) {
        next = next_shorter_share_[next];
    }
    return next;
}

std::uint32_t SpellingDictionary::frequency(std::size_t index) const {
    return load<std::uint32_t>(&frequencies_[4 * index]);
}

std::size_t SpellingDictionary::reversed_index(std::size_t index) const {
    return load<std::uint32_t>(&reversed_indexes_[4 * index]);
}

std::string_view SpellingDictionary::display(std::size_t index) const {
    const std::string_view shown = word_of(displays_, display_ends_, index);
    return shown.empty() ? words_.word(index) : shown;
}

bool SpellingDictionary::contains(std::string_view folded) const {
    // The first word not before `folded`.
    std::size_t low = 0;
    std::size_t high = size();
    while (low < high) {
        const std::size_t middle = low + (high - low) / 2;
        if (words_.word(middle) < folded) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low < size() && words_.word(low) == folded;
}

bool SpellingDictionary::better(const Candidate& candidate, const Candidate& than) const {
    // Indexes are in byte order of the words.
    return std::tuple(candidate.distance, frequency(than.index), candidate.index) <
           std::tuple(than.distance, frequency(candidate.index), than.index);
}

void SpellingDictionary::closest(const Walk& walk, std::optional<Candidate>& best) const {
    const SortedWords& words = *walk.words;
    DistanceRows rows(walk.query, walk.max_distance);
    // prefix_ends[d]: the byte length of the first d code points of the word on the rows;
    // guard_passed[d]: those d code points are within the guard distance of the guarded ones.
    std::vector<std::size_t> prefix_ends{0};
    std::vector<bool> guard_passed{walk.guarded <= static_cast<std::size_t>(walk.guard_distance)};
    for (std::size_t index = 0; index < words.size();) {
        // The word on the rows is the previous one, or the last of a run that ends with a shorter
        // share: either way they share words.shared_with_previous(index) bytes, or more.
        while (prefix_ends.back() > words.shared_with_previous(index)) {
            prefix_ends.pop_back();
            guard_passed.pop_back();
        }
        const std::string_view candidate = words.word(index);
        bool too_far = false;
        while (!too_far && prefix_ends.back() < candidate.size()) {
            std::size_t next = 0;
            const auto c =
                static_cast<char32_t>(text::decode_at(candidate, prefix_ends.back(), next));
            const auto minima = rows.push(prefix_ends.size() - 1, c, walk.guarded);
            const bool passed = guard_passed.back() || minima.at_guarded <= walk.guard_distance;
            too_far = minima.smallest > walk.max_distance ||
                      (!passed && minima.smallest_guarded > walk.guard_distance);
            prefix_ends.push_back(next);
            guard_passed.push_back(passed);
        }
        if (too_far) {
            index = words.end_of_prefix_run(index, prefix_ends.back());
            continue;
        }
        const Candidate found{walk.reversed ? reversed_index(index) : index,
                              rows.distance(prefix_ends.size() - 1)};
        if (found.distance <= walk.max_distance && frequency(found.index) >= walk.min_frequency &&
            (!best || better(found, *best))) {
            best = found;
        }
        ++index;
    }
}

std::optional<Suggestion> SpellingDictionary::suggest(std::string_view folded,
                                                      std::uint32_t min_frequency) const {
    if (!text::is_valid_utf8(folded) || contains(folded)) return std::nullopt;
    const std::u32string query = code_points_of(folded);
    const int allowed = allowed_distance(query.size());
    if (allowed == 0 || query.size() > longest_word_ + static_cast<std::size_t>(allowed)) {
        return std::nullopt;
    }
    std::optional<Candidate> best;
    closest({.words = &words_, .query = query, .max_distance = 1, .min_frequency = min_frequency},
            best);
    if (!best && allowed == 2) {
        const std::size_t first_half = (query.size() + 1) / 2;
        closest({.words = &words_,
                 .query = query,
                 .max_distance = 2,
                 .guarded = first_half,
                 .guard_distance = 1,
                 .min_frequency = min_frequency},
                best);
        std::u32string backwards = query;
        std::ranges::reverse(backwards);
        closest({.words = &reversed_,
                 .reversed = true,
                 .query = backwards,
                 .max_distance = 2,
                 .guarded = query.size() - first_half - 1,
                 .guard_distance = 0,
                 .min_frequency = min_frequency},
                best);
    }
    if (!best) return std::nullopt;
    return Suggestion{.folded = std::string(words_.word(best->index)),
                      .display = std::string(display(best->index)),
                      .distance = best->distance,
                      .frequency = frequency(best->index)};
}

SpellingDictionary dictionary_of_index_words(std::span<const IndexedTerm> word_terms,
                                             std::span<const IndexedTerm> exact_terms) {
    // Each accented form under the folded word it stands for, the one to show first.
    std::vector<SpellingEntry> forms;
    for (const IndexedTerm& term : exact_terms) {
        std::string accented(term.term.substr(scheme::kExactWordPrefix.size()));
        std::string folded = text::strip_accents(accented);
        forms.push_back({std::move(folded), term.documents, std::move(accented)});
    }
    std::ranges::sort(forms, [](const SpellingEntry& a, const SpellingEntry& b) {
        return std::tie(a.folded, b.frequency, a.display) <
               std::tie(b.folded, a.frequency, b.display);
    });

    // Word terms come in byte order, and so do their folded words.
    std::vector<SpellingEntry> entries;
    entries.reserve(word_terms.size());
    auto form = forms.begin();
    for (const IndexedTerm& term : word_terms) {
        std::string folded(term.term.substr(scheme::kWordPrefix.size()));
        while (form != forms.end() && form->folded < folded) ++form;
        const auto best = form;
        std::int64_t accented_documents = 0;
        for (; form != forms.end() && form->folded == folded; ++form) {
            accented_documents += form->frequency;
        }
        // The documents that have no accented form of the word write it without accents.
        const std::int64_t unaccented_at_least = term.documents - accented_documents;
        std::string display =
            best != form && best->frequency >= unaccented_at_least ? best->display : std::string();
        entries.push_back({std::move(folded), term.documents, std::move(display)});
    }
    return SpellingDictionary(std::move(entries));
}

}  // namespace trouvere::native
