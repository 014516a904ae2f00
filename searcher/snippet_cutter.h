// Cutting passages: where a snippet's passages start and end, on sentence boundaries where the
// sentence fits, else on word boundaries beside white space, so that no word is cut unless it
// alone exceeds the budget.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "searcher/snippet_columns.h"
#include "searcher/snippet_matches.h"

namespace trouvere::searcher::snippets {

/// What separates two passages, and the columns it takes.
inline constexpr std::string_view kPassageSeparator = " \xE2\x80\xA6 ";
inline constexpr std::size_t kSeparatorColumns = 3;

/// The passages of `text` to show, in text order, at most `budget` columns in all, separators
/// included: the one that shows the most of `matches`, or two when together they show more, or
/// the start of `content` (the text without its leading and trailing white space) when nothing
/// matched. `stored_sentence_breaks` as for build_snippet.
[[nodiscard]] std::vector<Range> choose_passages(std::string_view text, Range content,
                                                 std::string_view stored_sentence_breaks,
                                                 const Matches& matches, std::size_t budget);

}  // namespace trouvere::searcher::snippets
