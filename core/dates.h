#pragma once

// Days as indexing stores them and as date filters, date sorts and year counts compare them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trouvere::dates {

/// A day as the number yyyymmdd (20240704 for 4 July 2024): numeric order is date order, and the
/// year is the number divided by 10,000. 0 names no day.
using DayNumber = std::uint32_t;

inline constexpr DayNumber kNoDay = 0;
inline constexpr DayNumber kFirstDay = 10101;    // 0001-01-01
inline constexpr DayNumber kLastDay = 99991231;  // 9999-12-31

/// The number `text` writes in decimal digits and nothing else (1 to 9 of them), or nullopt.
[[nodiscard]] std::optional<unsigned> digits(std::string_view text);

/// The number of days of `month` (1 to 12) in `year`, leap years counted as the Gregorian
/// calendar counts them.
[[nodiscard]] unsigned days_in_month(unsigned year, unsigned month);

/// Whether `day` names a day that exists, from kFirstDay to kLastDay.
[[nodiscard]] bool is_day(DayNumber day);

/// The day `iso` names when it is exactly `YYYY-MM-DD` and such a day exists (years 0001 to
/// 9999); nullopt otherwise.
[[nodiscard]] std::optional<DayNumber> parse_iso_day(std::string_view iso);

/// `day` as `YYYY-MM-DD`.
[[nodiscard]] std::string iso_day(DayNumber day);

}  // namespace trouvere::dates
