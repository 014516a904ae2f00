#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/document.h"
#include "trouvere/file_indexer.h"

namespace trouvere::readers {

enum class Format { text, markdown, html, json_lines, unsupported };

/// By extension, case-insensitive: .txt; .md/.markdown; .html/.htm; .jsonl. Anything else is
/// unsupported and not indexed.
[[nodiscard]] Format format_of(const std::filesystem::path& file);

/// What one file yields. A file that yields nothing has at least one warning saying why.
struct ReadResult {
    std::vector<Document> documents;
    std::vector<IndexWarning> warnings;
};

/// Bytes read from a file of this format at most (core/limits.h): the rest is not indexed.
[[nodiscard]] std::size_t max_file_bytes(Format format);

/// How much of `bytes`, the first max_file_bytes() of a longer file, to index: for JSON Lines,
/// the complete lines; otherwise all of it but a character cut in half.
[[nodiscard]] std::size_t readable_prefix(Format format, std::string_view bytes);

/// Turns the bytes of one file into documents. `display_name` is used in warnings; `file_id` is
/// the id of the document of a single-document file (text, Markdown, HTML). Every document's
/// `path` is set to `display_name`. Never throws on bad content: invalid UTF-8, NUL bytes (binary),
/// empty files and malformed JSON lines become warnings naming the line and byte offset.
[[nodiscard]] ReadResult read_document_file(Format format, std::string_view bytes,
                                            const std::string& display_name,
                                            const std::string& file_id);

}  // namespace trouvere::readers
