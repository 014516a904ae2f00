// The French analysis pipeline. Order of the steps, and why:
//  1. Word segmentation by ICU's rules (UAX #29) on the UTF-8 text itself, so that boundaries
//     are byte offsets into the caller's text with no UTF-16 copy to map back; common Latin text
//     is segmented without ICU's rule engine, to the same words (analysis/word_segmenter.h).
//  2. Number joining, on segments: `25 000` is two ICU words and must become one before positions
//     are assigned, or the phrase "25 000 tonnes" would not match "25000 tonnes".
//  3. Elision, on the surface word: UAX #29 keeps `l'armée` and `jusqu’où` as one word (the
//     apostrophe is MidNumLet), so the article has to be cut before folding or stemming sees it.
//     Working on the surface form keeps the token's offsets on the word the reader sees.
//  4. NFKC case folding, then ligatures: NFKC leaves `œ`/`æ` alone, so they are expanded by hand.
//     This gives the accented form.
//  5. Accent folding (NFD, drop nonspacing marks, NFC) gives the folded form, compared with the
//     stopword list.
//  6. Snowball French stemming of both forms: the folded stem is the matching term, the accented
//     stem (only when it differs) lets accented queries rank exact spellings first. Stemming the
//     folded form merges `armée` with `arme`; the accented family is what separates them again.

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "analysis/french_stemmer.h"
#include "analysis/word_segmenter.h"
#include "text/ascii.h"
#include "text/folding.h"
#include "text/utf8.h"
#include "text/white_space.h"
#include "trouvere/analyzer.h"

