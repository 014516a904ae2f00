// Entry point of the readers (format detection, the checks every format shares) and the helpers
// the format readers have in common. The formats themselves live in *_reader.cc.

#include "readers/readers.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "core/limits.h"
#include "readers/reader_support.h"
#include "text/folding.h"
#include "text/utf8.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string ascii_lower(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return lower;
}

ReadResult skipped(IndexWarning warning) {
    ReadResult result;
    result.warnings.push_back(std::move(warning));
    return result;
}

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Only called on short strings of digits (at most four), so the value cannot overflow.
int digits_value(std::string_view digits) {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

// ---- Dates ----------------------------------------------------------------------------------

struct NamedValue {
    std::string_view name;
    int value;
};

// French and English names and the abbreviations news sites print, folded (no accents).
constexpr auto kMonths = std::to_array<NamedValue>({
    {"janvier", 1},   {"janv", 1},      {"jan", 1},       {"january", 1},   {"fevrier", 2},
    {"fevr", 2},      {"fev", 2},       {"feb", 2},       {"february", 2},  {"mars", 3},
    {"mar", 3},       {"march", 3},     {"avril", 4},     {"avr", 4},       {"apr", 4},
    {"april", 4},     {"mai", 5},       {"may", 5},       {"juin", 6},      {"jun", 6},
    {"june", 6},      {"juillet", 7},   {"juil", 7},      {"jul", 7},       {"july", 7},
    {"aout", 8},      {"aug", 8},       {"august", 8},    {"septembre", 9}, {"sept", 9},
    {"sep", 9},       {"september", 9}, {"octobre", 10},  {"oct", 10},      {"october", 10},
    {"novembre", 11}, {"nov", 11},      {"november", 11}, {"decembre", 12}, {"dec", 12},
    {"december", 12},
});

// French weekdays by full name only: "mar" (mardi) would collide with the month. The English
// three-letter forms appear in RFC 822 dates ("Fri, 22 Nov 2024").
constexpr std::array<std::string_view, 21> kWeekdays{
    "lundi",  "mardi",   "mercredi",  "jeudi",    "vendredi", "samedi",   "dimanche",
    "monday", "tuesday", "wednesday", "thursday", "friday",   "saturday", "sunday",
    "mon",    "tue",     "wed",       "thu",      "fri",      "sat",      "sun",
};

// Words that introduce a publication date ("Publié le ...", "Published on ...").
constexpr std::array<std::string_view, 4> kPublishedWords{"publie", "publiee", "published",
                                                          "posted"};

std::optional<int> month_number(std::string_view word) {
    for (const auto& month : kMonths) {
        if (month.name == word) return month.value;
    }
    return std::nullopt;
}

bool is_weekday(std::string_view word) {
    return std::find(kWeekdays.begin(), kWeekdays.end(), word) != kWeekdays.end();
}

int days_in_month(int year, int month) {
    constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::optional<std::string> iso_date(int year, int month, int day) {
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month)) {
        return std::nullopt;
    }
    // The year has four digits, checked above; month and day get a leading zero.
    auto two_digits = [](int value) {
        return std::string{static_cast<char>('0' + value / 10),
                           static_cast<char>('0' + value % 10)};
    };
    return std::to_string(year) + '-' + two_digits(month) + '-' + two_digits(day);
}

// A word of a folded date line and the punctuation before it, spaces removed.
struct DateToken {
    std::string word;
    std::string separator;
};

// Splits a folded line into runs of [a-z0-9]. nullopt if the line holds anything a date line
// cannot: letters outside a-z after folding, quotes, brackets.
std::optional<std::vector<DateToken>> date_tokens(std::string_view folded) {
    std::vector<DateToken> tokens;
    std::string separator;
    std::size_t i = 0;
    while (i < folded.size()) {
        char c = folded[i];
        if (is_ascii_alnum(c)) {
            std::size_t end = i;
            while (end < folded.size() && is_ascii_alnum(folded[end])) ++end;
            tokens.push_back({std::string(folded.substr(i, end - i)), std::move(separator)});
            separator.clear();
            i = end;
        } else if (const std::size_t space = text::white_space_length(folded, i)) {
            i += space;
        } else if (std::string_view(",.:/-|+").find(c) != std::string_view::npos) {
            separator += c;
            ++i;
        } else if (folded.substr(i, 3) == "\xE2\x80\x93" || folded.substr(i, 3) == "\xE2\x80\x94") {
            separator += '-';  // en and em dashes
            i += 3;
        } else {
            return std::nullopt;
        }
    }
    return tokens;
}

