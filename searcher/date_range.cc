#include "searcher/date_range.h"

#include <optional>
#include <string>

#include "trouvere/error.h"

namespace trouvere::searcher {

namespace {

// The number written in exactly `size` digits at the start of `text`.
std::optional<unsigned> number(std::string_view text, std::size_t size) {
    return text.size() == size ? dates::digits(text) : std::nullopt;
}

// The period `date` names (`2024`, `2024-07`, `2024-07-04`), or nullopt with `why` said.
std::optional<DayRange> period(std::string_view date, std::string& why) {
    const auto year = number(date.substr(0, 4), 4);
    if (!year || *year == 0 || (date.size() != 4 && date.size() != 7 && date.size() != 10) ||
        (date.size() > 4 && date[4] != '-') || (date.size() > 7 && date[7] != '-')) {
        why = "write a year, a month or a day as 2024, 2024-07 or 2024-07-04";
        return std::nullopt;
    }
    const unsigned base = *year * 10000;
    if (date.size() == 4) return DayRange{base + 101, base + 1231};
    const auto month = number(date.substr(5, 2), 2);
    if (!month || *month < 1 || *month > 12) {
        why = "there is no month " + std::string(date.substr(5, 2));
        return std::nullopt;
    }
    const unsigned month_base = base + *month * 100;
    const unsigned month_days = dates::days_in_month(*year, *month);
    if (date.size() == 7) return DayRange{month_base + 1, month_base + month_days};
    const auto day = number(date.substr(8, 2), 2);
    if (!day || *day < 1 || *day > month_days) {
        why = "there is no day " + std::string(date.substr(8, 2)) + " in " +
              std::string(date.substr(0, 7));
        return std::nullopt;
    }
    return DayRange{month_base + *day, month_base + *day};
}

}  // namespace

DayRange parse_date_range(std::string_view value, std::string_view shown) {
    auto refuse = [&](const std::string& why) {
        return QueryError("malformed date '" + std::string(shown) + "': " + why);
    };
    const std::size_t dots = value.find("..");
    std::string why;
    if (dots == std::string_view::npos) {
        if (auto days = period(value, why)) return *days;
        throw refuse(why);
    }
    const std::string_view from = value.substr(0, dots);
    const std::string_view to = value.substr(dots + 2);
    if (from.empty() && to.empty())
        throw refuse("a range needs a date on one side of '..' at least");
    DayRange range;
    if (!from.empty()) {
        auto days = period(from, why);
        if (!days) throw refuse(why);
        range.first = days->first;
    }
    if (!to.empty()) {
        auto days = period(to, why);
        if (!days) throw refuse(why);
        range.last = days->last;
    }
    if (range.first > range.last) throw refuse("the range ends before it starts");
    return range;
}

}  // namespace trouvere::searcher
