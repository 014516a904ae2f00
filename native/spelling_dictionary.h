#pragma once

// "Did you mean": the surface words of an index, for the closest frequent word to a folded query
// word that the index does not hold. One byte layout serves the dictionary built in memory and
// the one the native index stores (section 10 of docs/NATIVE_FORMAT.md): a native index maps it
// rather than read every word term and build it again.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "native/byte_io.h"

namespace trouvere::native {

/// One word of the index as the dictionary takes it.
struct SpellingEntry {
    /// The word as Analyzer::fold gives it (`securite`): what queries are compared with.
    std::string folded;
    /// The number of documents that hold the word.
    std::uint32_t frequency = 0;
    /// The form a suggestion shows, with its accents (`sécurité`); empty for the folded word
    /// itself.
    std::string display;
};

/// A correction of a query word.
struct Suggestion {
    std::string folded;
    std::string display;
    /// Damerau–Levenshtein distance (optimal string alignment) from the query word, in code points.
    int distance = 0;
    std::uint32_t frequency = 0;
};

/// The folded words of an index, sorted in one buffer, with their frequencies and display forms.
/// Suggestions walk that sorted array as a trie instead of looking up every deletion of the query
/// in an index of every word's deletions (the "symmetric delete" method), which would be tens of
/// times larger. Immutable once built or opened, so safe to share between threads; copies share
/// the bytes.
class SpellingDictionary {
public:
    /// The empty dictionary: it holds nothing and suggests nothing.
    SpellingDictionary();

    /// Sorts `entries` (in any order) in O(n log n). Entries of the same folded word are merged:
    /// their frequencies are added (up to 2^32 - 1), and the display form of the most frequent one
    /// is kept, the bytewise smallest among equals. Entries whose folded word is not valid UTF-8
    /// are left out, since distances count code points, and so are display forms that are not.
    /// Throws trouvere::Error if the folded words, or the display forms, take more than 4 GiB in
    /// all.
    explicit SpellingDictionary(std::vector<SpellingEntry> entries);

    /// The dictionary whose bytes() are `bytes`, read where they lie, which `keeper` keeps
    /// alive. Trusts nothing in them: nullopt, with `why`, when they do not hold (lengths that do
    /// not add up, words out of order or not UTF-8, reversed words that are not the words
    /// reversed). Reads every byte, far less than building it again (bench/spelling_bench.cc).
    [[nodiscard]] static std::optional<SpellingDictionary> open(Bytes bytes,
                                                                std::shared_ptr<const void> keeper,
                                                                std::string& why);

    /// The dictionary as bytes, for open(): docs/NATIVE_FORMAT.md, section 10.
    [[nodiscard]] Bytes bytes() const { return bytes_; }

    /// The number of distinct folded words.
    [[nodiscard]] std::size_t size() const { return words_.size(); }

    [[nodiscard]] bool contains(std::string_view folded) const;

    /// The best correction of `folded`, a word the dictionary does not hold: among the words of
    /// frequency `min_frequency` or more at a distance of at most 1 for words of 3 or 4 code
    /// points, 2 for longer ones, the closest, then the most frequent, then the bytewise
    /// smallest. Nothing for a word the dictionary holds (whatever its frequency), for words of
    /// fewer than 3 code points (too many words are that close to them) and for text that is not
    /// valid UTF-8. bench/spelling_bench.cc measures it.
    [[nodiscard]] std::optional<Suggestion> suggest(std::string_view folded,
                                                    std::uint32_t min_frequency = 1) const;

private:
    /// Words in byte order, end to end, walked as a trie: the words under a prefix are one run
    /// of them.
    class SortedWords {
    public:
        /// Views `text`, word i ending where the (i + 1)-th u32 of `ends` says (word 0 starting
        /// at 0), and links the words. False, with `why`, when the ends do not fit the text or
        /// the words are not in strictly ascending byte order.
        [[nodiscard]] bool open(std::string_view text, Bytes ends, std::string& why);

