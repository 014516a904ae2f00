#pragma once

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace trouvere::analysis {

/// The sentence boundaries of a text by ICU's French sentence rules (UAX #29), one at a time and
/// in order: 0 first, then each boundary after it, the text's size last. Invalid UTF-8 reads as
/// U+FFFD, as everywhere in ICU. The rules see the whole text: whether a full stop ends a
/// sentence can depend on the next letter however far it is (`p. 12, 14 et 15`), so a window of
/// the text would give other boundaries near its edges.
///
/// Borrows `iterator`, a sentence break iterator, for its lifetime: creating one costs more than
/// a snippet, so callers keep one per thread. `text` must outlive the walker and be under 2 GiB
/// (ICU's offsets are 32-bit).
class SentenceWalker {
public:
    SentenceWalker(icu::BreakIterator& iterator, std::string_view text);
    ~SentenceWalker();
    SentenceWalker(const SentenceWalker&) = delete;
    SentenceWalker& operator=(const SentenceWalker&) = delete;

    /// The next boundary; nullopt after the last.
    [[nodiscard]] std::optional<std::size_t> next();

private:
    icu::BreakIterator& iterator_;
    UText text_ = UTEXT_INITIALIZER;
    bool started_ = false;
};

/// A French sentence break iterator, for SentenceWalker. Throws Error if ICU cannot provide one.
[[nodiscard]] std::unique_ptr<icu::BreakIterator> make_sentence_iterator();

/// Every boundary SentenceWalker finds in `text`, with an iterator kept per thread.
[[nodiscard]] std::vector<std::size_t> sentence_breaks(std::string_view text);

}  // namespace trouvere::analysis
