#pragma once

#include <unicode/brkiter.h>
#include <unicode/umachine.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace trouvere::analysis {

/// A word of the text, as bytes [begin, end).
struct WordSegment {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// The words of a text by ICU's French word break rules (UAX #29), except that the narrow
/// no-break space separates words (see segment_with_icu).
///
/// ICU's rule engine would cost much of the analyser's time and most of a snippet's. Most of a
/// French text is ASCII, Latin letters and a few punctuation marks, for which the rules reduce
/// to a handful of cases, so the words between two ASCII whitespace characters are found here
/// directly whenever every character among them is one of those; anything else (other scripts,
/// combining marks, format characters, invalid UTF-8) goes to ICU. ASCII whitespace is a word
/// boundary under every rule, so the two kinds of pieces never disagree at their edges. The
/// tests check this against ICU on the whole text.
///
/// Not thread-safe: one segmenter per thread, like the ICU break iterator it owns. The iterator
/// is made when a text first needs it: building one loads ICU's rules and locale data, which cost
/// a one-word query more than analysing it, and most queries never need them.
class WordSegmenter {
public:
    /// Appends the words of `text`, in order, to `words`. Throws Error if ICU cannot provide its
    /// word break rules when the text needs them.
    void segment(std::string_view text, std::vector<WordSegment>& words);

    /// The same words, found by ICU alone over the whole text: the reference segment() follows.
    void segment_with_icu(std::string_view text, std::vector<WordSegment>& words);

private:
    void segment_with_icu(std::string_view text, std::size_t begin, std::size_t end,
                          std::vector<WordSegment>& words);

    std::unique_ptr<icu::BreakIterator> icu_words_;  // made by the first text that needs it
};

/// A French word break iterator (ICU's UAX #29 rules). Throws Error if ICU cannot provide one.
[[nodiscard]] std::unique_ptr<icu::BreakIterator> make_word_iterator();

/// Whether ICU's word rules (UAX #29) break between the code points `before` and `after`
/// (negative: an invalid UTF-8 sequence, which ICU reads as U+FFFD), decided without ICU when one
/// of them is ASCII whitespace: then no rule looks past these two characters. nullopt otherwise.
/// Unlike WordSegmenter, this follows ICU even for the narrow no-break space.
[[nodiscard]] std::optional<bool> word_break_beside_ascii_space(UChar32 before, UChar32 after);

}  // namespace trouvere::analysis