namespace trouvere {

namespace {

// Articles and conjunctions that French elides before a vowel. `aujourd'hui`, `prud'homme` and
// names such as `O'Neill` keep their apostrophe because their first part is not in this list.
constexpr std::array<std::string_view, 13> kElidedWords{
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
};

// Longer "words" are URLs, hashes or run-together garbage that nobody searches for; Xapian also
// refuses terms over 245 bytes.
constexpr std::size_t kMaxTermBytes = 64;

bool is_ascii_digits(std::string_view text) {
    if (text.empty()) return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Decodes the code point at `offset`, or returns -1 past the end or on a bad sequence.
UChar32 code_point_at(std::string_view text, std::size_t offset, std::size_t* next) {
    if (offset >= text.size()) return -1;
    return text::decode_at(text, offset, *next);
}

bool is_hyphen(UChar32 c) {
    return c == '-' || c == 0x2010 || c == 0x2011;
}

// The text between two words is exactly one code point satisfying `predicate`.
template <typename Predicate>
bool gap_is_one(std::string_view text, std::size_t from, std::size_t to, Predicate predicate) {
    std::size_t next = 0;
    UChar32 c = code_point_at(text, from, &next);
    return c >= 0 && next == to && predicate(c);
}

// A thousands group continuing a number: three digits, optionally followed by a decimal part
// (`1 000,50` is two ICU words, `1` and `000,50`).
bool is_thousands_group(std::string_view word) {
    if (word.size() < 3 || !is_ascii_digits(word.substr(0, 3))) return false;
    if (word.size() == 3) return true;
    return (word[3] == ',' || word[3] == '.') && is_ascii_digits(word.substr(4));
}

// Bytes of the apostrophe (', ’ or ʼ) at `offset`, or 0 when there is none.
std::size_t apostrophe_length(std::string_view word, std::size_t offset) {
    const std::string_view rest = word.substr(offset);
    if (rest.starts_with('\'')) return 1;
    if (rest.starts_with("\u2019")) return 3;
    if (rest.starts_with("\u02BC")) return 2;
    return 0;
}

// Offset just after an elided article at the start of `word`, or 0 when there is none. Runs on
// every word, so it looks at bytes: an elided word is ASCII letters, then an apostrophe.
std::size_t elision_end(std::string_view word) {
    constexpr std::size_t kLongestElided = 6;  // `lorsqu`, `puisqu`, `quoiqu`
    std::size_t letters = 0;
    while (letters < word.size() && letters <= kLongestElided &&
           text::is_ascii_letter(word[letters])) {
        ++letters;
    }
    if (letters == 0 || letters > kLongestElided) return 0;
    const std::size_t apostrophe = apostrophe_length(word, letters);
    if (apostrophe == 0 || letters + apostrophe >= word.size()) return 0;
    std::array<char, kLongestElided> prefix{};
    for (std::size_t i = 0; i < letters; ++i) prefix[i] = text::lower_ascii(word[i]);
    const std::string_view lowered(prefix.data(), letters);
    for (std::string_view elided : kElidedWords) {
        if (lowered == elided) return letters + apostrophe;
    }
    return 0;
}

// `25 000` → `25000`; a decimal comma stays, so `0,11` and `0.11` stay different terms.
std::string without_thousands_separators(std::string_view number) {
    std::string compact;
    for (std::size_t i = 0, next = 0; i < number.size(); i = next) {
        UChar32 c = code_point_at(number, i, &next);
        if (c < 0 || !text::is_space_inside_number(c)) compact.append(number.substr(i, next - i));
    }
    return compact;
}

// The word surely yields a term, and that term starts with the word's first byte in lower case:
// the word starts with an ASCII character and the rest is ASCII or precomposed Latin-1 and
// Latin Extended-A letters (U+00C0–U+017F), which fold to at most one and a half times their
// bytes, so the term cannot pass kMaxTermBytes; folding keeps an ASCII character (lowered) and
// nothing can compose with it, and Snowball French never changes a word's first letter.
// tests/analyzer_test.cc checks this against analyze on random text and on real articles.
bool term_start_is_known(std::string_view surface) {
    if (surface.size() * 3 / 2 > kMaxTermBytes || static_cast<unsigned char>(surface[0]) >= 0x80) {
        return false;
    }
    for (std::size_t i = 1; i < surface.size(); ++i) {
        const auto byte = static_cast<unsigned char>(surface[i]);
        if (byte < 0x80) continue;
        if (byte < 0xC3 || byte > 0xC5 || i + 1 == surface.size() ||
            (static_cast<unsigned char>(surface[i + 1]) & 0xC0) != 0x80) {
            return false;
        }
        ++i;
    }
    return true;
}

// A term's first two bytes as one number; a term of one byte has 0 as its second.
std::uint16_t pair_key(unsigned char first, unsigned char second) {
    return static_cast<std::uint16_t>(first << 8 | second);
}

// What the terms a caller looks for start with, to rule words out before folding or stemming
// them.
class TermStarts {
public:
    explicit TermStarts(const std::vector<std::string_view>& terms) {
        for (std::string_view term : terms) {
            if (term.empty()) continue;
            const auto first = static_cast<unsigned char>(term[0]);
            first_bytes_[first] = true;
            pairs_.push_back(
                pair_key(first, term.size() > 1 ? static_cast<unsigned char>(term[1]) : 0));
        }
    }

    // `surface` (term_start_is_known holds) may yield one of the terms. Its first byte, lowered,
    // starts the term. So do its first two, when both are ASCII and it is a word, not a number
    // (`1 000` is `1000`): Snowball French changes a folded word only from its third letter on
    // (its regions RV, R1 and R2 never start before it), with one exception, a final `s` removed
    // wherever it is (`es` is `e`); and the letters it marks while it works (`I`, `U`, `Y`) it
    // lowers again at the end. (Only accented words can change sooner: it marks `ë` and `ï` with
    // a letter of their own, so `ïe` is `ï`.)
    [[nodiscard]] bool may_yield_one(std::string_view surface, bool is_number) const {
        const auto first = static_cast<unsigned char>(text::lower_ascii(surface[0]));
        if (!first_bytes_[first]) return false;
        if (is_number) return true;
        unsigned char second = 0;
        if (surface.size() > 1) {
            second = static_cast<unsigned char>(text::lower_ascii(surface[1]));
            if (second >= 0x80) return true;
        }
        return asked(pair_key(first, second)) ||
               (surface.size() == 2 && second == 's' && asked(pair_key(first, 0)));
    }

private:
    [[nodiscard]] bool asked(std::uint16_t pair) const {
        return std::find(pairs_.begin(), pairs_.end(), pair) != pairs_.end();
    }

    std::array<bool, 256> first_bytes_{};
    std::vector<std::uint16_t> pairs_;
};

struct Segment {
    std::size_t begin;
    std::size_t end;
    bool is_number;
};

}  // namespace

struct TROUVERE_HIDDEN Analyzer::Impl {
    analysis::WordSegmenter segmenter;
    // Reused between texts to save an allocation per call.
    std::vector<analysis::WordSegment> words_found;
    analysis::FrenchStemmer stemmer;