std::optional<int> day_number(std::string_view word) {
    if (word == "1er") return 1;
    if (word.size() > 2 || !is_digits(word)) return std::nullopt;
    return digits_value(word);
}

std::optional<int> year_number(std::string_view word) {
    if (word.size() != 4 || !is_digits(word)) return std::nullopt;
    return digits_value(word);
}

// `15:40`, `15:40:00`, `15h40`, `15h`, optionally followed by a zone or am/pm; all of `tokens`
// from `i` must be used.
bool is_time_of_day(const std::vector<DateToken>& tokens, std::size_t i) {
    if (i == tokens.size()) return true;
    const std::string& first = tokens[i].word;
    auto hour_ok = [](std::string_view digits) {
        return !digits.empty() && digits.size() <= 2 && is_digits(digits) &&
               digits_value(digits) <= 23;
    };
    auto minutes_ok = [](std::string_view digits) {
        return digits.size() == 2 && is_digits(digits) && digits_value(digits) <= 59;
    };
    if (auto h = first.find('h'); h != std::string::npos) {
        std::string_view word(first);
        if (!hour_ok(word.substr(0, h))) return false;
        std::string_view minutes = word.substr(h + 1);
        if (!minutes.empty() && !minutes_ok(minutes)) return false;
        ++i;
    } else {
        if (!hour_ok(first)) return false;
        ++i;
        int fields = 0;
        while (i < tokens.size() && tokens[i].separator == ":" && fields < 2) {
            if (!minutes_ok(tokens[i].word)) return false;
            ++fields;
            ++i;
        }
        if (fields == 0) return false;
    }
    if (i < tokens.size()) {
        const DateToken& zone = tokens[i];
        bool named = zone.word == "am" || zone.word == "pm" || zone.word == "gmt" ||
                     zone.word == "utc" || zone.word == "z";
        bool offset = (zone.separator == "+" || zone.separator == "-") && zone.word.size() == 4 &&
                      is_digits(zone.word);
        if (!named && !offset) return false;
        ++i;
    }
    return i == tokens.size();
}

struct ParsedDate {
    std::string iso;
    std::size_t next = 0;
};

// The date itself, starting at token `i`: day month year, month day year, or numeric.
std::optional<ParsedDate> date_at(const std::vector<DateToken>& tokens, std::size_t i) {
    if (i + 3 > tokens.size()) return std::nullopt;
    const std::string& a = tokens[i].word;
    const std::string& b = tokens[i + 1].word;
    const std::string& c = tokens[i + 2].word;
    std::optional<std::string> iso;
    if (auto day = day_number(a); day && month_number(b) && year_number(c)) {
        iso = iso_date(*year_number(c), *month_number(b), *day);
    } else if (auto month = month_number(a); month && day_number(b) && year_number(c)) {
        iso = iso_date(*year_number(c), *month, *day_number(b));
    } else if (is_digits(a) && is_digits(b) && is_digits(c) &&
               tokens[i + 1].separator == tokens[i + 2].separator &&
               (tokens[i + 1].separator == "/" || tokens[i + 1].separator == "." ||
                tokens[i + 1].separator == "-")) {
        if (a.size() == 4 && b.size() <= 2 && c.size() <= 2) {
            iso = iso_date(digits_value(a), digits_value(b), digits_value(c));
        } else if (a.size() <= 2 && b.size() <= 2 && c.size() == 4) {
            // French order: day first.
            iso = iso_date(digits_value(c), digits_value(b), digits_value(a));
        }
    }
    if (!iso) return std::nullopt;
    return ParsedDate{std::move(*iso), i + 3};
}

