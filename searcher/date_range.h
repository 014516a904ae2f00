#pragma once

// Dates as queries give them: `date:` values and the since/until options.

#include <string_view>

#include "core/dates.h"

namespace trouvere::searcher {

/// The days a date filter covers, both included.
struct DayRange {
    dates::DayNumber first = dates::kFirstDay;
    dates::DayNumber last = dates::kLastDay;
};

/// The days of `value`: a year (`2024`), a month (`2024-07`) or a day (`2024-07-04`) covers its
/// whole period; `A..B` covers A's first day to B's last, `A..` from A on and `..B` up to B.
/// Throws QueryError naming `value` (as `shown`, e.g. `date:2024-13`) when a date is malformed or
/// does not exist, or when the range ends before it starts.
[[nodiscard]] DayRange parse_date_range(std::string_view value, std::string_view shown);

}  // namespace trouvere::searcher
