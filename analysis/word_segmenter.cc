#include "analysis/word_segmenter.h"

#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <array>
#include <cstdint>
#include <string>

#include "text/utf8.h"
#include "text/white_space.h"
#include "trouvere/error.h"

namespace trouvere::analysis {

namespace {

// UAX #29 word break classes of the characters handled without ICU, plus `space` (ASCII
// whitespace, where pieces are cut) and `complex` (anything left to ICU).
enum class Kind : std::uint8_t {
    space,
    other,  // breaks on both sides
    letter,
    digit,
    mid_letter,      // joins letters:             a·b
    mid_num_let,     // joins letters or digits:   l'a  l’a  a.b  1.5
    mid_num,         // joins digits:              1,5  1;2
    extend_num_let,  // joins to anything wordy:   a_b
    complex,
};

constexpr std::array<Kind, 128> kAsciiKinds = [] {
    std::array<Kind, 128> kinds{};
    for (std::size_t c = 0; c < kinds.size(); ++c) {
        kinds[c] = text::is_ascii_white_space(static_cast<char>(c)) ? Kind::space : Kind::other;
    }
    for (int c = 'a'; c <= 'z'; ++c) kinds[c] = Kind::letter;
    for (int c = 'A'; c <= 'Z'; ++c) kinds[c] = Kind::letter;
    for (int c = '0'; c <= '9'; ++c) kinds[c] = Kind::digit;
    // ICU adds `@` to the letters so that e-mail addresses stay whole, and takes `:` out of
    // MidLetter, so `a:b` is two words.
    kinds['@'] = Kind::letter;
    kinds['.'] = Kind::mid_num_let;
    kinds['\''] = Kind::mid_num_let;
    kinds[','] = Kind::mid_num;
    kinds[';'] = Kind::mid_num;
    kinds['_'] = Kind::extend_num_let;
    return kinds;
}();

struct Classified {
    Kind kind;
    std::size_t next;
};

// The kind of the character at `at` and where the next one starts.
Classified classify(std::string_view text, std::size_t at) {
    auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) return {kAsciiKinds[lead], at + 1};
    auto byte = [&](std::size_t k) {
        return at + k < text.size() ? static_cast<unsigned char>(text[at + k]) : 0;
    };
    if (lead >= 0xC2 && lead <= 0xC5 && text::is_continuation_byte(static_cast<char>(byte(1)))) {
        unsigned code_point = ((lead & 0x1FU) << 6) | (byte(1) & 0x3FU);
        switch (code_point) {
            case 0xA0:  // no-break space
            case 0xA7:  // §
            case 0xAB:  // «
            case 0xB0:  // °
            case 0xBB:  // »
            case 0xD7:  // ×
            case 0xF7:  // ÷
                return {Kind::other, at + 2};
            case 0xB7:  // middle dot
                return {Kind::mid_letter, at + 2};
            default:
                // À to ſ are all letters (Latin-1 and Latin Extended-A); below À, the rest of
                // Latin-1's symbols and controls are left to ICU.
                return {code_point >= 0xC0 ? Kind::letter : Kind::complex, at + 2};
        }
    }
    if (lead == 0xE2 && byte(1) == 0x80 && text::is_continuation_byte(static_cast<char>(byte(2)))) {
        switch (byte(2)) {
            case 0x98:  // ‘
            case 0x99:  // ’
                return {Kind::mid_num_let, at + 3};
            case 0x89:  // thin space
            case 0x90:  // hyphen
            case 0x91:  // non-breaking hyphen
            case 0x93:  // en dash
            case 0x94:  // em dash
            case 0x9C:  // “
            case 0x9D:  // ”
            case 0xA6:  // …
            // The narrow no-break space joins words under UAX #29 (it is ExtendNumLet, for
            // Mongolian), but French puts it inside `« »` and before `! ? ; :`, where it
            // separates them.
            case 0xAF: return {Kind::other, at + 3};
            default: break;
        }
    }
    return {Kind::complex, at + 1};
}

bool is_wordy(Kind kind) {
    return kind == Kind::letter || kind == Kind::digit || kind == Kind::extend_num_let;
}

// The words of text[begin, end), a piece of characters that all have a simple kind.
void segment_simple(std::string_view text, std::size_t begin, std::size_t end,
                    std::vector<WordSegment>& words) {
    for (std::size_t at = begin; at < end;) {
        Classified first = classify(text, at);
        if (!is_wordy(first.kind)) {
            at = first.next;
            continue;
        }
        std::size_t start = at;
        Kind last = first.kind;
        bool has_letter_or_digit = last != Kind::extend_num_let;
        std::size_t characters = 1;
        at = first.next;
        while (at < end) {
            Classified next = classify(text, at);
            if (is_wordy(next.kind)) {  // WB5, WB8–WB10, WB13a, WB13b
                last = next.kind;
                has_letter_or_digit = has_letter_or_digit || last != Kind::extend_num_let;
                ++characters;
                at = next.next;
                continue;
            }
            bool joins_letters = last == Kind::letter &&
                                 (next.kind == Kind::mid_letter || next.kind == Kind::mid_num_let);
            bool joins_digits = last == Kind::digit &&
                                (next.kind == Kind::mid_num || next.kind == Kind::mid_num_let);
            if ((joins_letters || joins_digits) && next.next < end) {
                Classified after = classify(text, next.next);
                if (after.kind == last) {  // WB6–WB7, WB11–WB12
                    characters += 2;
                    at = after.next;
                    continue;
                }
            }
            break;
        }
        // ICU gives a lone `_` no word status but counts `__` as a word.
        if (has_letter_or_digit || characters > 1) words.push_back({start, at});
    }
}

// One ExtendNumLet character (`_`, `‿`…): ICU gives it alone no word status.
bool is_lone_joiner(std::string_view part) {
    if (part.empty()) return false;
    std::size_t next = 0;
    const UChar32 c = text::decode_at(part, 0, next);
    return next == part.size() && c >= 0 &&
           u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_EXTENDNUMLET;
}

}  // namespace