// ---- Page residue ---------------------------------------------------------------------------

// Lines that scraped news pages leave between paragraphs and that are never article text, compared
// after folding and trimming dashes, bullets and a trailing colon. Kept short on purpose: every
// entry must be something no article would print as a line of its own.
//   spot_img                 WordPress image placeholder (corpus/000)
//   advertisement/publicité  ad slots, also as "- Advertisement -"
//   lire aussi/à lire aussi  header of a related-articles box (corpus/000)
// plus "Lire aussi : <headline>" links to other articles (corpus/002, 004).
constexpr std::array<std::string_view, 5> kResidueLines{
    "spot_img", "advertisement", "publicite", "lire aussi", "a lire aussi",
};
constexpr std::array<std::string_view, 2> kRelatedLinkPrefixes{"lire aussi", "a lire aussi"};

// A headline link or a marker is short; longer lines are prose and are not even folded.
constexpr std::size_t kMaxResidueBytes = 400;

std::string_view trim_residue_decoration(std::string_view text) {
    constexpr std::array<std::string_view, 4> kDecorations{"\xE2\x80\x93", "\xE2\x80\x94",
                                                           "\xE2\x80\xA2", "\xC2\xB7"};
    for (bool changed = true; changed && !text.empty();) {
        changed = false;
        if (std::string_view(" -:|*").find(text.front()) != std::string_view::npos) {
            text.remove_prefix(1);
            changed = true;
        } else if (std::string_view(" -:|*").find(text.back()) != std::string_view::npos) {
            text.remove_suffix(1);
            changed = true;
        }
        for (std::string_view decoration : kDecorations) {
            if (text.starts_with(decoration)) {
                text.remove_prefix(decoration.size());
                changed = true;
            }
            if (text.ends_with(decoration)) {
                text.remove_suffix(decoration.size());
                changed = true;
            }
        }
    }
    return text;
}

// ---- Titles ---------------------------------------------------------------------------------

// Longer first paragraphs are prose, not a headline.
constexpr std::size_t kMaxTitleCodePoints = 150;
// Length of a title cut from a paragraph with no usable first sentence.
constexpr std::size_t kCutTitleCodePoints = 120;
// A sentence end this early is more likely an abbreviation ("M. Diop") than a sentence.
constexpr std::size_t kMinSentenceCodePoints = 20;

// Byte offset of code point `count`, or npos if `text` has no more than `count` code points.
std::size_t offset_of_code_point(std::string_view text, std::size_t count) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text::is_continuation_byte(text[i])) continue;
        if (seen == count) return i;
        ++seen;
    }
    return std::string_view::npos;
}

}  // namespace

// ---- Entry points -----------------------------------------------------------------------------

