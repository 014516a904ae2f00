// Pieces shared by the format readers: warnings, document limits, page-residue filtering, French
// date parsing and title choice. Internal to the library; the text rules are in text/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "readers/readers.h"

namespace trouvere::readers {

/// One file's content as a format reader sees it: the bytes after any UTF-8 BOM.
struct ReaderInput {
    std::string_view text;
    /// Bytes before `text` in the file (the BOM), added to offsets so warnings point into the file.
    std::size_t base_offset = 0;
    const std::string& display_name;
    const std::string& file_id;
};

/// Adds `document` to `result`, cut to the per-document limits (see limit_document), or, when it
/// has neither title nor body, a warning that the file was skipped with `reason`: every
/// single-document format ends this way.
void add_document_or_skip(ReadResult& result, Document document, const ReaderInput& input,
                          const char* reason);

/// Cuts the title, body, source and URL of `document` to the limits of core/limits.h, adding to
/// `warnings` one warning (not a skip) per field cut, for `line` of `file` (0: the whole file).
void limit_document(Document& document, const std::string& file, std::size_t line,
                    std::optional<std::size_t> offset, std::vector<IndexWarning>& warnings);

/// Format readers. `text` is known to be non-empty and free of NUL bytes; except for JSON Lines
/// (which checks line by line) and HTML (which may convert a declared legacy charset), it is also
/// known to be valid UTF-8.
[[nodiscard]] ReadResult read_text_file(const ReaderInput& input);
[[nodiscard]] ReadResult read_markdown_file(const ReaderInput& input);
[[nodiscard]] ReadResult read_html_file(const ReaderInput& input);
[[nodiscard]] ReadResult read_json_lines_file(const ReaderInput& input);

/// 1-based number of the line holding byte `offset`.
[[nodiscard]] std::size_t line_at(std::string_view bytes, std::size_t offset);

[[nodiscard]] IndexWarning make_warning(const std::string& file, std::size_t line,
                                        std::optional<std::size_t> offset, std::string message);

/// The warning for the first invalid UTF-8 sequence in `input.text`, at `offset` into it.
[[nodiscard]] IndexWarning invalid_utf8_warning(const ReaderInput& input, std::size_t offset);

/// Splits on '\n', dropping a '\r' before it, so CRLF and LF files read the same.
[[nodiscard]] std::vector<std::string_view> split_lines(std::string_view text);

/// True for a line that scraped pages leave behind and that is never article text (see the list
/// in readers.cc).
[[nodiscard]] bool is_page_residue(std::string_view line);

/// A line that holds a date and nothing else but a publication word and a time of day.
struct DateLine {
    /// ISO 8601, `2024-11-22`.
    std::string iso;
    /// The line begins with `Publié`/`Published`: it dates the article even far from the top.
    bool introduced = false;
};

/// Recognises `vendredi, novembre 22, 2024`, `Publié jeudi 04 juillet 2024 à 15:40`,
/// `22 novembre 2024`, `1er mai 2024`, `22/11/2024`, `2024-11-22` and the like: French (or
/// English) month and weekday names, any case, accents optional. Anything more on the line, or an
/// impossible date, and it is not a date line.
[[nodiscard]] std::optional<DateLine> parse_date_line(std::string_view line);

/// A date given as metadata (front matter, JSON, HTML meta) as ISO `YYYY-MM-DD`: accepts ISO dates
/// and date-times (the date part is kept) and whatever parse_date_line accepts. nullopt when
/// unrecognised.
[[nodiscard]] std::optional<std::string> normalize_date(std::string_view value);

/// A title drawn from the first paragraph of a document that has none.
struct DerivedTitle {
    std::string text;
    /// The title is the whole paragraph, so the body need not repeat it.
    bool whole = false;
};

/// The paragraph itself when it is title-sized; otherwise its first sentence if that is short
/// enough, else its first ~120 characters cut at a word boundary and ended with "…".
[[nodiscard]] DerivedTitle title_from_paragraph(std::string_view paragraph);

/// Removes the first line of the first paragraph (and the paragraph, if that was all of it) when
/// it is `title`: the body does not start by repeating the title.
void drop_leading_title(std::vector<std::string>& paragraphs, std::string_view title);

/// Joins paragraphs with a blank line, the layout Document::body promises.
[[nodiscard]] std::string join_paragraphs(const std::vector<std::string>& paragraphs);

}  // namespace trouvere::readers
