#include "core/dates.h"

#include <array>
#include <cstdio>

namespace trouvere::dates {

std::optional<unsigned> digits(std::string_view text) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    unsigned value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value;
}

unsigned days_in_month(unsigned year, unsigned month) {
    constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays.at(month - 1);
}

bool is_day(DayNumber day) {
    const unsigned year = day / 10000;
    const unsigned month = day / 100 % 100;
    const unsigned day_of_month = day % 100;
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day_of_month >= 1 &&
           day_of_month <= days_in_month(year, month);
}

std::optional<DayNumber> parse_iso_day(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
    auto year = digits(iso.substr(0, 4));
    auto month = digits(iso.substr(5, 2));
    auto day = digits(iso.substr(8, 2));
    if (!year || !month || !day) return std::nullopt;
    const DayNumber number = *year * 10000 + *month * 100 + *day;
    return is_day(number) ? std::optional(number) : std::nullopt;
}

std::string iso_day(DayNumber day) {
    std::array<char, 16> text{};
    (void)std::snprintf(text.data(), text.size(), "%04u-%02u-%02u", day / 10000, day / 100 % 100,
                        day % 100);
    return text.data();
}

}  // namespace trouvere::dates