Format format_of(const std::filesystem::path& file) {
    std::string extension = ascii_lower(file.extension().string());
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

bool is_page_residue(std::string_view line) {
    line = text::trim_white_space(line);
    if (line.empty() || line.size() > kMaxResidueBytes) return false;
    std::string folded = text::fold(line);
    std::string_view key = trim_residue_decoration(folded);
    if (std::find(kResidueLines.begin(), kResidueLines.end(), key) != kResidueLines.end()) {
        return true;
    }
    // "Lire aussi : <headline>": the colon tells a link from a sentence that starts that way.
    std::string_view untrimmed = text::trim_white_space(folded);
    return std::any_of(
        kRelatedLinkPrefixes.begin(), kRelatedLinkPrefixes.end(),
        [untrimmed](std::string_view prefix) {
            return untrimmed.starts_with(prefix) &&
                   text::trim_white_space(untrimmed.substr(prefix.size())).starts_with(':');
        });
}

std::optional<DateLine> parse_date_line(std::string_view line) {
    line = text::trim_white_space(line);
    // The longest form, "Publié le mercredi 24 décembre 2025 à 08:32 GMT", is well under this.
    if (line.empty() || line.size() > 100) return std::nullopt;
    auto tokens = date_tokens(text::fold(line));
    if (!tokens || tokens->empty()) return std::nullopt;
    const std::vector<DateToken>& words = *tokens;
    auto word_is = [&](std::size_t i, std::initializer_list<std::string_view> options) {
        return i < words.size() &&
               std::find(options.begin(), options.end(), words[i].word) != options.end();
    };

    DateLine date;
    std::size_t i = 0;
    if (std::find(kPublishedWords.begin(), kPublishedWords.end(), words[0].word) !=
        kPublishedWords.end()) {
        date.introduced = true;
        ++i;
    }
    if (word_is(i, {"le", "on"})) ++i;
    if (i < words.size() && is_weekday(words[i].word)) ++i;
    auto parsed = date_at(words, i);
    if (!parsed) return std::nullopt;
    i = parsed->next;
    if (word_is(i, {"a", "at", "vers"})) {
        ++i;
        if (i == words.size()) return std::nullopt;
    }
    if (!is_time_of_day(words, i)) return std::nullopt;
    date.iso = std::move(parsed->iso);
    return date;
}

std::optional<std::string> normalize_date(std::string_view value) {
    value = text::trim_white_space(value);
    // ISO 8601 date or date-time: keep the date part.
    if (value.size() >= 10 && is_digits(value.substr(0, 4)) && value[4] == '-' &&
        is_digits(value.substr(5, 2)) && value[7] == '-' && is_digits(value.substr(8, 2)) &&
        (value.size() == 10 || value[10] == 'T' || value[10] == 't' || value[10] == ' ')) {
        return iso_date(digits_value(value.substr(0, 4)), digits_value(value.substr(5, 2)),
                        digits_value(value.substr(8, 2)));
    }
    if (auto line = parse_date_line(value)) return std::move(line->iso);
    return std::nullopt;
}

DerivedTitle title_from_paragraph(std::string_view paragraph) {
    paragraph = text::trim_white_space(paragraph);
    if (offset_of_code_point(paragraph, kMaxTitleCodePoints) == std::string_view::npos) {
        return {std::string(paragraph), true};
    }
    std::size_t code_points = 0;
    for (std::size_t i = 0; i < paragraph.size() && code_points <= kMaxTitleCodePoints; ++i) {
        if (text::is_continuation_byte(paragraph[i])) continue;
        ++code_points;
        std::size_t end = std::string_view::npos;
        if (paragraph[i] == '.' || paragraph[i] == '!' || paragraph[i] == '?') {
            end = i + 1;
        } else if (paragraph.substr(i, 3) == "\xE2\x80\xA6") {  // …
            end = i + 3;
        }
        if (end == std::string_view::npos || code_points < kMinSentenceCodePoints) continue;
        if (end < paragraph.size() && text::white_space_length(paragraph, end) == 0) continue;
        std::string_view sentence = paragraph.substr(0, end);
        // A headline has no final full stop; "!", "?" and "…" carry meaning and stay.
        if (sentence.ends_with('.') && !sentence.ends_with("..")) sentence.remove_suffix(1);
        return {std::string(sentence), false};
    }
    std::size_t cut = offset_of_code_point(paragraph, kCutTitleCodePoints);
    std::string_view head = paragraph.substr(0, cut);
    if (std::size_t space = head.rfind(' '); space != std::string_view::npos && space > 0) {
        head = head.substr(0, space);
    }
    while (!head.empty() && std::string_view(" ,;:-").find(head.back()) != std::string_view::npos) {
        head.remove_suffix(1);
    }
    return {std::string(head) + "\xE2\x80\xA6", false};
}

void drop_leading_title(std::vector<std::string>& paragraphs, std::string_view title) {
    if (paragraphs.empty() || title.empty()) return;
    std::string& first = paragraphs.front();
    std::size_t line_end = first.find('\n');
    if (std::string_view(first).substr(0, line_end) != title) return;
    first.erase(0, line_end == std::string::npos ? line_end : line_end + 1);
    if (first.empty()) paragraphs.erase(paragraphs.begin());
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
