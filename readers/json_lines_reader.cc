// JSON Lines: one document per line, as exported by scrapers and databases. A bad line costs only
// itself: it is reported with its line number and byte offset, and the lines around it are read.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/limits.h"
#include "readers/french_dates.h"
#include "readers/reader_support.h"
#include "text/utf8.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

using Json = nlohmann::json;

// One line of the file being read, for warnings.
struct LineContext {
    const ReaderInput& input;
    std::size_t number;
    /// Offset of the line's first byte in the file.
    std::size_t offset;
    ReadResult& result;

    void warn(const std::string& problem, std::optional<std::size_t> at = std::nullopt,
              const std::string& detail = {}) const {
        std::size_t file_offset = at.value_or(offset);
        result.warnings.push_back(
            make_warning(input.display_name, number, file_offset, problem + detail));
    }
};

// Whether a record gives a text field. Named apart from trouvere::Field, a part of a document a
// query can be restricted to.
enum class FieldState { absent, text, wrong_type };

struct TextField {
    FieldState state = FieldState::absent;
    /// The key the value was found under.
    std::string key;
    std::string value;
};

// The first of `keys` present and not null.
TextField text_field(const Json& record, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        auto found = record.find(key);
        if (found == record.end() || found->is_null()) continue;
        if (!found->is_string()) return {FieldState::wrong_type, key, {}};
        return {FieldState::text, key, found->get<std::string>()};
    }
    return {};
}

// The record on this line as a document, or nullopt after a warning saying why not.
std::optional<Document> read_record(std::string_view text, const LineContext& line) {
    Json record;
    try {
        record = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& error) {
        // `byte` counts from 1 and may point one past the end for a truncated line.
        std::size_t at = error.byte == 0 ? 0 : std::min(error.byte - 1, text.size());
        line.warn("malformed JSON", line.offset + at);
        return std::nullopt;
    } catch (const Json::exception&) {
        // Out-of-range numbers and the like: no position to give but the line's.
        line.warn("malformed JSON");
        return std::nullopt;
    }
    if (!record.is_object()) {
        line.warn("not a JSON object");
        return std::nullopt;
    }

    Document document;
    auto id = record.find("id");
    if (id == record.end() || id->is_null()) {
        line.warn("missing id");
        return std::nullopt;
    }
    if (id->is_string()) {
        document.id = id->get<std::string>();
    } else if (id->is_number_integer()) {
        document.id = id->dump();
    } else {
        line.warn("id is not a string or an integer");
        return std::nullopt;
    }
    if (document.id.empty()) {
        line.warn("empty id");
        return std::nullopt;
    }
    if (document.id.size() > limits::kMaxIdBytes) {
        line.warn("id longer than " + std::to_string(limits::kMaxIdBytes) + " bytes");
        return std::nullopt;
    }

    TextField title = text_field(record, {"title"});
    // Scrapers name the text all three ways.
    TextField body = text_field(record, {"body", "text", "content"});
    TextField date = text_field(record, {"date"});
    TextField source = text_field(record, {"source"});
    TextField url = text_field(record, {"url", "link"});
    for (const TextField* field : {&title, &body, &date, &source, &url}) {
        if (field->state == FieldState::wrong_type) {
            line.warn("field \"" + field->key + "\" is not a string");
            return std::nullopt;
        }
    }
    if (body.state == FieldState::absent) {
        line.warn("missing body (body, text or content)");
        return std::nullopt;
    }
    document.title = std::move(title.value);
    document.body = std::move(body.value);
    document.source = std::move(source.value);
    document.url = std::move(url.value);
    if (!text::trim_white_space(date.value).empty()) {
        if (auto iso = normalize_date(date.value)) {
            document.date = std::move(*iso);
        } else {
            // The text is worth indexing without its date.
            line.warn("unrecognized date \"" + date.value + "\"", std::nullopt, ", date ignored");
            line.result.warnings.back().skipped = false;
        }
    }
    document.path = line.input.display_name;
    limit_document(document, line.input.display_name, line.number, line.offset,
                   line.result.warnings);
    return document;
}

}  // namespace

ReadResult read_json_lines_file(const ReaderInput& input) {
    ReadResult result;
    // Ids of the documents read so far, and the line each came from.
    std::unordered_map<std::string, std::size_t> first_line_of;
    std::string_view text = input.text;
    std::size_t number = 0;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view raw = text.substr(start, end - start);
        if (raw.ends_with('\r')) raw.remove_suffix(1);
        ++number;
        LineContext line{input, number, input.base_offset + start, result};
        std::size_t line_start = start;
        start = end + 1;

        if (text::trim_ascii_white_space(raw).empty()) continue;
        if (raw.size() > limits::kMaxJsonLineBytes) {
            line.warn("line of " + std::to_string(raw.size()) + " bytes is longer than the " +
                      std::to_string(limits::kMaxJsonLineBytes) + "-byte limit");
            continue;
        }
        if (auto bad = text::find_invalid_utf8(raw)) {
            line.warn("invalid UTF-8", input.base_offset + line_start + *bad);
            continue;
        }
        std::optional<Document> document = read_record(raw, line);
        if (!document) continue;
        auto [previous, inserted] = first_line_of.emplace(document->id, number);
        if (!inserted) {
            line.warn("duplicate id \"" + document->id + "\"", std::nullopt,
                      " (first at line " + std::to_string(previous->second) + ")");
            continue;
        }
        result.documents.push_back(std::move(*document));
    }
    return result;
}

}  // namespace trouvere::readers