    // What a surface word becomes. Folding and stemming are pure functions of the surface form
    // and most of a text's words are repeats, so each distinct form is worked out once.
    struct Word {
        std::string term;
        std::string accented_term;
        std::string word;
        std::string accented_word;
        bool is_stopword = false;
    };
    // Looked up by string_view, so that a hit allocates nothing.
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept {
            return std::hash<std::string_view>{}(text);
        }
    };
    std::unordered_map<std::string, std::optional<Word>, StringHash, std::equal_to<>> words_seen;
    // Bounds memory on endless vocabularies (numbers, names); a refill costs little.
    static constexpr std::size_t kMaxWordsSeen = 200'000;
    // Longer surfaces (base64 blobs, runs of letters) are rarely repeated words, and caching them
    // would make the bound above one of entries, not of bytes: 200,000 distinct words of 10 kB
    // would hold 2 GB. With this limit the cache stays under about 60 MB.
    static constexpr std::size_t kMaxCachedSurfaceBytes = 64;
    // The analysis of the last word too long to cache, which word() points into.
    std::optional<Word> uncached;

    // The analysis of one surface word, or nullptr when it yields no term.
    const Word* word(std::string_view surface, bool is_number) {
        if (surface.size() > kMaxCachedSurfaceBytes) {
            uncached = analyze_word(surface, is_number);
            return uncached ? &*uncached : nullptr;
        }
        auto found = words_seen.find(surface);
        if (found == words_seen.end()) {
            if (words_seen.size() >= kMaxWordsSeen) words_seen.clear();
            found =
                words_seen.emplace(std::string(surface), analyze_word(surface, is_number)).first;
        }
        return found->second ? &*found->second : nullptr;
    }

    std::optional<Word> analyze_word(std::string_view surface, bool is_number) {
        std::string accented = text::case_fold(surface);
        if (is_number) accented = without_thousands_separators(accented);
        std::string folded = text::strip_accents(accented);
        if (folded.empty()) return std::nullopt;
        Word word;
        word.term = stem(folded);
        if (word.term.size() > kMaxTermBytes) return std::nullopt;
        if (folded.size() <= kMaxTermBytes) word.word = folded;
        word.is_stopword = is_stopword(folded);
        if (accented != folded && accented.size() <= kMaxTermBytes) word.accented_word = accented;
        if (accented != folded && !word.is_stopword) {
            // Only an accented stem that differs tells anything: `armé` against `arme`, not
            // `cooper` against `cooper`.
            std::string accented_stem = stem(accented);
            // A letter under a long run of combining accents folds to a short term, but its
            // accented stem keeps every accent and can pass Xapian's term limit: such a word
            // goes without its accented family.
            if (accented_stem != word.term && accented_stem.size() <= kMaxTermBytes) {
                word.accented_term = std::move(accented_stem);
            }
        }
        return word;
    }

    std::string stem(const std::string& word) {
        if (!word.empty() && word[0] >= '0' && word[0] <= '9') return word;
        return stemmer.stem(word);
    }

