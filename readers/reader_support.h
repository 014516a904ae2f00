// What the format readers share: their input, warnings, the per-document limits, lines and
// paragraphs. Internal to the library. The text rules are in text/; dates, page residue and
// derived titles have headers of their own (french_dates.h, page_residue.h, titles.h).
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

/// Joins paragraphs with a blank line, the layout Document::body promises.
[[nodiscard]] std::string join_paragraphs(const std::vector<std::string>& paragraphs);

}  // namespace trouvere::readers
