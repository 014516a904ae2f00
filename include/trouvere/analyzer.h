#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/export.h"

namespace trouvere {

/// One indexable word of French text.
///
/// Terms come in two families (see docs/DESIGN.md, "Term scheme"):
/// - `term`: the accent-folded, case-folded Snowball stem. Every word has one; it is what matching,
///   phrases and positions use, so `armee`, `armée` and `ARMÉES` all meet here.
/// - `accented_term`: the Snowball stem of the word with its accents, set only when the word
///   carries diacritics. Queries typed with accents use it to rank the exact accented word first.
struct Token {
    std::string term;
    std::string accented_term;
    /// The word case- and accent-folded, unstemmed (`armees` for `Armées`): the word as typed,
    /// which queries rank above the other words of its stem. Empty past 64 bytes.
    std::string word;
    /// The word case-folded with its accents (`armées`), set only when it has accents (and is
    /// 64 bytes at most).
    std::string accented_word;
    /// Byte offsets of the word in the analysed UTF-8 text, after an elided article is removed:
    /// for `l’accord` they cover `accord`. Always on UTF-8 character boundaries.
    std::size_t begin = 0;
    std::size_t end = 0;
    /// 0-based word position; consecutive words have consecutive positions (phrases rely on it).
    std::uint32_t position = 0;
    /// The word is on the French stopword list: indexed for phrases, left out of free-word queries.
    bool is_stopword = false;
    /// The word is joined to the previous one by a hyphen with no space (`porte-parole`), so a
    /// query treats the pair as a phrase.
    bool hyphenated_to_previous = false;
};

/// The one French analysis pipeline, shared by indexing, query parsing and snippet highlighting:
/// ICU word segmentation (UAX #29), elision removal (`l'`, `qu’`, `jusqu'`…), thousands-separated
/// number joining (`25 000` → `25000`), NFKC case folding with ligature expansion (`œ` → `oe`),
/// accent folding and Snowball French stemming.
///
/// Not thread-safe: it keeps ICU state between calls. Use one Analyzer per thread; constructing
/// one is cheap compared with analysing a document. ICU's word break rules and normalizers are
/// loaded when a text first needs them (plain ASCII words need neither), so analyze(),
/// analyze_candidates() and fold() throw trouvere::Error if ICU cannot provide them. Stems are
/// Snowball's own French stemmer's (libstemmer); the constructor throws trouvere::Error if it
/// cannot be created, and analyze() and analyze_candidates() if it runs out of memory.
class TROUVERE_EXPORT Analyzer {
public:
    Analyzer();
    ~Analyzer();
    Analyzer(Analyzer&& other) noexcept;
    Analyzer& operator=(Analyzer&& other) noexcept;
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    /// Splits `text` (UTF-8) into tokens in text order. Invalid UTF-8 sequences are treated as
    /// separators and never appear inside a token. Positions start at `first_position`.
    [[nodiscard]] std::vector<Token> analyze(std::string_view text,
                                             std::uint32_t first_position = 0);

    /// The tokens of analyze(utf8, position) whose term is one of `terms`: every such token,
    /// with the position analyze gives it, and possibly others. On return, `position` is one past
    /// the position of the text's last word, as if every token had been returned, so that the
    /// next piece of a longer text continues the count. Much faster than analyze when few words
    /// can match, which is what highlighting needs: most words are ruled out by their first
    /// letters without being folded or stemmed.
    [[nodiscard]] std::vector<Token> analyze_candidates(std::string_view utf8,
                                                        const std::vector<std::string_view>& terms,
                                                        std::uint32_t& position);

    /// Case folding, ligature expansion and accent folding of one word, without stemming:
    /// `Œuvre` → `oeuvre`, `ÉTAT` → `etat`. Used to compare words with the stopword list.
    [[nodiscard]] std::string fold(std::string_view word);

    /// True when the folded word is on the French stopword list.
    [[nodiscard]] static bool is_stopword(std::string_view folded_word);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace trouvere
