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

#include "searcher/spelling.h"

#include <algorithm>
#include <limits>
#include <ranges>
#include <tuple>
#include <utility>

#include "text/utf8.h"
#include "trouvere/error.h"

namespace trouvere::searcher {
namespace {

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

}  // namespace

SpellingDictionary::SpellingDictionary(std::vector<SpellingEntry> entries) {
    std::erase_if(entries,
                  [](const SpellingEntry& entry) { return !text::is_valid_utf8(entry.folded); });
    for (SpellingEntry& entry : entries) {
        if (entry.display.empty()) entry.display = entry.folded;
    }
    // Each folded word's first entry is then the one whose display form is kept.
    std::ranges::sort(entries, [](const SpellingEntry& a, const SpellingEntry& b) {
        return std::tie(a.folded, b.frequency, a.display) <
               std::tie(b.folded, a.frequency, b.display);
    });

    std::vector<std::pair<std::string, std::uint32_t>> reversed;
    for (auto first = entries.begin(); first != entries.end();) {
        auto last = std::find_if(first, entries.end(), [&](const SpellingEntry& entry) {
            return entry.folded != first->folded;
        });
        std::uint64_t frequency = 0;
        for (auto entry = first; entry != last; ++entry) frequency += entry->frequency;
        const auto index = static_cast<std::uint32_t>(frequencies_.size());
        frequencies_.push_back(static_cast<std::uint32_t>(
            std::min<std::uint64_t>(frequency, std::numeric_limits<std::uint32_t>::max())));
        words_.append(first->folded);
        if (first->display != first->folded) displays_ += first->display;
        if (displays_.size() > std::numeric_limits<std::uint32_t>::max()) {
            throw Error("spelling dictionary: its words take more than 4 GiB");
        }
        display_starts_.push_back(static_cast<std::uint32_t>(displays_.size()));
        std::u32string code_points = code_points_of(first->folded);
        longest_word_ = std::max(longest_word_, code_points.size());
        std::ranges::reverse(code_points);
        std::string backwards;
        for (const char32_t c : code_points) text::append_utf8(backwards, static_cast<UChar32>(c));
        reversed.emplace_back(std::move(backwards), index);
        first = last;
    }
    words_.link();

    std::ranges::sort(reversed);
    for (auto& [word, index] : reversed) {
        reversed_.append(word);
        reversed_indexes_.push_back(index);
    }
    reversed_.link();
}

void SpellingDictionary::SortedWords::append(std::string_view word) {
    bytes_ += word;
    if (bytes_.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw Error("spelling dictionary: its words take more than 4 GiB");
    }
    starts_.push_back(static_cast<std::uint32_t>(bytes_.size()));
}

void SpellingDictionary::SortedWords::link() {
    shared_with_previous_.assign(size(), 0);
    for (std::size_t index = 1; index < size(); ++index) {
        const std::string_view previous = word(index - 1);
        const std::string_view current = word(index);
        const auto shared = std::ranges::mismatch(previous, current).in2 - current.begin();
        shared_with_previous_[index] = static_cast<std::uint8_t>(
            std::min<std::ptrdiff_t>(shared, std::numeric_limits<std::uint8_t>::max()));
    }
    // From the last word back, with a stack of the later words that may still be an earlier
    // word's answer, nearest on top: one whose share is not below the current word's never is.
    next_shorter_share_.resize(size());
    std::vector<std::uint32_t> candidates;
    for (std::size_t index = size(); index-- > 0;) {
        while (!candidates.empty() &&
               shared_with_previous_[candidates.back()] >= shared_with_previous_[index]) {
            candidates.pop_back();
        }
        next_shorter_share_[index] =
            candidates.empty() ? static_cast<std::uint32_t>(size()) : candidates.back();
        candidates.push_back(static_cast<std::uint32_t>(index));
    }
}

std::string_view SpellingDictionary::SortedWords::word(std::size_t index) const {
    return std::string_view(bytes_).substr(starts_[index], starts_[index + 1] - starts_[index]);
}

std::size_t SpellingDictionary::SortedWords::end_of_prefix_run(std::size_t index,
                                                               std::size_t prefix_bytes) const {
    std::size_t next = index + 1;
    while (next < size() && shared_with_previous_[next] >= prefix_bytes) {
        next = next_shorter_share_[next];
    }
    return next;
}

std::string_view SpellingDictionary::display(std::size_t index) const {
    const std::size_t length = display_starts_[index + 1] - display_starts_[index];
    return length == 0 ? words_.word(index)
                       : std::string_view(displays_).substr(display_starts_[index], length);
}

bool SpellingDictionary::contains(std::string_view folded) const {
    auto indexes = std::views::iota(std::size_t{0}, size());
    auto found = std::ranges::partition_point(
        indexes, [&](std::size_t index) { return words_.word(index) < folded; });
    return found != indexes.end() && words_.word(*found) == folded;
}

bool SpellingDictionary::better(const Candidate& candidate, const Candidate& than) const {
    // Indexes are in byte order of the words.
    return std::tuple(candidate.distance, frequencies_[than.index], candidate.index) <
           std::tuple(than.distance, frequencies_[candidate.index], than.index);
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
        const Candidate found{walk.indexes ? (*walk.indexes)[index] : index,
                              rows.distance(prefix_ends.size() - 1)};
        if (found.distance <= walk.max_distance &&
            frequencies_[found.index] >= walk.min_frequency && (!best || better(found, *best))) {
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
                 .indexes = &reversed_indexes_,
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
                      .frequency = frequencies_[best->index]};
}

}  // namespace trouvere::searcher