        [[nodiscard]] std::size_t size() const { return shared_with_previous_.size(); }
        [[nodiscard]] std::string_view word(std::size_t index) const;
        /// The bytes word `index` shares with word `index` - 1 at its start, up to 255.
        [[nodiscard]] std::size_t shared_with_previous(std::size_t index) const {
            return shared_with_previous_[index];
        }
        /// The first word after `index` that does not start with the first `prefix_bytes` bytes
        /// of word `index`.
        [[nodiscard]] std::size_t end_of_prefix_run(std::size_t index,
                                                    std::size_t prefix_bytes) const;

    private:
        std::string_view text_;
        Bytes ends_;
        /// The bytes word i shares with word i - 1 at its start, 255 standing for 255 or more:
        /// where the walk's rows of word i - 1 stop being those of word i. Capped to keep it one
        /// byte a word; past the cap the walk only skips less.
        std::vector<std::uint8_t> shared_with_previous_;
        /// The first word after word i that shares fewer bytes with its previous word than word
        /// i does, or size(): every word in between starts with the same
        /// shared_with_previous_[i] bytes as word i, so a run of words under a prefix is crossed
        /// in a few jumps.
        std::vector<std::uint32_t> next_shorter_share_;
    };

    /// A word within reach of the query: its index in words_, and its distance.
    struct Candidate {
        std::size_t index = 0;
        int distance = 0;
    };

    /// Which words a walk may reach, and how it reads them.
    struct Walk {
        const SortedWords* words = nullptr;
        /// Whether `words` is reversed_, whose word i is words_ word reversed_index(i).
        bool reversed = false;
        /// Code points, in the order of `words`.
        std::u32string_view query;
        int max_distance = 0;
        /// Until a word's prefix is within `guard_distance` of the first `guarded` code points
        /// of the query, the walk goes no further than that distance allows.
        std::size_t guarded = 0;
        int guard_distance = 0;
        std::uint32_t min_frequency = 0;
    };

    /// Views `bytes` as open() says.
    [[nodiscard]] bool view(Bytes bytes, std::string& why);
    /// Replaces `best` with the best word `walk` reaches that is better than it.
    void closest(const Walk& walk, std::optional<Candidate>& best) const;
    [[nodiscard]] bool better(const Candidate& candidate, const Candidate& than) const;
    [[nodiscard]] std::uint32_t frequency(std::size_t index) const;
    [[nodiscard]] std::size_t reversed_index(std::size_t index) const;
    [[nodiscard]] std::string_view display(std::size_t index) const;

    /// What holds the bytes: a buffer of the dictionary's own, or the native index mapping them.
    std::shared_ptr<const void> keeper_;
    Bytes bytes_;
    SortedWords words_;
    /// Each word's code points in reverse order, sorted: the walk of the query's end.
    SortedWords reversed_;
    Bytes reversed_indexes_;
    Bytes frequencies_;
    /// Display forms, in the order of words_; an empty one stands for the folded word itself,
    /// which saves storing the many words that have no accent.
    std::string_view displays_;
    Bytes display_ends_;
    /// The most code points of any word: a query longer by more than 2 has no candidate.
    std::size_t longest_word_ = 0;
};

/// A term of an index (its prefix included) and the number of documents that hold it.
struct IndexedTerm {
    std::string_view term;
    std::uint32_t documents = 0;
};

/// The dictionary of an index's surface words, from its word terms (scheme::kWordPrefix, folded
/// words) and exact-word terms (scheme::kExactWordPrefix, accented forms), each list in byte
/// order: each word with the number of documents holding it, shown as the most frequent of its
/// accented forms, the bytewise smallest among equals, unless more documents have the word and
/// none of its accented forms (`premier` against a stray `prémier`, `courbe` against `courbé`):
/// then, and for a word without accented forms, it is shown folded. The searcher builds it thus
/// from Xapian, and the native index builder for section 10, so that both give the same.
[[nodiscard]] SpellingDictionary dictionary_of_index_words(
    std::span<const IndexedTerm> word_terms, std::span<const IndexedTerm> exact_terms);

}  // namespace trouvere::native
