// How suggest() finds the closest words without comparing the query with each of them.
//
// The sorted words are an implicit trie: the words under a prefix are one run of the array. The
// distance table between the query (columns) and a word (rows, one per code point) is computed
// row by row, and the rows of the prefix a word shares with the previous one are kept, so a row
// is computed once per trie node visited, not once per word. A row's smallest cell never
// decreases in the rows below it (transpositions included: the cell a transposition starts from
// is at most one less than a cell of the row between), so once it exceeds the allowed distance,
// no word under that prefix can be close enough and the whole run is skipped. Only the cells
// within the allowed distance of the diagonal are computed: the others exceed it by construction.
// And once a candidate is found, words farther than it cannot win, so the allowed distance
// shrinks to the candidate's and prunes more of the rest.

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
std::vector<UChar32> code_points_of(std::string_view text) {
    std::vector<UChar32> code_points;
    for (std::size_t offset = 0; offset < text.size();) {
        code_points.push_back(text::decode_at(text, offset, offset));
    }
    return code_points;
}

std::size_t count_code_points(std::string_view valid_utf8) {
    return static_cast<std::size_t>(std::ranges::count_if(
        valid_utf8, [](char byte) { return !text::is_continuation_byte(byte); }));
}

/// The rows of the optimal string alignment table between the query and the word being walked,
/// for the word's prefix up to some depth. Cells hold min(distance, cap), cap being one more than
/// the allowed distance: enough to tell "close enough" from "too far", and it keeps cells small.
class DistanceRows {
public:
    DistanceRows(std::vector<UChar32> query, int max_distance)
        : query_(std::move(query)),
          width_(query_.size() + 1),
          // A row past depth query + max_distance + 1 cannot be reached: the one before it is all
          // out of the band, so the walk turns back there.
          cells_(width_ * (query_.size() + static_cast<std::size_t>(max_distance) + 2)),
          word_(query_.size() + static_cast<std::size_t>(max_distance) + 2),
          cap_(static_cast<std::uint8_t>(max_distance + 1)) {
        for (std::size_t column = 0; column < width_; ++column) {
            cells_[column] = static_cast<std::uint8_t>(std::min<std::size_t>(column, cap_));
        }
    }

    [[nodiscard]] int max_distance() const { return cap_ - 1; }

    /// Allows at most `max_distance`, no more than before: rows computed under a larger allowance
    /// stay valid, as their band is wider and their cap higher.
    void narrow(int max_distance) { cap_ = static_cast<std::uint8_t>(max_distance + 1); }

