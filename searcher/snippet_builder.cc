// Snippet assembly: the passages chosen (snippet_cutter.h) around the matches found
// (snippet_matches.h), rendered on one line with the matched words marked, within a length
// counted in columns (snippet_columns.h).

#include "searcher/snippet_builder.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "searcher/snippet_columns.h"
#include "searcher/snippet_cutter.h"
#include "searcher/snippet_matches.h"
#include "text/white_space.h"

namespace trouvere::searcher {

namespace {

using snippets::choose_passages;
using snippets::count_columns;
using snippets::find_matches;
using snippets::is_ascii_graphic;
using snippets::kNone;
using snippets::kPassageSeparator;
using snippets::Matches;
using snippets::next_unit;
using snippets::Range;
using snippets::terms_of;
using snippets::tokens_as_needed;
using snippets::TokensAndMatches;
using snippets::trimmed;
using snippets::Unit;

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
// U+FFFD REPLACEMENT CHARACTER, shown for each invalid byte sequence.
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
constexpr std::size_t kEllipsisColumns = 1;

// The text already says it is cut (a lead paragraph ending in `des…`): a second `…` would stutter.
bool starts_with_ellipsis(std::string_view text) {
    return text.starts_with(kEllipsis) || text.starts_with("...");
}

bool ends_with_ellipsis(std::string_view text) {
    return text.ends_with(kEllipsis) || text.ends_with("...");
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
    std::vector<Range> passages =
        choose_passages(text, content, stored_sentence_breaks, matches, budget);
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
