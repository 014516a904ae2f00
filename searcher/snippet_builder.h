#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "trouvere/analyzer.h"
#include "trouvere/snippet.h"

namespace trouvere::searcher {

/// What a query matched, in the analyser's folded-stem family (Token::term).
struct MatchSpec {
    /// Terms marked wherever they occur.
    std::unordered_set<std::string> terms;
    /// Term sequences marked only where they occur adjacent and in order.
    std::vector<std::vector<std::string>> phrases;

    [[nodiscard]] bool empty() const { return terms.empty() && phrases.empty(); }
};

/// Picks the passage of `text` (about `max_chars` characters) that shows the most distinct matched
/// terms, preferring to start and end on sentence boundaries and otherwise on word boundaries,
/// adds `…` where it cuts, and marks every matched word. With no match it returns the start of the
/// text. Never splits a UTF-8 sequence: the result is valid UTF-8 (invalid input bytes become
/// U+FFFD) of at most `max_chars` code points, `…` included; only a word longer than that is cut.
[[nodiscard]] Snippet build_snippet(Analyzer& analyzer, std::string_view text,
                                    const MatchSpec& match, std::size_t max_chars);

/// build_snippet with the matches already known, for a stored body whose words were located
/// from the index: `tokens` holds, in text order, every token of Analyzer::analyze(text) whose
/// term `match` names (others may be there too), numbered as analyze numbers them from any first
/// position. `stored_sentence_breaks` is stored::encode_sentence_breaks() of the text's sentence
/// breaks, read instead of running ICU's sentence rules; empty or damaged, ICU finds them.
[[nodiscard]] Snippet build_snippet(std::string_view text, const std::vector<Token>& tokens,
                                    std::string_view stored_sentence_breaks, const MatchSpec& match,
                                    std::size_t max_chars);

}  // namespace trouvere::searcher
