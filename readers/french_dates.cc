// Date lines: the line is folded (text/folding.h), cut into words and separators, and read as
// an optional publication word, an optional weekday, the date itself in one of the orders news
// sites use, and an optional time of day.

#include "readers/french_dates.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "text/folding.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

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

std::optional<std::string> iso_date(int year, int month, int day) {
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > static_cast<int>(dates::days_in_month(static_cast<unsigned>(year),
                                                    static_cast<unsigned>(month)))) {
        return std::nullopt;
    }
    return dates::iso_day(static_cast<dates::DayNumber>(year * 10000 + month * 100 + day));
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

}  // namespace

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

}  // namespace trouvere::readers