    /// Computes row `depth` + 1 for the word whose code point at that depth is `c`, from rows
    /// `depth` and `depth` - 1, and returns its smallest cell.
    int push(std::size_t depth, UChar32 c) {
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
        std::uint8_t smallest = cap_;
        if (low > high) return smallest;
        if (low > 0) row[low - 1] = cap_;
        for (std::size_t column = low; column <= high; ++column) {
            std::uint8_t cell = 0;
            if (column == 0) {
                cell = static_cast<std::uint8_t>(row_index);
            } else {
                const UChar32 q = query_[column - 1];
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
            smallest = std::min(smallest, cell);
        }
        if (high < last_column) row[high + 1] = cap_;
        return smallest;
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
    std::vector<UChar32> query_;
    std::size_t width_;
    std::vector<std::uint8_t> cells_;
    /// word_[d] is the word's code point at depth d (1-based, as rows are).
    std::vector<UChar32> word_;
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

    for (auto first = entries.begin(); first != entries.end();) {
        auto last = std::find_if(first, entries.end(), [&](const SpellingEntry& entry) {
            return entry.folded != first->folded;
        });
        std::uint64_t frequency = 0;
        for (auto entry = first; entry != last; ++entry) frequency += entry->frequency;
        frequencies_.push_back(static_cast<std::uint32_t>(
            std::min<std::uint64_t>(frequency, std::numeric_limits<std::uint32_t>::max())));
        words_ += first->folded;
        if (first->display != first->folded) displays_ += first->display;
        if (words_.size() > std::numeric_limits<std::uint32_t>::max() ||
            displays_.size() > std::numeric_limits<std::uint32_t>::max()) {
            throw Error("spelling dictionary: its words take more than 4 GiB");
        }
        word_starts_.push_back(static_cast<std::uint32_t>(words_.size()));
        display_starts_.push_back(static_cast<std::uint32_t>(displays_.size()));
        longest_word_ = std::max(longest_word_, count_code_points(first->folded));
        first = last;
    }
}

std::string_view SpellingDictionary::word(std::size_t index) const {
    return std::string_view(words_).substr(word_starts_[index],
                                           word_starts_[index + 1] - word_starts_[index]);
}

std::string_view SpellingDictionary::display(std::size_t index) const {
    const std::size_t length = display_starts_[index + 1] - display_starts_[index];
    return length == 0 ? word(index)
                       : std::string_view(displays_).substr(display_starts_[index], length);
}

bool SpellingDictionary::contains(std::string_view folded) const {
    auto indexes = std::views::iota(std::size_t{0}, size());
    auto found = std::ranges::partition_point(
        indexes, [&](std::size_t index) { return word(index) < folded; });
    return found != indexes.end() && word(*found) == folded;
}

std::size_t SpellingDictionary::end_of_prefix_run(std::size_t first,
                                                  std::string_view prefix) const {
    // Most runs met in a walk are short, deep in the trie: gallop from `first` to bound the run
    // before bisecting, rather than bisect the whole rest of the array.
    std::size_t inside = first;
    std::size_t outside = size();
    for (std::size_t step = 1; inside + step < size(); step *= 2) {
        if (!word(inside + step).starts_with(prefix)) {
            outside = inside + step;
            break;
        }
        inside += step;
    }
    auto indexes = std::views::iota(inside + 1, outside);
    return *std::ranges::partition_point(
        indexes, [&](std::size_t index) { return word(index).starts_with(prefix); });
}

std::optional<Suggestion> SpellingDictionary::suggest(std::string_view folded,
                                                      std::uint32_t min_frequency) const {
    if (!text::is_valid_utf8(folded) || contains(folded)) return std::nullopt;
    std::vector<UChar32> query = code_points_of(folded);
    const int max_distance = allowed_distance(query.size());
    if (max_distance == 0 ||
        query.size() > longest_word_ + static_cast<std::size_t>(max_distance)) {
        return std::nullopt;
    }

    DistanceRows rows(std::move(query), max_distance);
    // prefix_ends[d]: the byte length of the first d code points of the word on the rows.
    std::vector<std::size_t> prefix_ends{0};
    std::string_view on_rows;
    std::optional<std::size_t> best;
    int best_distance = 0;
    for (std::size_t index = 0; index < size();) {
        const std::string_view candidate = word(index);
        const auto shared = static_cast<std::size_t>(std::ranges::mismatch(on_rows, candidate).in2 -
                                                     candidate.begin());
        while (prefix_ends.back() > shared) prefix_ends.pop_back();
        on_rows = candidate;

        bool too_far = false;
        while (!too_far && prefix_ends.back() < candidate.size()) {
            std::size_t next = 0;
            const UChar32 c = text::decode_at(candidate, prefix_ends.back(), next);
            too_far = rows.push(prefix_ends.size() - 1, c) > rows.max_distance();
            prefix_ends.push_back(next);
        }
        if (too_far) {
            index = end_of_prefix_run(index, candidate.substr(0, prefix_ends.back()));
            continue;
        }

        const int distance = rows.distance(prefix_ends.size() - 1);
        // Words come in bytewise order, so the first of equally close and frequent ones stays.
        if (distance <= rows.max_distance() && frequencies_[index] >= min_frequency &&
            (!best || distance < best_distance || frequencies_[index] > frequencies_[*best])) {
            best = index;
            best_distance = distance;
            rows.narrow(distance);
        }
        ++index;
    }
    if (!best) return std::nullopt;
    return Suggestion{.folded = std::string(word(*best)),
                      .display = std::string(display(*best)),
                      .distance = best_distance,
                      .frequency = frequencies_[*best]};
}

}  // namespace trouvere::searcher
