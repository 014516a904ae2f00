#include "searcher/snippet_columns.h"

namespace trouvere::searcher::snippets {

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

}  // namespace trouvere::searcher::snippets
