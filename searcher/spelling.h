// "Did you mean": the closest frequent word of the index to a folded query word that the index
// does not hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trouvere::searcher {

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
/// times larger. Immutable once built, so safe to share between threads.
class SpellingDictionary {
public:
    /// The empty dictionary: it holds nothing and suggests nothing.
    SpellingDictionary() = default;

    /// Sorts `entries` (in any order) in O(n log n). Entries of the same folded word are merged:
    /// their frequencies are added (up to 2^32 - 1), and the display form of the most frequent one
    /// is kept, the bytewise smallest among equals. Entries whose folded word is not valid UTF-8
    /// are left out, since distances count code points. Throws trouvere::Error if the folded words,
    /// or the display forms, take more than 4 GiB in all.
    explicit SpellingDictionary(std::vector<SpellingEntry> entries);

    /// The number of distinct folded words.
    [[nodiscard]] std::size_t size() const { return frequencies_.size(); }

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
    /// Words in byte order, in one buffer, walked as a trie: the words under a prefix are one
    /// run of them.
    class SortedWords {
    public:
        /// Appends a word after every word appended so far in byte order; link() once all are.
        void append(std::string_view word);
        /// Computes the links that let a walk cross a run of words under a prefix.
        void link();

        [[nodiscard]] std::size_t size() const { return starts_.size() - 1; }
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
        /// Word i is bytes_[starts_[i], starts_[i + 1]).
        std::string bytes_;
        std::vector<std::uint32_t> starts_{0};
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
        /// The index in words_ of each word of `words`; null when `words` is words_.
        const std::vector<std::uint32_t>* indexes = nullptr;
        /// Code points, in the order of `words`.
        std::u32string_view query;
        int max_distance = 0;
        /// Until a word's prefix is within `guard_distance` of the first `guarded` code points
        /// of the query, the walk goes no further than that distance allows.
        std::size_t guarded = 0;
        int guard_distance = 0;
        std::uint32_t min_frequency = 0;
    };

    /// Replaces `best` with the best word `walk` reaches that is better than it.
    void closest(const Walk& walk, std::optional<Candidate>& best) const;
    [[nodiscard]] bool better(const Candidate& candidate, const Candidate& than) const;
    [[nodiscard]] std::string_view display(std::size_t index) const;

    SortedWords words_;
    /// Each word's code points in reverse order, sorted: the walk of the query's end.
    SortedWords reversed_;
    /// reversed_ word i is the reverse of words_ word reversed_indexes_[i].
    std::vector<std::uint32_t> reversed_indexes_;
    std::vector<std::uint32_t> frequencies_;
    /// Display forms, in the same order; an empty one stands for the folded word itself, which
    /// saves storing the many words that have no accent.
    std::string displays_;
    std::vector<std::uint32_t> display_starts_{0};
    /// The most code points of any word: a query longer by more than 2 has no candidate.
    std::size_t longest_word_ = 0;
};

}  // namespace trouvere::searcher
