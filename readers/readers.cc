// Entry point of the readers (format detection, the checks every format shares) and the helpers
// of reader_support.h that the format readers have in common. The formats themselves live in
// *_reader.cc; dates, page residue and derived titles in their own files.

#include "readers/readers.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/limits.h"
#include "readers/reader_support.h"
#include "text/ascii.h"
#include "text/utf8.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

ReadResult skipped(IndexWarning warning) {
    ReadResult result;
    result.warnings.push_back(std::move(warning));
    return result;
}

}  // namespace

// ---- Entry points -----------------------------------------------------------------------------

Format format_of(const std::filesystem::path& file) {
    std::string extension = file.extension().string();
    for (char& c : extension) c = text::lower_ascii(c);
    if (extension == ".txt") return Format::text;
    if (extension == ".md" || extension == ".markdown") return Format::markdown;
    if (extension == ".html" || extension == ".htm") return Format::html;
    if (extension == ".jsonl") return Format::json_lines;
    return Format::unsupported;
}

std::size_t max_file_bytes(Format format) {
    return format == Format::json_lines ? limits::kMaxJsonLinesFileBytes : limits::kMaxFileBytes;
}

std::size_t readable_prefix(Format format, std::string_view bytes) {
    if (format == Format::json_lines) {
        std::size_t newline = bytes.rfind('\n');
        return newline == std::string_view::npos ? 0 : newline + 1;
    }
    // Drop the last character if the bytes after it, in the part not read, may belong to it.
    std::size_t lead = bytes.size();
    for (int back = 0; back < 4 && lead > 0;) {
        ++back;
        if (!text::is_continuation_byte(bytes[--lead])) break;
    }
    if (lead == bytes.size()) return lead;
    auto byte = static_cast<unsigned char>(bytes[lead]);
    std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    return lead + length > bytes.size() ? lead : bytes.size();
}

ReadResult read_document_file(Format format, std::string_view bytes,
                              const std::string& display_name, const std::string& file_id) {
    if (format == Format::unsupported) {
        return skipped(make_warning(display_name, 0, std::nullopt, "unsupported file type"));
    }
    // Checked before NUL bytes, which UTF-16 text is full of, to give the useful message.
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
        return skipped(make_warning(display_name, 0, std::nullopt,
                                    "UTF-16 text is not supported, convert it to UTF-8"));
    }
    if (auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        return skipped(make_warning(display_name, 0, nul, "binary file (NUL byte)"));
    }
    std::size_t bom = bytes.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
    ReaderInput input{bytes.substr(bom), bom, display_name, file_id};
    if (text::trim_white_space(input.text).empty()) {
        return skipped(make_warning(display_name, 0, std::nullopt, "empty file"));
    }
    switch (format) {
        case Format::text:
        case Format::markdown:
            if (auto bad = text::find_invalid_utf8(input.text)) {
                return skipped(invalid_utf8_warning(input, *bad));
            }
            return format == Format::text ? read_text_file(input) : read_markdown_file(input);
        case Format::html: return read_html_file(input);
        case Format::json_lines: return read_json_lines_file(input);
        case Format::unsupported: break;
    }
    return {};
}

// ---- Shared helpers ---------------------------------------------------------------------------

std::size_t line_at(std::string_view bytes, std::size_t offset) {
    offset = std::min(offset, bytes.size());
    return 1 + static_cast<std::size_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

IndexWarning make_warning(const std::string& file, std::size_t line,
                          std::optional<std::size_t> offset, std::string message) {
    IndexWarning warning;
    warning.file = file;
    warning.line = line;
    warning.offset = offset.value_or(0);
    warning.has_offset = offset.has_value();
    warning.message = std::move(message);
    return warning;
}

void add_document_or_skip(ReadResult& result, Document document, const ReaderInput& input,
                          const char* reason) {
    if (document.title.empty() && document.body.empty()) {
        result.warnings.push_back(make_warning(input.display_name, 0, std::nullopt, reason));
        return;
    }
    limit_document(document, input.display_name, 0, std::nullopt, result.warnings);
    result.documents.push_back(std::move(document));
}

void limit_document(Document& document, const std::string& file, std::size_t line,
                    std::optional<std::size_t> offset, std::vector<IndexWarning>& warnings) {
    auto warn = [&](const std::string& field, std::size_t size, std::size_t limit) {
        IndexWarning warning =
            make_warning(file, line, offset,
                         field + " of " + std::to_string(size) + " bytes is longer than the " +
                             std::to_string(limit) + "-byte limit: only its first " +
                             std::to_string(limit) + " bytes are kept");
        warning.skipped = false;
        warnings.push_back(std::move(warning));
    };
    if (document.body.size() > limits::kMaxBodyBytes) {
        std::size_t size = document.body.size();
        std::size_t end = text::prefix_at_boundary(document.body, limits::kMaxBodyBytes);
        // Back to the last space, so that no half word becomes a term; a text without spaces
        // near the cut is cut where it is.
        constexpr std::size_t kWordSearchBytes = 256;
        for (std::size_t at = end; at > 0 && end - at < kWordSearchBytes;) {
            std::size_t start = 0;
            if (text::is_white_space(text::decode_before(document.body, at, 0, start))) {
                end = start;
                break;
            }
            at = start;
        }
        document.body.resize(end);
        warn("text", size, limits::kMaxBodyBytes);
    }
    if (document.title.size() > limits::kMaxTitleBytes) {
        std::size_t size = document.title.size();
        constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
        document.title.resize(
            text::prefix_at_boundary(document.title, limits::kMaxTitleBytes - kEllipsis.size()));
        document.title += kEllipsis;
        warn("title", size, limits::kMaxTitleBytes);
    }
    for (auto [name, field] : {std::pair{"source", &document.source}, {"url", &document.url}}) {
        if (field->size() <= limits::kMaxFieldBytes) continue;
        std::size_t size = field->size();
        field->resize(text::prefix_at_boundary(*field, limits::kMaxFieldBytes));
        warn(name, size, limits::kMaxFieldBytes);
    }
}

IndexWarning invalid_utf8_warning(const ReaderInput& input, std::size_t offset) {
    std::size_t line = line_at(input.text, offset);
    std::size_t file_offset = input.base_offset + offset;
    return make_warning(input.display_name, line, file_offset, "invalid UTF-8");
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (line.ends_with('\r')) line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

std::string join_paragraphs(const std::vector<std::string>& paragraphs) {
    std::string joined;
    for (const auto& paragraph : paragraphs) {
        if (!joined.empty()) joined += "\n\n";
        joined += paragraph;
    }
    return joined;
}

}  // namespace trouvere::readers
