// Columns: how long a piece of a snippet is. A column is a code point of the rendered snippet,
// where a whitespace run renders as one character and each invalid UTF-8 sequence as U+FFFD.
// Counting a range piece by piece never gives less than counting it whole, so a limit checked on
// pieces also holds for the whole; that is how every snippet stays within `max_chars` without
// being rendered twice.
#pragma once

#include <unicode/umachine.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string_view>
#include <utility>

#include "text/utf8.h"
#include "text/white_space.h"

namespace trouvere::searcher::snippets {

inline constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

/// Bytes [begin, end) of a text.
struct Range {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// One code point, or one invalid sequence (c < 0) that renders as U+FFFD.
struct Unit {
    std::size_t next = 0;
    UChar32 c = 0;
    bool space = false;
};

/// Printable ASCII other than the space: one column per byte. Most of a French text is runs of
/// these, which the column counting below takes without decoding them one unit at a time.
inline bool is_ascii_graphic(char byte) {
    auto value = static_cast<unsigned char>(byte);
    return value > ' ' && value < 0x7F;
}

/// The unit at `offset`, which starts with a byte past ASCII.
inline Unit next_multibyte_unit(std::string_view text, std::size_t offset) {
    Unit unit;
    unit.c = text::decode_at(text, offset, unit.next);
    unit.space = text::is_white_space(unit.c);
    return unit;
}

/// The unit at `offset`. Kept apart from the multibyte case, and inline, because it runs once per
/// byte when the columns of a whole document are counted.
inline Unit next_unit(std::string_view text, std::size_t offset) {
    auto byte = static_cast<unsigned char>(text[offset]);
    if (byte < 0x80) return {offset + 1, byte, text::is_ascii_white_space(text[offset])};
    return next_multibyte_unit(text, offset);
}

/// Code point ending at `offset` (not before `floor`), and where it starts; c < 0 when invalid.
inline std::pair<std::size_t, UChar32> previous_unit(std::string_view text, std::size_t offset,
                                                     std::size_t floor) {
    std::size_t start = 0;
    const UChar32 c = text::decode_before(text, offset, floor, start);
    return {start, c};
}

/// The bytes at the start of `text`, in whole steps of eight, that are each a column of their
/// own: printable ASCII, and spaces that neither follow nor precede another, nor follow a space
/// already counted when `in_space` is true (which it then leaves saying whether the last byte
/// taken is a space). French prose is mostly such runs between its accented letters.
[[nodiscard]] std::size_t simple_ascii_prefix(std::string_view text, bool& in_space);

/// Walks the text forward, counting columns.
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

    // Takes the text from here to `limit` at most while each byte is a column of its own:
    // printable ASCII, eight bytes at a time where lone spaces come between the words too.
    void take_graphic_run(std::size_t limit) {
        limit = std::min(limit, text_.size());
        if (limit > offset_) {
            const std::size_t simple = simple_ascii_prefix(
                std::string_view(text_.data() + offset_, limit - offset_), in_space_);
            offset_ += simple;
            columns_ += simple;
        }
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

inline std::size_t count_columns(std::string_view text, std::size_t from, std::size_t to,
                                 std::size_t cap = kNone) {
    return ColumnWalker(text, from).advance_to(to, cap);
}

/// `range` without whitespace at either end.
[[nodiscard]] Range trimmed(std::string_view text, Range range);

/// Whether text[from, to) is white space only (or empty).
[[nodiscard]] bool only_space_between(std::string_view text, std::size_t from, std::size_t to);

}  // namespace trouvere::searcher::snippets