std::optional<bool> word_break_beside_ascii_space(UChar32 before, UChar32 after) {
    auto ascii_space = [](UChar32 c) {
        return c >= 0 && c < 0x80 && kAsciiKinds[static_cast<std::size_t>(c)] == Kind::space;
    };
    auto line_break = [](UChar32 c) { return c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
    // The rules below ask only whether a character is Extend, Format, ZWJ or WSegSpace. Below
    // U+0300 (ASCII, Latin-1 and the Latin extensions, where the combining marks begin) the soft
    // hyphen is the one Format character and the space the one WSegSpace, so most neighbours are
    // answered without ICU's property tables; the rest are told apart from these as Other.
    auto word_break_of = [](UChar32 c) -> int32_t {
        if (c < 0) return U_WB_OTHER;
        if (c < 0x300) return c == ' ' ? U_WB_WSEGSPACE : c == 0xAD ? U_WB_FORMAT : U_WB_OTHER;
        return u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
    };
    if (ascii_space(before)) {
        if (line_break(before)) return !(before == '\r' && after == '\n');  // WB3, WB3a
        int32_t kind = word_break_of(after);
        if (kind == U_WB_EXTEND || kind == U_WB_FORMAT || kind == U_WB_ZWJ) return false;  // WB4
        return !(before == ' ' && kind == U_WB_WSEGSPACE);                                 // WB3d
    }
    if (ascii_space(after)) {
        if (line_break(after)) return true;                                 // WB3b
        return !(after == ' ' && word_break_of(before) == U_WB_WSEGSPACE);  // WB3d
    }
    return std::nullopt;
}

std::unique_ptr<icu::BreakIterator> make_word_iterator() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(
        icu::BreakIterator::createWordInstance(icu::Locale::getFrench(), status));
    if (U_FAILURE(status) || !iterator) {
        throw Error(std::string("ICU cannot provide French word breaks: ") + u_errorName(status));
    }
    return iterator;
}

void WordSegmenter::segment(std::string_view text, std::vector<WordSegment>& words) {
    std::size_t at = 0;
    while (at < text.size()) {
        auto byte = static_cast<unsigned char>(text[at]);
        if (byte < 0x80 && kAsciiKinds[byte] == Kind::space) {
            ++at;
            continue;
        }
        std::size_t piece_end = at;
        bool simple = true;
        while (piece_end < text.size()) {
            Classified next = classify(text, piece_end);
            if (next.kind == Kind::space) break;
            simple = simple && next.kind != Kind::complex;
            piece_end = next.next;
        }
        if (simple) {
            segment_simple(text, at, piece_end, words);
        } else {
            segment_with_icu(text, at, piece_end, words);
        }
        at = piece_end;
    }
}

void WordSegmenter::segment_with_icu(std::string_view text, std::vector<WordSegment>& words) {
    segment_with_icu(text, 0, text.size(), words);
}

void WordSegmenter::segment_with_icu(std::string_view text, std::size_t begin, std::size_t end,
                                     std::vector<WordSegment>& words) {
    constexpr std::string_view kNarrowNoBreakSpace = "\u202f";
    std::string_view piece = text.substr(begin, end - begin);
    if (!icu_words_) icu_words_ = make_word_iterator();
    UErrorCode status = U_ZERO_ERROR;
    UText* utext =
        utext_openUTF8(nullptr, piece.data(), static_cast<int64_t>(piece.size()), &status);
    if (U_FAILURE(status)) return;
    icu_words_->setText(utext, status);
    if (U_SUCCESS(status)) {
        int32_t word_begin = icu_words_->first();
        for (int32_t word_end = icu_words_->next(); word_end != icu::BreakIterator::DONE;
             word_begin = word_end, word_end = icu_words_->next()) {
            if (icu_words_->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
            auto from = static_cast<std::size_t>(word_begin);
            auto to = static_cast<std::size_t>(word_end);
            std::string_view word = piece.substr(from, to - from);
            if (word.find(kNarrowNoBreakSpace) == std::string_view::npos) {
                words.push_back({begin + from, begin + to});
                continue;
            }
            // Cut at every narrow no-break space (see classify()). A part that is one lone
            // joiner like `_` is no word, as ICU would have said of it alone.
            while (from < to) {
                std::size_t cut = piece.substr(from, to - from).find(kNarrowNoBreakSpace);
                std::size_t part_end = cut == std::string_view::npos ? to : from + cut;
                if (!is_lone_joiner(piece.substr(from, part_end - from)) && part_end > from) {
                    words.push_back({begin + from, begin + part_end});
                }
                from = part_end + (cut == std::string_view::npos ? 0 : kNarrowNoBreakSpace.size());
            }
        }
    }
    // Detach the break iterator from the UText before the UText goes away.
    icu_words_->setText(icu::UnicodeString());
    utext_close(utext);
}

}  // namespace trouvere::analysis
