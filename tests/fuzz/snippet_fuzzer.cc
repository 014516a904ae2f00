// The snippet builder on an arbitrary document and query. The input is laid out so that seeds can
// be written by hand:
//   line 1   the snippet length in characters, in decimal (taken modulo 1001; 200 when the line
//            holds no digits)
//   line 2   the query, parsed and translated as the searcher does to know what to mark
//   the rest the document text
// Properties (tests/fuzz/snippet_checks.h): valid UTF-8, no longer than the length asked for,
// highlights well formed, and HTML with balanced, unnested <mark> tags around the same text.
// And the searcher's way gives the same snippet: the document's words stored as offsets
// (stored::encode_word_offsets) and its sentence breaks stored too
// (stored::encode_sentence_breaks), the matched words located again by position, and the snippet
// built from those instead of from analysis and ICU's sentence rules.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/sentence_breaks.h"
#include "core/stored_document.h"
#include "searcher/query_translation.h"
#include "searcher/snippet_builder.h"
#include "tests/fuzz/snippet_checks.h"
#include "trouvere/analyzer.h"
#include "trouvere/query.h"

namespace {

constexpr std::size_t kDefaultLength = 200;
constexpr std::size_t kLengthModulus = 1001;

// The next line of `input`, removed from it.
std::string_view take_line(std::string_view& input) {
    const std::size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    return line;
}

std::size_t snippet_length(std::string_view line) {
    std::size_t length = 0;
    bool digits = false;
    for (char c : line) {
        if (c < '0' || c > '9') continue;
        length = (length * 10 + static_cast<std::size_t>(c - '0')) % kLengthModulus;
        digits = true;
    }
    return digits ? length : kDefaultLength;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static trouvere::Analyzer analyzer;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t max_chars = snippet_length(take_line(input));
    const std::string_view query = take_line(input);
    const std::string_view document = input;

    const trouvere::ParsedQuery parsed = trouvere::parse_query(query);
    const trouvere::searcher::Translation translation =
        trouvere::searcher::translate(parsed.root, analyzer, trouvere::searcher::FreeWords::all);
    const trouvere::Snippet snippet =
        trouvere::searcher::build_snippet(analyzer, document, translation.match, max_chars);
    trouvere::fuzz::check_snippet(snippet, max_chars, !translation.match.empty());
    if (translation.match.empty()) return 0;

    // As indexing stores the words of a body after a title, and a search finds the matched ones.
    constexpr std::uint32_t kFirstPosition = 101;
    const std::vector<trouvere::Token> words = analyzer.analyze(document, kFirstPosition);
    const std::string offsets = trouvere::stored::encode_word_offsets(kFirstPosition, words);
    std::vector<trouvere::Token> matched;
    std::vector<std::uint32_t> positions;
    const trouvere::searcher::MatchSpec& match = translation.match;
    for (const trouvere::Token& word : words) {
        bool in_phrase = false;
        for (const auto& phrase : match.phrases) {
            for (const std::string& term : phrase) in_phrase = in_phrase || term == word.term;
        }
        if (!match.terms.contains(word.term) && !in_phrase) continue;
        matched.push_back({.term = word.term, .position = word.position});
        positions.push_back(word.position);
    }
    const auto located = trouvere::stored::locate_words(offsets, positions, document);
    trouvere::fuzz::check(located.has_value() && located->size() == matched.size(),
                          "stored offsets locate every matched word");
    for (std::size_t k = 0; k < matched.size(); ++k) {
        trouvere::fuzz::check((*located)[k].position == positions[k], "located in order");
        matched[k].begin = (*located)[k].begin;
        matched[k].end = (*located)[k].end;
    }
    const std::string sentence_breaks =
        trouvere::stored::encode_sentence_breaks(trouvere::analysis::sentence_breaks(document));
    const trouvere::Snippet from_offsets =
        trouvere::searcher::build_snippet(document, matched, sentence_breaks, match, max_chars);
    trouvere::fuzz::check(
        from_offsets.text == snippet.text, "snippet from stored offsets is the analysed one",
        [&] { return trouvere::fuzz::printable(from_offsets.text + " | " + snippet.text); });
    trouvere::fuzz::check(from_offsets.highlights.size() == snippet.highlights.size(),
                          "same highlights from stored offsets");
    for (std::size_t k = 0; k < snippet.highlights.size(); ++k) {
        trouvere::fuzz::check(from_offsets.highlights[k].begin == snippet.highlights[k].begin &&
                                  from_offsets.highlights[k].end == snippet.highlights[k].end,
                              "same highlights from stored offsets");
    }
    return 0;
}
