#pragma once

#include <memory>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace trouvere::analysis {

/// Snowball's French stemmer, from Snowball's own C library (libstemmer): the algorithm as its
/// authors publish it, rather than the copy an engine carries in its own sources and updates on
/// its own schedule. Which release of it runs decides the terms of an index, so a change of
/// release that changes stems must come with a new term scheme (core/term_scheme.h).
///
/// Not thread-safe: stemming writes into a buffer the stemmer owns. Use one per thread, as the
/// Analyzer that holds one is.
class FrenchStemmer {
public:
    /// Throws Error when libstemmer cannot make a French stemmer for UTF-8 (out of memory, or a
    /// build of the library without French).
    FrenchStemmer();
    ~FrenchStemmer();
    // Neither copied nor moved, so that no stemmer is ever left without its libstemmer object.
    FrenchStemmer(const FrenchStemmer&) = delete;
    FrenchStemmer& operator=(const FrenchStemmer&) = delete;

    /// The stem of `word` (`militaires` → `militair`), which is lower-case UTF-8 with composed
    /// accents, as the algorithm expects: the Analyzer case-folds and validates before stemming.
    /// The empty word is its own stem. Throws Error when libstemmer runs out of memory, or when
    /// the word is over 2 GiB (its lengths are `int`).
    [[nodiscard]] std::string stem(std::string_view word);

private:
    struct Delete {
        void operator()(sb_stemmer* stemmer) const noexcept;
    };
    std::unique_ptr<sb_stemmer, Delete> stemmer_;
};

}  // namespace trouvere::analysis
