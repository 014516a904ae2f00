// The French analyzer on arbitrary bytes. Properties, beyond not crashing:
// - every term and accented term is non-empty valid UTF-8, short enough for Xapian with the
//   longest term prefix, and does not start with an upper-case ASCII letter (the prefixes of the
//   other term families are upper case: such a term would be read as prefixed);
// - a token's offsets lie inside the input, on character boundaries, around valid UTF-8, and
//   tokens come in text order without overlapping;
// - positions are consecutive from the first position asked for, and the first token is not
//   hyphenated to a previous one;
// - analysing again, with the word cache now warm and another first position, gives the same
//   tokens shifted by the difference;
// - fold() of valid UTF-8 is valid UTF-8.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_support.h"
#include "trouvere/analyzer.h"

namespace {

using trouvere::fuzz::check;
using trouvere::fuzz::is_valid_utf8;
using trouvere::fuzz::on_character_boundary;
using trouvere::fuzz::printable;

// Xapian refuses terms over 245 bytes; the longest prefix of the term scheme is one byte.
constexpr std::size_t kMaxTermWithPrefix = 245 - 1;
constexpr std::uint32_t kShift = 1000;

void check_term(const std::string& term, bool may_be_empty) {
    if (term.empty()) {
        check(may_be_empty, "term is not empty");
        return;
    }
    check(is_valid_utf8(term), "term is valid UTF-8", [&] { return printable(term); });
    check(term.size() <= kMaxTermWithPrefix, "term fits Xapian's term length limit",
          [&] { return std::to_string(term.size()) + " bytes: " + printable(term); });
    check(!(term[0] >= 'A' && term[0] <= 'Z'), "term does not start with a prefix letter",
          [&] { return printable(term); });
}

void check_tokens(std::string_view text, const std::vector<trouvere::Token>& tokens,
                  std::uint32_t first_position) {
    std::size_t previous_end = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const trouvere::Token& token = tokens[i];
        const auto where = [&] {
            return "token " + std::to_string(i) + " [" + std::to_string(token.begin) + ", " +
                   std::to_string(token.end) + ") of " + std::to_string(text.size()) + " bytes";
        };
        check_term(token.term, false);
        check_term(token.accented_term, true);
        check(token.accented_term != token.term, "accented term, when set, differs from term",
              [&] { return printable(token.term); });
        check(token.begin < token.end && token.end <= text.size(), "offsets inside the input",
              where);
        check(token.begin >= previous_end, "tokens in text order, not overlapping", where);
        check(on_character_boundary(text, token.begin) && on_character_boundary(text, token.end),
              "offsets on character boundaries", where);
        check(is_valid_utf8(text.substr(token.begin, token.end - token.begin)),
              "token covers valid UTF-8", where);
        check(token.position == first_position + i, "positions consecutive from the first",
              [&] { return where() + " at position " + std::to_string(token.position); });
        check(i > 0 || !token.hyphenated_to_previous, "first token is not hyphenated", where);
        previous_end = token.end;
    }
}

bool same_tokens(const trouvere::Token& a, const trouvere::Token& b, std::uint32_t shift) {
    return a.term == b.term && a.accented_term == b.accented_term && a.begin == b.begin &&
           a.end == b.end && a.position + shift == b.position && a.is_stopword == b.is_stopword &&
           a.hyphenated_to_previous == b.hyphenated_to_previous;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // One analyzer for the whole run, as an indexing thread keeps one: its word cache carries
    // over from input to input, which the second pass below checks.
    static trouvere::Analyzer analyzer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const std::vector<trouvere::Token> tokens = analyzer.analyze(text);
    check_tokens(text, tokens, 0);

    const std::vector<trouvere::Token> again = analyzer.analyze(text, kShift);
    check(again.size() == tokens.size(), "analysis is repeatable", [&] {
        return std::to_string(tokens.size()) + " tokens then " + std::to_string(again.size());
    });
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        check(same_tokens(tokens[i], again[i], kShift), "analysis is repeatable", [&] {
            return "token " + std::to_string(i) + ": " + printable(tokens[i].term) + " then " +
                   printable(again[i].term);
        });
    }

    if (is_valid_utf8(text)) {
        check(is_valid_utf8(analyzer.fold(text)), "fold of valid UTF-8 is valid UTF-8");
    }
    return 0;
}
