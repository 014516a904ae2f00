// Plain text: articles scraped from news sites, one paragraph per line. The top of such a file
// mixes the headline with a date line and page residue (see is_page_residue), so the title is the
// first line that is neither, and the date comes from a date line near the top.

#include <string>
#include <vector>

#include "readers/french_dates.h"
#include "readers/page_residue.h"
#include "readers/reader_support.h"
#include "readers/titles.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

// A bare date ("22 novembre 2024") dates the article only among the first lines; further down it
// is more likely part of the story.
constexpr std::size_t kBareDateLines = 3;
// The header block of a scraped page: where "Publié ..." lines date the article and where a
// repeated headline is dropped.
constexpr std::size_t kHeaderLines = 10;

}  // namespace

ReadResult read_text_file(const ReaderInput& input) {
    // Cleaned lines; residue and blank lines are left empty so that indices still match.
    std::vector<std::string> lines;
    for (std::string_view raw : split_lines(input.text)) {
        std::string line = text::collapse_layout_white_space(raw);
        if (is_page_residue(line)) line.clear();
        lines.push_back(std::move(line));
    }

    std::optional<std::size_t> title_line;
    std::optional<std::size_t> date_line;
    std::string date;
    std::size_t seen = 0;
    for (std::size_t i = 0; i < lines.size() && seen < kHeaderLines; ++i) {
        if (lines[i].empty()) continue;
        ++seen;
        if (!date_line) {
            auto parsed = parse_date_line(lines[i]);
            if (parsed && (seen <= kBareDateLines || parsed->introduced)) {
                date = std::move(parsed->iso);
                date_line = i;
                continue;
            }
        }
        if (!title_line) title_line = i;
    }

    Document document;
    document.id = input.file_id;
    document.path = input.display_name;
    document.date = std::move(date);
    bool title_is_whole_line = false;
    if (title_line) {
        DerivedTitle title = title_from_paragraph(lines[*title_line]);
        document.title = std::move(title.text);
        title_is_whole_line = title.whole;
    }

    std::vector<std::string> paragraphs;
    seen = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty()) continue;
        ++seen;
        if (i == date_line) continue;
        // Pages often print the headline again under the teaser: once, as the title, is enough.
        // A title cut from a long first line is not a copy of it, so that line stays.
        if (title_is_whole_line && seen <= kHeaderLines && lines[i] == document.title) continue;
        paragraphs.push_back(std::move(lines[i]));
    }
    document.body = join_paragraphs(paragraphs);

    ReadResult result;
    add_document_or_skip(result, std::move(document), input,
                         "no article text, only page residue or a date");
    return result;
}

}  // namespace trouvere::readers
