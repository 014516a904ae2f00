// The snippet builder on an arbitrary document and query. The input is laid out so that seeds can
// be written by hand:
//   line 1   the snippet length in characters, in decimal (taken modulo 1001; 200 when the line
//            holds no digits)
//   line 2   the query, parsed and translated as the searcher does to know what to mark
//   the rest the document text
// Properties (tests/fuzz/snippet_checks.h): valid UTF-8, no longer than the length asked for,
// highlights well formed, and HTML with balanced, unnested <mark> tags around the same text.

#include <cstddef>
#include <cstdint>
#include <string_view>

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
    return 0;
}