    // Word segments in text order, with thousands-separated numbers already joined.
    std::vector<Segment> segment(std::string_view text) {
        words_found.clear();
        segmenter.segment(text, words_found);
        std::vector<Segment> segments;
        segments.reserve(words_found.size());
        for (const analysis::WordSegment& word : words_found) {
            Segment current{word.begin, word.end,
                            looks_numeric(text.substr(word.begin, word.end - word.begin))};
            if (current.is_number && !segments.empty()) {
                Segment& previous = segments.back();
                std::string_view group = text.substr(current.begin, current.end - current.begin);
                if (previous.is_number && is_thousands_group(group) &&
                    gap_is_one(text, previous.end, current.begin, text::is_space_inside_number) &&
                    leads_a_number(text, previous)) {
                    previous.end = current.end;
                    continue;
                }
            }
            segments.push_back(current);
        }
        return segments;
    }

    static bool looks_numeric(std::string_view word) {
        return !word.empty() && word[0] >= '0' && word[0] <= '9' &&
               std::all_of(word.begin(), word.end(),
                           [](char c) { return (c >= '0' && c <= '9') || c == ',' || c == '.'; });
    }

    // `previous` can take a following thousands group: it is 1–3 digits, or already a joined
    // number whose last group is complete (`25 000` can take `000`, `2024` cannot take `100`).
    static bool leads_a_number(std::string_view text, const Segment& previous) {
        std::string_view digits = text.substr(previous.begin, previous.end - previous.begin);
        std::size_t last_group = digits.size();
        for (std::size_t i = digits.size(); i > 0; --i) {
            if (!std::isdigit(static_cast<unsigned char>(digits[i - 1]))) {
                last_group = digits.size() - i;
                break;
            }
        }
        if (last_group == digits.size()) return is_ascii_digits(digits) && digits.size() <= 3;
        return last_group == 3;
    }

    // The tokens of `text`, numbered from `position`, which is left one past the last. With
    // `wanted`, words that surely yield none of its terms are counted but not analysed.
    std::vector<Token> analyze(std::string_view text, std::uint32_t& position,
                               const TermStarts* wanted) {
        std::vector<Token> tokens;
        std::size_t previous_end = std::string_view::npos;
        for (const Segment& segment : segment(text)) {
            std::size_t begin = segment.begin;
            std::string_view surface = text.substr(begin, segment.end - begin);
            if (!segment.is_number) {
                std::size_t cut = elision_end(surface);
                begin += cut;
                surface.remove_prefix(cut);
            }
            if (surface.empty()) continue;
            if (wanted != nullptr && term_start_is_known(surface) &&
                !wanted->may_yield_one(surface, segment.is_number)) {
                ++position;
                previous_end = segment.end;
                continue;
            }
            if (!text::is_valid_utf8(surface)) continue;

            const Word* found = word(surface, segment.is_number);
            if (found == nullptr) continue;

            Token token;
            token.term = found->term;
            token.accented_term = found->accented_term;
            token.word = found->word;
            token.accented_word = found->accented_word;
            token.is_stopword = found->is_stopword;
            token.begin = begin;
            token.end = segment.end;
            token.position = position++;
            token.hyphenated_to_previous = previous_end != std::string_view::npos &&
                                           !segment.is_number &&
                                           gap_is_one(text, previous_end, segment.begin, is_hyphen);
            previous_end = segment.end;
            tokens.push_back(std::move(token));
        }
        return tokens;
    }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

// A member of the public API, so that a caller folds words as its analyser does: not static.
// NOLINTNEXTLINE(readability-convert-member-functions-to-static)
std::string Analyzer::fold(std::string_view word) {
    return text::fold(word);
}

std::vector<Token> Analyzer::analyze(std::string_view text, std::uint32_t first_position) {
    return impl_->analyze(text, first_position, nullptr);
}

std::vector<Token> Analyzer::analyze_candidates(std::string_view utf8,
                                                const std::vector<std::string_view>& terms,
                                                std::uint32_t& position) {
    const TermStarts wanted(terms);
    return impl_->analyze(utf8, position, &wanted);
}

}  // namespace trouvere
