// One document reader on the bytes of an arbitrary file. Built once per format, with
// TROUVERE_FUZZ_FORMAT naming the readers::Format member (text, markdown, html, json_lines).
// Properties, beyond not crashing and never throwing:
// - a single-document format yields at most one document, whose id is the file's; the documents
//   of a JSON Lines file have distinct ids;
// - a file that yields nothing says why in a warning;
// - every field of every document is valid UTF-8 and the id is not empty; a date is an ISO
//   `YYYY-MM-DD` with a month and day that exist; the path is the file's display name;
// - a document survives the stored encoding unchanged (what search results show is what was read);
// - a warning names the file, its message is valid UTF-8, its offset is inside the file and
//   falls on the line it names;
// - text and Markdown files with invalid UTF-8 are skipped.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/stored_document.h"
#include "readers/reader_support.h"
#include "readers/readers.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using trouvere::Document;
using trouvere::fuzz::check;
using trouvere::fuzz::is_valid_utf8;
using trouvere::fuzz::printable;
using trouvere::readers::Format;

constexpr Format kFormat = Format::TROUVERE_FUZZ_FORMAT;
const std::string kDisplayName = "fuzz/input";
const std::string kFileId = "input";

bool is_iso_date(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (date[i] < '0' || date[i] > '9') return false;
    }
    const int month = (date[5] - '0') * 10 + (date[6] - '0');
    const int day = (date[8] - '0') * 10 + (date[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

void check_document(const Document& document) {
    const auto shown = [&] { return "document " + printable(document.id); };
    check(!document.id.empty(), "document id is not empty");
    for (const std::string* field : {&document.id, &document.title, &document.body, &document.date,
                                     &document.source, &document.url, &document.path}) {
        check(is_valid_utf8(*field), "document fields are valid UTF-8",
              [&] { return shown() + ": " + printable(*field); });
    }
    check(document.date.empty() || is_iso_date(document.date), "date is ISO YYYY-MM-DD",
          [&] { return shown() + ": " + printable(document.date); });
    check(document.path == kDisplayName, "document path is the file's display name", shown);

    // The body is stored as it is (the document data); every other field goes through the header.
    const Document decoded =
        trouvere::stored::decode_header(trouvere::stored::encode_header(document));
    check(decoded.id == document.id && decoded.title == document.title && decoded.body.empty() &&
              decoded.date == document.date && decoded.source == document.source &&
              decoded.url == document.url && decoded.path == document.path,
          "document survives the stored encoding", shown);
}

void check_warning(const trouvere::IndexWarning& warning, std::string_view bytes) {
    const auto shown = [&] {
        return "line " + std::to_string(warning.line) + ", offset " +
               (warning.has_offset ? std::to_string(warning.offset) : "none") + ": " +
               printable(warning.message);
    };
    check(warning.file == kDisplayName, "warning names the file", shown);
    check(!warning.message.empty() && is_valid_utf8(warning.message),
          "warning message is valid UTF-8", shown);
    if (warning.has_offset) {
        check(warning.offset <= bytes.size(), "warning offset inside the file", shown);
        if (warning.line != 0) {
            check(trouvere::readers::line_at(bytes, warning.offset) == warning.line,
                  "warning offset is on the warning's line", shown);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const trouvere::readers::ReadResult result =
        trouvere::readers::read_document_file(kFormat, bytes, kDisplayName, kFileId);

    if (kFormat != Format::json_lines) {
        check(result.documents.size() <= 1, "one document at most from a single-document file");
        for (const Document& document : result.documents) {
            check(document.id == kFileId, "the document's id is the file's");
        }
    } else {
        std::unordered_set<std::string_view> ids;
        for (const Document& document : result.documents) {
            check(ids.insert(document.id).second, "ids in a JSON Lines file are distinct",
                  [&] { return printable(document.id); });
        }
    }
    if (kFormat == Format::text || kFormat == Format::markdown) {
        check(result.documents.empty() || is_valid_utf8(bytes),
              "a text or Markdown file with invalid UTF-8 is skipped");
    }
    check(!result.documents.empty() || !result.warnings.empty(),
          "a file that yields nothing says why");
    for (const Document& document : result.documents) check_document(document);
    for (const trouvere::IndexWarning& warning : result.warnings) check_warning(warning, bytes);
    return 0;
}
